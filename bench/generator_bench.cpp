// Speed of the workload generator alone: the shipped pcp-on-vs-off churn (8
// CPUs, order-0 blocks, 200 ms lifetimes, a 1 GiB live-set target) driven
// to its end with every allocation succeeding at once, as the functional
// runner would report it, but with no allocator behind it. Items are
// operations; a run spends most of its time at the live-set target, where
// the block table and the event queue are largest.
#include <benchmark/benchmark.h>

#include "sim/scenario/scenario_parser.h"
#include "sim/workload/generator.h"

using namespace buddysim;

namespace {

void BM_GeneratorChurn(benchmark::State &state) {
  const scenario::Scenario s =
      scenario::parse_scenario_file(BUDDYSIM_SCENARIOS "/pcp-on-vs-off.json",
                                    {"workload.phases[0].duration=" + std::to_string(state.range(0)) + "ms"});
  std::uint64_t ops = 0;
  for (auto _ : state) {
    const auto source = workload::make_generator(s);
    while (auto op = source->next()) {
      if (op->kind == workload::Op::Kind::Alloc) source->completed(*op, true, op->tag, op->time_ns);
      ++ops;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(ops));
}

}  // namespace

BENCHMARK(BM_GeneratorChurn)->Arg(600)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
