// Applies one workload operation to the allocator and records it: the part
// of a run that is the same with and without the hardware model.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "model/page_alloc.h"
#include "sim/record/recorder.h"
#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::run {

// A failure of the simulation itself (an allocator invariant, a refused
// free the workload should not have produced): exit code 1.
class SimulationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What one operation did: the allocation's result, or for a free the block
// it released (pfn, node, zone). ok: the allocation succeeded or the free
// was applied (not skipped).
struct Applied {
  model::AllocResult res;
  bool ok = false;
};

class OpApplier {
 public:
  // track_blocks: remember each allocation's block by tag, for a source
  // whose frees do not name their blocks (OpSource::frees_name_blocks).
  OpApplier(const scenario::Scenario &scenario, model::PageAllocator &alloc, record::Recorder &recorder,
            bool track_blocks);

  // Allocates or frees; a free's order is filled in from its allocation.
  // Throws ScenarioError for a CPU the machine lacks, SimulationError for a
  // free the allocator refuses.
  Applied apply(workload::Op &op);
  // The CPU check apply() makes, for a runner that routes by CPU first.
  void check_cpu(const workload::Op &op) const;

 private:
  struct LiveBlock {
    model::Pfn pfn;
    unsigned order;
  };
  std::string where(const workload::Op &op) const;

  const scenario::Scenario &scenario_;
  model::PageAllocator &alloc_;
  record::Recorder &recorder_;
  bool track_blocks_;
  std::unordered_map<std::uint64_t, LiveBlock> live_;  // by tag; lookups only, never iterated
};

}  // namespace buddysim::run
