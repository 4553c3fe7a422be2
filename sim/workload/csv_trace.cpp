#include "sim/workload/csv_trace.h"

#include <limits>
#include <stdexcept>
#include <string>

#include "sim/workload/trace_text.h"

namespace buddysim::workload {

namespace {

constexpr std::string_view kHeader = "time_ns,cpu,op,order,gfp,tag";

model::gfp_t parse_csv_gfp(std::string_view text, std::vector<std::string> &) { return model::parse_gfp_flags(text); }

CsvTrace::Row split_row(std::string_view line) {
  CsvTrace::Row row{};
  std::size_t columns = 0;
  for (;;) {
    const std::size_t comma = line.find(',');
    if (columns < row.size()) row[columns] = text::trim(line.substr(0, comma));
    ++columns;
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  if (columns != row.size()) {
    throw BadLine{"wrong column count",
                  "expected 6 columns (" + std::string(kHeader) + "), found " + std::to_string(columns)};
  }
  return row;
}

std::uint64_t number_column(std::string_view name, std::string_view value) {
  if (const auto number = text::parse_unsigned(value)) return *number;
  throw BadLine{"bad number", std::string(name) + ": expected a non-negative integer, found " + text::quoted(value)};
}

int cpu_column(std::string_view value) {
  const auto cpu = text::parse_unsigned(value);
  if (!cpu || *cpu > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    throw BadLine{"bad number", "cpu: expected an integer from 0 to 2147483647, found " + text::quoted(value)};
  }
  return static_cast<int>(*cpu);
}

unsigned order_column(std::string_view value) {
  const auto order = text::parse_unsigned(value);
  if (!order || *order > model::MAX_PAGE_ORDER) {
    throw BadLine{"bad number", "order: expected an integer from 0 to " + std::to_string(model::MAX_PAGE_ORDER) +
                                    ", found " + text::quoted(value)};
  }
  return static_cast<unsigned>(*order);
}

Op::Kind op_column(std::string_view value) {
  if (value == "alloc") return Op::Kind::Alloc;
  if (value == "free") return Op::Kind::Free;
  throw BadLine{"unknown op", "op: expected \"alloc\" or \"free\", found " + text::quoted(value)};
}

}  // namespace

CsvTrace::CsvTrace(const scenario::TraceSpec &spec) : TraceReplay(spec, parse_csv_gfp) {}

std::optional<Op> CsvTrace::parse_line(std::string_view line) {
  const std::string_view content = text::trim(line);
  if (content.empty() || content.front() == '#') return std::nullopt;
  if (!header_seen_) {
    // Set first: under the lenient policy the bad line is skipped and the
    // lines after it are read as data in the standard column order.
    header_seen_ = true;
    if (content != kHeader) {
      throw BadLine{"missing header",
                    "expected the header line \"" + std::string(kHeader) + "\", found " + text::quoted(content)};
    }
    return std::nullopt;
  }
  const Row row = split_row(content);
  Op op = parse_row(row);
  check_time_order(op);
  if (op.kind == Op::Kind::Alloc) {
    define_tag(op);
  } else {
    release_tag(op, row[3]);
  }
  last_time_ = op.time_ns;
  last_time_line_ = op.line;
  return op;
}

void CsvTrace::finish() {
  if (!header_seen_) {
    reject(BadLine{"missing header", "expected the header line \"" + std::string(kHeader) + "\", found none"}, file());
  }
}

// Columns are checked left to right, so the message names the first bad one.
Op CsvTrace::parse_row(const Row &row) {
  Op op;
  op.line = line_number();
  op.time_ns = number_column("time_ns", row[0]);
  op.cpu = cpu_column(row[1]);
  op.kind = op_column(row[2]);
  const bool alloc = op.kind == Op::Kind::Alloc;
  if (alloc || !row[3].empty()) op.order = order_column(row[3]);
  if (alloc || !row[4].empty()) {
    try {
      // A free's gfp is only checked: the op carries the alloc's.
      if (alloc) {
        const GfpClasses::Parsed &gfp = classes().parse(row[4]);
        op.gfp = gfp.gfp;
        op.cls = gfp.cls;
      } else {
        model::parse_gfp_flags(row[4]);
      }
    } catch (const std::invalid_argument &e) {
      throw BadLine{"bad gfp", std::string("gfp: ") + e.what()};
    }
  }
  op.tag = number_column("tag", row[5]);
  return op;
}

void CsvTrace::check_time_order(const Op &op) const {
  if (last_time_line_ == 0 || op.time_ns >= last_time_) return;
  throw BadLine{"time going backwards", "time_ns " + std::to_string(op.time_ns) + " is earlier than " +
                                            std::to_string(last_time_) + " at line " + std::to_string(last_time_line_) +
                                            "; lines must be in time order"};
}

void CsvTrace::define_tag(Op &op) {
  TagRecord &record = tags_[op.tag];
  if (record.live) {
    throw BadLine{"double alloc", "alloc of tag " + std::to_string(op.tag) + ", which is still live since line " +
                                      std::to_string(record.line)};
  }
  record = TagRecord{op.line, op.gfp, op.cls, op.order, true};
}

void CsvTrace::release_tag(Op &op, std::string_view order_column) {
  const auto it = tags_.find(op.tag);
  const auto tag = [&op] { return "free of tag " + std::to_string(op.tag); };
  if (it == tags_.end()) throw BadLine{"free of unknown tag", tag() + ", which no earlier line allocated"};
  TagRecord &record = it->second;
  if (!record.live) {
    throw BadLine{"double free", tag() + ", which line " + std::to_string(record.line) + " already freed"};
  }
  if (!order_column.empty() && op.order != record.order) {
    throw BadLine{"order mismatch", tag() + " with order " + std::to_string(op.order) + ", but line " +
                                        std::to_string(record.line) + " allocated it with order " +
                                        std::to_string(record.order)};
  }
  op.order = record.order;
  op.gfp = record.gfp;
  op.cls = record.cls;
  record.live = false;
  record.line = op.line;
}

}  // namespace buddysim::workload
