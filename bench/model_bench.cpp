// Speed and memory of the functional allocator core (no hooks attached).
// Targets (issue 2): <= 20 ns per operation on the pcp path, <= 16 bytes per
// frame, a 1 TiB 8-node boot under 5 s and 5 GiB. Run through bench/run.sh,
// which gives the boot benchmark a process of its own so peak RSS is its own.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <random>
#include <vector>

#include "model/page_alloc.h"

using namespace buddysim::model;

namespace {

constexpr std::uint64_t GiB = 1ull << 30;

MachineLayout machine(int nodes, std::uint64_t bytes_per_node, int cpus_per_node) {
  MachineLayout m;
  for (int n = 0; n < nodes; ++n) {
    NodeLayout nl;
    nl.nr_cpus = cpus_per_node;
    // Node 0 starts at 1 MiB like x86; the others follow contiguously.
    const std::uint64_t start = n == 0 ? (1ull << 20) : static_cast<std::uint64_t>(n) * bytes_per_node;
    nl.memory = {{start, static_cast<std::uint64_t>(n + 1) * bytes_per_node - start}};
    m.nodes.push_back(nl);
  }
  return m;
}

AllocatorConfig config(bool pcp) {
  AllocatorConfig c;
  c.pcp_enabled = pcp;
  return c;
}

// One order-0 allocation and its free; items are operations (two per pair).
void alloc_free_pairs(benchmark::State &state, bool pcp) {
  PageAllocator a(machine(1, 4 * GiB, 4), config(pcp));
  for (auto _ : state) {
    AllocResult r = a.alloc_pages(0, gfp::KERNEL, 0);
    benchmark::DoNotOptimize(r);
    a.free_pages(0, r.pfn, 0);
  }
  state.SetItemsProcessed(2 * state.iterations());
}

void BM_Order0AllocFreePcp(benchmark::State &state) { alloc_free_pairs(state, true); }
void BM_Order0AllocFreeBuddy(benchmark::State &state) { alloc_free_pairs(state, false); }

// Mixed orders against a live set of ~64k blocks, four CPUs, both lists in play.
void BM_MixedOrders(benchmark::State &state) {
  PageAllocator a(machine(2, 4 * GiB, 4), config(true));
  std::mt19937_64 rng(42);
  const unsigned orders[] = {0, 0, 0, 0, 0, 0, 1, 2, 3, 9};
  const gfp_t gfps[] = {gfp::HIGHUSER_MOVABLE, gfp::KERNEL, gfp::KERNEL | gfp::RECLAIMABLE};
  std::vector<std::pair<Pfn, unsigned>> live;
  live.reserve(1 << 17);
  for (auto _ : state) {
    const int cpu = static_cast<int>(rng() & 7);
    if (live.size() < (1u << 16) || (rng() & 1)) {
      const unsigned order = orders[rng() % 10];
      AllocResult r = a.alloc_pages(cpu, gfps[rng() % 3] | (order ? gfp::COMP : 0), order);
      if (r.ok()) live.emplace_back(r.pfn, order);
    } else {
      const std::size_t k = rng() % live.size();
      a.free_pages(cpu, live[k].first, live[k].second);
      live[k] = live.back();
      live.pop_back();
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Boot1TiB8Nodes(benchmark::State &state) {
  double bytes_per_frame = 0;
  for (auto _ : state) {
    PageAllocator a(machine(8, 128 * GiB, 16), AllocatorConfig{});
    bytes_per_frame = static_cast<double>(a.frames().host_bytes()) / static_cast<double>(a.frames().end_pfn());
    benchmark::DoNotOptimize(a.nodes().data());
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["bytes_per_frame"] = bytes_per_frame;
  state.counters["peak_rss_MiB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace

BENCHMARK(BM_Order0AllocFreePcp);
BENCHMARK(BM_Order0AllocFreeBuddy);
BENCHMARK(BM_MixedOrders);
BENCHMARK(BM_Boot1TiB8Nodes)->Unit(benchmark::kMillisecond)->Iterations(1);

BENCHMARK_MAIN();
