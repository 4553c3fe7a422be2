// Speed of the DRAM model (sim/hw/dram/): requests per host second on a
// random and a sequential trace generated in-process with a fixed seed,
// through the controller alone and through the text-trace parser as
// `buddysim dram` runs it. Target (issue 4): at least 1 M requests per host
// second on a random trace.
// Built as the dram_bench target.

#include <benchmark/benchmark.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "sim/hw/dram/dram_controller.h"
#include "sim/hw/dram/dram_trace.h"

using namespace buddysim::hw;

namespace {

constexpr std::size_t kRequests = 1 << 18;
constexpr std::uint64_t kSeed = 42;
// Cycles between arrivals: 4 keeps every preset's queue full (random
// requests need about 4-5 cycles each at best: tFAW allows 4 ACTs per rank
// per tFAW); 20 is a moderately loaded memory.
constexpr Cycle kSaturated = 4;
constexpr Cycle kModerate = 20;
constexpr int kWriteEvery = 3;  // one request in three is a write

std::string_view preset_of(const benchmark::State &state) {
  return DramConfig::preset_names()[static_cast<std::size_t>(state.range(0))];
}

std::vector<DramRequest> random_trace(const DramConfig &config, Cycle interval) {
  const unsigned bits = DramController(config).address_map().total_bits();
  std::mt19937_64 rng(kSeed);
  std::vector<DramRequest> trace(kRequests);
  for (std::size_t i = 0; i < kRequests; ++i)
    trace[i] = {rng() & ((std::uint64_t{1} << bits) - 1), i % kWriteEvery == 0, static_cast<Cycle>(i) * interval};
  return trace;
}

std::vector<DramRequest> sequential_trace(const DramConfig &config) {
  std::vector<DramRequest> trace(kRequests);
  for (std::size_t i = 0; i < kRequests; ++i)
    trace[i] = {i * config.burst_bytes(), false, static_cast<Cycle>(i) * config.burst_cycles()};
  return trace;
}

// Streams the trace as `buddysim dram` does: decide what is due before each
// arrival, then submit it.
void simulate(benchmark::State &state, const DramConfig &config, const std::vector<DramRequest> &trace) {
  for (auto _ : state) {
    DramController controller(config);
    for (const DramRequest &r : trace) {
      controller.advance(r.arrival_cycle - 1);
      controller.submit(r);
    }
    controller.drain();
    benchmark::DoNotOptimize(controller.stats());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * trace.size()));
  state.SetLabel(std::string(preset_of(state)));
}

void BM_DramRandom(benchmark::State &state) {
  const DramConfig config = DramConfig::from_preset(preset_of(state));
  simulate(state, config, random_trace(config, state.range(1)));
}

void BM_DramSequential(benchmark::State &state) {
  const DramConfig config = DramConfig::from_preset(preset_of(state));
  simulate(state, config, sequential_trace(config));
}

// The random trace as DRAMsim3 text, parsed and simulated per iteration.
void BM_DramRandomTraceText(benchmark::State &state) {
  const DramConfig config = DramConfig::from_preset(preset_of(state));
  std::ostringstream text;
  for (const DramRequest &r : random_trace(config, state.range(1)))
    text << "0x" << std::hex << r.addr << std::dec << (r.is_write ? " WRITE " : " READ ") << r.arrival_cycle << '\n';
  const std::string trace = text.str();
  for (auto _ : state) {
    std::istringstream in(trace);
    DramTraceReader reader(in, "bench");
    DramController controller(config);
    DramRequest r;
    while (reader.next(r)) {
      controller.advance(r.arrival_cycle - 1);
      controller.submit(r);
    }
    controller.drain();
    benchmark::DoNotOptimize(controller.stats());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRequests));
  state.SetLabel(std::string(preset_of(state)));
}

// Arguments: preset index (0 DDR4-2400, 1 DDR4-3200, 2 DDR5-4800), interval.
void presets_and_loads(benchmark::internal::Benchmark *b) {
  for (std::int64_t preset = 0; preset < static_cast<std::int64_t>(DramConfig::preset_names().size()); ++preset)
    for (const Cycle interval : {kSaturated, kModerate}) b->Args({preset, interval});
}

void presets(benchmark::internal::Benchmark *b) {
  for (std::int64_t preset = 0; preset < static_cast<std::int64_t>(DramConfig::preset_names().size()); ++preset)
    b->Args({preset});
}

}  // namespace

BENCHMARK(BM_DramRandom)->Apply(presets_and_loads)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DramSequential)->Apply(presets)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DramRandomTraceText)->Apply(presets_and_loads)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();

