// Watermark checks (__zone_watermark_ok, zone_watermark_fast), the reserves
// different callers may use, lowmem_reserve, and the highatomic reserve
// (reserve_highatomic_pageblock, unreserve_highatomic_pageblock).
//
// The 64 MiB DMA32 machine has min 256, low 320, high 384 and no
// lowmem_reserve; the pcp lists are off so that free counts are exact, and
// vmstat deltas are folded before every edge allocation.
#include <gtest/gtest.h>

#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

constexpr gfp_t MOVABLE = gfp::HIGHUSER_MOVABLE;
// Movable pages that may dig into the atomic reserves: used only to bring a
// zone down to an exact free count.
constexpr gfp_t FILLER = gfp::ATOMIC | gfp::MOVABLE;

const Zone &dma32(const PageAllocator &pa) { return zone_of(pa, 0, ZONE_DMA32); }

// Allocates blocks, largest first, until exactly `target` pages are free.
void fill_to(PageAllocator &pa, const Zone &z, long target, gfp_t gfp = FILLER, int cpu = 0) {
  fold_vmstat(pa);
  long excess = nr_free(pa, z) - target;
  ASSERT_GE(excess, 0);
  for (int o = MAX_PAGE_ORDER; o >= 0; --o)
    while (excess >= (1l << o)) {
      AllocResult r = alloc_folded(pa, gfp, static_cast<unsigned>(o), cpu);
      ASSERT_TRUE(r.ok()) << "filler order " << o << " failed with " << nr_free(pa, z) << " free";
      ASSERT_EQ(&zone_of(pa, r.nid, r.zone), &z);
      excess -= 1l << o;
    }
  fold_vmstat(pa);
  ASSERT_EQ(z.page_state(NR_FREE_PAGES), target);
}

// Watermark boosting off: an unmovable request that claims part of a
// pageblock would otherwise raise every mark by 512 and hide the edge.
PageAllocator small_machine() {
  AllocatorConfig c = buddy_config();
  c.watermark_boost_factor = 0;
  return PageAllocator(dma32_machine(64 * MiB), c);
}

// ---- the fast path at LOW ------------------------------------------------------------

TEST(Watermark, FastPathSucceedsWhileFreeIsAboveLow) {
  // get_page_from_freelist() with ALLOC_WMARK_LOW: 321 > 320.
  PageAllocator pa = small_machine();
  fill_to(pa, dma32(pa), 321);
  AllocResult r = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.path & PATH_SLOWPATH);
}

TEST(Watermark, AtLowTheSlowPathWakesKswapdAndUsesMin) {
  // free == low fails the strict test (free <= mark); the slow path wakes
  // kswapd and retries at WMARK_MIN (320 > 256).
  PageAllocator pa = small_machine();
  fill_to(pa, dma32(pa), 320);
  const unsigned long wakeups = pa.nodes()[0].kswapd_wakeups;
  AllocResult r = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.path & PATH_SLOWPATH);
  EXPECT_GT(pa.nodes()[0].kswapd_wakeups, wakeups);
}

TEST(Watermark, GfpKernelStopsAtMin) {
  // __zone_watermark_ok(): fail if free <= min + lowmem_reserve. 257 passes,
  // 256 fails (no reclaim to retry with).
  PageAllocator pa = small_machine();
  fill_to(pa, dma32(pa), 257);
  EXPECT_TRUE(alloc_folded(pa, gfp::KERNEL, 0).ok());
  AllocResult r = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.path & PATH_FAILED);
  EXPECT_EQ(nr_free(pa, dma32(pa)), 256);
}

TEST(Watermark, GfpNowaitGetsNoShareOfMin) {
  // GFP_NOWAIT is non-blocking (ALLOC_NON_BLOCK) but without __GFP_HIGH: the
  // mark stays 256.
  PageAllocator pa = small_machine();
  fill_to(pa, dma32(pa), 257);
  EXPECT_TRUE(alloc_folded(pa, gfp::NOWAIT, 0).ok());
  EXPECT_FALSE(alloc_folded(pa, gfp::NOWAIT, 0).ok());
}

TEST(Watermark, HighPriorityAloneGetsHalfOfMin) {
  // __GFP_HIGH with direct reclaim: ALLOC_MIN_RESERVE, min -= min/2 = 128.
  // 129 passes, 128 fails.
  PageAllocator pa = small_machine();
  fill_to(pa, dma32(pa), 129);
  EXPECT_TRUE(alloc_folded(pa, gfp::KERNEL | gfp::HIGH, 0).ok());
  EXPECT_FALSE(alloc_folded(pa, gfp::KERNEL | gfp::HIGH, 0).ok());
}

TEST(Watermark, AtomicGetsThreeEighthsOfMin) {
  // GFP_ATOMIC: ALLOC_MIN_RESERVE (256 - 128 = 128) and ALLOC_NON_BLOCK
  // (128 - 128/4 = 96). free == 96 + 0 fails, 97 passes.
  PageAllocator pa = small_machine();
  fill_to(pa, dma32(pa), 97);
  AllocResult ok = alloc_folded(pa, gfp::ATOMIC, 0);
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(ok.path & PATH_SLOWPATH);
  AllocResult fail = alloc_folded(pa, gfp::ATOMIC, 0);
  EXPECT_FALSE(fail.ok());
  EXPECT_EQ(nr_free(pa, dma32(pa)), 96);
}

TEST(Watermark, HighOrderNeedsAFreeBlockOfThatOrder) {
  // __zone_watermark_ok() for order > 0 also wants a free block >= order on
  // a Movable/Unmovable/Reclaimable list. Half of every pageblock free as
  // order-8 blocks: 8192 free pages, yet order 9 fails while order 8 works.
  PageAllocator pa = small_machine();
  for (Pfn pfn = 4096; pfn < 20224; pfn += 256) ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 8), pfn);
  for (Pfn pb = 4096; pb < 19968; pb += pageblock_nr_pages) must_free(pa, pb, 8);
  ASSERT_EQ(nr_free(pa, dma32(pa)), 8192);
  EXPECT_FALSE(alloc_folded(pa, MOVABLE, 9).ok());
  EXPECT_TRUE(alloc_folded(pa, MOVABLE, 8).ok());
}

TEST(Watermark, Order0MinReserveAtMinIgnoresTheBoost) {
  // zone_watermark_fast(): an order-0 ALLOC_MIN_RESERVE check at WMARK_MIN
  // that fails against the boosted mark is retried against the unboosted
  // _watermark[MIN]. Set-up: only the order-8 block 20224 is free (its
  // pageblock's other half is movable); GFP_ATOMIC order 0 claims it (256 +
  // 0 alike) and boosts by 512. With 255 free, the boosted atomic mark is
  // (256 + 512) * 3/8 = 288: order 1 fails (254 <= 288), order 0 passes on
  // the retry against 256 * 3/8 = 96.
  PageAllocator pa(dma32_machine(64 * MiB), buddy_config());
  for (int i = 0; i < 14; ++i) must_alloc_folded(pa, MOVABLE, 10);
  ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 9), 18432u);
  ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 9), 18944u);
  ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 9), 19456u);
  ASSERT_EQ(must_alloc_folded(pa, MOVABLE, 8), 19968u);
  AllocResult claim = alloc_folded(pa, gfp::ATOMIC, 0);
  ASSERT_EQ(claim.pfn, 20224u);
  ASSERT_TRUE(claim.path & PATH_CLAIM);
  ASSERT_EQ(dma32(pa).watermark_boost, 512u);
  EXPECT_FALSE(alloc_folded(pa, gfp::ATOMIC, 1).ok());
  EXPECT_TRUE(alloc_folded(pa, gfp::ATOMIC, 0).ok());
}

// ---- lowmem_reserve ---------------------------------------------------------------------

TEST(LowmemReserve, ProtectsDma32FromNormalRequests) {
  // One node, DMA32 and Normal of 32 MiB each: min 128, low 160 in both;
  // DMA32's lowmem_reserve[Normal] = 8192 / 256 = 32. Normal is brought to
  // its min (128), DMA32 to 161. A GFP_KERNEL request (highest zone Normal)
  // may use DMA32 only while free > 128 + 32: 161 passes (slow path), 160
  // fails. GFP_DMA32 (highest zone DMA32, reserve 0) still passes at 160.
  // Watermark boosting is off so that claims in DMA32 do not move the marks.
  AllocatorConfig c = buddy_config();
  c.watermark_boost_factor = 0;
  PageAllocator pa(machine({node_layout(4 * GiB - 32 * MiB, 64 * MiB)}), c);
  const Zone &low = zone_of(pa, 0, ZONE_DMA32);
  const Zone &normal = zone_of(pa, 0, ZONE_NORMAL);
  ASSERT_EQ(low._watermark[WMARK_MIN], 128u);
  ASSERT_EQ(low._watermark[WMARK_LOW], 160u);
  ASSERT_EQ(low.lowmem_reserve[ZONE_NORMAL], 32);
  fill_to(pa, low, 161, gfp::KERNEL | gfp::DMA32 | gfp::MOVABLE);
  fill_to(pa, normal, 128, MOVABLE);
  AllocResult first = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(first.zone, ZONE_DMA32);
  EXPECT_TRUE(first.path & PATH_SLOWPATH);
  AllocResult second = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_FALSE(second.ok());
  AllocResult dma = alloc_folded(pa, gfp::KERNEL | gfp::DMA32, 0);
  EXPECT_TRUE(dma.ok());
  EXPECT_EQ(dma.zone, ZONE_DMA32);
  EXPECT_EQ(nr_free(pa, normal), 128);
}

// ---- the highatomic reserve ----------------------------------------------------------------

// 256 MiB (65536 pages, one zone) with vm.min_free_kbytes = 261120:
// min = 65280 and low = 81600, beyond any free count, so every allocation
// runs the slow path; GFP_ATOMIC may go down to 3/8 of min (24480).
PageAllocator highatomic_machine() {
  AllocatorConfig c = buddy_config();
  c.min_free_kbytes = 261120;
  return PageAllocator(dma32_machine(256 * MiB), c);
}

TEST(HighAtomic, HighOrderAtomicAllocationReservesItsPageblock) {
  // GFP_ATOMIC order 1 in the slow path has ALLOC_HIGHATOMIC. It claims the
  // order-10 block 4096 and gets 4096; reserve_highatomic_pageblock() then
  // (1% of 65536 = 655 >= 512, cap ALIGN(655, 512) = 1024) moves pageblock
  // 4096's free pages to the HighAtomic lists and retypes it:
  // nr_reserved_highatomic = 512, nr_free_highatomic = 510.
  PageAllocator pa = highatomic_machine();
  AllocResult r = pa.alloc_pages(0, gfp::ATOMIC, 1);
  ASSERT_EQ(r.pfn, 4096u);
  EXPECT_TRUE(r.path & PATH_SLOWPATH);
  const Zone &z = dma32(pa);
  EXPECT_EQ(block_mt(pa, 4096), MIGRATE_HIGHATOMIC);
  EXPECT_EQ(block_mt(pa, 4608), MIGRATE_UNMOVABLE);
  EXPECT_EQ(z.nr_reserved_highatomic, 512u);
  EXPECT_EQ(z.nr_free_highatomic, 510);
  for (unsigned o = 1; o <= 8; ++o)
    EXPECT_EQ(free_list(pa, z, o, MIGRATE_HIGHATOMIC), std::vector<Pfn>{4096 + (1ull << o)}) << o;
  EXPECT_EQ(free_list(pa, z, 9, MIGRATE_UNMOVABLE), std::vector<Pfn>{4608});
}

TEST(HighAtomic, LaterAtomicRequestsAreServedFromTheReserveFirst) {
  // rmqueue_buddy() with ALLOC_HIGHATOMIC tries __rmqueue_smallest(HIGHATOMIC)
  // first: the next order-1 atomic request gets 4098.
  PageAllocator pa = highatomic_machine();
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 1), 4096u);
  AllocResult r = pa.alloc_pages(0, gfp::ATOMIC, 1);
  EXPECT_EQ(r.pfn, 4098u);
  EXPECT_TRUE(r.path & PATH_HIGHATOMIC);
  EXPECT_EQ(dma32(pa).nr_reserved_highatomic, 512u);
}

TEST(HighAtomic, ReserveIsCappedAtAboutOnePercentOfTheZone) {
  // The cap is 1024 pages. An order-9 atomic request (the reserve has no
  // order-9 block) takes 4608 and reserves it whole (+512); a third one
  // claims 5120 but finds the reserve full.
  PageAllocator pa = highatomic_machine();
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 1), 4096u);
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 9), 4608u);
  EXPECT_EQ(dma32(pa).nr_reserved_highatomic, 1024u);
  EXPECT_EQ(block_mt(pa, 4608), MIGRATE_HIGHATOMIC);
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 9), 5120u);
  EXPECT_EQ(dma32(pa).nr_reserved_highatomic, 1024u);
  EXPECT_EQ(block_mt(pa, 5120), MIGRATE_UNMOVABLE);
}

TEST(HighAtomic, Order0AtomicDipsIntoTheReserveOnlyWhenAllElseFails) {
  // rmqueue_buddy(): if __rmqueue() finds nothing and the caller is
  // ALLOC_NON_BLOCK (or OOM), __rmqueue_smallest(HIGHATOMIC) is tried.
  // 256 MiB with kernel watermarks (min 512, low 640, 3/8 of min 192),
  // boosting off. 63 order-10, then orders 8, 6, 6 leave 640 free: 68992
  // (o7) and 69120 (o9). A GFP_ATOMIC order-1 request (slow path: 639 <=
  // 640) claims 69120 and reserves its pageblock (510 free pages). The 128
  // pages of 68992 are then stolen one by one by order-0 atomic requests;
  // the next one is served from the reserve: 69122.
  AllocatorConfig c = buddy_config();
  c.watermark_boost_factor = 0;
  PageAllocator pa(dma32_machine(256 * MiB), c);
  for (int i = 0; i < 63; ++i) must_alloc_folded(pa, MOVABLE, 10);
  for (unsigned o : {8u, 6u, 6u}) must_alloc_folded(pa, MOVABLE, o);
  ASSERT_EQ(nr_free(pa, dma32(pa)), 640);
  AllocResult reserve = alloc_folded(pa, gfp::ATOMIC, 1);
  ASSERT_EQ(reserve.pfn, 69120u);
  ASSERT_EQ(dma32(pa).nr_reserved_highatomic, 512u);
  for (Pfn want = 68992; want < 69120; ++want) {
    AllocResult r = alloc_folded(pa, gfp::ATOMIC, 0);
    ASSERT_EQ(r.pfn, want);
    ASSERT_FALSE(r.path & PATH_HIGHATOMIC);
  }
  AllocResult r = alloc_folded(pa, gfp::ATOMIC, 0);
  EXPECT_EQ(r.pfn, 69122u);
  EXPECT_TRUE(r.path & PATH_HIGHATOMIC);
  EXPECT_EQ(block_mt(pa, 69120), MIGRATE_HIGHATOMIC);
}

TEST(HighAtomic, ReservedFreePagesDoNotCountForNormalRequests) {
  // __zone_watermark_unusable_free() adds nr_free_highatomic unless the
  // caller has ALLOC_RESERVES. After the reservation 65534 pages are free,
  // 510 of them highatomic: GFP_KERNEL|__GFP_NORETRY sees 65024 <= 65280 and
  // fails (without the retry loop that would unreserve), while GFP_NOWAIT
  // (ALLOC_NON_BLOCK is one of ALLOC_RESERVES) sees 65534 > 65280 and is
  // served from Unmovable (4608), not from the reserve.
  PageAllocator pa = highatomic_machine();
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 1), 4096u);
  EXPECT_FALSE(alloc_folded(pa, gfp::KERNEL | gfp::NORETRY, 0).ok());
  EXPECT_EQ(dma32(pa).nr_reserved_highatomic, 512u);
  AllocResult nowait = alloc_folded(pa, gfp::NOWAIT, 0);
  EXPECT_EQ(nowait.pfn, 4608u);
  EXPECT_EQ(dma32(pa).nr_free_highatomic, 510);
}

TEST(HighAtomic, ReserveIsReleasedBeforeAnAllocationFails) {
  // GFP_KERNEL fails the same check; should_reclaim_retry() finds no zone
  // that could pass and, before giving up, calls
  // unreserve_highatomic_pageblock(force): the block goes to the caller's
  // type (Unmovable), its free pages with it, and the retry succeeds with
  // the smallest Unmovable block: 4098.
  PageAllocator pa = highatomic_machine();
  ASSERT_EQ(must_alloc(pa, gfp::ATOMIC, 1), 4096u);
  AllocResult r = alloc_folded(pa, gfp::KERNEL, 0);
  EXPECT_EQ(r.pfn, 4098u);
  const Zone &z = dma32(pa);
  EXPECT_EQ(z.nr_reserved_highatomic, 0u);
  EXPECT_EQ(z.nr_free_highatomic, 0);
  EXPECT_EQ(block_mt(pa, 4096), MIGRATE_UNMOVABLE);
  EXPECT_EQ(free_list(pa, z, 8, MIGRATE_UNMOVABLE), std::vector<Pfn>{4352});
}

}  // namespace
}  // namespace buddysim::model
