// Taking pages off the free lists: expand(), __rmqueue_smallest(), the
// claim/steal fallbacks (__rmqueue_claim, try_to_claim_block, __rmqueue_steal),
// ALLOC_NOFRAGMENT in get_page_from_freelist() and boost_watermark().
//
// Most tests use the 64 MiB DMA32-only machine (pfns 4096..20479: 16 order-10
// blocks, 32 pageblocks) with the pcp lists off, so each call is one
// __rmqueue; the "permissive" configuration moves the watermarks out of the
// way so that a zone can be filled completely.
#include <gtest/gtest.h>

#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

constexpr gfp_t MOVABLE = gfp::HIGHUSER_MOVABLE;
constexpr gfp_t UNMOVABLE = gfp::KERNEL;
constexpr gfp_t RECLAIMABLE = gfp::KERNEL | gfp::RECLAIMABLE;

PageAllocator small_machine(const AllocatorConfig &c) { return PageAllocator(dma32_machine(64 * MiB), c); }

const Zone &dma32(const PageAllocator &pa) { return zone_of(pa, 0, ZONE_DMA32); }

// Allocate every block of `order` from `first` upwards (they come out in
// ascending pfn order), then free the first block of each pageblock, lowest
// first. Each pageblock is left with 2^order free pages and 512 - 2^order
// movable pages; the freed blocks sit on the Movable list highest first
// (each went to the head: its buddy and its higher buddy are allocated).
void leave_first_block_free_in_each_pageblock(PageAllocator &pa, unsigned order, Pfn first, Pfn end) {
  const Pfn size = 1ull << order;
  for (Pfn pfn = first; pfn < end; pfn += size) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, order), pfn);
  for (Pfn pb = first; pb < end; pb += pageblock_nr_pages) must_free(pa, pb, order);
}

// ---- expand and __rmqueue_smallest ------------------------------------------

TEST(Expand, KeepsTheLowestPageAndFilesEachUpperHalf) {
  // expand(): splitting the order-10 block at 4096 for an order-0 request
  // keeps 4096 and files page[size] at each lower order: 4097 (o0), 4098 (o1),
  // 4100 (o2), ..., 4608 (o9).
  PageAllocator pa = small_machine(buddy_config());
  EXPECT_EQ(must_alloc(pa, MOVABLE, 0), 4096u);
  for (unsigned o = 0; o < 10; ++o)
    EXPECT_EQ(free_list(pa, dma32(pa), o, MIGRATE_MOVABLE), std::vector<Pfn>{4096 + (1ull << o)}) << "order " << o;
  EXPECT_EQ(free_list(pa, dma32(pa), 10, MIGRATE_MOVABLE), pfn_range(5120, 15, 1024));
}

TEST(RmqueueSmallest, SuccessiveOrder0AllocationsAscendThroughOneBlock) {
  // Each split leaves the next page at the head of a lower list, so order-0
  // requests walk the block upwards: 4096, 4097, ..., 4103.
  PageAllocator pa = small_machine(buddy_config());
  for (Pfn want = 4096; want < 4104; ++want) EXPECT_EQ(must_alloc(pa, MOVABLE, 0), want);
}

TEST(RmqueueSmallest, UsesTheSmallestSufficientOrder) {
  // After the first split, lists hold 4098 (o1), 4100 (o2), 4104 (o3): an
  // order-3 request takes 4104 whole instead of splitting a bigger block, then
  // order 1 takes 4098 and order 2 takes 4100.
  PageAllocator pa = small_machine(buddy_config());
  must_alloc(pa, MOVABLE, 0);
  EXPECT_EQ(must_alloc(pa, MOVABLE, 3), 4104u);
  EXPECT_EQ(must_alloc(pa, MOVABLE, 1), 4098u);
  EXPECT_EQ(must_alloc(pa, MOVABLE, 2), 4100u);
  EXPECT_EQ(buddyinfo(dma32(pa))[1], 0u);
  EXPECT_EQ(buddyinfo(dma32(pa))[3], 0u);
}

TEST(RmqueueSmallest, TakesTheHeadOfTheList) {
  // 4096..4099 allocated, then 4096 and 4099 freed: each goes to the head
  // (no buddy, no free higher buddy), so the order-0 list is [4099, 4096] and
  // the next order-0 request gets 4099.
  PageAllocator pa = small_machine(buddy_config());
  for (int i = 0; i < 4; ++i) must_alloc(pa, MOVABLE, 0);
  must_free(pa, 4096, 0);
  must_free(pa, 4099, 0);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), (std::vector<Pfn>{4099, 4096}));
  EXPECT_EQ(must_alloc(pa, MOVABLE, 0), 4099u);
}

TEST(PcpRefill, TakesBatchPagesInAscendingOrderAndServesFromTheHead) {
  // rmqueue_bulk() appends each page with list_add_tail, and
  // __rmqueue_pcplist() takes list_first_entry. The first refill of the
  // 64 MiB zone is one batch (3): 4096, 4097, 4098; 4096 is returned and
  // [4097, 4098] stay on the Movable order-0 list (pindex 1).
  PageAllocator pa = small_machine(checked_config());
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 4096u);
  EXPECT_TRUE(r.path & PATH_PCP_REFILL);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, order_to_pindex(MIGRATE_MOVABLE, 0)), (std::vector<Pfn>{4097, 4098}));
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 2);
  AllocResult r2 = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r2.pfn, 4097u);
  EXPECT_EQ(r2.path & (PATH_PCP_HIT | PATH_PCP_REFILL), PATH_PCP_HIT);
  // Pcp pages are not free pages: 16384 - 3.
  EXPECT_EQ(nr_free(pa, dma32(pa)), 16381);
}

// ---- claim and steal ------------------------------------------------------------

TEST(Claim, UnmovableRequestTakesAWholeMaxOrderBlock) {
  // __rmqueue_claim() searches largest first; an order-10 Movable block is
  // >= pageblock_order, so try_to_claim_block() takes it outright: both its
  // pageblocks become Unmovable and the split remainder is filed as
  // Unmovable. No watermark boost for whole-block claims.
  PageAllocator pa = small_machine(buddy_config());
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.pfn, 4096u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(block_mt(pa, 4096), MIGRATE_UNMOVABLE);
  EXPECT_EQ(block_mt(pa, 4608), MIGRATE_UNMOVABLE);
  EXPECT_EQ(block_mt(pa, 5120), MIGRATE_MOVABLE);
  for (unsigned o = 0; o < 10; ++o)
    EXPECT_EQ(free_list(pa, dma32(pa), o, MIGRATE_UNMOVABLE), std::vector<Pfn>{4096 + (1ull << o)}) << o;
  EXPECT_EQ(free_list(pa, dma32(pa), 10, MIGRATE_MOVABLE).size(), 15u);
  EXPECT_EQ(dma32(pa).watermark_boost, 0u);
}

TEST(Claim, HalfFreePageblockIsClaimedAndItsFreePagesMoved) {
  // Every pageblock: 256 free (its first order-8 block) + 256 movable. The
  // Movable order-8 list is [19968, 19456, ..., 4096]. An unmovable request
  // finds no order >= 9 fallback, tries the order-8 head 19968:
  // free 256 + alike (512 - 256 free - 256 movable = 0) = 256 >= 256, so the
  // block is claimed: its free page moves to the Unmovable list, the block
  // type changes, and __rmqueue_smallest(Unmovable) splits it: 19968.
  PageAllocator pa = small_machine(permissive_config());
  leave_first_block_free_in_each_pageblock(pa, 8, 4096, 20480);
  EXPECT_EQ(free_list(pa, dma32(pa), 8, MIGRATE_MOVABLE), pfn_range_down(19968, 32, 512));
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.pfn, 19968u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_FALSE(r.path & PATH_STEAL);
  EXPECT_EQ(block_mt(pa, 19968), MIGRATE_UNMOVABLE);
  for (unsigned o = 0; o < 8; ++o)
    EXPECT_EQ(free_list(pa, dma32(pa), o, MIGRATE_UNMOVABLE), std::vector<Pfn>{19968 + (1ull << o)}) << o;
  EXPECT_EQ(free_list(pa, dma32(pa), 8, MIGRATE_MOVABLE), pfn_range_down(19456, 31, 512));
  for (Pfn pb = 4096; pb < 19968; pb += pageblock_nr_pages) EXPECT_EQ(block_mt(pa, pb), MIGRATE_MOVABLE);
}

TEST(Claim, QuarterFreePageblockIsOnlyStolenFrom) {
  // Every pageblock: 128 free (order 7) + 384 movable. The claim attempt on
  // the order-7 head 19968 fails (128 + 0 < 256) and nothing else is
  // claimable, so __rmqueue_steal() splits 19968 from the smallest order up:
  // the page is handed out, the remainder stays on the Movable lists and the
  // pageblock stays Movable.
  PageAllocator pa = small_machine(permissive_config());
  leave_first_block_free_in_each_pageblock(pa, 7, 4096, 20480);
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.pfn, 19968u);
  EXPECT_TRUE(r.path & PATH_STEAL);
  EXPECT_FALSE(r.path & PATH_CLAIM);
  EXPECT_EQ(block_mt(pa, 19968), MIGRATE_MOVABLE);
  for (unsigned o = 0; o < 7; ++o)
    EXPECT_EQ(free_list(pa, dma32(pa), o, MIGRATE_MOVABLE), std::vector<Pfn>{19968 + (1ull << o)}) << o;
  for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) EXPECT_TRUE(free_list(pa, dma32(pa), o, MIGRATE_UNMOVABLE).empty());
}

TEST(Claim, NonMovablePagesInAMovableBlockCountAsAlike) {
  // From the quarter-free state, an unmovable order-7 request steals 19968
  // whole. Freeing the movable block 20096 then leaves pageblock 19968 with
  // 128 free, 256 movable and 128 unmovable pages. For an unmovable request
  // alike = 512 - 128 - 256 = 128, and 128 + 128 reaches 256: claimed.
  PageAllocator pa = small_machine(permissive_config());
  leave_first_block_free_in_each_pageblock(pa, 7, 4096, 20480);
  AllocResult stolen = pa.alloc_pages(0, UNMOVABLE, 7);
  EXPECT_EQ(stolen.pfn, 19968u);
  EXPECT_TRUE(stolen.path & PATH_STEAL);
  must_free(pa, 20096, 7);
  EXPECT_EQ(free_list(pa, dma32(pa), 7, MIGRATE_MOVABLE).front(), 20096u);
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.pfn, 20096u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(block_mt(pa, 19968), MIGRATE_UNMOVABLE);
}

// The last order-10 block [19456, 20480) claimed by an unmovable order-0
// request and then partly allocated; everything else holds movable order-10
// allocations. Returns with the Unmovable free pages of pageblock 19456 being
// 19457 (o0), 19458 (o1), 19460 (o2), 19464 (o3), 19472 (o4), 19488 (o5),
// 19520 (o6), 19584 (o7): 255 pages, and no Movable free page anywhere.
void one_unmovable_block_255_free(PageAllocator &pa) {
  for (Pfn pfn = 4096; pfn < 19456; pfn += 1024) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 10), pfn);
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 0), 19456u);
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 8), 19712u);
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 9), 19968u);
}

TEST(Claim, MovableRequestStealsWhenTheBlockIsOneShortOfHalfFree) {
  // A movable order-0 request tries to claim from order 10 down to order 4
  // (should_try_claim_block: fallback order >= pageblock_order/2): the heads
  // 19584 (o7), 19520 (o6), 19488 (o5), 19472 (o4) all sit in pageblock 19456
  // with 255 free and no movable page, 255 < 256: no claim. Order 3 returns
  // -2 and ends the search; __rmqueue_steal then starts at order 0: 19457.
  PageAllocator pa = small_machine(permissive_config());
  one_unmovable_block_255_free(pa);
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 19457u);
  EXPECT_TRUE(r.path & PATH_STEAL);
  EXPECT_FALSE(r.path & PATH_CLAIM);
  EXPECT_EQ(block_mt(pa, 19456), MIGRATE_UNMOVABLE);
  EXPECT_EQ(free_list(pa, dma32(pa), 7, MIGRATE_UNMOVABLE), std::vector<Pfn>{19584});
}

TEST(Claim, MovableRequestClaimsWhenTheBlockIsExactlyHalfFree) {
  // Freeing 19456 into the 255-free state merges it up to one order-8 block
  // (19712 is allocated): 256 free. The claim at order 8 succeeds, the block
  // becomes Movable and __rmqueue_smallest(Movable) splits it: 19456.
  PageAllocator pa = small_machine(permissive_config());
  one_unmovable_block_255_free(pa);
  must_free(pa, 19456, 0);
  EXPECT_EQ(free_list(pa, dma32(pa), 8, MIGRATE_UNMOVABLE), std::vector<Pfn>{19456});
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 19456u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(block_mt(pa, 19456), MIGRATE_MOVABLE);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_MOVABLE), std::vector<Pfn>{19457});
}

TEST(Claim, MovableRequestTriesToClaimFromOrder4) {
  // should_try_claim_block(): order >= pageblock_order / 2 (= 4) always
  // tries. Pageblock 19456 holds sixteen free order-4 blocks (every other
  // one; their buddies are allocated): 256 free, nothing bigger anywhere. The
  // movable request claims it via the order-4 head 19936; the free blocks
  // move to the Movable lists in address order and __rmqueue_smallest takes
  // 19456.
  PageAllocator pa = small_machine(permissive_config());
  for (Pfn pfn = 4096; pfn < 19456; pfn += 1024) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 10), pfn);
  for (Pfn pfn = 19456; pfn < 20480; pfn += 16) ASSERT_EQ(must_alloc_folded(pa, UNMOVABLE, 4), pfn);
  for (Pfn pfn = 19456; pfn < 19968; pfn += 32) must_free(pa, pfn, 4);
  ASSERT_EQ(free_list(pa, dma32(pa), 4, MIGRATE_UNMOVABLE).front(), 19936u);
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 19456u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(block_mt(pa, 19456), MIGRATE_MOVABLE);
  EXPECT_EQ(free_list(pa, dma32(pa), 4, MIGRATE_MOVABLE), pfn_range(19488, 15, 32));
}

TEST(Claim, ClaimedRequestIsServedByTheSmallestBlockOfTheNewType) {
  // try_to_claim_block() ends with __rmqueue_smallest(order, start_type),
  // which need not return the block that triggered the claim. Pageblock
  // 19456 with 19584 (o7) and 19712 (o8) free (384 >= 256): the movable
  // request claims via the order-8 head, then takes the smaller 19584.
  PageAllocator pa = small_machine(permissive_config());
  for (Pfn pfn = 4096; pfn < 19456; pfn += 1024) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 10), pfn);
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 0), 19456u);
  for (unsigned o = 0; o <= 6; ++o) must_alloc(pa, UNMOVABLE, o);  // 19457, 19458, ..., 19520
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 9), 19968u);
  // Pageblock 19456 now has exactly 19584 (o7) and 19712 (o8) free.
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 19584u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(free_list(pa, dma32(pa), 8, MIGRATE_MOVABLE), std::vector<Pfn>{19712});
}

TEST(Steal, MovableOrder0StealsFromTheSmallestFallbackOrder) {
  // Only Unmovable 19456 (o1) and 19472 (o3) are free. Claiming is not tried
  // for orders below 4 when the request is movable, so __rmqueue_steal()
  // takes the order-1 block (smallest first), hands out 19456 and leaves 19457
  // on the Unmovable list.
  PageAllocator pa = small_machine(permissive_config());
  for (Pfn pfn = 4096; pfn < 19456; pfn += 1024) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 10), pfn);
  // Fill [19456, 20480) with unmovable blocks: 19456 (o1, claims the block),
  // 19458 (o1), 19464 (o3), 19472 (o3, split from o4), 19460 (o2), 19480 (o3),
  // then 19488, 19520, 19584, 19712, 19968 of orders 5..9.
  const struct {
    unsigned order;
    Pfn pfn;
  } fill[] = {{1, 19456}, {1, 19458}, {3, 19464}, {3, 19472}, {2, 19460}, {3, 19480},
              {5, 19488}, {6, 19520}, {7, 19584}, {8, 19712}, {9, 19968}};
  for (const auto &f : fill) ASSERT_EQ(must_alloc_folded(pa, UNMOVABLE, f.order), f.pfn);
  EXPECT_EQ(nr_free(pa, dma32(pa)), 0);
  must_free(pa, 19456, 1);
  must_free(pa, 19472, 3);
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 19456u);
  EXPECT_TRUE(r.path & PATH_STEAL);
  EXPECT_EQ(free_list(pa, dma32(pa), 0, MIGRATE_UNMOVABLE), std::vector<Pfn>{19457});
  EXPECT_EQ(free_list(pa, dma32(pa), 3, MIGRATE_UNMOVABLE), std::vector<Pfn>{19472});
  EXPECT_EQ(block_mt(pa, 19456), MIGRATE_UNMOVABLE);
}

// ---- the fallback table -----------------------------------------------------------

// 4096 freed as an Unmovable order-10 block, 5120 as a Reclaimable one, all
// other memory allocated (movable).
void unmovable_and_reclaimable_blocks_free(PageAllocator &pa) {
  ASSERT_EQ(must_alloc(pa, UNMOVABLE, 10), 4096u);
  // fallbacks[Reclaimable] = {Unmovable, Movable}: the Unmovable list is empty.
  ASSERT_EQ(must_alloc(pa, RECLAIMABLE, 10), 5120u);
  for (Pfn pfn = 6144; pfn < 20480; pfn += 1024) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 10), pfn);
  must_free(pa, 4096, 10);
  must_free(pa, 5120, 10);
  ASSERT_EQ(block_mt(pa, 4096), MIGRATE_UNMOVABLE);
  ASSERT_EQ(block_mt(pa, 5120), MIGRATE_RECLAIMABLE);
}

TEST(Fallbacks, MovableFallsBackToReclaimableBeforeUnmovable) {
  // fallbacks[MIGRATE_MOVABLE] = {RECLAIMABLE, UNMOVABLE}.
  PageAllocator pa = small_machine(permissive_config());
  unmovable_and_reclaimable_blocks_free(pa);
  EXPECT_EQ(must_alloc(pa, MOVABLE, 10), 5120u);
  EXPECT_EQ(block_mt(pa, 5120), MIGRATE_MOVABLE);
  EXPECT_EQ(block_mt(pa, 5632), MIGRATE_MOVABLE);
}

TEST(Fallbacks, ReclaimableFallsBackToUnmovableBeforeMovable) {
  // fallbacks[MIGRATE_RECLAIMABLE] = {UNMOVABLE, MOVABLE}: with 4096
  // Unmovable and 5120 (re-typed Movable by the claim above) both free, the
  // reclaimable request takes 4096.
  PageAllocator pa = small_machine(permissive_config());
  unmovable_and_reclaimable_blocks_free(pa);
  ASSERT_EQ(must_alloc(pa, MOVABLE, 10), 5120u);
  must_free(pa, 5120, 10);
  EXPECT_EQ(must_alloc(pa, RECLAIMABLE, 10), 4096u);
  EXPECT_EQ(block_mt(pa, 4096), MIGRATE_RECLAIMABLE);
}

TEST(Fallbacks, UnmovableFallsBackToReclaimableBeforeMovable) {
  // fallbacks[MIGRATE_UNMOVABLE] = {RECLAIMABLE, MOVABLE}: 4096 Reclaimable
  // and 5120 Movable free, the unmovable request takes 4096.
  PageAllocator pa = small_machine(permissive_config());
  unmovable_and_reclaimable_blocks_free(pa);
  ASSERT_EQ(must_alloc(pa, MOVABLE, 10), 5120u);
  must_free(pa, 5120, 10);
  ASSERT_EQ(must_alloc(pa, RECLAIMABLE, 10), 4096u);
  must_free(pa, 4096, 10);
  EXPECT_EQ(must_alloc(pa, UNMOVABLE, 10), 4096u);
  EXPECT_EQ(block_mt(pa, 4096), MIGRATE_UNMOVABLE);
  EXPECT_EQ(free_list(pa, dma32(pa), 10, MIGRATE_MOVABLE), std::vector<Pfn>{5120});
}

// ---- ALLOC_NOFRAGMENT -----------------------------------------------------------------

// One node: DMA32 [4 GiB - 32 MiB, 4 GiB) and Normal [4 GiB, 4 GiB + 32 MiB).
MachineLayout dma32_and_normal() { return machine({node_layout(4 * GiB - 32 * MiB, 64 * MiB)}); }

TEST(NoFragment, NormalRequestSpreadsToDma32BeforeFragmenting) {
  // alloc_flags_nofragment(): the preferred zone is Normal and DMA32 is
  // populated, so the first pass may only claim whole pageblocks (min_order
  // 9) and may not steal. Normal has only half-free pageblocks (order-8
  // blocks), so it yields nothing; DMA32 has whole Movable blocks and the
  // request claims 1040384 there - Normal keeps every block Movable.
  PageAllocator pa(dma32_and_normal(), permissive_config());
  leave_first_block_free_in_each_pageblock(pa, 8, PFN_4G, PFN_4G + 8192);
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.zone, ZONE_DMA32);
  EXPECT_EQ(r.pfn, PFN_4G - 8192);
  EXPECT_TRUE(r.path & PATH_FALLBACK_ZONE);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  for (Pfn pb = PFN_4G; pb < PFN_4G + 8192; pb += pageblock_nr_pages) EXPECT_EQ(block_mt(pa, pb), MIGRATE_MOVABLE);
  EXPECT_EQ(zone_of(pa, 0, ZONE_NORMAL).free_area[8].nr_free, 16u);
}

TEST(NoFragment, SingleZoneRetriesWithoutItAndFragments) {
  // A one-node machine with only ZONE_NORMAL still gets ALLOC_NOFRAGMENT (on
  // UMA the kernel assumes DMA32 exists). Every zone fails the first pass, so
  // get_page_from_freelist() clears the flag and rescans: now the order-8
  // head 1064448 (last pageblock's first half) is claimed.
  PageAllocator pa(normal_machine(64 * MiB), permissive_config());
  leave_first_block_free_in_each_pageblock(pa, 8, PFN_4G, PFN_4G + 16384);
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.zone, ZONE_NORMAL);
  EXPECT_EQ(r.pfn, PFN_4G + 16384 - 512);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_FALSE(r.path & PATH_SLOWPATH);
  EXPECT_EQ(block_mt(pa, PFN_4G + 16384 - 512), MIGRATE_UNMOVABLE);
}

TEST(NoFragment, RetryWithoutItMayStealAQuarterBlock) {
  // Same with 128 free per pageblock: the retry's claim fails (128 < 256)
  // and __rmqueue_steal() hands out the order-7 head.
  PageAllocator pa(normal_machine(64 * MiB), permissive_config());
  leave_first_block_free_in_each_pageblock(pa, 7, PFN_4G, PFN_4G + 16384);
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.pfn, PFN_4G + 16384 - 512);
  EXPECT_TRUE(r.path & PATH_STEAL);
  EXPECT_EQ(block_mt(pa, r.pfn), MIGRATE_MOVABLE);
}

// ---- watermark boost ----------------------------------------------------------------------

// Kernel watermarks (min 256, low 320, high 384): 63 of the 64 order-8 blocks
// allocated (the 63rd through the slow path at MIN: 512 - 255 = 257 > 256),
// then the first half of pageblocks 4096..19456 freed. Every pageblock holds
// 256 free + 256 movable pages; the Movable order-8 list starts at 19456.
void half_free_pageblocks_kernel_watermarks(PageAllocator &pa) {
  for (Pfn pfn = 4096; pfn < 20224; pfn += 256) ASSERT_EQ(alloc_folded(pa, MOVABLE, 8).pfn, pfn);
  for (Pfn pb = 4096; pb < 19968; pb += pageblock_nr_pages) must_free(pa, pb, 8);
  ASSERT_EQ(free_list(pa, dma32(pa), 8, MIGRATE_MOVABLE).front(), 19456u);
}

TEST(Boost, FragmentingClaimBoostsWatermarksAndWakesKswapd) {
  // try_to_claim_block() below pageblock_order calls boost_watermark():
  // max_boost = high (384) * 15000 / 10000 = 576, boost = min(0 + 512,
  // max(512, 576)) = 512. The request has __GFP_KSWAPD_RECLAIM, so
  // ZONE_BOOSTED_WATERMARK is set and rmqueue() clears it again while waking
  // kswapd. Every watermark read now adds the boost.
  PageAllocator pa = small_machine(buddy_config());
  half_free_pageblocks_kernel_watermarks(pa);
  const unsigned long wakeups = pa.nodes()[0].kswapd_wakeups;
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 0);
  EXPECT_EQ(r.pfn, 19456u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  const Zone &z = dma32(pa);
  EXPECT_EQ(z.watermark_boost, 512u);
  EXPECT_FALSE(z.test(ZONE_BOOSTED_WATERMARK));
  EXPECT_EQ(pa.nodes()[0].kswapd_wakeups, wakeups + 1);
  EXPECT_EQ(z.low_wmark_pages(), 320u + 512);
  EXPECT_EQ(z._watermark[WMARK_LOW], 320u);
}

TEST(Boost, BoostIsCappedAtOneAndAHalfTimesHigh) {
  // A second fragmenting claim (an order-8 unmovable request: the claimed
  // block was split, so Unmovable has no order-8 block) adds another 512 but
  // the boost stops at max(512, 576) = 576.
  PageAllocator pa = small_machine(buddy_config());
  half_free_pageblocks_kernel_watermarks(pa);
  must_alloc(pa, UNMOVABLE, 0);
  AllocResult r = pa.alloc_pages(0, UNMOVABLE, 8);
  EXPECT_EQ(r.pfn, 18944u);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(dma32(pa).watermark_boost, 576u);
}

TEST(Boost, BoostWithoutTheKswapdBitWakesNobody) {
  // A request without __GFP_KSWAPD_RECLAIM (here __GFP_NOWARN alone) still
  // boosts, but ZONE_BOOSTED_WATERMARK is only set with ALLOC_KSWAPD, so
  // rmqueue() wakes no kswapd.
  PageAllocator pa = small_machine(buddy_config());
  half_free_pageblocks_kernel_watermarks(pa);
  const unsigned long wakeups = pa.nodes()[0].kswapd_wakeups;
  AllocResult r = pa.alloc_pages(0, gfp::NOWARN, 0);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(dma32(pa).watermark_boost, 512u);
  EXPECT_FALSE(dma32(pa).test(ZONE_BOOSTED_WATERMARK));
  EXPECT_EQ(pa.nodes()[0].kswapd_wakeups, wakeups);
}

TEST(Boost, ZonesSmallerThanFourPageblocksAreNeverBoosted) {
  // boost_watermark() gives up when 4 * pageblock_nr_pages > managed. A
  // 4 MiB DMA32 zone (1024 pages) under 64 MiB of Normal, with a 10% scale
  // factor so high (102 + 102) and max_boost are not 0: a fragmenting claim
  // there (order-8 fallback, 256 free + 0 alike) leaves the boost at 0.
  AllocatorConfig c = permissive_config();
  c.watermark_scale_factor = 1000;
  c.watermark_boost_factor = 15000;
  PageAllocator pa(machine({node_layout(4 * GiB - 4 * MiB, 68 * MiB)}), c);
  const Zone &small = zone_of(pa, 0, ZONE_DMA32);
  ASSERT_EQ(small.managed_pages, 1024u);
  ASSERT_GT(small._watermark[WMARK_HIGH], 0u);
  const gfp_t dma32_movable = gfp::KERNEL | gfp::DMA32 | gfp::MOVABLE;
  for (Pfn pfn = PFN_4G - 1024; pfn < PFN_4G; pfn += 256) ASSERT_EQ(must_alloc_folded(pa, dma32_movable, 8), pfn);
  must_free(pa, PFN_4G - 1024, 8);
  AllocResult r = pa.alloc_pages(0, gfp::KERNEL | gfp::DMA32, 0);
  EXPECT_EQ(r.pfn, PFN_4G - 1024);
  EXPECT_TRUE(r.path & PATH_CLAIM);
  EXPECT_EQ(small.watermark_boost, 0u);
}

}  // namespace
}  // namespace buddysim::model
