// Timed mode: the workload runs on the hardware model. The real allocator
// runs through one Cpu module per simulated CPU, so locks, cache-line
// transfers and DRAM accesses cost simulated time, and an operation may
// start later than its timestamp when its CPU is still busy. vmstat_update
// runs on each CPU once per simulated second.
//
// Threads: operations are not bound to a SystemC thread per CPU (a thread
// switch costs more than a pcp allocation). One pooled thread at a time
// holds the dispatch: it takes the workload's operations in time order and
// runs each on its idle CPU itself, so an operation that never blocks costs
// no switch. An operation starts in step with global time, as if its CPU
// had been woken at its timestamp: the dispatcher waits for that time when
// another process is due before it (Cpu::start_at), and while an operation
// runs, the Cpu counts the dispatcher's next one as a process due at its
// time (Cpu::set_pending_work), so it never runs past it unsynchronised.
// When an operation must block mid-way (to synchronise, or for a lock), the
// dispatch first passes to an idle pooled thread, which carries on with
// later operations; the blocked thread finishes its operation, then those
// handed to its CPU meanwhile (a busy CPU starts its next operation when it
// has finished), and rejoins the pool. Work queued behind a blocked CPU is
// due but invisible to SystemC, so while any CPU is busy the dispatcher
// hands out nothing ahead of global time. Locks are granted in
// simulated-time order: what a CPU may do ahead of global time is the Cpu's
// rule. The workload learns each outcome as the operation completes (it is
// asked for the next operation before, to publish its time); a free that
// falls due before its allocation has completed comes after it
// (OpSource::next).
//
// Consistency: a CPU may block in the middle of an operation, so the
// allocator's state is only known consistent when no operation is in
// flight. A record.interval sample is therefore taken at the first moment at
// or after its time when every CPU has finished what was handed to it: the
// dispatcher stops at the sample time, waits for the CPUs to drain, samples
// (and checks invariants when debug_checks is on), then goes on. Operations
// due during the drain start that much later, which their latency shows; a
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
#include "sim/hw/sim_clock.h"
#include "sim/record/recorder.h"
#include "sim/run/op_applier.h"
#include "sim/run/progress.h"
#include "sim/run/trace_sink.h"
#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::run {

class TimedRunner final : private hw::BlockObserver, private hw::HooksSelector {
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
  // A pooled SystemC thread: it dispatches while it holds the dispatch, else
  // finishes the work of the CPU it blocked on, else sleeps until woken.
  struct Runner {
    sc_core::sc_event wake;
  };
  static constexpr hw::Ps NEVER_PS = ~hw::Ps{0};

  hw::MemorySystemConfig memory_config() const;
  hw::CpuConfig cpu_config() const;
  void runner_body(Runner &self);
  void dispatch(Runner &self);
  bool pull();
  Due next_due(std::uint64_t &at_ns) const;
  std::uint64_t next_due_ps();
  void take_sample(std::uint64_t time_ns);
  void submit(Runner &self, int cpu, Item item);
  void run_cpu(Runner &self, int cpu, Item item);
  void run_item(int cpu, Item &item);
  // The thread running the CPU's work is about to block (BlockObserver).
  void blocking(int cpu) override;
  // The CPU whose work runs now takes the allocator's hooks (HooksSelector).
  void select(model::Hooks &cpu) override { alloc_.set_hooks(&cpu); }
  Runner &idle_runner();
  // Sleeps until a CPU finishes its work (threads notify only when asked).
  void await_completion();
  // Runs a thread body; an exception stops the simulation and is rethrown by run().
  template <typename Body>
  void guarded(Body &&body);
  std::uint64_t now_ps() const;

  const scenario::Scenario &scenario_;
  model::PageAllocator &alloc_;
  workload::OpSource &source_;
  record::Recorder &recorder_;
  OpApplier applier_;
  std::unique_ptr<hw::MemorySystem> memory_;
  std::unique_ptr<hw::LockTable> locks_;
  std::vector<std::unique_ptr<hw::Cpu>> cpus_;
  std::vector<std::deque<Item>> queues_;  // handed to a busy CPU, not yet started
  std::vector<Runner *> running_on_;      // per CPU: the thread running its work, or nullptr when idle
  std::vector<std::unique_ptr<Runner>> runners_;
  std::vector<Runner *> idle_;  // pooled threads with nothing to do
  Runner *dispatcher_ = nullptr;
  int busy_cpus_ = 0;  // CPUs with work in flight
  hw::Ps pending_ps_ = NEVER_PS;  // the dispatcher's next operation while it runs one inline (Cpu::set_pending_work)
  sc_core::sc_event completed_;
  hw::SimClock clock_;
  Progress progress_;
  std::exception_ptr error_;
  std::unique_ptr<TraceSink> trace_;  // when the scenario asks for record.trace or record.vcd
  std::optional<workload::Op> next_op_;  // pulled from the source, not yet handed out
  unsigned long inflight_ = 0;           // operations and ticks handed out and not yet finished
  unsigned long dispatched_ = 0;
  int tick_cpu_ = 0;  // the next CPU to hand the due vmstat tick to
  bool finished_ = false;
  bool awaiting_completion_ = false;
  std::uint64_t next_tick_ns_;
  std::uint64_t next_sample_ns_;
  std::uint64_t end_ns_ = 0;
};

}  // namespace buddysim::run
