// Freeing: __free_one_page() merging and placement, split_large_buddy(), the
// per-cpu free path (free_frozen_page_commit, free_pcppages_bulk) and the
// refusal of bad frees (the model's bad_page()).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

constexpr gfp_t MOVABLE = gfp::HIGHUSER_MOVABLE;
constexpr gfp_t UNMOVABLE = gfp::KERNEL;

PageAllocator small_machine(const AllocatorConfig &c) { return PageAllocator(dma32_machine(64 * MiB), c); }
const Zone &dma32(const PageAllocator &pa) { return zone_of(pa, 0, ZONE_DMA32); }

// ---- merging -------------------------------------------------------------------

TEST(Merge, FreedPageMergesWithFreeBuddiesUpToMaxOrder) {
  // __free_one_page(): while the buddy (pfn ^ 1 << order) is a free block of
  // the same order, unlink it and go up. 4097 is freed first (its buddy 4096
  // is allocated: it stays order 0); freeing 4096 then merges with 4097,
  // 4098 (o1), 4100 (o2), ..., 4608 (o9) back to the order-10 block, which goes
  // to the head of the order-10 list (no buddy_merge_likely at MAX_PAGE_ORDER).
  PageAllocator pa = small_machine(buddy_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0), 4096u);
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0), 4097u);
  must_free(pa, 4097, 0);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), std::vector<Pfn>{4097});
  must_free(pa, 4096, 0);
  const std::array<unsigned long, NR_PAGE_ORDERS> all_max{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16};
  EXPECT_EQ(buddyinfo(dma32(pa)), all_max);
  EXPECT_EQ(free_list(pa, dma32(pa), 10, MIGRATE_MOVABLE), pfn_range(4096, 16, 1024));
}

TEST(Merge, BuddyIsPfnXorOrderSize) {
  // 4098's order-0 buddy is 4099 (free): they merge into order 1 at 4098,
  // whose buddy 4098 ^ 2 = 4096 is allocated, so merging stops there.
  PageAllocator pa = small_machine(buddy_config());
  for (Pfn want : {4096, 4097, 4098}) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), std::vector<Pfn>{4099});
  must_free(pa, 4098, 0);
  EXPECT_TRUE(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE).empty());
  EXPECT_EQ(free_list(pa, dma32(pa), 1, MIGRATE_MOVABLE), std::vector<Pfn>{4098});
  EXPECT_EQ(pa.frames()[4098].order, 1u);
}

// Two nodes meeting at 34 MiB (pfn 8704, a pageblock but not an order-10
// boundary): node 0's DMA32 ends with the order-9 block 8192, node 1's starts
// with the order-9 block 8704 - buddies of each other.
MachineLayout two_nodes_meeting_mid_block() {
  return machine({node_layout(16 * MiB, 18 * MiB), node_layout(34 * MiB, 16 * MiB)});
}

TEST(Merge, StopsAtZoneBoundary) {
  // page_is_buddy() requires the same zone: at boot 8192 and 8704 stay two
  // order-9 blocks, and freeing 8704 again later does not merge either.
  PageAllocator pa(two_nodes_meeting_mid_block(), buddy_config());
  const Zone &z0 = zone_of(pa, 0, ZONE_DMA32);
  const Zone &z1 = zone_of(pa, 1, ZONE_DMA32);
  ASSERT_EQ(z1.zone_start_pfn, 8704u);
  EXPECT_EQ(free_list(pa, z0, 9, MIGRATE_MOVABLE), std::vector<Pfn>{8192});
  EXPECT_EQ(free_list(pa, z1, 9, MIGRATE_MOVABLE), (std::vector<Pfn>{8704, 12288}));
  AllocResult r = pa.alloc_pages(1, MOVABLE, 9, 1);
  ASSERT_EQ(r.pfn, 8704u);
  must_free(pa, 8704, 9, 1);
  EXPECT_EQ(free_list(pa, z0, 9, MIGRATE_MOVABLE), std::vector<Pfn>{8192});
  EXPECT_EQ(free_list(pa, z1, 9, MIGRATE_MOVABLE), (std::vector<Pfn>{8704, 12288}));
  EXPECT_EQ(z0.free_area[10].nr_free, 4u);
}

// 256 MiB, one zone (65536 pages), vm.min_free_kbytes = 261120: pages_min =
// 65280, low = 65280 + 16320 = 81600 > every possible free count, so every
// allocation takes the slow path. GFP_ATOMIC there may go down to 3/8 of min
// (24480) and, for order > 0, reserves a highatomic pageblock.
AllocatorConfig atomic_slowpath_config() {
  AllocatorConfig c = buddy_config();
  c.min_free_kbytes = 261120;
  return c;
}

TEST(Merge, HighAtomicPageblockDoesNotMergeWithItsFreeBuddy) {
  // A GFP_ATOMIC order-1 allocation claims the order-10 block at 4096 (both
  // pageblocks Unmovable), gets 4096, and reserve_highatomic_pageblock()
  // turns pageblock 4096 HighAtomic. Freeing 4096 merges it back to an order-9
  // block, but at order >= pageblock_order the buddy 4608 is Unmovable and
  // HighAtomic is not mergeable: two order-9 blocks remain.
  PageAllocator pa(dma32_machine(256 * MiB), atomic_slowpath_config());
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 1), 4096u);
  ASSERT_EQ(block_mt(pa, 4096), MIGRATE_HIGHATOMIC);
  must_free(pa, 4096, 1);
  EXPECT_EQ(free_list(pa, dma32(pa), 9, MIGRATE_HIGHATOMIC), std::vector<Pfn>{4096});
  EXPECT_EQ(free_list(pa, dma32(pa), 9, MIGRATE_UNMOVABLE), std::vector<Pfn>{4608});
  EXPECT_EQ(dma32(pa).free_area[10].nr_free, 63u);
  EXPECT_EQ(dma32(pa).nr_free_highatomic, 512);
}

TEST(Merge, MergeableTypesMergeAbovePageblockOrderAndRetagTheBuddy) {
  // Unmovable 4096 (o9) and Movable 4608 (o9, claimed back by a movable
  // order-9 request) are both mergeable: freeing 4096 last merges them into
  // an Unmovable order-10 block and retags pageblock 4608 Unmovable ("match
  // buddy type").
  PageAllocator pa = small_machine(permissive_config());
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 9), 4096u);
  for (Pfn pfn = 5120; pfn < 20480; pfn += 1024) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 10), pfn);
  ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 9), 4608u);
  ASSERT_EQ(block_mt(pa, 4608), MIGRATE_MOVABLE);
  must_free(pa, 4608, 9);
  must_free(pa, 4096, 9);
  EXPECT_EQ(free_list(pa, dma32(pa), 10, MIGRATE_UNMOVABLE), std::vector<Pfn>{4096});
  EXPECT_TRUE(free_list(pa, dma32(pa), 9, MIGRATE_MOVABLE).empty());
  EXPECT_EQ(block_mt(pa, 4096), MIGRATE_UNMOVABLE);
  EXPECT_EQ(block_mt(pa, 4608), MIGRATE_UNMOVABLE);
}

TEST(SplitLargeBuddy, Order10FreeOfTwoHighAtomicPageblocksMergesBack) {
  // A GFP_ATOMIC order-10 allocation reserves both its pageblocks
  // (change_pageblock_range, nr_reserved_highatomic += 1024). Freeing it goes
  // through split_large_buddy(): two order-9 frees, each with its own
  // pageblock type. Equal types merge even when not mergeable with others,
  // so the block returns whole to the HighAtomic order-10 list.
  PageAllocator pa(dma32_machine(256 * MiB), atomic_slowpath_config());
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 10), 4096u);
  EXPECT_EQ(dma32(pa).nr_reserved_highatomic, 1024u);
  EXPECT_EQ(block_mt(pa, 4608), MIGRATE_HIGHATOMIC);
  must_free(pa, 4096, 10);
  EXPECT_EQ(free_list(pa, dma32(pa), 10, MIGRATE_HIGHATOMIC), std::vector<Pfn>{4096});
  EXPECT_EQ(dma32(pa).free_area[9].nr_free, 0u);
  EXPECT_EQ(dma32(pa).nr_free_highatomic, 1024);
}

// ---- placement -------------------------------------------------------------------

// 4096..4100 allocated one page at a time: the free lists then hold 4101
// (o0), 4102 (o1), 4104 (o3), ... 4608 (o9).
void five_pages_allocated(PageAllocator &pa) {
  for (Pfn want = 4096; want <= 4100; ++want) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);
  ASSERT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), std::vector<Pfn>{4101});
}

TEST(Placement, FreedBlockGoesToTheHeadWhenItsHigherBuddyIsNotFree) {
  // buddy_merge_likely(4096, 4097, 0): the order-1 buddy of the pair, 4098,
  // is allocated, so 4096 is list_add()ed to the head: [4096, 4101].
  PageAllocator pa = small_machine(buddy_config());
  five_pages_allocated(pa);
  must_free(pa, 4096, 0);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), (std::vector<Pfn>{4096, 4101}));
}

TEST(Placement, FreedBlockGoesToTheTailWhenItsHigherBuddyIsFree) {
  // Free 4096, then 4097 (they merge into order 1 at 4096). Freeing 4099: its
  // buddy 4098 is allocated, but the pair's order-1 buddy 4096 is free at
  // order 1, so a merge is likely soon: list_add_tail, giving [4101, 4099].
  PageAllocator pa = small_machine(buddy_config());
  five_pages_allocated(pa);
  must_free(pa, 4096, 0);
  must_free(pa, 4097, 0);
  ASSERT_EQ(free_list(pa, dma32(pa), 1, MIGRATE_MOVABLE), (std::vector<Pfn>{4096, 4102}));
  must_free(pa, 4099, 0);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), (std::vector<Pfn>{4101, 4099}));
}

// ---- the per-cpu free path ----------------------------------------------------------

// vm.percpu_pagelist_high_fraction = 1024 on 64 MiB: high_min = high_max =
// 16384 / 1024 = 16 (>= 4 * batch 3), so no auto-tuning moves high.
AllocatorConfig pcp_high16_config() {
  AllocatorConfig c = checked_config();
  c.percpu_pagelist_high_fraction = 1024;
  return c;
}

TEST(PcpFree, FreedPageGoesToTheHeadOfItsPcpList) {
  // free_frozen_page_commit(): list_add() to lists[order_to_pindex(mt, 0)],
  // count += 1, PGFREE += 1; the page stays off the buddy lists.
  PageAllocator pa = small_machine(checked_config());
  for (Pfn want : {4096, 4097, 4098}) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);
  const long free_before = nr_free(pa, dma32(pa));
  const unsigned long pgfree = pa.events()[PGFREE];
  must_free(pa, 4096, 0);
  must_free(pa, 4097, 0);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, 1), (std::vector<Pfn>{4097, 4096}));
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 2);
  EXPECT_EQ(pa.events()[PGFREE], pgfree + 2);
  EXPECT_EQ(nr_free(pa, dma32(pa)), free_before);
}

TEST(PcpFree, DrainTakesTheTailOfTheTriggeringListFirst) {
  // High is fixed at 16. Sixteen order-0 allocations refill 3, 6 and 12
  // pages (alloc_factor 0, 1, 2; max_nr_alloc = 16 - 0 - 3 = 13), leaving
  // [4112..4116] on the pcp. Freeing 4096..4106 brings count to 16 with
  // free_count 11: nr_pcp_free = clamp(11, 3, 16 - 3) = 11 pages leave from
  // the tail: 4116..4112, then 4096..4101. [4106..4102] stay.
  PageAllocator pa = small_machine(pcp_high16_config());
  for (Pfn want = 4096; want < 4112; ++want) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);
  ASSERT_EQ(pcp_list(pa, dma32(pa), 0, 1), pfn_range(4112, 5));
  const long free_before = nr_free(pa, dma32(pa));
  for (Pfn pfn = 4096; pfn <= 4106; ++pfn) must_free(pa, pfn, 0);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, 1), (std::vector<Pfn>{4106, 4105, 4104, 4103, 4102}));
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 5);
  EXPECT_EQ(nr_free(pa, dma32(pa)), free_before + 11);
}

TEST(PcpFree, DrainEmptiesTheTriggeringListThenMovesToTheNextPindex) {
  // free_pcppages_bulk() starts at the triggering pindex, takes pages until
  // that list is empty, then goes on round-robin (pindex 2, 3, 4, ... 13,
  // 0, 1). Lists before the drain: 0 (Unmovable o0) [5121, 5120], 1 (Movable
  // o0) [4109..4100], 4 (Movable o1) [4098, 4096]. The free of 4109 makes
  // count 16 with free_count 16: 13 pages go, 10 from list 1 and then both
  // order-1 blocks of list 4 (the second overshoots count); list 0 is kept.
  PageAllocator pa = small_machine(pcp_high16_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 1), 4096u);  // order-1 refill: 2 blocks
  ASSERT_EQ(must_alloc(pa, MOVABLE, 1), 4098u);
  for (Pfn want : {5120, 5121, 5122}) ASSERT_EQ(must_alloc(pa, UNMOVABLE, 0), want);       // claims 5120's block
  for (Pfn want = 4100; want < 4118; ++want) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);  // refills 6 + 12
  ASSERT_EQ(pcp_of(dma32(pa), 0).count, 0);
  must_free(pa, 5120, 0);
  must_free(pa, 5121, 0);
  must_free(pa, 4096, 1);
  must_free(pa, 4098, 1);
  for (Pfn pfn = 4100; pfn < 4109; ++pfn) must_free(pa, pfn, 0);
  ASSERT_EQ(pcp_of(dma32(pa), 0).count, 15);
  must_free(pa, 4109, 0);
  const Zone &z = dma32(pa);
  EXPECT_EQ(pcp_list(pa, z, 0, order_to_pindex(MIGRATE_UNMOVABLE, 0)), (std::vector<Pfn>{5121, 5120}));
  EXPECT_TRUE(pcp_list(pa, z, 0, order_to_pindex(MIGRATE_MOVABLE, 0)).empty());
  EXPECT_TRUE(pcp_list(pa, z, 0, order_to_pindex(MIGRATE_MOVABLE, 1)).empty());
  EXPECT_EQ(pcp_of(z, 0).count, 2);
}

TEST(PcpFree, HighAtomicPagesAreFreedToTheMovablePcpList) {
  // __free_frozen_pages(): a pageblock type >= MIGRATE_PCPTYPES other than
  // Isolate is filed on the Movable list. GFP_ATOMIC order-1 reserves
  // pageblock 4096 as HighAtomic; its page goes to pindex 4 (Movable o1).
  AllocatorConfig c = atomic_slowpath_config();
  c.pcp_enabled = true;
  PageAllocator pa(dma32_machine(256 * MiB), c);
  AllocResult r = pa.alloc_pages(0, gfp::ATOMIC, 1);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(block_mt(pa, r.pfn), MIGRATE_HIGHATOMIC);
  must_free(pa, r.pfn, 1);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, order_to_pindex(MIGRATE_MOVABLE, 1)).front(), r.pfn);
}

// ---- bad frees ---------------------------------------------------------------------------

// Frees `pfn` at `order`, expecting a refusal that leaves every list, counter
// and flag as it was; returns the report's reason.
std::string refused(PageAllocator &pa, Pfn pfn, unsigned order) {
  const std::string before = fingerprint(pa);
  std::optional<BadPage> bad = pa.free_pages(0, pfn, order);
  EXPECT_TRUE(bad.has_value()) << "free of pfn " << pfn << " order " << order << " was accepted";
  if (!bad) return "";
  EXPECT_EQ(bad->pfn, pfn);
  EXPECT_EQ(bad->order, order);
  EXPECT_NE(bad->report().find("BUG: Bad page state in process"), std::string::npos);
  EXPECT_EQ(fingerprint(pa), before);
  EXPECT_EQ(pa.check_invariants(), "");
  return bad->reason;
}

TEST(BadFree, DoubleFreeOfAPcpPageIsRefused) {
  PageAllocator pa = small_machine(checked_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0), 4096u);
  must_free(pa, 4096, 0);
  EXPECT_NE(refused(pa, 4096, 0).find("double free"), std::string::npos);
}

TEST(BadFree, DoubleFreeOfAMergedPageIsRefused) {
  // Without pcp the first free merged 4096 back into an order-10 block.
  PageAllocator pa = small_machine(buddy_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0), 4096u);
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0), 4097u);
  must_free(pa, 4097, 0);
  EXPECT_NE(refused(pa, 4097, 0).find("double free"), std::string::npos);
}

TEST(BadFree, WrongOrderIsRefused) {
  PageAllocator pa = small_machine(buddy_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 2), 4096u);
  EXPECT_FALSE(refused(pa, 4096, 0).empty());
  EXPECT_FALSE(refused(pa, 4096, 3).empty());
  must_free(pa, 4096, 2);
}

TEST(BadFree, UnalignedPfnIsRefused) {
  PageAllocator pa = small_machine(buddy_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 2), 4096u);
  EXPECT_NE(refused(pa, 4098, 2).find("aligned"), std::string::npos);
}

TEST(BadFree, PfnOutsideEveryZoneIsRefused) {
  // Below the node (pfn 100), beyond the last frame, and order > MAX_PAGE_ORDER.
  PageAllocator pa = small_machine(buddy_config());
  EXPECT_FALSE(refused(pa, 100, 0).empty());
  EXPECT_FALSE(refused(pa, 30000, 0).empty());
  EXPECT_FALSE(refused(pa, 4096, 11).empty());
}

TEST(BadFree, NeverAllocatedPageIsRefused) {
  // Pfn 5000 lies inside the free order-10 block 4096 of a fresh machine.
  PageAllocator pa = small_machine(buddy_config());
  EXPECT_FALSE(refused(pa, 5000, 0).empty());
  EXPECT_FALSE(refused(pa, 5120, 10).empty());
}

TEST(BadFree, ReservedPageIsRefused) {
  // A memblock-reserved page was never given to the buddy allocator.
  MachineLayout m = dma32_machine(64 * MiB);
  m.nodes[0].reserved = {{16 * MiB, 1 * MiB}};
  PageAllocator pa(m, buddy_config());
  EXPECT_NE(refused(pa, 4100, 0).find("Reserved"), std::string::npos);
}

TEST(BadFree, TailPageOfAnAllocationIsRefused) {
  // 4100 belongs to the order-3 allocation at 4096.
  PageAllocator pa = small_machine(buddy_config());
  ASSERT_EQ(must_alloc(pa, MOVABLE, 3), 4096u);
  EXPECT_NE(refused(pa, 4100, 0).find("tail page"), std::string::npos);
  EXPECT_NE(refused(pa, 4100, 2).find("tail page"), std::string::npos);
  must_free(pa, 4096, 3);
  EXPECT_EQ(pa.allocated_pages(), 0u);
}

TEST(BadFree, ReportNamesThePfnInKernelFormat) {
  // bad_page(): "BUG: Bad page state in process %s  pfn:%05lx".
  PageAllocator pa = small_machine(buddy_config());
  std::optional<BadPage> bad = pa.free_pages(0, 4100, 0);
  ASSERT_TRUE(bad.has_value());
  EXPECT_NE(bad->report().find("pfn:01004\n"), std::string::npos) << bad->report();
}

}  // namespace
}  // namespace buddysim::model
