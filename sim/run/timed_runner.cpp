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
  hw::HooksSelector &selector = *this;
  for (int c = 0; c < alloc_.nr_cpus(); ++c) {
    cpus_.push_back(std::make_unique<hw::Cpu>(("cpu" + std::to_string(c)).c_str(), c, cpu_config(), *memory_, *locks_,
                                              selector, placement));
    cpus_.back()->set_block_observer(this);
    cpus_.back()->set_pending_work(&pending_ps_);
  }
  queues_.resize(cpus_.size());
  running_on_.assign(cpus_.size(), nullptr);
  if (TraceSink::wanted(scenario_)) {
    trace_ = std::make_unique<TraceSink>(scenario_, alloc_);
    for (auto &cpu : cpus_) cpu->set_lock_observer(trace_.get());
  }
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
  // One struct page per line; its records take 16 bytes per frame, as the
  // frame table takes 12, and host memory only where touched.
  static_assert(model::addr::STRUCT_PAGE_SIZE == hw::LINE_BYTES);
  mc.directory.dense_first = hw::line_of(model::addr::VMEMMAP_BASE);
  mc.directory.dense_lines = alloc_.frames().end_pfn();
  const int nodes = alloc_.nr_online_nodes();
  mc.interconnect.distance.assign(static_cast<std::size_t>(nodes), std::vector<int>(static_cast<std::size_t>(nodes)));
  for (int a = 0; a < nodes; ++a)
    for (int b = 0; b < nodes; ++b)
      mc.interconnect.distance[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = alloc_.node_distance(a, b);
  return mc;
}

std::uint64_t TimedRunner::now_ps() const { return clock_.now_ps(); }

void TimedRunner::await_completion() {
  awaiting_completion_ = true;
  sc_core::wait(completed_);
  awaiting_completion_ = false;
}

// A pooled thread: dispatches while it holds the dispatch; otherwise it has
// just finished the work it blocked on, and sleeps until it is needed.
void TimedRunner::runner_body(Runner &self) {
  while (!finished_) {
    if (dispatcher_ == &self) {
      dispatch(self);
    } else {
      idle_.push_back(&self);
      sc_core::wait(self.wake);
    }
  }
}

TimedRunner::Runner &TimedRunner::idle_runner() {
  if (!idle_.empty()) {
    Runner *r = idle_.back();
    idle_.pop_back();
    r->wake.notify();
    return *r;
  }
  runners_.push_back(std::make_unique<Runner>());
  Runner &r = *runners_.back();
  sc_core::sc_spawn([this, &r] { guarded([this, &r] { runner_body(r); }); },
                    ("runner" + std::to_string(runners_.size() - 1)).c_str());
  return r;
}

// If the blocking thread is the dispatcher, an idle thread takes the
// dispatch over meanwhile.
void TimedRunner::blocking(int cpu) {
  Runner *on = running_on_[static_cast<std::size_t>(cpu)];
  if (on == nullptr || on != dispatcher_) return;
  pending_ps_ = NEVER_PS;
  dispatcher_ = &idle_runner();
}

// Runs on the dispatching thread until the workload ends, or until the
// dispatch passes to another thread while this one is blocked.
void TimedRunner::dispatch(Runner &self) {
  while (dispatcher_ == &self) {
    if (!next_op_ && !pull()) {
      if (!inflight_) {
        finished_ = true;
        for (Runner *r : idle_) r->wake.notify(sc_core::SC_ZERO_TIME);
        return;
      }
      await_completion();  // a free may still follow the outcome of an allocation in flight
      continue;
    }
    std::uint64_t at_ns;
    const Due due = next_due(at_ns);
    // While a CPU is blocked, the work queued behind it is due but invisible
    // to SystemC: hand out nothing ahead of global time, so that its thread
    // runs whatever it has queued in step, as idle CPUs do.
    if (busy_cpus_ > 0 && at_ns * PS_PER_NS > now_ps()) {
      sc_core::wait(sc_time::from_value(at_ns * PS_PER_NS - now_ps()));
      continue;
    }
    switch (due) {
      case Due::Tick: {
        // One CPU per pass: the dispatch may pass to another thread in submit().
        const int cpu = tick_cpu_;
        if (++tick_cpu_ == alloc_.nr_cpus()) {
          tick_cpu_ = 0;
          next_tick_ns_ += STAT_INTERVAL_NS;
        }
        submit(self, cpu, Item{true, at_ns, {}});
        break;
      }
      case Due::Sample:
        if (at_ns * PS_PER_NS > now_ps()) {
          sc_core::wait(sc_time::from_value(at_ns * PS_PER_NS - now_ps()));
          continue;
        }
        take_sample(next_sample_ns_);
        next_sample_ns_ += scenario_.record.interval_ns;
        break;
      case Due::Op: {
        const workload::Op op = *next_op_;
        next_op_.reset();
        if (progress_ && (++dispatched_ & 0xffff) == 0) progress_(at_ns, recorder_.operations());
        submit(self, op.cpu, Item{false, at_ns, op});
        break;
      }
    }
  }
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

// Takes the workload's next operation, if any, into next_op_.
bool TimedRunner::pull() {
  next_op_ = source_.next();
  if (!next_op_) return false;
  applier_.check_cpu(*next_op_);
  // A free's descriptor and cache state, and its buddy's (the first line a
  // merge reads), were last touched long ago: start loading them into the
  // host's caches while the operation before it runs.
  if (next_op_->kind == workload::Op::Kind::Free) {
    alloc_.prefetch_free(next_op_->pfn);
    memory_->prefetch(next_op_->cpu, model::addr::page(next_op_->pfn));
    memory_->prefetch(next_op_->cpu, model::addr::page(next_op_->pfn ^ (model::Pfn{1} << next_op_->order)));
  }
  return true;
}

// When the dispatcher acts next, in picoseconds: the next operation (taken
// from the workload now if need be), tick or sample.
std::uint64_t TimedRunner::next_due_ps() {
  if (!next_op_ && !pull()) return std::min(next_tick_ns_, next_sample_ns_) * PS_PER_NS;
  std::uint64_t at_ns;
  next_due(at_ns);
  return at_ns * PS_PER_NS;
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

// A busy CPU takes the item when it has finished; an idle one runs it here.
void TimedRunner::submit(Runner &self, int cpu, Item item) {
  ++inflight_;
  if (running_on_[static_cast<std::size_t>(cpu)] != nullptr) {
    queues_[static_cast<std::size_t>(cpu)].push_back(std::move(item));
    return;
  }
  run_cpu(self, cpu, std::move(item));
}

// Runs the item, then whatever was queued for the CPU meanwhile, on this
// thread.
void TimedRunner::run_cpu(Runner &self, int cpu, Item item) {
  const auto c = static_cast<std::size_t>(cpu);
  // The dispatch stays here while the CPU waits for the item's start, if it
  // must: nothing else is due to be dispatched before it.
  cpus_[c]->start_at(item.time_ns * PS_PER_NS);
  running_on_[c] = &self;
  ++busy_cpus_;
  for (;;) {
    if (dispatcher_ == &self) pending_ps_ = next_due_ps();
    run_item(cpu, item);
    pending_ps_ = NEVER_PS;
    --inflight_;
    if (queues_[c].empty()) break;
    item = std::move(queues_[c].front());
    queues_[c].pop_front();
    cpus_[c]->start_at(item.time_ns * PS_PER_NS);
  }
  running_on_[c] = nullptr;
  --busy_cpus_;
  if (awaiting_completion_) completed_.notify(sc_core::SC_ZERO_TIME);
}

void TimedRunner::run_item(int id, Item &item) {
  hw::Cpu &cpu = *cpus_[static_cast<std::size_t>(id)];
  const hw::Ps start = cpu.local_ps();
  if (item.vmstat) {
    cpu.execute([&] { alloc_.vmstat_update(id); });
    if (trace_) trace_->op(id, nullptr, nullptr, start, cpu.local_ps());
    return;
  }
  Applied applied;
  cpu.execute([&] { applied = applier_.apply(item.op); });
  if (trace_) trace_->op(id, &item.op, &applied, start, cpu.local_ps());
  const std::uint64_t done = (cpu.local_ps() + PS_PER_NS / 2) / PS_PER_NS;  // to the nearest ns
  end_ns_ = std::max(end_ns_, done);
  recorder_.on_complete(item.op, applied.res, applied.ok, done - std::min(done, item.op.time_ns));
  if (item.op.kind == workload::Op::Kind::Alloc) source_.completed(item.op, applied.ok, applied.res.pfn, done);
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
  runners_.push_back(std::make_unique<Runner>());
  dispatcher_ = runners_.back().get();
  sc_core::sc_spawn([this] { guarded([this] { runner_body(*runners_.front()); }); }, "runner0");
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
