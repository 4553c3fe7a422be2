// Timed mode: the workload runs on the hardware model. Every CPU is a
// SystemC thread that runs the real allocator through the Cpu module, so
// locks, cache-line transfers and DRAM accesses cost simulated time, and an
// operation may start later than its timestamp when its CPU is still busy.
// vmstat_update runs on each CPU's own thread once per simulated second.
//
// Dispatch: a dispatcher thread hands operations to their CPUs' queues one
// quantum-aligned window at a time (the CPUs' quantum), waking once per
// window that has work rather than once per operation. An item starts as it
// would have if handed over at its timestamp: a CPU that is idle then starts
// it at that time in step with global time (it is woken then, or, if it
// finished its previous item early, synchronises then unless nothing else
// is due before it: Cpu::start_at), and a busy CPU
// starts it when it has finished. Starting in step keeps the skew between
// CPUs' requests to shared DRAM banks within one operation rather than a
// quantum: banks serve requests in arrival order. Locks are still granted in simulated-time
// order (the Cpu synchronises before a shared lock). What changes is when
// the workload is asked for operations: at the start of the window that
// holds them (up to one quantum early) rather than when the previous
// operation was handed out, so it learns allocation outcomes at most a
// quantum late; a free that falls due before its allocation has completed
// comes after it (OpSource::next).
//
// Consistency: a CPU may yield in the middle of an operation (at a lock, or
// when its quantum is used up), so the allocator's state is only known
// consistent when no operation is in flight. A record.interval sample is
// therefore taken at the first moment at or after its time when every CPU
// has finished what was handed to it: the dispatcher stops handing out
// operations at the sample time, waits for the CPUs to drain, samples (and
// checks invariants when debug_checks is on), then goes on. Operations due
// during the drain start that much later, which their latency shows; a
// drain takes about as long as the longest operation in flight.
#pragma once

#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <systemc>
#include <vector>

#include "model/page_alloc.h"
#include "sim/hw/cpu/cpu.h"
#include "sim/record/recorder.h"
#include "sim/run/op_applier.h"
#include "sim/run/progress.h"
#include "sim/run/trace_sink.h"
#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::run {

class TimedRunner {
 public:
  // Builds the machine's hardware model from scenario.machine and
  // scenario.hardware. One TimedRunner per process: SystemC elaborates once.
  TimedRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc, workload::OpSource &source,
              record::Recorder &recorder);
  ~TimedRunner();

  // Runs the workload to its end; returns the simulated end time in ns.
  std::uint64_t run(const Progress &progress = {});

  const hw::MemorySystem &memory() const { return *memory_; }
  const hw::LockTable &locks() const { return *locks_; }
  const hw::Cpu &cpu(int id) const { return *cpus_[static_cast<std::size_t>(id)]; }

 private:
  struct Item {
    bool vmstat = false;        // run vmstat_update instead of an operation
    std::uint64_t time_ns = 0;  // start no earlier than this
    workload::Op op;
  };
  enum class Due { Tick, Sample, Op };

  hw::MemorySystemConfig memory_config() const;
  hw::CpuConfig cpu_config() const;
  void dispatch();
  Due next_due(std::uint64_t &at_ns) const;
  std::uint64_t window_end(std::uint64_t now_ps) const;
  void take_sample(std::uint64_t time_ns);
  void enqueue(int cpu, Item item);
  // Sleeps until a CPU finishes an item (workers notify only when asked).
  void await_completion();
  // Runs a thread body; an exception stops the simulation and is rethrown by run().
  template <typename Body>
  void guarded(Body &&body);
  void worker(int cpu);
  static std::uint64_t now_ps();

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
  Progress progress_;
  std::exception_ptr error_;
  std::unique_ptr<TraceSink> trace_;  // when the scenario asks for record.trace or record.vcd
  std::optional<workload::Op> next_op_;  // pulled from the source, not yet handed out
  std::uint64_t quantum_ps_;             // the dispatch window
  unsigned long inflight_ = 0;           // operations dispatched and not yet finished
  unsigned long dispatched_ = 0;
  bool dispatching_ = true;
  bool awaiting_completion_ = false;
  std::uint64_t next_tick_ns_;
  std::uint64_t next_sample_ns_;
  std::uint64_t end_ns_ = 0;
};

}  // namespace buddysim::run
