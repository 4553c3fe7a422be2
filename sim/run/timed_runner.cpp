#include "sim/run/timed_runner.h"

#include <stdexcept>

namespace buddysim::run {

using sc_core::sc_time;

namespace {

constexpr std::uint64_t STAT_INTERVAL_NS = 1'000'000'000;  // sysctl vm.stat_interval = 1 s

sc_time ns(std::uint64_t n) { return sc_time(static_cast<double>(n), sc_core::SC_NS); }

}  // namespace

TimedRunner::TimedRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc, workload::OpSource &source,
                         record::Recorder &recorder, const hw::CpuConfig &cpu_config)
    : scenario_(scenario),
      alloc_(alloc),
      source_(source),
      recorder_(recorder),
      applier_(scenario, alloc, recorder),
      memory_(std::make_unique<hw::MemorySystem>(memory_config())) {
  const hw::CoherenceTimingConfig timing;
  // The lock word moves like any line: free on the same CPU, else a transfer.
  locks_ = std::make_unique<hw::LockTable>([this, timing](int from, int to) {
    if (from == to) return sc_time(0, sc_core::SC_PS);
    const bool same = memory_->directory().socket_of(from) == memory_->directory().socket_of(to);
    return sc_time(static_cast<double>(same ? timing.same_socket_transfer_ps : timing.cross_socket_transfer_ps),
                   sc_core::SC_PS);
  });
  for (int c = 0; c < alloc_.nr_cpus(); ++c) {
    cpus_.push_back(std::make_unique<hw::Cpu>(("cpu" + std::to_string(c)).c_str(), c, cpu_config, *memory_, *locks_,
                                              router_, [this](model::SimAddr a) { return place(a); },
                                              [this](std::uint64_t pfn) { return place_pfn(pfn); }));
    wake_.push_back(std::make_unique<sc_core::sc_event>());
  }
  queues_.resize(cpus_.size());
  alloc_.set_hooks(&router_);
  alloc_.set_debug_checks(false);
}

TimedRunner::~TimedRunner() { alloc_.set_hooks(nullptr); }

hw::MemorySystemConfig TimedRunner::memory_config() const {
  hw::MemorySystemConfig mc;
  for (int c = 0; c < alloc_.nr_cpus(); ++c) mc.directory.cpu_socket.push_back(alloc_.cpu_to_node(c));
  const int nodes = alloc_.nr_online_nodes();
  mc.interconnect.distance.assign(static_cast<std::size_t>(nodes), std::vector<int>(static_cast<std::size_t>(nodes)));
  for (int a = 0; a < nodes; ++a)
    for (int b = 0; b < nodes; ++b)
      mc.interconnect.distance[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)] = alloc_.node_distance(a, b);
  return mc;
}

// A page's data and its struct page live on the page's node; node-relative
// physical addresses keep DRAM rows and banks realistic.
hw::Placement TimedRunner::place_pfn(model::Pfn pfn) const {
  const model::Zone *z = alloc_.pfn_zone(pfn);
  const int node = z ? z->node : 0;
  return {node, (pfn - alloc_.nodes()[static_cast<std::size_t>(node)].node_start_pfn) << model::PAGE_SHIFT};
}

hw::Placement TimedRunner::place(model::SimAddr a) const {
  namespace addr = model::addr;
  if (a >= addr::VMEMMAP_BASE) {
    const model::Pfn pfn = (a - addr::VMEMMAP_BASE) / addr::STRUCT_PAGE_SIZE;
    return {place_pfn(pfn).node, a - addr::VMEMMAP_BASE};
  }
  if (a >= addr::PCP_BASE) {  // per-cpu areas sit on the CPU's node
    const auto cpu = static_cast<int>((a - addr::PCP_BASE) / addr::PCP_CPU_STRIDE);
    return {alloc_.cpu_to_node(cpu), a - addr::PCP_BASE};
  }
  const auto node = static_cast<int>((a - addr::ZONE_BASE) / addr::ZONE_STRIDE / model::MAX_NR_ZONES);  // pgdat
  return {node, a - addr::ZONE_BASE};
}

std::uint64_t TimedRunner::now_ns() const {
  return static_cast<std::uint64_t>(sc_core::sc_time_stamp().to_seconds() * 1e9 + 0.5);
}

void TimedRunner::enqueue(int cpu, Item item) {
  queues_[static_cast<std::size_t>(cpu)].push_back(std::move(item));
  ++inflight_;
  wake_[static_cast<std::size_t>(cpu)]->notify(sc_core::SC_ZERO_TIME);
}

void TimedRunner::dispatch() {
  std::uint64_t next_tick = STAT_INTERVAL_NS;
  for (;;) {
    std::optional<workload::Op> op = source_.next();
    if (!op) {
      // A free may still follow the outcome of an allocation in flight.
      if (inflight_) {
        sc_core::wait(completed_);
        continue;
      }
      break;
    }
    const std::uint64_t now = now_ns();
    if (op->time_ns > now) sc_core::wait(ns(op->time_ns - now));
    for (; next_tick <= now_ns(); next_tick += STAT_INTERVAL_NS)
      for (int c = 0; c < alloc_.nr_cpus(); ++c) enqueue(c, Item{true, {}});
    enqueue(op->cpu, Item{false, *op});
  }
  dispatching_ = false;
  for (auto &w : wake_) w->notify(sc_core::SC_ZERO_TIME);
}

void TimedRunner::worker(int id) {
  hw::Cpu &cpu = *cpus_[static_cast<std::size_t>(id)];
  auto &queue = queues_[static_cast<std::size_t>(id)];
  for (;;) {
    while (queue.empty()) {
      if (!dispatching_) return;
      sc_core::wait(*wake_[static_cast<std::size_t>(id)]);
    }
    Item item = std::move(queue.front());
    queue.pop_front();
    cpu.sync();  // start no earlier than now, the time it was handed over or the CPU became free
    if (item.vmstat) {
      cpu.execute([&] { alloc_.vmstat_update(id); });
    } else {
      model::AllocResult res;
      cpu.execute([&] { res = applier_.apply(item.op); });
      const auto done = static_cast<std::uint64_t>(cpu.local_time().to_seconds() * 1e9 + 0.5);
      end_ns_ = std::max(end_ns_, done);
      recorder_.on_latency(item.op, res, done - std::min(done, item.op.time_ns));
      if (item.op.kind == workload::Op::Kind::Alloc) source_.completed(item.op, res.ok(), res.pfn, done);
    }
    cpu.sync();
    --inflight_;
    completed_.notify(sc_core::SC_ZERO_TIME);
  }
}

std::uint64_t TimedRunner::run() {
  sc_core::sc_spawn([this] { dispatch(); }, "dispatcher");
  for (int c = 0; c < alloc_.nr_cpus(); ++c)
    sc_core::sc_spawn([this, c] { worker(c); }, ("worker" + std::to_string(c)).c_str());
  sc_core::sc_start();
  if (scenario_.allocator.debug_checks) {
    const std::string problems = alloc_.check_invariants();
    if (!problems.empty())
      throw SimulationError("allocator invariant broken at the end of the timed run:\n" + problems);
  }
  recorder_.finish(end_ns_, source_.class_names(), source_.issues());
  return end_ns_;
}

}  // namespace buddysim::run
