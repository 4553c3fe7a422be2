// Functional mode: operations are applied to the allocator in timestamp
// order, with the kernel's once-a-second vmstat work on every CPU and
// recording at the scenario's interval. The hardware model will add time
// underneath without changing this interface.
#pragma once

#include <cstdint>

#include "model/page_alloc.h"
#include "sim/record/recorder.h"
#include "sim/run/op_applier.h"
#include "sim/run/progress.h"
#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::run {

class FunctionalRunner {
 public:
  FunctionalRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc, workload::OpSource &source,
                   record::Recorder &recorder);
  // Runs the workload to its end; returns the simulated end time in ns.
  std::uint64_t run(const Progress &progress = {});

 private:
  void advance_to(std::uint64_t time_ns);

  const scenario::Scenario &scenario_;
  model::PageAllocator &alloc_;
  workload::OpSource &source_;
  record::Recorder &recorder_;
  OpApplier applier_;
  std::uint64_t next_tick_ns_;
  std::uint64_t next_sample_ns_;
};

}  // namespace buddysim::run
