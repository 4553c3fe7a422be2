#include "sim/run/functional_runner.h"

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
      applier_(scenario, alloc, recorder, !source.frees_name_blocks()),
      next_tick_ns_(STAT_INTERVAL_NS),
      next_sample_ns_(scenario.record.interval_ns ? scenario.record.interval_ns : NEVER) {}

std::uint64_t FunctionalRunner::run(const Progress &progress) {
  std::uint64_t now = 0;
  while (auto op = source_.next()) {
    now = op->time_ns;
    advance_to(now);
    const Applied done = applier_.apply(*op);
    recorder_.on_complete(*op, done.res, done.ok, std::nullopt);
    if (op->kind == workload::Op::Kind::Alloc) source_.completed(*op, done.ok, done.res.pfn, op->time_ns);
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

}  // namespace buddysim::run
