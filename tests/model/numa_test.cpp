// NUMA: zonelist fallback to remote nodes, the numa_* counters
// (zone_statistics), __GFP_THISNODE, explicit nids and the dropping of
// ALLOC_NOFRAGMENT before going remote (get_page_from_freelist).
//
// Two nodes of 64 MiB above 4 GiB (ZONE_NORMAL each), CPU 0 on node 0 and
// CPU 1 on node 1, SLIT 10/20. Per zone: min_free_kbytes = int_sqrt(32768 *
// 64) = 1448, pages_min 362 split in halves: min 181, delta max(45, 16) = 45,
// low 226, high 271. DMA32 is unpopulated, so no ALLOC_NOFRAGMENT.
#include <gtest/gtest.h>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

constexpr gfp_t MOVABLE = gfp::HIGHUSER_MOVABLE;
constexpr Pfn NODE1 = PFN_4G + 16384;  // first pfn of node 1

MachineLayout two_nodes() {
  return machine({node_layout(4 * GiB, 64 * MiB), node_layout(4 * GiB + 64 * MiB, 64 * MiB)});
}

const Zone &normal(const PageAllocator &pa, int nid) { return zone_of(pa, nid, ZONE_NORMAL); }

unsigned long numa(const PageAllocator &pa, int nid, NumaStatItem item) { return normal(pa, nid).vm_numa_event[item]; }

TEST(Numa, LocalAllocationIsAHitAndLocal) {
  // zone_statistics(): node of the zone == node of the preferred zone -> HIT;
  // == node of the running CPU -> LOCAL.
  PageAllocator pa(two_nodes(), checked_config());
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.nid, 0);
  EXPECT_EQ(r.pfn, PFN_4G);
  EXPECT_EQ(numa(pa, 0, NUMA_HIT), 1u);
  EXPECT_EQ(numa(pa, 0, NUMA_LOCAL), 1u);
  EXPECT_EQ(numa(pa, 0, NUMA_MISS) + numa(pa, 0, NUMA_OTHER) + numa(pa, 1, NUMA_FOREIGN), 0u);
}

TEST(Numa, ExplicitRemoteNidIsAHitButOther) {
  // alloc_pages_node(1) from CPU 0: preferred zone on node 1, so HIT; the
  // CPU is on node 0, so OTHER. The page comes from node 1's pcp of CPU 0.
  PageAllocator pa(two_nodes(), checked_config());
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0, 1);
  EXPECT_EQ(r.nid, 1);
  EXPECT_EQ(r.pfn, NODE1);
  EXPECT_FALSE(r.path & PATH_FALLBACK_NODE);
  EXPECT_EQ(numa(pa, 1, NUMA_HIT), 1u);
  EXPECT_EQ(numa(pa, 1, NUMA_OTHER), 1u);
  EXPECT_EQ(numa(pa, 1, NUMA_LOCAL), 0u);
  EXPECT_EQ(pcp_of(normal(pa, 1), 0).count, 2);
  // And CPU 1 asking for node 0: HIT and OTHER on node 0.
  AllocResult back = pa.alloc_pages(1, MOVABLE, 0, 0);
  EXPECT_EQ(back.nid, 0);
  EXPECT_EQ(numa(pa, 0, NUMA_HIT), 1u);
  EXPECT_EQ(numa(pa, 0, NUMA_OTHER), 1u);
}

TEST(Numa, PcpHitsCountOncePerAllocation) {
  // nr = 1 per allocation call: five order-0 allocations (one refill of 3,
  // one of 6) count five hits, not the pages moved by the refills.
  PageAllocator pa(two_nodes(), checked_config());
  for (int i = 0; i < 5; ++i) must_alloc(pa, MOVABLE, 0);
  EXPECT_EQ(numa(pa, 0, NUMA_HIT), 5u);
  EXPECT_EQ(numa(pa, 0, NUMA_LOCAL), 5u);
  EXPECT_EQ(pa.events()[PGALLOC_NORMAL], 5u);
}

TEST(Numa, FallsBackToTheRemoteNodeWhenTheLocalOneIsBelowLow) {
  // Fifteen order-10 blocks leave 1024 free on node 0; the sixteenth fails
  // there (1024 - 1023 = 1 <= 226) and the zonelist's next zone, node 1's
  // Normal, serves it in the fast path: MISS on node 1, FOREIGN on node 0
  // (the preferred zone), OTHER on node 1 (CPU 0 is on node 0).
  PageAllocator pa(two_nodes(), checked_config());
  for (int i = 0; i < 15; ++i) must_alloc_folded(pa, MOVABLE, 10);
  AllocResult r = alloc_folded(pa, MOVABLE, 10);
  EXPECT_EQ(r.nid, 1);
  EXPECT_EQ(r.pfn, NODE1);
  EXPECT_TRUE(r.path & PATH_FALLBACK_NODE);
  EXPECT_FALSE(r.path & PATH_SLOWPATH);
  EXPECT_EQ(numa(pa, 1, NUMA_MISS), 1u);
  EXPECT_EQ(numa(pa, 0, NUMA_FOREIGN), 1u);
  EXPECT_EQ(numa(pa, 1, NUMA_OTHER), 1u);
  EXPECT_EQ(numa(pa, 1, NUMA_HIT), 0u);
  EXPECT_EQ(numa(pa, 0, NUMA_HIT), 15u);
}

// Node 0 brought to exactly its min (181 free) with __GFP_THISNODE fillers.
void node0_at_min(PageAllocator &pa) {
  const gfp_t here = MOVABLE | gfp::THISNODE;
  for (int i = 0; i < 15; ++i) must_alloc_folded(pa, here, 10);
  for (unsigned o : {9u, 8u, 6u, 3u, 1u, 0u}) must_alloc_folded(pa, here, o);  // 1024 -> 181
  fold_vmstat(pa);
  ASSERT_EQ(normal(pa, 0).page_state(NR_FREE_PAGES), 181);
}

TEST(Numa, ThisNodeNeverLeavesTheNode) {
  // __GFP_THISNODE selects ZONELIST_NOFALLBACK: with node 0 at min the
  // request fails although node 1 is empty; without the flag it goes there.
  PageAllocator pa(two_nodes(), buddy_config());
  node0_at_min(pa);
  AllocResult r = alloc_folded(pa, gfp::KERNEL | gfp::THISNODE, 0);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(nr_free(pa, normal(pa, 1)), 16384);
  AllocResult plain = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_EQ(plain.nid, 1);
}

TEST(Numa, ThisNodeWithAnExplicitNidStaysOnThatNode) {
  // CPU 0, nid 1, __GFP_THISNODE: node 1's own zonelist.
  PageAllocator pa(two_nodes(), buddy_config());
  AllocResult r = pa.alloc_pages(0, gfp::KERNEL | gfp::THISNODE, 0, 1);
  EXPECT_EQ(r.nid, 1);
  EXPECT_EQ(r.pfn, NODE1);
}

TEST(Numa, RemoteZoneDropsNoFragmentAndRetriesTheLocalNode) {
  // Node 0: DMA32 [4G-32M, 4G) and Normal [4G, 4G+32M); node 1: Normal 64 MiB.
  // min_free_kbytes 1448 -> pages_min 362 over 32768 pages: node 0's zones
  // get min 90, low 112, high 134; DMA32's lowmem_reserve[Normal] = 32.
  // Node 0 prefers Normal with DMA32 populated: ALLOC_NOFRAGMENT.
  //   DMA32 is filled to 144 (<= 112 + 32: unusable for GFP_KERNEL);
  //   Normal holds 16 half-free pageblocks (256 free + 256 movable each),
  //   whose Movable order-8 list starts at 4G + 7168.
  // First pass: Normal has no whole fallback pageblock, DMA32 fails its
  // watermark, and the next zone is remote: get_page_from_freelist() clears
  // ALLOC_NOFRAGMENT and restarts at node 0's Normal, which now claims the
  // half-free pageblock 4G + 7168 (and boosts its watermarks).
  MachineLayout m = machine({node_layout(4 * GiB - 32 * MiB, 64 * MiB), node_layout(4 * GiB + 32 * MiB, 64 * MiB)});
  PageAllocator pa(m, buddy_config());
  const Zone &dma32 = zone_of(pa, 0, ZONE_DMA32);
  const Zone &normal0 = zone_of(pa, 0, ZONE_NORMAL);
  ASSERT_EQ(normal0._watermark[WMARK_LOW], 112u);
  ASSERT_EQ(dma32.lowmem_reserve[ZONE_NORMAL], 32);
  const gfp_t dma32_movable = gfp::KERNEL | gfp::DMA32 | gfp::MOVABLE;
  for (int i = 0; i < 7; ++i) must_alloc_folded(pa, dma32_movable, 10);
  for (unsigned o : {9u, 8u, 6u, 5u, 4u}) must_alloc_folded(pa, dma32_movable, o);  // 1024 -> 144
  for (Pfn pfn = PFN_4G; pfn < PFN_4G + 31 * 256; pfn += 256) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 8), pfn);
  for (Pfn pb = PFN_4G; pb < PFN_4G + 15 * 512; pb += pageblock_nr_pages) must_free(pa, pb, 8);
  fold_vmstat(pa);
  ASSERT_EQ(dma32.page_state(NR_FREE_PAGES), 144);
  ASSERT_EQ(free_list(pa, normal0, 8, MIGRATE_MOVABLE).front(), PFN_4G + 7168);
  AllocResult r = pa.alloc_pages(0, gfp::KERNEL, 0);
  EXPECT_EQ(r.nid, 0);
  EXPECT_EQ(r.zone, ZONE_NORMAL);
  EXPECT_EQ(r.pfn, PFN_4G + 7168);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_FALSE(r.path & PATH_FALLBACK_NODE);
  EXPECT_EQ(normal0.watermark_boost, 512u);
  EXPECT_EQ(nr_free(pa, zone_of(pa, 1, ZONE_NORMAL)), 16384);
}

}  // namespace
}  // namespace buddysim::model
