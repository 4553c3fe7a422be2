#include "sim/workload/ftrace_trace.h"

#include <array>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "sim/workload/trace_text.h"

namespace buddysim::workload {

namespace {

constexpr std::string_view kAlloc = "mm_page_alloc";
constexpr std::string_view kFree = "mm_page_free";
constexpr std::string_view kFreeBatched = "mm_page_free_batched";

// ---- GFP names of older kernels -----------------------------------------

// Names show_gfp_flags() printed in kernels before 6.18 that 6.18 no longer
// knows, with the 6.18 bits closest in meaning (0: the flag has no effect on
// the page allocator modelled here).
struct LegacyGfp {
  std::string_view name;
  model::gfp_t gfp;
};
constexpr std::array<LegacyGfp, 16> kLegacyGfp{{
    {"__GFP_WAIT", model::gfp::RECLAIM},  // before 4.4: may sleep (and wakes kswapd)
    {"GFP_WAIT", model::gfp::RECLAIM},
    {"__GFP_REPEAT", model::gfp::RETRY_MAYFAIL},  // renamed in 4.13
    {"GFP_REPEAT", model::gfp::RETRY_MAYFAIL},
    {"GFP_TEMPORARY", model::gfp::KERNEL | model::gfp::RECLAIMABLE},  // removed in 4.14
    {"GFP_IOFS", model::gfp::IO | model::gfp::FS},                    // removed in 4.4
    {"__GFP_COLD", 0},                                                // removed in 4.15
    {"GFP_COLD", 0},
    {"__GFP_NOTRACK", 0},  // kmemcheck, removed in 4.15
    {"GFP_NOTRACK", 0},
    {"__GFP_OTHER_NODE", 0},  // statistics only, removed in 4.10
    {"GFP_OTHER_NODE", 0},
    {"__GFP_NO_KSWAPD", 0},  // removed in 4.4; its effect is not modelled
    {"GFP_NO_KSWAPD", 0},
    {"__GFP_NOACCOUNT", 0},  // 4.4 and 4.5 only
    {"__GFP_ATOMIC", 0},     // removed in 6.3, its role went to __GFP_HIGH and ALLOC_* flags
}};

// One '|'-separated token: a 6.18 name, a legacy name from the table, or a
// single bit printed with the "GFP_" prefix of kernels before 4.x
// ("GFP_NOWARN" for __GFP_NOWARN). Appends the issue kind for legacy names.
std::optional<model::gfp_t> parse_legacy_token(std::string_view token, std::vector<std::string> &notes) {
  try {
    return model::parse_gfp_flags(token);
  } catch (const std::invalid_argument &) {
  }
  const auto note = [&notes, token] { notes.push_back("legacy GFP name \"" + std::string(token) + "\" translated"); };
  for (const LegacyGfp &legacy : kLegacyGfp) {
    if (legacy.name == token) {
      note();
      return legacy.gfp;
    }
  }
  if (token.starts_with("GFP_")) {
    try {
      const model::gfp_t gfp = model::parse_gfp_flags("__" + std::string(token));
      note();
      return gfp;
    } catch (const std::invalid_argument &) {
    }
  }
  return std::nullopt;
}

std::optional<model::gfp_t> parse_legacy_gfp(std::string_view text, std::vector<std::string> &notes) {
  model::gfp_t gfp = 0;
  for (;;) {
    const std::size_t bar = text.find('|');
    const auto token = parse_legacy_token(text::trim(text.substr(0, bar)), notes);
    if (!token) return std::nullopt;
    gfp |= *token;
    if (bar == std::string_view::npos) return gfp;
    text.remove_prefix(bar + 1);
  }
}

// 6.18 names first; legacy ones only when that fails, so a modern trace
// never pays for the table. A name neither knows keeps the 6.18 message.
model::gfp_t parse_ftrace_gfp(std::string_view text, std::vector<std::string> &notes) {
  try {
    return model::parse_gfp_flags(text);
  } catch (const std::invalid_argument &) {
    if (const auto gfp = parse_legacy_gfp(text, notes)) return *gfp;
    notes.clear();
    throw;
  }
}

// ---- event lines ----------------------------------------------------------

// "SECONDS.FRACTION:" → nanoseconds.
std::optional<std::uint64_t> parse_timestamp(std::string_view token) {
  if (!token.ends_with(':')) return std::nullopt;
  token.remove_suffix(1);
  const std::size_t dot = token.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const auto seconds = text::parse_unsigned(token.substr(0, dot));
  const std::string_view digits = token.substr(dot + 1);
  const auto fraction = text::parse_unsigned(digits);
  if (!seconds || !fraction || digits.size() > 9 || *seconds > 18'000'000'000ull) return std::nullopt;
  std::uint64_t scale = 1;
  for (std::size_t i = digits.size(); i < 9; ++i) scale *= 10;
  return *seconds * 1'000'000'000ull + *fraction * scale;
}

// The line read as an event whose CPU column opens at `open`.
std::optional<FtraceTrace::EventLine> parse_at_cpu_column(std::string_view line, std::size_t open) {
  const std::size_t close = line.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  const auto cpu = text::parse_unsigned(line.substr(open + 1, close - open - 1));
  if (!cpu || *cpu > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) return std::nullopt;
  std::string_view rest = line.substr(close + 1);
  auto time = parse_timestamp(text::next_token(rest));
  // The token was the irq-flags column ("....", "d..2.", "dNh1."): its width
  // changed across kernels, and trace-cmd may leave it out.
  if (!time) time = parse_timestamp(text::next_token(rest));
  if (!time) return std::nullopt;
  std::string_view name = text::next_token(rest);
  if (text::parse_unsigned(name)) name = text::next_token(rest);     // perf script's sample period
  if (name.size() < 2 || !name.ends_with(':')) return std::nullopt;  // "<stack trace>" lines end here
  name.remove_suffix(1);
  if (name.starts_with("kmem:")) name.remove_prefix(5);  // perf script prints system:event
  return FtraceTrace::EventLine{static_cast<int>(*cpu), *time, name, rest};
}

// The task name comes first and may hold anything, so every '[' is a
// candidate CPU column until one is followed by a timestamp and a name.
std::optional<FtraceTrace::EventLine> parse_event_line(std::string_view line) {
  for (std::size_t open = line.find('['); open != std::string_view::npos; open = line.find('[', open + 1)) {
    if (auto event = parse_at_cpu_column(line, open)) return event;
  }
  return std::nullopt;
}

// The replayed event a line names, if any, for lines that did not parse.
std::string_view page_event_named_in(std::string_view line) {
  for (const std::string_view name : {kAlloc, kFree, kFreeBatched}) {
    const std::size_t at = line.find(name);
    if (at != std::string_view::npos && line.substr(at + name.size()).starts_with(':')) return name;
  }
  return {};
}

std::string format_seconds(std::uint64_t ns) {
  char out[32];
  if (ns % 1000 == 0) {
    std::snprintf(out, sizeof out, "%llu.%06llu", static_cast<unsigned long long>(ns / 1'000'000'000ull),
                  static_cast<unsigned long long>(ns % 1'000'000'000ull / 1000));
  } else {
    std::snprintf(out, sizeof out, "%llu.%09llu", static_cast<unsigned long long>(ns / 1'000'000'000ull),
                  static_cast<unsigned long long>(ns % 1'000'000'000ull));
  }
  return out;
}

std::string hex(std::uint64_t value) {
  char out[24];
  std::snprintf(out, sizeof out, "0x%llx", static_cast<unsigned long long>(value));
  return out;
}

// ---- fields ---------------------------------------------------------------

struct PageFields {
  std::optional<std::string_view> pfn, order, gfp;
};

PageFields scan_fields(std::string_view fields) {
  PageFields found;
  for (std::string_view token = text::next_token(fields); !token.empty(); token = text::next_token(fields)) {
    const std::size_t eq = token.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = token.substr(0, eq);
    const std::string_view value = token.substr(eq + 1);
    if (key == "pfn") {
      found.pfn = value;
    } else if (key == "order") {
      found.order = value;
    } else if (key == "gfp_flags") {
      found.gfp = value;
    }
  }
  return found;
}

BadLine missing_field(std::string_view event, std::string_view key) {
  return BadLine{"malformed event", std::string(event) + ": expected a " + std::string(key) + "= field, found none"};
}

model::Pfn pfn_field(std::string_view event, const std::optional<std::string_view> &value) {
  if (!value) throw missing_field(event, "pfn");
  if (const auto pfn = text::parse_hex_or_decimal(*value)) return *pfn;
  throw BadLine{"bad number",
                std::string(event) + ": pfn: expected a hex (0x...) or decimal number, found " + text::quoted(*value)};
}

// mm_page_free_batched always frees order 0 as far as its text goes; converters
// that drop the constant "order=0" are still read.
unsigned order_field(std::string_view event, const std::optional<std::string_view> &value) {
  if (!value) {
    if (event == kFreeBatched) return 0;
    throw missing_field(event, "order");
  }
  const auto order = text::parse_unsigned(*value);
  if (!order || *order > model::MAX_PAGE_ORDER) {
    throw BadLine{"bad number", std::string(event) + ": order: expected an integer from 0 to " +
                                    std::to_string(model::MAX_PAGE_ORDER) + ", found " + text::quoted(*value)};
  }
  return static_cast<unsigned>(*order);
}

}  // namespace

FtraceTrace::FtraceTrace(const scenario::TraceSpec &spec) : TraceReplay(spec, parse_ftrace_gfp) {}

std::optional<Op> FtraceTrace::parse_line(std::string_view line) {
  const std::string_view content = text::trim(line);
  if (content.empty() || content.front() == '#') return std::nullopt;
  const auto event = parse_event_line(content);
  if (!event) {
    note_other_line(content);
    return std::nullopt;
  }
  if (event->name == kAlloc || event->name == kFree || event->name == kFreeBatched) return on_page_event(*event);
  note_ignored_event(event->name);
  return std::nullopt;
}

// Time is checked after the fields, so a line is reported for its first
// problem, and recorded only once the event is accepted.
std::optional<Op> FtraceTrace::on_page_event(const EventLine &event) {
  std::optional<Op> op = event.name == kAlloc ? on_alloc(event) : on_free(event, event.name == kFreeBatched);
  last_ns_ = event.time_ns;
  last_line_ = line_number();
  return op;
}

std::optional<Op> FtraceTrace::on_alloc(const EventLine &event) {
  const PageFields fields = scan_fields(event.fields);
  const model::Pfn pfn = pfn_field(event.name, fields.pfn);
  const unsigned order = order_field(event.name, fields.order);
  if (!fields.gfp) throw missing_field(event.name, "gfp_flags");
  const GfpClasses::Parsed *gfp = nullptr;
  try {
    gfp = &classes().parse(*fields.gfp);
  } catch (const std::invalid_argument &e) {
    throw BadLine{"bad gfp", std::string(event.name) + ": gfp_flags: " + e.what()};
  }
  check_time_order(event.time_ns);
  for (const std::string &kind : gfp->notes) note(kind, line_number());

  Op op = make_op(Op::Kind::Alloc, event);
  op.order = order;
  op.gfp = gfp->gfp;
  op.cls = gfp->cls;
  op.tag = next_tag_++;
  // The kernel prints pfn 0 for a failed allocation: replay the attempt, own nothing.
  if (pfn == 0) return op;
  const auto [it, added] = pfns_.try_emplace(pfn);
  if (!added && it->second.state == PfnState::Live) note("alloc of a live pfn (its free was not traced)", op.line);
  it->second = PfnRecord{op.tag, op.line, op.gfp, op.cls, order, PfnState::Live};
  return op;
}

std::optional<Op> FtraceTrace::on_free(const EventLine &event, bool batched) {
  const PageFields fields = scan_fields(event.fields);
  const model::Pfn pfn = pfn_field(event.name, fields.pfn);
  const unsigned order = order_field(event.name, fields.order);
  check_time_order(event.time_ns);

  const PfnState freed = batched ? PfnState::FreedByBatched : PfnState::FreedByFree;
  const auto [it, added] = pfns_.try_emplace(pfn, PfnRecord{0, line_number(), 0, 0, order, freed});
  if (added) {
    // Allocated before tracing began. The record marks the pfn freed, so the
    // other event of a batched free is not counted a second time.
    note("unmatched free", line_number());
    return std::nullopt;
  }
  PfnRecord &record = it->second;
  if (record.state == PfnState::Live) {
    if (!batched && order != record.order) {
      throw BadLine{"order mismatch", std::string(event.name) + " of pfn " + hex(pfn) + " with order " +
                                          std::to_string(order) + ", but line " + std::to_string(record.line) +
                                          " allocated it with order " + std::to_string(record.order)};
    }
    return emit_free(event, record, batched);
  }
  if (record.state != freed) {
    pfns_.erase(it);  // the other event of a batched free: the block is already released
  } else {
    note("unmatched free", line_number());
  }
  return std::nullopt;
}

Op FtraceTrace::emit_free(const EventLine &event, PfnRecord &record, bool batched) {
  Op op = make_op(Op::Kind::Free, event);
  op.order = record.order;
  op.gfp = record.gfp;
  op.cls = record.cls;
  op.tag = record.tag;
  record.state = batched ? PfnState::FreedByBatched : PfnState::FreedByFree;
  return op;
}

Op FtraceTrace::make_op(Op::Kind kind, const EventLine &event) {
  if (!base_ns_) base_ns_ = event.time_ns;
  Op op;
  op.kind = kind;
  op.time_ns = event.time_ns - *base_ns_;
  op.cpu = event.cpu;
  op.line = line_number();
  return op;
}

void FtraceTrace::check_time_order(std::uint64_t time_ns) const {
  if (last_line_ == 0 || time_ns >= last_ns_) return;
  throw BadLine{"time going backwards", "timestamp " + format_seconds(time_ns) + " is earlier than " +
                                            format_seconds(last_ns_) + " at line " + std::to_string(last_line_) +
                                            "; events must be in time order"};
}

// Headers, stack traces and the like are skipped; lost events are counted,
// since they explain unmatched frees; a replayed event that did not parse
// is bad input.
void FtraceTrace::note_other_line(std::string_view content) {
  if (content.starts_with("CPU:") && content.find("LOST") != std::string_view::npos) {
    std::string_view rest = content.substr(content.find("LOST") + 4);
    const auto lost = text::parse_unsigned(text::next_token(rest));
    note("lost events", line_number(), lost ? static_cast<unsigned long>(*lost) : 1);
    return;
  }
  const std::string_view event = page_event_named_in(content);
  if (event.empty()) return;
  throw BadLine{"malformed event", "expected \"TASK-PID [CPU] FLAGS SECONDS.FRACTION: " + std::string(event) +
                                       ": FIELDS\", found " + text::quoted(content)};
}

void FtraceTrace::note_ignored_event(std::string_view name) {
  kind_scratch_.assign("ignored event ");
  kind_scratch_.append(name);
  note(kind_scratch_, line_number());
}

}  // namespace buddysim::workload
