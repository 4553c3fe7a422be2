// A workload is a source of timestamped operations across all CPUs, in time
// order. The runner applies each operation to the allocator and reports the
// outcome back, so closed-loop generators (live-set targets, fill until
// failure, fragment what was filled) can react.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/alloc_types.h"
#include "model/gfp.h"
#include "model/types.h"

namespace buddysim::workload {

struct Op {
  enum class Kind : std::uint8_t { Alloc, Free };
  std::uint64_t time_ns = 0;
  int cpu = 0;
  Kind kind = Kind::Alloc;
  unsigned order = 0;
  model::gfp_t gfp = 0;
  std::uint64_t tag = 0;            // an Alloc defines it; a Free releases the block allocated under it
  std::uint32_t cls = 0;            // allocation class (index into OpSource::class_names())
  std::uint64_t line = 0;           // trace line number, 0 for generated operations
  model::Pfn pfn = model::NO_PAGE;  // a Free's block, from a source whose frees_name_blocks()
  std::uint32_t handle = 0;         // the source's own reference to an Alloc's block, for completed()
};

class OpSource {
 public:
  virtual ~OpSource() = default;
  // The next operation (non-decreasing time_ns; ties in a deterministic
  // order; the one exception is a generator's free that fell due before its
  // allocation completed, which comes at the completion time (or its own,
  // if later) and may be earlier than an operation already returned), or
  // nullopt when nothing more is due: a runner with allocations still in
  // flight asks again once their outcomes are reported, since a deferred
  // free may follow. May throw
  // scenario::ScenarioError for bad trace input under the strict policy.
  virtual std::optional<Op> next() = 0;
  // The outcome of an Alloc returned by next(): ok, the pfn it got, and the
  // simulated time it completed (op.time_ns in functional mode; later when a
  // timing model makes the allocation take time).
  virtual void completed(const Op &op, bool ok, model::Pfn pfn, std::uint64_t done_ns) = 0;
  // True when every Free carries its block (Op::pfn and Op::order), as the
  // source learnt it through completed(): the runner then needs no table of
  // its own from tags to blocks.
  virtual bool frees_name_blocks() const { return false; }
  // Names for Op::cls, in index order (gfp classes of a generator, or the
  // distinct GFP masks of a trace as ftrace prints them).
  virtual std::vector<std::string> class_names() const = 0;
  // Input problems skipped under the lenient policy or that are not errors
  // (a free of a page allocated before the trace began), for the summary.
  struct Issue {
    std::string kind;  // e.g. "unmatched free", "unknown op"
    unsigned long count = 0;
    std::string first_where;  // file:line of the first occurrence
  };
  virtual std::vector<Issue> issues() const { return {}; }
};

}  // namespace buddysim::workload
