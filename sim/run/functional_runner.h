// Functional mode: operations are applied to the allocator in timestamp
// order, with the kernel's once-a-second vmstat work on every CPU and
// recording at the scenario's interval. The hardware model will add time
// underneath without changing this interface.
#pragma once

#include <cstdint>
#include <functional>
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

class FunctionalRunner {
 public:
  using Progress = std::function<void(std::uint64_t simulated_ns, unsigned long operations)>;

  FunctionalRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc, workload::OpSource &source,
                   record::Recorder &recorder);
  // Runs the workload to its end; returns the simulated end time in ns.
  std::uint64_t run(const Progress &progress = {});

 private:
  struct LiveBlock {
    model::Pfn pfn;
    unsigned order;
  };
  void advance_to(std::uint64_t time_ns);
  void apply(workload::Op &op);
  std::string where(const workload::Op &op) const;

  const scenario::Scenario &scenario_;
  model::PageAllocator &alloc_;
  workload::OpSource &source_;
  record::Recorder &recorder_;
  std::unordered_map<std::uint64_t, LiveBlock> live_;  // by tag; lookups only, never iterated
  std::uint64_t next_tick_ns_;
  std::uint64_t next_sample_ns_;
};

}  // namespace buddysim::run
