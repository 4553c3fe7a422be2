// alloc_pages_bulk(): order-0 pages straight off one local zone's pcp list,
// with the counters bumped once for the whole batch (by the page count).
#include <gtest/gtest.h>

#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

constexpr gfp_t MOVABLE = gfp::HIGHUSER_MOVABLE;

TEST(Bulk, FillsFromThePcpListRefillingAsItGoes) {
  // __rmqueue_pcplist() in a loop: refills of 3, 6 and 12 (alloc_factor
  // doubling as for single allocations) give 4096..4105 in order; the 11
  // pages left stay on the pcp.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  std::vector<Pfn> out;
  EXPECT_EQ(pa.alloc_pages_bulk(0, MOVABLE, NUMA_NO_NODE, 10, out), 10u);
  EXPECT_EQ(out, pfn_range(4096, 10));
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(pcp_of(z, 0).count, 11);
  EXPECT_EQ(pcp_list(pa, z, 0, order_to_pindex(MIGRATE_MOVABLE, 0)), pfn_range(4106, 11));
  EXPECT_EQ(pa.allocated_pages(), 10u);
}

TEST(Bulk, CountsPgallocAndNumaOncePerPage) {
  // __count_zid_vm_events(PGALLOC, ..., nr_account) and
  // zone_statistics(..., nr_account): +10 each for a batch of 10.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  std::vector<Pfn> out;
  ASSERT_EQ(pa.alloc_pages_bulk(0, MOVABLE, NUMA_NO_NODE, 10, out), 10u);
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(pa.events()[PGALLOC_DMA32], 10u);
  EXPECT_EQ(z.vm_numa_event[NUMA_HIT], 10u);
  EXPECT_EQ(z.vm_numa_event[NUMA_LOCAL], 10u);
  EXPECT_EQ(z.vm_numa_event[NUMA_MISS] + z.vm_numa_event[NUMA_OTHER], 0u);
}

// Two 64 MiB Normal nodes, CPU 0 on node 0 (low 226 per zone).
MachineLayout two_nodes() {
  return machine({node_layout(4 * GiB, 64 * MiB), node_layout(4 * GiB + 64 * MiB, 64 * MiB)});
}

TEST(Bulk, ServesTheWholeBatchFromTheLocalNode) {
  PageAllocator pa(two_nodes(), checked_config());
  std::vector<Pfn> out;
  ASSERT_EQ(pa.alloc_pages_bulk(0, MOVABLE, NUMA_NO_NODE, 100, out), 100u);
  for (Pfn p : out) EXPECT_LT(p, PFN_4G + 16384);
  EXPECT_EQ(nr_free(pa, zone_of(pa, 1, ZONE_NORMAL)), 16384);
}

TEST(Bulk, NeverTakesARemoteZoneAndFallsBackToOnePage) {
  // The bulk path needs a local zone passing low + nr_pages: node 0 with 304
  // free fails 304 > 226 + 100, the next zone is remote, so the call falls
  // back to one ordinary allocation - which node 0 can still serve (304 >
  // 226). One page, from node 0; node 1 is untouched.
  PageAllocator pa(two_nodes(), checked_config());
  for (int i = 0; i < 15; ++i) must_alloc_folded(pa, MOVABLE, 10);
  // Orders 8 down to 4 bypass the pcp lists: 1024 -> 304.
  for (unsigned o : {8u, 8u, 7u, 6u, 4u}) must_alloc_folded(pa, MOVABLE, o);
  fold_vmstat(pa);
  ASSERT_EQ(zone_of(pa, 0, ZONE_NORMAL).page_state(NR_FREE_PAGES), 304);
  std::vector<Pfn> out;
  EXPECT_EQ(pa.alloc_pages_bulk(0, MOVABLE, NUMA_NO_NODE, 100, out), 1u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_LT(out[0], PFN_4G + 16384);
  EXPECT_EQ(nr_free(pa, zone_of(pa, 1, ZONE_NORMAL)), 16384);
}

TEST(Bulk, ExplicitNodeIsServedOnThatNode) {
  // nid 1 from CPU 0: node 1's zone and CPU 0's pageset there; HIT (the
  // preferred zone is on node 1) and OTHER (the CPU is not) per page.
  PageAllocator pa(two_nodes(), checked_config());
  std::vector<Pfn> out;
  ASSERT_EQ(pa.alloc_pages_bulk(0, MOVABLE, 1, 8, out), 8u);
  EXPECT_EQ(out, pfn_range(PFN_4G + 16384, 8));
  const Zone &z1 = zone_of(pa, 1, ZONE_NORMAL);
  EXPECT_EQ(z1.vm_numa_event[NUMA_HIT], 8u);
  EXPECT_EQ(z1.vm_numa_event[NUMA_OTHER], 8u);
  EXPECT_GT(pcp_of(z1, 0).count, 0);
}

}  // namespace
}  // namespace buddysim::model
