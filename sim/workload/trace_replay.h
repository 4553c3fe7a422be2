// What both trace formats share: reading line by line, the strict/lenient
// policy for bad lines, the issue counts and the GFP classes. A format only
// turns one line into at most one Op (parse_line).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/workload/gfp_classes.h"
#include "sim/workload/line_reader.h"
#include "sim/workload/op_source.h"

namespace buddysim::workload {

// Thrown by parse_line for a line that is bad input; the policy decides
// whether it stops the run or is counted and skipped.
struct BadLine {
  std::string kind;     // Issue::kind, e.g. "unknown op"
  std::string message;  // what was expected and what was found
};

class TraceReplay : public OpSource {
 public:
  std::optional<Op> next() final;
  // A trace does not react to outcomes: when the simulation fails an Alloc
  // the traced kernel served, the trace's later Free of that tag is still
  // handed out, and the runner (which maps tags to pfns) skips it.
  void completed(const Op &, bool, model::Pfn, std::uint64_t) final {}
  std::vector<std::string> class_names() const final { return classes_.names(); }
  std::vector<Issue> issues() const final { return issues_; }

 protected:
  TraceReplay(const scenario::TraceSpec &spec, GfpClasses::Parser gfp_parser);

  // The Op for one line, or nullopt for a line that yields none (comment,
  // ignored event, skipped free). Throws BadLine for bad input.
  virtual std::optional<Op> parse_line(std::string_view line) = 0;
  // Called once, at the end of the file.
  virtual void finish() {}

  // Counts `n` occurrences of an issue that is not an error.
  void note(std::string_view kind, std::uint64_t line, unsigned long n = 1);
  // Strict: throws ScenarioError(where, message). Lenient: counts the issue.
  void reject(const BadLine &bad, const std::string &where);

  std::uint64_t line_number() const { return reader_.line_number(); }
  const std::string &file() const { return reader_.file(); }
  GfpClasses &classes() { return classes_; }

 private:
  struct KindHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  void count(std::string_view kind, const std::string *where, std::uint64_t line, unsigned long n);

  scenario::TraceSpec::Policy policy_;
  LineReader reader_;
  GfpClasses classes_;
  std::vector<Issue> issues_;  // in first-seen order
  std::unordered_map<std::string, std::size_t, KindHash, std::equal_to<>> issue_index_;
  bool finished_ = false;
};

}  // namespace buddysim::workload
