// Randomised operation mixes with the CONFIG_DEBUG_VM-like checker on: after
// every allocation, free, bulk allocation, vmstat_update and drain the model
// verifies all its invariants (free lists vs pageblock types, nr_free,
// NR_FREE_PAGES and friends, pcp counts, free + pcp + allocated == managed)
// and throws std::logic_error on the first violation. On top of that each
// result is checked against the request: alignment, zone limits of the gfp
// mask, __GFP_THISNODE, and refusal of frees of tail pages.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

struct Held {
  Pfn pfn;
  unsigned order;
};

// Node 0: DMA32 [4G-64M, 4G) + Normal [4G, 4G+64M); node 1: Normal 64 MiB.
// Two CPUs per node.
MachineLayout property_machine() {
  return machine({node_layout(4 * GiB - 64 * MiB, 128 * MiB, 2), node_layout(4 * GiB + 64 * MiB, 64 * MiB, 2)});
}

const gfp_t GFP_CLASSES[] = {
    gfp::KERNEL,
    gfp::HIGHUSER_MOVABLE,
    gfp::ATOMIC,
    gfp::NOWAIT,
    gfp::KERNEL | gfp::RECLAIMABLE,
    gfp::KERNEL | gfp::DMA32,
    gfp::HIGHUSER_MOVABLE | gfp::THISNODE,
    gfp::KERNEL | gfp::NORETRY,
    gfp::TRANSHUGE_LIGHT,
};

unsigned random_order(std::mt19937_64 &rng) {
  const unsigned r = static_cast<unsigned>(rng() % 100);
  if (r < 50) return 0;
  if (r < 75) return 1 + static_cast<unsigned>(rng() % 3);  // 1..3
  if (r < 90) return 4 + static_cast<unsigned>(rng() % 5);  // 4..8
  return 9 + static_cast<unsigned>(rng() % 2);              // 9..10
}

void check_result(const PageAllocator &pa, const AllocResult &r, gfp_t gfp, unsigned order, int cpu, NodeId nid) {
  ASSERT_EQ(r.pfn & ((1ull << order) - 1), 0u) << "misaligned order-" << order << " block";
  const Zone *z = pa.pfn_zone(r.pfn);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->node, r.nid);
  EXPECT_EQ(z->idx, r.zone);
  EXPECT_LE(r.zone, static_cast<int>(gfp_zone(gfp)));
  if (gfp & gfp::THISNODE) {
    EXPECT_EQ(r.nid, nid == NUMA_NO_NODE ? pa.cpu_to_node(cpu) : nid);
  }
  EXPECT_EQ(pa.frames()[r.pfn].state, FrameState::Allocated);
  EXPECT_EQ(pa.frames()[r.pfn].order, order);
}

void run_mix(std::uint64_t seed, int ops) {
  PageAllocator pa(property_machine(), checked_config());
  std::mt19937_64 rng(seed);
  std::vector<Held> held;
  unsigned long held_pages = 0;
  int failures = 0;
  for (int op = 0; op < ops; ++op) {
    const unsigned kind = static_cast<unsigned>(rng() % 100);
    const int cpu = static_cast<int>(rng() % static_cast<unsigned>(pa.nr_cpus()));
    if (kind < 50) {
      const gfp_t gfp = GFP_CLASSES[rng() % std::size(GFP_CLASSES)];
      const unsigned order = random_order(rng);
      const NodeId nid = rng() % 4 == 0 ? static_cast<NodeId>(rng() % 2) : NUMA_NO_NODE;
      AllocResult r = pa.alloc_pages(cpu, gfp, order, nid);
      if (!r.ok()) {
        ++failures;
        continue;
      }
      check_result(pa, r, gfp, order, cpu, nid);
      held.push_back({r.pfn, order});
      held_pages += 1ul << order;
    } else if (kind < 85) {
      if (held.empty()) continue;
      const std::size_t i = rng() % held.size();
      const Held h = held[i];
      held[i] = held.back();
      held.pop_back();
      ASSERT_FALSE(pa.free_pages(cpu, h.pfn, h.order).has_value()) << "valid free of " << h.pfn << " refused";
      held_pages -= 1ul << h.order;
    } else if (kind < 90) {
      std::vector<Pfn> out;
      const NodeId nid = rng() % 2 ? NUMA_NO_NODE : static_cast<NodeId>(rng() % 2);
      const unsigned got =
          pa.alloc_pages_bulk(cpu, gfp::HIGHUSER_MOVABLE, nid, 1 + static_cast<unsigned>(rng() % 32), out);
      ASSERT_EQ(got, out.size());
      for (Pfn p : out) {
        EXPECT_EQ(pa.frames()[p].state, FrameState::Allocated);
        held.push_back({p, 0});
      }
      held_pages += got;
    } else if (kind < 97) {
      pa.vmstat_update(cpu);
    } else if (kind < 98) {
      pa.drain_all_pages();
    } else {
      // A tail page of a held high-order block must be refused untouched.
      for (const Held &h : held) {
        if (!h.order) continue;
        const unsigned long before = pa.allocated_pages();
        EXPECT_TRUE(pa.free_pages(cpu, h.pfn + 1, 0).has_value());
        EXPECT_EQ(pa.allocated_pages(), before);
        break;
      }
    }
    ASSERT_EQ(pa.allocated_pages(), held_pages) << "after op " << op;
  }
  ::testing::Test::RecordProperty("failed_allocations", failures);
  // The mix must have reached memory pressure, or it tested little.
  EXPECT_GT(failures, 0);
  for (const Held &h : held) ASSERT_FALSE(pa.free_pages(0, h.pfn, h.order).has_value());
  pa.drain_all_pages();
  EXPECT_EQ(pa.allocated_pages(), 0u);
  EXPECT_EQ(pa.check_invariants(), "");
  for (const Node &node : pa.nodes())
    for (const Zone &z : node.zones) {
      if (!z.populated()) continue;
      unsigned long free_pages = 0;
      for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) free_pages += z.free_area[o].nr_free << o;
      EXPECT_EQ(free_pages, z.managed_pages) << z.name;
      EXPECT_EQ(nr_free(pa, z), static_cast<long>(z.managed_pages)) << z.name;
      for (int c = 0; c < pa.nr_cpus(); ++c) EXPECT_EQ(pcp_of(z, c).count, 0);
    }
}

TEST(Property, RandomMixSeed1KeepsEveryInvariant) { run_mix(1, 6000); }

TEST(Property, RandomMixSeed2KeepsEveryInvariant) { run_mix(0x5eed2, 6000); }

TEST(Property, RandomMixSeed3KeepsEveryInvariant) { run_mix(20251118, 6000); }

}  // namespace
}  // namespace buddysim::model
