#include "sim/workload/trace_replay.h"

#include "sim/scenario/scenario_error.h"

namespace buddysim::workload {

TraceReplay::TraceReplay(const scenario::TraceSpec &spec, GfpClasses::Parser gfp_parser)
    : policy_(spec.policy), reader_(spec.path), classes_(gfp_parser) {}

std::optional<Op> TraceReplay::next() {
  std::string_view line;
  while (reader_.next(line)) {
    std::optional<Op> op;
    try {
      op = parse_line(line);
    } catch (const BadLine &bad) {
      reject(bad, reader_.where(reader_.line_number()));
      continue;
    }
    if (op) return op;
  }
  if (!finished_) {
    finished_ = true;
    finish();
  }
  return std::nullopt;
}

void TraceReplay::note(std::string_view kind, std::uint64_t line, unsigned long n) { count(kind, nullptr, line, n); }

void TraceReplay::reject(const BadLine &bad, const std::string &where) {
  switch (policy_) {
    case scenario::TraceSpec::Policy::Strict:
      throw scenario::ScenarioError(where, bad.message);
    case scenario::TraceSpec::Policy::Lenient:
      count(bad.kind, &where, 0, 1);
      return;
  }
}

// `where` is built only for the first occurrence of a kind: frequent issues
// (an ignored event on every other line) then cost one hash lookup.
void TraceReplay::count(std::string_view kind, const std::string *where, std::uint64_t line, unsigned long n) {
  if (const auto it = issue_index_.find(kind); it != issue_index_.end()) {
    issues_[it->second].count += n;
    return;
  }
  issue_index_.emplace(std::string(kind), issues_.size());
  issues_.push_back(Issue{std::string(kind), n, where != nullptr ? *where : reader_.where(line)});
}

}  // namespace buddysim::workload
