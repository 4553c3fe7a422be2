// Timed mode: the workload runs on the hardware model. A dispatcher thread
// hands each operation, at its timestamp, to its CPU's queue; every CPU is a
// SystemC thread that runs the real allocator through the Cpu module, so
// locks, cache-line transfers and DRAM accesses cost simulated time, and an
// operation may start later than its timestamp when its CPU is still busy.
// vmstat_update runs on each CPU's own thread once per simulated second.
//
// Consistency: a CPU yields only inside lock operations, and may be
// suspended mid-operation (in the synchronisation before an unlock), so the
// allocator's state is only known consistent when every CPU is idle: the
// runner records /proc output and checks invariants at the end, not at
// record.interval (that needs the kernel's own answer: readers holding the
// zone lock).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <systemc>
#include <vector>

#include "model/page_alloc.h"
#include "sim/hw/cpu/cpu.h"
#include "sim/record/recorder.h"
#include "sim/run/op_applier.h"
#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::run {

class TimedRunner {
 public:
  // Builds the machine's hardware model. One TimedRunner per process:
  // SystemC elaborates once.
  TimedRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc, workload::OpSource &source,
              record::Recorder &recorder, const hw::CpuConfig &cpu_config = {});
  ~TimedRunner();

  // Runs the workload to its end; returns the simulated end time in ns.
  std::uint64_t run();

  const hw::MemorySystem &memory() const { return *memory_; }
  const hw::LockTable &locks() const { return *locks_; }
  const hw::Cpu &cpu(int id) const { return *cpus_[static_cast<std::size_t>(id)]; }

 private:
  struct Item {
    bool vmstat = false;  // run vmstat_update instead of an operation
    workload::Op op;
  };

  hw::MemorySystemConfig memory_config() const;
  hw::Placement place_pfn(model::Pfn pfn) const;
  hw::Placement place(model::SimAddr addr) const;
  void dispatch();
  void enqueue(int cpu, Item item);
  void worker(int cpu);
  std::uint64_t now_ns() const;

  const scenario::Scenario &scenario_;
  model::PageAllocator &alloc_;
  workload::OpSource &source_;
  record::Recorder &recorder_;
  OpApplier applier_;
  std::unique_ptr<hw::MemorySystem> memory_;
  std::unique_ptr<hw::LockTable> locks_;
  hw::HooksRouter router_;
  std::vector<std::unique_ptr<hw::Cpu>> cpus_;
  std::vector<std::deque<Item>> queues_;
  std::vector<std::unique_ptr<sc_core::sc_event>> wake_;
  sc_core::sc_event completed_;
  unsigned long inflight_ = 0;  // operations dispatched and not yet finished
  bool dispatching_ = true;
  std::uint64_t end_ns_ = 0;
};

}  // namespace buddysim::run
