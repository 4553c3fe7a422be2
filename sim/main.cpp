// buddysim's main job until the scenario-driven command line lands: boot the
// default 2-node machine, run a seeded mixed workload through the allocator,
// and print /proc/buddyinfo and /proc/pagetypeinfo as the kernel would.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "model/page_alloc.h"
#include "model/procfs.h"

using namespace buddysim::model;

namespace {

constexpr std::uint64_t GiB = 1ull << 30, MiB = 1ull << 20;

// Two sockets, 4 GiB and 4 CPUs each, with an x86 memory map: the first MiB
// and the kernel image reserved, a PCI hole between 3 and 4 GiB on node 0.
MachineLayout default_machine() {
  MachineLayout m;
  NodeLayout n0;
  n0.nr_cpus = 4;
  n0.memory = {{0x1000, 0x9f000 - 0x1000}, {MiB, 3 * GiB - MiB}, {4 * GiB, GiB}};
  n0.reserved = {{0, MiB}, {16 * MiB, 32 * MiB}};
  NodeLayout n1;
  n1.nr_cpus = 4;
  n1.memory = {{5 * GiB, 4 * GiB}};
  m.nodes = {n0, n1};
  return m;
}

struct Live {
  Pfn pfn;
  unsigned order;
};

struct Options {
  unsigned long seed = 1;
  unsigned long ops = 2'000'000;
};

bool parse(int argc, char **argv, Options &o) {
  for (int i = 1; i < argc; ++i) {
    const bool has_value = i + 1 < argc;
    if (!std::strcmp(argv[i], "--seed") && has_value) {
      o.seed = std::strtoul(argv[++i], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--ops") && has_value) {
      o.ops = std::strtoul(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr, "usage: buddysim [--seed N] [--ops N]\n");
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char **argv) {
  Options opt;
  if (!parse(argc, argv, opt)) return 2;
  PageAllocator alloc(default_machine(), AllocatorConfig{});
  std::mt19937_64 rng(opt.seed);
  std::vector<Live> live;
  // Mixed kernel workload: mostly movable order-0 user pages, some slab-like
  // unmovable and reclaimable pages, network-like atomic order-3 and THP attempts.
  struct Class {
    gfp_t gfp;
    unsigned order;
    unsigned weight;
  };
  const Class classes[] = {{gfp::HIGHUSER_MOVABLE, 0, 60}, {gfp::KERNEL, 0, 18},   {gfp::KERNEL | gfp::RECLAIMABLE, 0, 8},
                           {gfp::KERNEL | gfp::COMP, 2, 6}, {gfp::ATOMIC | gfp::COMP, 3, 5}, {gfp::TRANSHUGE_LIGHT, 9, 3}};
  unsigned total_weight = 0;
  for (const auto &c : classes) total_weight += c.weight;
  const std::size_t target_live = 600'000;  // ~2.4 GiB of order-0 equivalents
  unsigned long allocs = 0, failures = 0, frees = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (unsigned long op = 0; op < opt.ops; ++op) {
    const int cpu = static_cast<int>(rng() % static_cast<unsigned>(alloc.nr_cpus()));
    const bool do_alloc = live.empty() || rng() % 100 < (live.size() < target_live ? 60u : 40u);
    if (do_alloc) {
      unsigned pick = static_cast<unsigned>(rng() % total_weight);
      const Class *c = classes;
      while (pick >= c->weight) pick -= (c++)->weight;
      AllocResult r = alloc.alloc_pages(cpu, c->gfp, c->order);
      ++allocs;
      if (r.ok())
        live.push_back({r.pfn, c->order});
      else
        ++failures;
    } else {
      const std::size_t k = rng() % live.size();
      if (auto bad = alloc.free_pages(cpu, live[k].pfn, live[k].order)) {
        std::fputs(bad->report().c_str(), stderr);
        return 1;
      }
      live[k] = live.back();
      live.pop_back();
      ++frees;
    }
    // One simulated second per 100k operations: vmstat_update on every CPU.
    if (op % 100'000 == 99'999)
      for (int c = 0; c < alloc.nr_cpus(); ++c) alloc.vmstat_update(c);
  }
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("# buddysim: default 2-node machine, seed %lu: %lu allocations (%lu failed), %lu frees, %.1f M ops/s\n",
              opt.seed, allocs, failures, frees, static_cast<double>(opt.ops) / secs / 1e6);
  std::printf("# /proc/buddyinfo\n%s\n# /proc/pagetypeinfo\n%s", render_buddyinfo(alloc).c_str(),
              render_pagetypeinfo(alloc).c_str());
  return 0;
}
