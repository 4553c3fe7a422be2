// Per-cpu page lists: refill sizing (nr_pcp_alloc), the free-side
// auto-tuning (free_frozen_page_commit, nr_pcp_high, nr_pcp_free), the
// once-a-second work of vmstat_update (decay_pcp_high, remote pageset
// expiry), percpu_pagelist_high_fraction and the pcp-off what-if.
//
// The 64 MiB DMA32 machine has batch 3, high_min = low watermark 320 and
// high_max = 16384 / 8 = 2048 per CPU (1 CPU unless stated otherwise).
#include <gtest/gtest.h>

#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

constexpr gfp_t MOVABLE = gfp::HIGHUSER_MOVABLE;
constexpr int MOVABLE_O0 = order_to_pindex(MIGRATE_MOVABLE, 0);

const Zone &dma32(const PageAllocator &pa) { return zone_of(pa, 0, ZONE_DMA32); }

AllocatorConfig fraction_config(int fraction) {
  AllocatorConfig c = checked_config();
  c.percpu_pagelist_high_fraction = fraction;
  return c;
}

struct Refill {
  int pages;  // pages rmqueue_bulk() brought in
  int high;   // pcp->high after nr_pcp_alloc()
  int alloc_factor;
};

// Allocates order-0 movable pages one refill at a time: the first
// allocation of each step must refill exactly `pages` (count = pages - 1
// afterwards), then the rest of the refill is consumed from the list.
void expect_refills(PageAllocator &pa, const std::vector<Refill> &steps, int cpu = 0) {
  Pfn next = 4096;
  for (const Refill &s : steps) {
    AllocResult r = pa.alloc_pages(cpu, MOVABLE, 0);
    ASSERT_TRUE(r.path & PATH_PCP_REFILL) << "no refill where " << s.pages << " pages were expected";
    EXPECT_EQ(r.pfn, next);
    const PerCpuPages &pcp = pcp_of(dma32(pa), cpu);
    EXPECT_EQ(pcp.count, s.pages - 1);
    EXPECT_EQ(pcp.high, s.high);
    EXPECT_EQ(pcp.alloc_factor, s.alloc_factor);
    for (int i = 1; i < s.pages; ++i) {
      AllocResult hit = pa.alloc_pages(cpu, MOVABLE, 0);
      ASSERT_EQ(hit.path & PATH_PCP_REFILL, 0);
      EXPECT_EQ(hit.pfn, next + static_cast<Pfn>(i));
    }
    next += static_cast<Pfn>(s.pages);
  }
}

// ---- nr_pcp_alloc -----------------------------------------------------------------

TEST(PcpAlloc, RefillDoublesPerConsecutiveRefillUpToScaleMax) {
  // nr_pcp_alloc(): batch = base << alloc_factor, and alloc_factor++ while
  // batch fits max_nr_alloc = max(high - count - base, base), up to
  // CONFIG_PCP_BATCH_SCALE_MAX = 5: 3, 6, 12, 24, 48, then 96 for good. high
  // starts at high_min (320) and grows by each batch (zone above its high
  // watermark, high_min != high_max).
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  expect_refills(pa, {{3, 323, 1}, {6, 329, 2}, {12, 341, 3}, {24, 365, 4}, {48, 413, 5}, {96, 509, 5}, {96, 605, 5}});
}

TEST(PcpAlloc, RefillIsCappedByMaxNrAlloc) {
  // percpu_pagelist_high_fraction = 1024: high_min = high_max = 16, so high
  // never grows and max_nr_alloc = 16 - 0 - 3 = 13: refills 3, 6, 12, then
  // 24 is cut to 13 and alloc_factor stays at 3.
  PageAllocator pa(dma32_machine(64 * MiB), fraction_config(1024));
  expect_refills(pa, {{3, 16, 1}, {6, 16, 2}, {12, 16, 3}, {13, 16, 3}});
}

TEST(PcpAlloc, HighOrderRefillIsBatchShiftedByOrderButAtLeastTwo) {
  // For order > 0 the batch ignores alloc_factor and becomes
  // max(batch >> order, 2): with batch 63 (a 1 GiB zone) order 1 brings 31
  // blocks, order 2 15, order 3 7 and the THP order 9 2 blocks. One block of
  // each goes to the caller.
  PageAllocator pa(dma32_machine(1 * GiB), checked_config());
  const Zone &z = dma32(pa);
  ASSERT_EQ(z.pageset_batch, 63);
  must_alloc(pa, MOVABLE, 0);
  EXPECT_EQ(pcp_list(pa, z, 0, MOVABLE_O0).size(), 62u);
  const struct {
    unsigned order;
    std::size_t left;
  } cases[] = {{1, 30}, {2, 14}, {3, 6}, {9, 1}};
  for (const auto &c : cases) {
    must_alloc(pa, MOVABLE, c.order);
    EXPECT_EQ(pcp_list(pa, z, 0, order_to_pindex(MIGRATE_MOVABLE, c.order)).size(), c.left) << "order " << c.order;
  }
  // count is in pages: 62 + 30*2 + 14*4 + 6*8 + 1*512.
  EXPECT_EQ(pcp_of(z, 0).count, 62 + 60 + 56 + 48 + 512);
}

TEST(PcpAlloc, SmallBatchHighOrderRefillIsTwoBlocks) {
  // batch 3: order 1 gives max(3 >> 1, 2) = 2 blocks, order 3 max(0, 2) = 2.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  must_alloc(pa, MOVABLE, 1);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, order_to_pindex(MIGRATE_MOVABLE, 1)).size(), 1u);
  must_alloc(pa, MOVABLE, 3);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, order_to_pindex(MIGRATE_MOVABLE, 3)).size(), 1u);
}

TEST(PcpAlloc, EveryFreeHalvesAllocFactor) {
  // free_frozen_page_commit(): alloc_factor >>= 1. After refills of 3, 6,
  // 12 (alloc_factor 3), one free leaves 1: the freed page is handed out
  // again, then the next refill is 3 << 1 = 6 and alloc_factor becomes 2.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  expect_refills(pa, {{3, 323, 1}, {6, 329, 2}, {12, 341, 3}});
  must_free(pa, 4100, 0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).alloc_factor, 1);
  EXPECT_EQ(must_alloc(pa, MOVABLE, 0), 4100u);
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_TRUE(r.path & PATH_PCP_REFILL);
  EXPECT_EQ(r.pfn, 4117u);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 5);
  EXPECT_EQ(pcp_of(dma32(pa), 0).alloc_factor, 2);
  EXPECT_EQ(pcp_of(dma32(pa), 0).high, 347);
}

// ---- nr_pcp_high auto-tuning -------------------------------------------------------

TEST(PcpHigh, GrowsByEachBatchUpToHighMax) {
  // 4 CPUs: high_min = 320/4 = 80, high_max = 2048/4 = 512. high: 83, 89,
  // 101, 125, 173, 269, 365, 461, then min(557, 512) = 512 and it stays.
  PageAllocator pa(dma32_machine(64 * MiB, 4), checked_config());
  expect_refills(pa, {{3, 83, 1},
                      {6, 89, 2},
                      {12, 101, 3},
                      {24, 125, 4},
                      {48, 173, 5},
                      {96, 269, 5},
                      {96, 365, 5},
                      {96, 461, 5},
                      {96, 512, 5},
                      {96, 512, 5}});
}

TEST(PcpHigh, DoesNotGrowWhileTheZoneIsBelowItsHighWatermark) {
  // With 384 pages free (== high watermark) the order-0 fast path fails the
  // high check and sets ZONE_BELOW_HIGH, then passes at low (384 > 320).
  // nr_pcp_alloc() clamps high to high_min (320) and, below high, does not
  // add the batch.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  // Orders 10, 8, 7 bypass the pcp (order 9 would not: it is the THP order).
  for (int i = 0; i < 15; ++i) must_alloc_folded(pa, MOVABLE, 10);
  for (unsigned o : {8u, 8u, 7u}) must_alloc_folded(pa, MOVABLE, o);  // 1024 -> 384
  ASSERT_EQ(nr_free(pa, dma32(pa)), 384);
  ASSERT_FALSE(dma32(pa).test(ZONE_BELOW_HIGH));
  AllocResult r = alloc_folded(pa, MOVABLE, 0);
  ASSERT_TRUE(r.path & PATH_PCP_REFILL);
  EXPECT_TRUE(dma32(pa).test(ZONE_BELOW_HIGH));
  EXPECT_EQ(pcp_of(dma32(pa), 0).high, 320);
}

TEST(PcpHigh, FreesPastHighRaiseItToFreeCountPlusBatch) {
  // nr_pcp_high(), zone not below its high watermark: when count reaches
  // high, pcp->high becomes clamp(free_count + batch, high_min, high_max) for
  // the next round, while this drain uses the old high. 4 CPUs: high_min 80,
  // high_max 512. CPU 1 allocates 160 pages, CPU 0 (high 0, clamped to 80)
  // frees them: at the 80th free count = free_count = 80, high -> 83 and
  // clamp(80, 3, 80 - 3) = 77 pages go; at the 160th count = 83 and
  // free_count has stopped at 3 << 5 = 96: high -> 99, clamp(96, 3, 80) = 80 go.
  PageAllocator pa(dma32_machine(64 * MiB, 4), checked_config());
  for (Pfn want = 4096; want < 4096 + 160; ++want) ASSERT_EQ(must_alloc(pa, MOVABLE, 0, 1), want);
  const Zone &z = dma32(pa);
  Pfn next = 4096;
  for (int i = 0; i < 80; ++i) must_free(pa, next++, 0, 0);
  EXPECT_EQ(pcp_of(z, 0).high, 83);
  EXPECT_EQ(pcp_of(z, 0).count, 3);
  for (int i = 0; i < 80; ++i) must_free(pa, next++, 0, 0);
  EXPECT_EQ(pcp_of(z, 0).high, 99);
  EXPECT_EQ(pcp_of(z, 0).count, 3);
}

TEST(PcpHigh, BelowTheHighWatermarkEveryFreeShrinksHigh) {
  // With ZONE_BELOW_HIGH, nr_pcp_high() lowers pcp->high by
  // max(free_count, batch) per free (not below high_min) and drains once
  // count reaches high_min. Refills of 3, 6, 12 take high to 341 while 416+
  // pages are free; an order-4 allocation then leaves 379 (< 384) and sets
  // the flag. Two frees: 341 - 3 = 338, then 335.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  for (int i = 0; i < 14; ++i) must_alloc_folded(pa, MOVABLE, 10);
  for (unsigned o : {8u, 8u, 8u, 8u, 8u, 8u, 6u, 5u}) must_alloc_folded(pa, MOVABLE, o);  // -> 416
  ASSERT_EQ(nr_free(pa, dma32(pa)), 416);
  std::vector<Pfn> pages;
  for (int i = 0; i < 21; ++i) pages.push_back(must_alloc(pa, MOVABLE, 0));
  ASSERT_EQ(pcp_of(dma32(pa), 0).high, 341);
  ASSERT_FALSE(dma32(pa).test(ZONE_BELOW_HIGH));
  must_alloc(pa, MOVABLE, 4);
  ASSERT_TRUE(dma32(pa).test(ZONE_BELOW_HIGH));
  must_free(pa, pages[0], 0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).high, 338);
  must_free(pa, pages[1], 0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).high, 335);
}

TEST(PcpHigh, FirstFreeOnAFreshPagesetUsesTheKernelClamp) {
  // The kernel's clamp(val, lo, hi) tests `val >= hi` first, then
  // `val <= lo`. vm.min_free_kbytes=8192 on 64 MiB with 2 CPUs: low = 2048 +
  // 512 = 2560, so high_min = 2560/2 = 1280 exceeds high_max = 16384/8/2 = 1024.
  // CPU 1 has never refilled (high 0): its first free sets high to
  // clamp(0, 1280, 1024) = 1280, the next one clamp(1280, 1280, 1024) = 1024.
  AllocatorConfig c = checked_config();
  c.min_free_kbytes = 8192;
  PageAllocator pa(dma32_machine(64 * MiB, 2), c);
  const Zone &z = dma32(pa);
  ASSERT_EQ(z.pageset_high_min, 1280);
  ASSERT_EQ(z.pageset_high_max, 1024);
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0, 0), 4096u);
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0, 0), 4097u);
  EXPECT_EQ(pcp_of(z, 0).high, 1024);  // clamp gave 1280, + batch capped at 1024
  must_free(pa, 4096, 0, 1);
  EXPECT_EQ(pcp_of(z, 1).high, 1280);
  must_free(pa, 4097, 0, 1);
  EXPECT_EQ(pcp_of(z, 1).high, 1024);
}

// ---- free_high: consecutive high-order frees ----------------------------------------

// High fixed at 16 (fraction 1024), batch 3: free_high needs
// free_count >= 3 + 16/2 = 11. PCPF_FREE_HIGH_BATCH is set (a 2 MiB cache
// slice is 512 pages > 3 * batch), so also count >= batch.
TEST(PcpFreeHigh, ConsecutiveHighOrderFreesDrainThePcp) {
  // Eight order-1 allocations (refills of 2 blocks): 4096, 4098, ..., 4110.
  // Freeing them raises free_count by 2 each; on the 7th free free_count is
  // 12 >= 11 and the previous free was high-order too, so free_high drains
  // min(count, 3 << 5) = all 14 pages, and high stays max(16 - 96, 16).
  PageAllocator pa(dma32_machine(64 * MiB), fraction_config(1024));
  for (Pfn want = 4096; want < 4112; want += 2) ASSERT_EQ(must_alloc(pa, MOVABLE, 1), want);
  ASSERT_NE(pcp_of(dma32(pa), 0).flags & PCPF_FREE_HIGH_BATCH, 0);
  for (Pfn pfn = 4096; pfn < 4108; pfn += 2) must_free(pa, pfn, 1);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 12);
  EXPECT_EQ(pcp_of(dma32(pa), 0).free_count, 12);
  must_free(pa, 4108, 1);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).high, 16);
}

TEST(PcpFreeHigh, AnOrder0FreeInBetweenPreventsIt) {
  // An order-0 allocation first (refill 4096..4098, 4097 and 4098 stay on
  // the pcp), then order-1 blocks 4100..4114. Six order-1 frees, an order-0
  // free (clears PCPF_PREV_FREE_HIGH_ORDER), then the 7th order-1 free: no
  // free_high. count is 17 >= high 16, so an ordinary drain of
  // clamp(free_count 15, 3, 13) = 13 pages runs from the order-1 list: all
  // seven blocks (the last one overshoots); the order-0 list keeps its 3.
  PageAllocator pa(dma32_machine(64 * MiB), fraction_config(1024));
  ASSERT_EQ(must_alloc(pa, MOVABLE, 0), 4096u);
  for (Pfn want = 4100; want < 4116; want += 2) ASSERT_EQ(must_alloc(pa, MOVABLE, 1), want);
  for (Pfn pfn = 4100; pfn < 4112; pfn += 2) must_free(pa, pfn, 1);
  must_free(pa, 4096, 0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 15);
  must_free(pa, 4112, 1);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 3);
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, MOVABLE_O0), (std::vector<Pfn>{4096, 4097, 4098}));
}

// ---- nr_pcp_free ---------------------------------------------------------------------

TEST(PcpFree, DrainSizeIsFreeCountClampedToBatchAndHighMinusBatch) {
  // High 16: 30 allocations refill 3, 6, 12 and 13 pages (4126..4129 stay).
  // Frees of 4096, 4097, ...: count = 4 + k, free_count = k. At k = 12 count
  // hits 16 and clamp(12, 3, 13) = 12 pages go (count 4); at k = 24 it hits
  // 16 again and clamp(24, 3, 13) = 13 go (count 3).
  PageAllocator pa(dma32_machine(64 * MiB), fraction_config(1024));
  for (Pfn want = 4096; want < 4126; ++want) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);
  ASSERT_EQ(pcp_of(dma32(pa), 0).count, 4);
  Pfn next = 4096;
  auto free_next = [&](int n) {
    for (int i = 0; i < n; ++i) must_free(pa, next++, 0);
  };
  free_next(11);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 15);
  free_next(1);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 4);
  free_next(11);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 15);
  free_next(1);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 3);
}

// ---- vmstat_update: decay and remote expiry -----------------------------------------

TEST(PcpDecay, HighLosesAnEighthPerVmstatUpdateAndTheExcessIsDrained) {
  // 477 allocations (refills 3, 6, 12, 24, 48 and four of 96) leave high at
  // 797; freeing all 477 keeps them on the pcp (count < high). Each
  // decay_pcp_high(): high = max3(count - (3 << 5), high - high/8, 320), then
  // count - high pages are drained from the tail (the first pages freed):
  //   high 698, 611, 535 (no drain), 469 (drain 8), 411 (58), 360 (51),
  //   320 (40), then high == high_min: nothing more.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  for (Pfn want = 4096; want < 4096 + 477; ++want) ASSERT_EQ(must_alloc(pa, MOVABLE, 0), want);
  ASSERT_EQ(pcp_of(dma32(pa), 0).high, 797);
  for (Pfn pfn = 4096; pfn < 4096 + 477; ++pfn) must_free(pa, pfn, 0);
  ASSERT_EQ(pcp_of(dma32(pa), 0).count, 477);
  const struct {
    int high, count;
  } steps[] = {{698, 477}, {611, 477}, {535, 477}, {469, 469}, {411, 411}, {360, 360}, {320, 320}, {320, 320}};
  for (const auto &s : steps) {
    pa.vmstat_update(0);
    EXPECT_EQ(pcp_of(dma32(pa), 0).high, s.high);
    EXPECT_EQ(pcp_of(dma32(pa), 0).count, s.count);
  }
  // The coldest pages went first: the list now ends at 4096 + 157.
  EXPECT_EQ(pcp_list(pa, dma32(pa), 0, MOVABLE_O0).back(), 4096u + 157);
}

// Two nodes of 64 MiB above 4 GiB (ZONE_NORMAL each), CPU 0 on node 0 and
// CPU 1 on node 1. Per zone: low 226 (see numa_test), batch 3, stat
// threshold 2 * fls(2) * (1 + fls(0)) = 4.
MachineLayout two_numa_nodes() {
  return machine({node_layout(4 * GiB, 64 * MiB), node_layout(4 * GiB + 64 * MiB, 64 * MiB)});
}

TEST(PcpRemote, RemotePagesetIsDrainedAfterThreeIdleVmstatUpdates) {
  // CPU 0 allocates from node 1: a refill of 3 leaves 2 pages on CPU 0's
  // pageset of node 1's zone and a -3 NR_FREE_PAGES delta (below the
  // threshold 4). The first vmstat_update folds it and sets expire = 3, then
  // counts it down to 2; the next two calls count to 1 and 0, and at 0
  // drain_zone_pages() frees min(count, batch) = 2 pages.
  PageAllocator pa(two_numa_nodes(), checked_config());
  const Zone &remote = zone_of(pa, 1, ZONE_NORMAL);
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0, 1);
  ASSERT_EQ(r.nid, 1);
  ASSERT_EQ(pcp_of(remote, 0).count, 2);
  ASSERT_EQ(pcp_of(remote, 0).vm_stat_diff[NR_FREE_PAGES], -3);
  pa.vmstat_update(0);
  EXPECT_EQ(pcp_of(remote, 0).expire, 2);
  EXPECT_EQ(pcp_of(remote, 0).count, 2);
  pa.vmstat_update(0);
  EXPECT_EQ(pcp_of(remote, 0).count, 2);
  pa.vmstat_update(0);
  EXPECT_EQ(pcp_of(remote, 0).count, 0);
}

TEST(PcpRemote, LocalPagesetNeverExpires) {
  // Same on the CPU's own node: expire is reset to 0 and the pages stay.
  PageAllocator pa(two_numa_nodes(), checked_config());
  const Zone &local = zone_of(pa, 0, ZONE_NORMAL);
  ASSERT_EQ(pa.alloc_pages(0, MOVABLE, 0).nid, 0);
  for (int i = 0; i < 5; ++i) pa.vmstat_update(0);
  EXPECT_EQ(pcp_of(local, 0).count, 2);
  EXPECT_EQ(pcp_of(local, 0).expire, 0);
}

// ---- percpu_pagelist_high_fraction and pcp off --------------------------------------------

TEST(PcpFraction, HighFractionFixesHighAndDisablesTuning) {
  // Fraction 8: high_min = high_max = 2048. Refills still grow the batch,
  // but high stays 2048, and vmstat_update has nothing to decay.
  PageAllocator pa(dma32_machine(64 * MiB), fraction_config(8));
  expect_refills(pa, {{3, 2048, 1}, {6, 2048, 2}, {12, 2048, 3}});
  pa.vmstat_update(0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).high, 2048);
}

TEST(PcpDisabled, EveryAllocationAndFreeUsesTheBuddyLists) {
  // AllocatorConfig::pcp_enabled = false (a what-if, not a kernel option):
  // order-0 requests go to rmqueue_buddy() and frees merge at once.
  PageAllocator pa(dma32_machine(64 * MiB), buddy_config());
  AllocResult r = pa.alloc_pages(0, MOVABLE, 0);
  EXPECT_EQ(r.pfn, 4096u);
  EXPECT_EQ(r.path & (PATH_BUDDY | PATH_PCP_HIT | PATH_PCP_REFILL), PATH_BUDDY);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 0);
  EXPECT_EQ(nr_free(pa, dma32(pa)), 16383);
  must_free(pa, 4096, 0);
  EXPECT_EQ(pcp_of(dma32(pa), 0).count, 0);
  EXPECT_EQ(nr_free(pa, dma32(pa)), 16384);
  EXPECT_EQ(buddyinfo(dma32(pa))[10], 16u);
}

}  // namespace
}  // namespace buddysim::model
