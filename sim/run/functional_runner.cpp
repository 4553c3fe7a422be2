#include "sim/run/functional_runner.h"

#include "sim/scenario/scenario_error.h"

namespace buddysim::run {

namespace {
constexpr std::uint64_t STAT_INTERVAL_NS = 1'000'000'000;  // sysctl vm.stat_interval = 1 s
constexpr std::uint64_t NEVER = ~0ull;
}  // namespace

FunctionalRunner::FunctionalRunner(const scenario::Scenario &scenario, model::PageAllocator &alloc,
                                   workload::OpSource &source, record::Recorder &recorder)
    : scenario_(scenario),
      alloc_(alloc),
      source_(source),
      recorder_(recorder),
      next_tick_ns_(STAT_INTERVAL_NS),
      next_sample_ns_(scenario.record.interval_ns ? scenario.record.interval_ns : NEVER) {}

std::uint64_t FunctionalRunner::run(const Progress &progress) {
  std::uint64_t now = 0;
  while (auto op = source_.next()) {
    now = op->time_ns;
    advance_to(now);
    apply(*op);
    if (progress && (recorder_.operations() & 0xffff) == 0) progress(now, recorder_.operations());
  }
  recorder_.finish(now, source_.class_names(), source_.issues());
  return now;
}

void FunctionalRunner::advance_to(std::uint64_t time_ns) {
  // vmstat ticks and samples in time order; a tick at the sample time comes first.
  while (next_tick_ns_ <= time_ns || next_sample_ns_ <= time_ns) {
    if (next_tick_ns_ <= next_sample_ns_) {
      for (int cpu = 0; cpu < alloc_.nr_cpus(); ++cpu) alloc_.vmstat_update(cpu);
      next_tick_ns_ += STAT_INTERVAL_NS;
    } else {
      recorder_.sample(next_sample_ns_);
      next_sample_ns_ += scenario_.record.interval_ns;
    }
  }
}

std::string FunctionalRunner::where(const workload::Op &op) const {
  if (op.line && scenario_.workload.trace) return scenario_.workload.trace->path.string() + ":" + std::to_string(op.line);
  return scenario_.source.string();
}

void FunctionalRunner::apply(workload::Op &op) {
  if (op.cpu < 0 || op.cpu >= alloc_.nr_cpus())
    throw scenario::ScenarioError(where(op), "cpu " + std::to_string(op.cpu) + " does not exist: the machine has " +
                                                 std::to_string(alloc_.nr_cpus()) + " CPUs (0-" +
                                                 std::to_string(alloc_.nr_cpus() - 1) + ")");
  if (op.kind == workload::Op::Kind::Alloc) {
    const model::AllocResult res = alloc_.alloc_pages(op.cpu, op.gfp, op.order);
    recorder_.on_alloc(op, res);
    if (res.ok()) live_[op.tag] = LiveBlock{res.pfn, op.order};
    source_.completed(op, res.ok(), res.pfn, op.time_ns);
    return;
  }
  const auto it = live_.find(op.tag);
  if (it == live_.end()) {
    // The allocation failed in the simulation (it may not have in the traced kernel).
    recorder_.on_free(op, 0, false);
    return;
  }
  op.order = it->second.order;
  if (auto bad = alloc_.free_pages(op.cpu, it->second.pfn, it->second.order))
    throw SimulationError("refused free of tag " + std::to_string(op.tag) + " at " + where(op) + "\n" + bad->report());
  recorder_.on_free(op, it->second.pfn, true);
  live_.erase(it);
}

}  // namespace buddysim::run
