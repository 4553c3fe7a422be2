#include "sim/run/timed_runner.h"

#include <stdexcept>

#include "sim/run/hardware_report.h"
#include "sim/run/kernel_placement_of.h"

namespace buddysim::run {

using sc_core::sc_time;

namespace {

constexpr std::uint64_t STAT_INTERVAL_NS = 1'000'000'000;  // sysctl vm.stat_interval = 1 s
constexpr std::uint64_t NEVER = ~0ull;
using hw::PS_PER_NS;

}  // namespace

TimedRunner::TimedRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc, workload::OpSource &source,
                         record::Recorder &recorder)
    : scenario_(scenario),
      alloc_(alloc),
      source_(source),
      recorder_(recorder),
      applier_(scenario, alloc, recorder, !source.frees_name_blocks()),
      memory_(std::make_unique<hw::MemorySystem>(memory_config())),
      quantum_ps_(scenario.hardware.quantum_ps),
      next_tick_ns_(STAT_INTERVAL_NS),
      next_sample_ns_(scenario.record.interval_ns ? scenario.record.interval_ns : NEVER) {
  const hw::CoherenceTimingConfig &timing = memory_->config().coherence;
  // The lock word moves like any line: free on the same CPU, else a transfer.
  locks_ = std::make_unique<hw::LockTable>([this, timing](int from, int to) {
    if (from == to) return sc_core::SC_ZERO_TIME;
    const bool same = memory_->directory().socket_of(from) == memory_->directory().socket_of(to);
    return sc_time::from_value(same ? timing.same_socket_transfer_ps : timing.cross_socket_transfer_ps);  // 1 ps ticks
  });
  const hw::KernelPlacement placement = kernel_placement_of(alloc_);
  for (int c = 0; c < alloc_.nr_cpus(); ++c) {
    cpus_.push_back(std::make_unique<hw::Cpu>(("cpu" + std::to_string(c)).c_str(), c, cpu_config(), *memory_, *locks_,
                                              router_, placement));
    wake_.push_back(std::make_unique<sc_core::sc_event>());
  }
  queues_.resize(cpus_.size());
  if (TraceSink::wanted(scenario_)) {
    trace_ = std::make_unique<TraceSink>(scenario_, alloc_);
    for (auto &cpu : cpus_) cpu->set_lock_observer(trace_.get());
  }
  alloc_.set_hooks(&router_);
  alloc_.set_debug_checks(false);
}

TimedRunner::~TimedRunner() { alloc_.set_hooks(nullptr); }

hw::CpuConfig TimedRunner::cpu_config() const {
  hw::CpuConfig c;
  c.clock_mhz = scenario_.hardware.cpu_clock_mhz;
  c.quantum = sc_time(static_cast<double>(scenario_.hardware.quantum_ps), sc_core::SC_PS);
  c.exact = scenario_.hardware.exact;
  return c;
}

hw::MemorySystemConfig TimedRunner::memory_config() const {
  hw::MemorySystemConfig mc = scenario_.hardware.memory;
  mc.directory.cpu_socket.clear();
  for (int c = 0; c < alloc_.nr_cpus(); ++c) mc.directory.cpu_socket.push_back(alloc_.cpu_to_node(c));
  const int nodes = alloc_.nr_online_nodes();
  mc.interconnect.distance.assign(static_cast<std::size_t>(nodes), std::vector<int>(static_cast<std::size_t>(nodes)));
  for (int a = 0; a < nodes; ++a)
    for (int b = 0; b < nodes; ++b)
      mc.interconnect.distance[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = alloc_.node_distance(a, b);
  return mc;
}

std::uint64_t TimedRunner::now_ps() { return sc_core::sc_time_stamp().value(); }

// An idle CPU wakes at the item's time, so it starts in step with global
// time as if the item had been handed over then. Only the first item of an
// empty queue needs the wake-up: a CPU sleeps only on an empty queue, and
// one with items queued takes the next when it finishes.
void TimedRunner::enqueue(int cpu, Item item) {
  const std::uint64_t at = item.time_ns * PS_PER_NS, now = now_ps();
  auto &queue = queues_[static_cast<std::size_t>(cpu)];
  queue.push_back(std::move(item));
  ++inflight_;
  if (queue.size() == 1)
    wake_[static_cast<std::size_t>(cpu)]->notify(at > now ? sc_time::from_value(at - now) : sc_core::SC_ZERO_TIME);
}

void TimedRunner::await_completion() {
  awaiting_completion_ = true;
  sc_core::wait(completed_);
  awaiting_completion_ = false;
}

void TimedRunner::dispatch() {
  for (;;) {
    if (!next_op_) {
      next_op_ = source_.next();
      if (!next_op_) {
        if (!inflight_) break;
        await_completion();  // a free may still follow the outcome of an allocation in flight
        continue;
      }
      applier_.check_cpu(*next_op_);
    }
    std::uint64_t at_ns;
    const Due due = next_due(at_ns);
    // Operations and ticks go out one quantum-aligned window ahead; a sample
    // waits for its own time.
    const std::uint64_t at = at_ns * PS_PER_NS, now = now_ps();
    if (due == Due::Sample ? at > now : at >= window_end(now)) {
      sc_core::wait(sc_time::from_value((due == Due::Sample ? at : at - at % quantum_ps_) - now));
      continue;
    }
    switch (due) {
      case Due::Tick:
        for (int c = 0; c < alloc_.nr_cpus(); ++c) enqueue(c, Item{true, at_ns, {}});
        next_tick_ns_ += STAT_INTERVAL_NS;
        break;
      case Due::Sample:
        take_sample(next_sample_ns_);
        next_sample_ns_ += scenario_.record.interval_ns;
        break;
      case Due::Op:
        // Handed out up to a quantum before it runs: time for the host to
        // load the cold descriptor and cache state of a block allocated long
        // ago, and of its buddy, the first line a merge reads.
        if (next_op_->kind == workload::Op::Kind::Free) {
          alloc_.prefetch_free(next_op_->pfn);
          memory_->prefetch(next_op_->cpu, model::addr::page(next_op_->pfn));
          memory_->prefetch(next_op_->cpu, model::addr::page(next_op_->pfn ^ (model::Pfn{1} << next_op_->order)));
        }
        enqueue(next_op_->cpu, Item{false, at_ns, *next_op_});
        next_op_.reset();
        if (progress_ && (++dispatched_ & 0xffff) == 0) progress_(now / PS_PER_NS, recorder_.operations());
        break;
    }
  }
  dispatching_ = false;
  for (auto &w : wake_) w->notify(sc_core::SC_ZERO_TIME);
}

// vmstat ticks and samples due up to the next operation come first, in time
// order (a tick at a sample's time first, as in the functional runner).
TimedRunner::Due TimedRunner::next_due(std::uint64_t &at_ns) const {
  const std::uint64_t op = next_op_->time_ns;
  if (next_tick_ns_ <= op && next_tick_ns_ <= next_sample_ns_) {
    at_ns = next_tick_ns_;
    return Due::Tick;
  }
  if (next_sample_ns_ <= op) {
    at_ns = next_sample_ns_;
    return Due::Sample;
  }
  at_ns = op;
  return Due::Op;
}

// The first quantum boundary after `now_ps`: the end of the current window.
std::uint64_t TimedRunner::window_end(std::uint64_t now_ps) const {
  return now_ps - now_ps % quantum_ps_ + quantum_ps_;
}

void TimedRunner::take_sample(std::uint64_t time_ns) {
  while (inflight_) await_completion();
  if (scenario_.allocator.debug_checks) {
    const std::string problems = alloc_.check_invariants();
    if (!problems.empty())
      throw SimulationError("allocator invariant broken at the sample of " + std::to_string(time_ns) + " ns:\n" +
                            problems);
  }
  recorder_.sample(time_ns);
}

void TimedRunner::worker(int id) {
  hw::Cpu &cpu = *cpus_[static_cast<std::size_t>(id)];
  auto &queue = queues_[static_cast<std::size_t>(id)];
  for (;;) {
    while (queue.empty()) {
      if (!dispatching_) {
        cpu.sync();
        return;
      }
      cpu.wait_idle(*wake_[static_cast<std::size_t>(id)]);
    }
    // Starts at its time, or when the CPU finished its previous work.
    Item item = std::move(queue.front());
    queue.pop_front();
    cpu.start_at(item.time_ns * PS_PER_NS);
    const hw::Ps start = cpu.local_ps();
    if (item.vmstat) {
      cpu.execute([&] { alloc_.vmstat_update(id); });
      if (trace_) trace_->op(id, nullptr, nullptr, start, cpu.local_ps());
    } else {
      Applied applied;
      cpu.execute([&] { applied = applier_.apply(item.op); });
      if (trace_) trace_->op(id, &item.op, &applied, start, cpu.local_ps());
      const std::uint64_t done = (cpu.local_ps() + PS_PER_NS / 2) / PS_PER_NS;  // to the nearest ns
      end_ns_ = std::max(end_ns_, done);
      recorder_.on_complete(item.op, applied.res, applied.ok, done - std::min(done, item.op.time_ns));
      if (item.op.kind == workload::Op::Kind::Alloc) source_.completed(item.op, applied.ok, applied.res.pfn, done);
    }
    --inflight_;
    if (awaiting_completion_) completed_.notify(sc_core::SC_ZERO_TIME);
  }
}

template <typename Body>
void TimedRunner::guarded(Body &&body) {
  try {
    body();
  } catch (...) {
    // SystemC would turn the exception into a report of its own; keep it as thrown.
    if (!error_) error_ = std::current_exception();
    sc_core::sc_stop();
  }
}

std::uint64_t TimedRunner::run(const Progress &progress) {
  progress_ = progress;
  sc_core::sc_spawn([this] { guarded([this] { dispatch(); }); }, "dispatcher");
  for (int c = 0; c < alloc_.nr_cpus(); ++c)
    sc_core::sc_spawn([this, c] { guarded([this, c] { worker(c); }); }, ("worker" + std::to_string(c)).c_str());
  sc_core::sc_start();
  if (error_) std::rethrow_exception(error_);
  if (scenario_.allocator.debug_checks) {
    const std::string problems = alloc_.check_invariants();
    if (!problems.empty())
      throw SimulationError("allocator invariant broken at the end of the timed run:\n" + problems);
  }
  std::vector<const hw::Cpu *> cpus;
  for (const auto &c : cpus_) cpus.push_back(c.get());
  record::HardwareReport report = make_hardware_report(*memory_, *locks_, cpus, end_ns_);
  if (trace_) report.files = trace_->files();
  recorder_.finish(end_ns_, source_.class_names(), source_.issues(), &report);
  return end_ns_;
}

}  // namespace buddysim::run
