// Boot: zone sizing (mm/mm_init.c), the first free of memory to the buddy
// lists (memblock_free_all), and the sizing done once memory is free
// (init_per_zone_wmark_min, zone_pcp_update, build_all_zonelists).
// Every expected value is worked out in the comments from the kernel
// formulas, not read back from the model.
#include <gtest/gtest.h>

#include <vector>

#include "tests/model/test_machine.h"

namespace buddysim::model {
namespace {

using namespace test;

// An x86-64 PC with 4 GiB of RAM, one node, one CPU:
//  - e820 usable [0x1000, 0x9fc00): the first page is e820-reserved by the
//    kernel (trim_bios_range), and 0x9fc00 rounds down to pfn 159: pfns 1..158;
//  - the legacy hole 0xa0000..0xfffff (pfns 159..255);
//  - usable [1 MiB, 3 GiB) (pfns 256..786431), then the PCI hole,
//  - usable [4 GiB, 5 GiB) (pfns 1048576..1310719);
//  - the first 1 MiB memblock-reserved (x86 always reserves it);
//  - struct pages (64 bytes per present page) reserved at the top of the node.
MachineLayout x86_pc() {
  MachineLayout m;
  NodeLayout n;
  n.nr_cpus = 1;
  n.memory = {{0x1000, 0x9fc00 - 0x1000}, {1 * MiB, 3 * GiB - 1 * MiB}, {4 * GiB, 1 * GiB}};
  n.reserved = {{0, 1 * MiB}};
  m.nodes = {n};
  m.reserve_memmap = true;
  return m;
}

// Present pages: 158 + (786432 - 256) + 262144 = 1048478; their struct pages
// take ceil(1048478 * 64 / 4096) = 16383 pages from the top of the node.
constexpr unsigned long X86_MEMMAP_PAGES = 16383;

TEST(BootZones, X86ZoneSpansStartAtPfnOneAndCountHoles) {
  // zone_spanned_pages_in_node / zone_absent_pages_in_node: DMA spans from
  // the node start (pfn 1) to 16 MiB; present excludes the legacy hole;
  // managed is what memblock_free_all freed (not the reserved first MiB).
  PageAllocator pa(x86_pc(), checked_config());
  const Zone &dma = zone_of(pa, 0, ZONE_DMA);
  EXPECT_EQ(dma.zone_start_pfn, 1u);
  EXPECT_EQ(dma.spanned_pages, 4095u);
  EXPECT_EQ(dma.present_pages, 158u + (4096 - 256));  // 3998
  EXPECT_EQ(dma.managed_pages, 4096u - 256);          // 3840
  const Zone &dma32 = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(dma32.zone_start_pfn, 4096u);
  EXPECT_EQ(dma32.spanned_pages, PFN_4G - 4096);           // 1044480, the PCI hole included
  EXPECT_EQ(dma32.present_pages, pfn_of(3 * GiB) - 4096);  // 782336
  EXPECT_EQ(dma32.managed_pages, pfn_of(3 * GiB) - 4096);
  const Zone &normal = zone_of(pa, 0, ZONE_NORMAL);
  EXPECT_EQ(normal.zone_start_pfn, PFN_4G);
  EXPECT_EQ(normal.spanned_pages, 262144u);
  EXPECT_EQ(normal.present_pages, 262144u);
  EXPECT_EQ(normal.managed_pages, 262144u - X86_MEMMAP_PAGES);  // 245761
  EXPECT_FALSE(zone_of(pa, 0, ZONE_MOVABLE).populated());
  const Node &node = pa.nodes()[0];
  EXPECT_EQ(node.node_start_pfn, 1u);
  EXPECT_EQ(node.node_spanned_pages, 1310720u - 1);
  EXPECT_EQ(node.node_present_pages, 1048478u);
}

TEST(BootZones, MemmapIsReservedFromTheTopOfTheNode) {
  // memblock allocates top-down: the 16383 struct-page pages end the node, so
  // the last free page is pfn 1310720 - 16383 - 1 = 1294336, freed as an
  // order-0 block after 240 order-10 blocks.
  PageAllocator pa(x86_pc(), checked_config());
  const Zone &normal = zone_of(pa, 0, ZONE_NORMAL);
  const std::array<unsigned long, NR_PAGE_ORDERS> expect{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 240};
  EXPECT_EQ(buddyinfo(normal), expect);
  EXPECT_EQ(free_list(pa, normal, 0, MIGRATE_MOVABLE), std::vector<Pfn>{1294336});
  EXPECT_EQ(pa.frames()[1294337].state, FrameState::Reserved);
  EXPECT_EQ(pa.frames()[1310719].state, FrameState::Reserved);
}

TEST(BootZones, PageblockStartingInAHoleStaysUnmovable) {
  // memmap_init_range() marks a pageblock MIGRATE_MOVABLE when it initialises
  // the block's first pfn, and only pfns in memblock.memory are initialised
  // that way. Pfn 0 is not RAM on x86, so DMA's pageblock 0 keeps the zeroed
  // usemap: MIGRATE_UNMOVABLE (real machines show "Unmovable 1, Movable 7" for
  // the DMA zone in /proc/pagetypeinfo). Every other block is Movable.
  PageAllocator pa(x86_pc(), checked_config());
  EXPECT_EQ(block_mt(pa, 0), MIGRATE_UNMOVABLE);
  for (Pfn pb = 512; pb < 4096; pb += pageblock_nr_pages) EXPECT_EQ(block_mt(pa, pb), MIGRATE_MOVABLE) << pb;
  for (Pfn pb = 4096; pb < pfn_of(3 * GiB); pb += 64 * pageblock_nr_pages)
    EXPECT_EQ(block_mt(pa, pb), MIGRATE_MOVABLE) << pb;
  // Pageblock 1294336 holds the last free page and starts in RAM (reserved
  // RAM is still memblock.memory): Movable.
  EXPECT_EQ(block_mt(pa, 1294336), MIGRATE_MOVABLE);
}

TEST(BootZones, X86DmaFreeListsMatchRealPagetypeinfo) {
  // DMA frees [256, 4096): 256 as order 8 (256 = 2^8 aligned), 512 as order 9,
  // then three order-10 blocks. The order-8 block lies in the Unmovable
  // pageblock 0, so it is filed as Unmovable: pagetypeinfo shows Unmovable
  // "... 1 0 0" and Movable "... 0 1 3", as on real PCs.
  PageAllocator pa(x86_pc(), checked_config());
  const Zone &dma = zone_of(pa, 0, ZONE_DMA);
  EXPECT_EQ(free_list(pa, dma, 8, MIGRATE_UNMOVABLE), std::vector<Pfn>{256});
  EXPECT_EQ(free_list(pa, dma, 9, MIGRATE_MOVABLE), std::vector<Pfn>{512});
  EXPECT_EQ(free_list(pa, dma, 10, MIGRATE_MOVABLE), (std::vector<Pfn>{1024, 2048, 3072}));
  const std::array<unsigned long, NR_PAGE_ORDERS> unmovable{0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
  const std::array<unsigned long, NR_PAGE_ORDERS> movable{0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3};
  EXPECT_EQ(typeinfo(dma, MIGRATE_UNMOVABLE), unmovable);
  EXPECT_EQ(typeinfo(dma, MIGRATE_MOVABLE), movable);
}

TEST(BootFree, UnalignedRangeIsFreedInMaxAlignedChunks) {
  // __free_pages_memory(): order = min(10, __ffs(start)), lowered while the
  // chunk would pass the end. [4099, 8192) frees 4099 (o0), 4100 (o2),
  // 4104 (o3), 4112 (o4), 4128 (o5), 4160 (o6), 4224 (o7), 4352 (o8),
  // 4608 (o9), then 5120, 6144, 7168 (o10). None can merge: each buddy lies
  // below the start. Pageblock 4096 starts in a hole, so the chunks inside it
  // are Unmovable; 4608 onwards is Movable.
  MachineLayout m = machine({node_layout(4099 * PAGE_SIZE, (8192 - 4099) * PAGE_SIZE)});
  PageAllocator pa(m, checked_config());
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(z.zone_start_pfn, 4099u);
  EXPECT_EQ(z.managed_pages, 4093u);
  const std::array<unsigned long, NR_PAGE_ORDERS> expect{1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 3};
  EXPECT_EQ(buddyinfo(z), expect);
  const Pfn heads[] = {4099, 0, 4100, 4104, 4112, 4128, 4160, 4224, 4352};
  for (unsigned o = 0; o <= 8; ++o) {
    if (o == 1) continue;
    EXPECT_EQ(free_list(pa, z, o, MIGRATE_UNMOVABLE), std::vector<Pfn>{heads[o]}) << "order " << o;
  }
  EXPECT_EQ(free_list(pa, z, 9, MIGRATE_MOVABLE), std::vector<Pfn>{4608});
  EXPECT_EQ(free_list(pa, z, 10, MIGRATE_MOVABLE), (std::vector<Pfn>{5120, 6144, 7168}));
}

TEST(BootFree, MaxOrderBlocksGoToTheTailInAscendingPfnOrder) {
  // __free_pages_core() frees with FPI_TO_TAIL in address order, so the
  // order-10 list reads 4096, 5120, ..., 19456 from the head.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(free_list(pa, z, 10, MIGRATE_MOVABLE), pfn_range(4096, 16, 1024));
  for (Pfn pb = 4096; pb < 20480; pb += pageblock_nr_pages) EXPECT_EQ(block_mt(pa, pb), MIGRATE_MOVABLE);
}

TEST(BootFree, FirstAllocationGetsTheLowestPfn) {
  // The head of the order-10 list is the lowest block; __rmqueue_smallest
  // splits it and keeps the bottom page.
  PageAllocator pa(dma32_machine(64 * MiB), checked_config());
  EXPECT_EQ(must_alloc(pa, gfp::HIGHUSER_MOVABLE, 0), 4096u);
  PageAllocator pa2(x86_pc(), checked_config());
  // GFP_KERNEL prefers Normal; its lowest block is 4 GiB.
  EXPECT_EQ(must_alloc(pa2, gfp::KERNEL, 0), PFN_4G);
}

// ---- min_free_kbytes and watermarks --------------------------------------

TEST(BootWatermarks, MinFreeKbytesIsSqrtOf16TimesLowmem) {
  // calculate_min_free_kbytes(): int_sqrt(lowmem_kbytes * 16), clamped to
  // [128, 262144]; lowmem = managed pages of zones <= Normal (the high
  // watermarks are still 0 when it first runs).
  struct Case {
    std::uint64_t bytes;
    int expect;
  } cases[] = {
      {1 * GiB, 4096},    // 262144 pages: sqrt(1048576 KiB * 16) = 4096
      {256 * MiB, 2048},  // sqrt(262144 * 16)
      {64 * MiB, 1024},   // sqrt(65536 * 16)
      {16 * MiB, 512},    // sqrt(16384 * 16), the kernel comment's table
      {512 * KiB, 128},   // sqrt(512 * 16) = 90, clamped up to 128
  };
  for (const Case &c : cases) {
    PageAllocator pa(dma32_machine(c.bytes), AllocatorConfig{});
    EXPECT_EQ(pa.min_free_kbytes(), c.expect) << c.bytes;
  }
}

TEST(BootWatermarks, MinFreeKbytesCountsOnlyManagedLowmem) {
  // 1 GiB with its struct pages reserved: 262144 - 4096 = 258048 managed,
  // int_sqrt(258048 * 4 * 16) = 4063. The x86 PC: 3840 + 782336 + 245761 =
  // 1031937 managed, int_sqrt(1031937 * 64) = 8126.
  MachineLayout m = dma32_machine(1 * GiB);
  m.reserve_memmap = true;
  PageAllocator pa(m, AllocatorConfig{});
  EXPECT_EQ(pa.min_free_kbytes(), 4063);
  PageAllocator pc(x86_pc(), AllocatorConfig{});
  EXPECT_EQ(pc.min_free_kbytes(), 8126);
}

TEST(BootWatermarks, UserMinFreeKbytesIsUsedAsIs) {
  // vm.min_free_kbytes=5000: pages_min = 1250 for the only zone; low and high
  // add max(1250/4, 16384*10/10000) = 312 each.
  AllocatorConfig c;
  c.min_free_kbytes = 5000;
  PageAllocator pa(dma32_machine(64 * MiB), c);
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(pa.min_free_kbytes(), 5000);
  EXPECT_EQ(z._watermark[WMARK_MIN], 1250u);
  EXPECT_EQ(z._watermark[WMARK_LOW], 1562u);
  EXPECT_EQ(z._watermark[WMARK_HIGH], 1874u);
}

TEST(BootWatermarks, MinIsSplitByManagedShareAndDeltaIsMaxOfQuarterAndScaleFactor) {
  // __setup_per_zone_wmarks(): pages_min = 8126/4 = 2031 over 1031937 lowmem
  // pages. DMA: 2031*3840/1031937 = 7; delta = max(7/4, 3840*10/10000) = 3.
  // DMA32: 2031*782336/1031937 = 1539; delta = max(384, 782) = 782.
  // Normal: 2031*245761/1031937 = 483; delta = max(120, 245) = 245.
  PageAllocator pa(x86_pc(), AllocatorConfig{});
  auto wm = [&](int zid) {
    const Zone &z = zone_of(pa, 0, zid);
    return std::vector<unsigned long>(z._watermark.begin(), z._watermark.end());
  };
  EXPECT_EQ(wm(ZONE_DMA), (std::vector<unsigned long>{7, 10, 13, 16}));
  EXPECT_EQ(wm(ZONE_DMA32), (std::vector<unsigned long>{1539, 2321, 3103, 3885}));
  EXPECT_EQ(wm(ZONE_NORMAL), (std::vector<unsigned long>{483, 728, 973, 1218}));
  for (int zid : {ZONE_DMA, ZONE_DMA32, ZONE_NORMAL}) EXPECT_EQ(zone_of(pa, 0, zid).watermark_boost, 0u);
}

TEST(BootWatermarks, QuarterOfMinWinsOnSmallZones) {
  // 64 MiB: min_free_kbytes 1024, pages_min 256, delta = max(64, 16) = 64.
  PageAllocator pa(dma32_machine(64 * MiB), AllocatorConfig{});
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(std::vector<unsigned long>(z._watermark.begin(), z._watermark.end()),
            (std::vector<unsigned long>{256, 320, 384, 448}));
}

TEST(BootWatermarks, LowmemReserveIsUpperZonesManagedOverRatio) {
  // setup_per_zone_lowmem_reserve(): lowmem_reserve[j] of zone i is the sum
  // of managed pages of zones i+1..j over ratio[i] (DMA 256, DMA32 256).
  // DMA: [DMA32] = 782336/256 = 3056, [Normal] = [Movable] =
  // (782336+245761)/256 = 4016. DMA32: [Normal] = [Movable] = 245761/256 = 960.
  PageAllocator pa(x86_pc(), AllocatorConfig{});
  auto res = [&](int zid) {
    const Zone &z = zone_of(pa, 0, zid);
    return std::vector<long>(z.lowmem_reserve.begin(), z.lowmem_reserve.end());
  };
  EXPECT_EQ(res(ZONE_DMA), (std::vector<long>{0, 3056, 4016, 4016}));
  EXPECT_EQ(res(ZONE_DMA32), (std::vector<long>{0, 0, 960, 960}));
  EXPECT_EQ(res(ZONE_NORMAL), (std::vector<long>{0, 0, 0, 0}));
}

TEST(BootWatermarks, LowmemReserveRatioZeroClearsTheReserve) {
  // A ratio below 1 clears the zone's reserve.
  AllocatorConfig c;
  c.lowmem_reserve_ratio = {256, 0, 32, 0};
  PageAllocator pa(x86_pc(), c);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA32).lowmem_reserve[ZONE_NORMAL], 0);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA).lowmem_reserve[ZONE_NORMAL], 4016);
}

// ---- pcp sizing -------------------------------------------------------------

TEST(BootPcp, BatchIs63ForGigabyteZonesAnd1ForDma) {
  // zone_batchsize(): b = min(managed >> 10, 256) / 4, then
  // rounddown_pow_of_two(b + b/2) - 1: 64 -> 96 -> 63 for >= 1 GiB zones;
  // DMA: 3840 >> 10 = 3, /4 = 0 -> 1 -> 1 - 1 = 0 -> max(1, 0) = 1;
  // 64 MiB: 16 / 4 = 4 -> 6 -> 4 - 1 = 3.
  PageAllocator pa(x86_pc(), AllocatorConfig{});
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA).pageset_batch, 1);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA32).pageset_batch, 63);
  EXPECT_EQ(zone_of(pa, 0, ZONE_NORMAL).pageset_batch, 63);
  EXPECT_EQ(pcp_of(zone_of(pa, 0, ZONE_NORMAL), 0).batch, 63);
  PageAllocator small(dma32_machine(64 * MiB), AllocatorConfig{});
  EXPECT_EQ(zone_of(small, 0, ZONE_DMA32).pageset_batch, 3);
}

TEST(BootPcp, HighMinIsLowWatermarkAndHighMaxAnEighthOfTheZonePerCpu) {
  // zone_highsize(): high_min = low_wmark / cpus of the node, high_max =
  // managed / 8 / cpus, both at least 4 * batch. x86 PC, 1 CPU:
  // DMA 10 / 480, DMA32 2321 / 97792, Normal 728 / 30720.
  PageAllocator pa(x86_pc(), AllocatorConfig{});
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA).pageset_high_min, 10);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA).pageset_high_max, 480);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA32).pageset_high_min, 2321);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA32).pageset_high_max, 97792);
  EXPECT_EQ(zone_of(pa, 0, ZONE_NORMAL).pageset_high_min, 728);
  EXPECT_EQ(zone_of(pa, 0, ZONE_NORMAL).pageset_high_max, 30720);
  // 64 MiB with 4 CPUs: 320/4 = 80 and 16384/8/4 = 512.
  PageAllocator four(dma32_machine(64 * MiB, 4), AllocatorConfig{});
  const PerCpuPages &pcp = pcp_of(zone_of(four, 0, ZONE_DMA32), 3);
  EXPECT_EQ(pcp.high_min, 80);
  EXPECT_EQ(pcp.high_max, 512);
  EXPECT_EQ(pcp.high, 0);  // the boot value until the first refill clamps it
}

TEST(BootPcp, HighIsAtLeastFourBatches) {
  // 64 MiB with 8 CPUs: 320/8 = 40 >= 12, but the DMA zone of the x86 PC with
  // 4 CPUs has 10/4 = 2 < 4 * 1: high_min = 4.
  MachineLayout m = x86_pc();
  m.nodes[0].nr_cpus = 4;
  PageAllocator pa(m, AllocatorConfig{});
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA).pageset_high_min, 4);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA).pageset_high_max, 120);  // 480 / 4
}

TEST(BootPcp, CpulessNodeSplitsHighOverAllCpus) {
  // nr_split_cpus = CPUs of the zone's node, or every online CPU if the node
  // has none. Two 64 MiB Normal nodes, all 4 CPUs on node 0:
  //   min_free_kbytes: lowmem 32768 pages -> int_sqrt(32768*64) = 1448,
  //   pages_min 362, each zone 181; delta max(45, 16) = 45; low 226.
  // Node 1 splits its 226 / 2048 over all 4 CPUs: 56 / 512.
  MachineLayout m = machine({node_layout(4 * GiB, 64 * MiB, 4), node_layout(4 * GiB + 64 * MiB, 64 * MiB, 0)});
  PageAllocator pa(m, AllocatorConfig{});
  EXPECT_EQ(zone_of(pa, 0, ZONE_NORMAL)._watermark[WMARK_LOW], 226u);
  EXPECT_EQ(zone_of(pa, 1, ZONE_NORMAL).pageset_high_min, 226 / 4);
  EXPECT_EQ(zone_of(pa, 1, ZONE_NORMAL).pageset_high_max, 2048 / 4);
}

TEST(BootPcp, PagelistHighFractionFixesHighMinEqualHighMax) {
  // vm.percpu_pagelist_high_fraction = 8: high_min = high_max =
  // managed / 8 / cpus = 16384 / 8 = 2048.
  AllocatorConfig c;
  c.percpu_pagelist_high_fraction = 8;
  PageAllocator pa(dma32_machine(64 * MiB), c);
  const Zone &z = zone_of(pa, 0, ZONE_DMA32);
  EXPECT_EQ(z.pageset_high_min, 2048);
  EXPECT_EQ(z.pageset_high_max, 2048);
}

// ---- zonelists -----------------------------------------------------------------

TEST(BootZonelists, TwoNodesFallBackToTheOtherNodeHighestZoneFirst) {
  // build_zonelists(): node order 0,1 for node 0 and 1,0 for node 1; each
  // node contributes its populated zones from the highest type down.
  MachineLayout m = machine({node_layout(4 * GiB - 32 * MiB, 64 * MiB), node_layout(4 * GiB + 32 * MiB, 64 * MiB)});
  PageAllocator pa(m, AllocatorConfig{});
  const Node &n0 = pa.nodes()[0];
  const Node &n1 = pa.nodes()[1];
  EXPECT_EQ(n0.node_order, (std::vector<int>{0, 1}));
  EXPECT_EQ(n1.node_order, (std::vector<int>{1, 0}));
  const std::vector<const Zone *> fb0(n0.zonelist_fallback.begin(), n0.zonelist_fallback.end());
  EXPECT_EQ(fb0, (std::vector<const Zone *>{&zone_of(pa, 0, ZONE_NORMAL), &zone_of(pa, 0, ZONE_DMA32),
                                            &zone_of(pa, 1, ZONE_NORMAL)}));
  const std::vector<const Zone *> fb1(n1.zonelist_fallback.begin(), n1.zonelist_fallback.end());
  EXPECT_EQ(fb1, (std::vector<const Zone *>{&zone_of(pa, 1, ZONE_NORMAL), &zone_of(pa, 0, ZONE_NORMAL),
                                            &zone_of(pa, 0, ZONE_DMA32)}));
  // __GFP_THISNODE's list holds the local zones only.
  const std::vector<const Zone *> nf0(n0.zonelist_nofallback.begin(), n0.zonelist_nofallback.end());
  EXPECT_EQ(nf0, (std::vector<const Zone *>{&zone_of(pa, 0, ZONE_NORMAL), &zone_of(pa, 0, ZONE_DMA32)}));
}

MachineLayout four_nodes(std::vector<std::vector<int>> distance) {
  std::vector<NodeLayout> nodes;
  for (int n = 0; n < 4; ++n) nodes.push_back(node_layout(4 * GiB + n * 16 * MiB, 16 * MiB));
  MachineLayout m = machine(nodes);
  m.distance = std::move(distance);
  return m;
}

TEST(BootZonelists, FourNodeRingOrdersByDistanceThenNodeLoad) {
  // find_next_best_node(): minimise (distance + (n < node) + 1 for a node
  // with CPUs) * MAX_NUMNODES + node_load[n]; node_load[n]++ for the first
  // node of each new distance tier, shared across the nodes' builds.
  //   node 0: 1 (val 22*1024, first of the 21s: load[1] = 1), 3 (22*1024),
  //           2 (32*1024, a new tier: load[2] = 1)
  //   node 1: 2 (22*1024 + load 1) before 0 (23*1024: 0 < 1 costs 1),
  //           load[2] = 2; then 0; then 3 (load[3] = 1)
  //   node 2: 3 (22*1024 + 1; load[3] = 2), 1 (23*1024 + 1), 0 (load[0] = 1)
  //   node 3: 0 (23*1024 + 1) before 2 (23*1024 + 2; load[0] = 2), then 1
  PageAllocator pa(four_nodes({{10, 21, 31, 21}, {21, 10, 21, 31}, {31, 21, 10, 21}, {21, 31, 21, 10}}),
                   AllocatorConfig{});
  EXPECT_EQ(pa.nodes()[0].node_order, (std::vector<int>{0, 1, 3, 2}));
  EXPECT_EQ(pa.nodes()[1].node_order, (std::vector<int>{1, 2, 0, 3}));
  EXPECT_EQ(pa.nodes()[2].node_order, (std::vector<int>{2, 3, 1, 0}));
  EXPECT_EQ(pa.nodes()[3].node_order, (std::vector<int>{3, 0, 2, 1}));
}

TEST(BootZonelists, EquidistantNodesRoundRobinThroughNodeLoad) {
  // All remote nodes at 20: the node_load penalty of each list's first remote
  // node rotates the order: 0 1 2 3 / 1 2 3 0 / 2 3 0 1 / 3 0 1 2.
  PageAllocator pa(four_nodes({}), AllocatorConfig{});
  EXPECT_EQ(pa.nodes()[0].node_order, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(pa.nodes()[1].node_order, (std::vector<int>{1, 2, 3, 0}));
  EXPECT_EQ(pa.nodes()[2].node_order, (std::vector<int>{2, 3, 0, 1}));
  EXPECT_EQ(pa.nodes()[3].node_order, (std::vector<int>{3, 0, 1, 2}));
}

// ---- movablecore ------------------------------------------------------------------

TEST(BootMovablecore, MovableZoneTakesTheTopOfNormal) {
  // find_zone_movable_pfns_for_nodes(): movablecore=128M -> 32768 pages
  // (already MAX_ORDER aligned); kernelcore = 98304 - 32768 = 65536. Below
  // usable_startpfn (4 GiB, the start of ZONE_NORMAL) DMA32's 32768 pages
  // count as kernelcore; the remaining 32768 come from Normal, so ZONE_MOVABLE
  // starts at 1048576 + 32768 = 1081344.
  MachineLayout m;
  NodeLayout n;
  n.nr_cpus = 1;
  n.memory = {{16 * MiB, 128 * MiB}, {4 * GiB, 256 * MiB}};
  m.nodes = {n};
  m.reserve_memmap = false;
  AllocatorConfig c = checked_config();
  c.movablecore_bytes = 128 * MiB;
  PageAllocator pa(m, c);
  const Zone &normal = zone_of(pa, 0, ZONE_NORMAL);
  const Zone &movable = zone_of(pa, 0, ZONE_MOVABLE);
  EXPECT_EQ(normal.zone_start_pfn, PFN_4G);
  EXPECT_EQ(normal.spanned_pages, 32768u);
  EXPECT_EQ(movable.zone_start_pfn, PFN_4G + 32768);
  EXPECT_EQ(movable.spanned_pages, 32768u);
  EXPECT_EQ(movable.managed_pages, 32768u);
  // Movable's min is clamp(managed/1024, 32, 128) = 32; its delta still comes
  // from the lowmem share: pages_min 2048/4 = 512 (lowmem = DMA32 + Normal =
  // 65536 pages, Movable excluded), tmp = 512*32768/65536 = 256, delta =
  // max(64, 32) = 64.
  EXPECT_EQ(pa.min_free_kbytes(), 2048);
  EXPECT_EQ(std::vector<unsigned long>(movable._watermark.begin(), movable._watermark.end()),
            (std::vector<unsigned long>{32, 96, 160, 224}));
  EXPECT_EQ(normal._watermark[WMARK_MIN], 256u);
  // Normal's reserve against Movable requests: 32768/32 = 1024.
  EXPECT_EQ(normal.lowmem_reserve[ZONE_MOVABLE], 1024);
  EXPECT_EQ(zone_of(pa, 0, ZONE_DMA32).lowmem_reserve[ZONE_MOVABLE], 65536 / 256);
  // GFP_HIGHUSER_MOVABLE prefers ZONE_MOVABLE; GFP_KERNEL cannot use it.
  EXPECT_EQ(must_alloc(pa, gfp::HIGHUSER_MOVABLE, 0), PFN_4G + 32768);
  AllocResult k = pa.alloc_pages(0, gfp::KERNEL, 0);
  EXPECT_EQ(k.zone, ZONE_NORMAL);
  EXPECT_EQ(k.pfn, PFN_4G);
}

TEST(BootMovablecore, WithoutMemoryAbove4GMovableComesOutOfDma32) {
  // find_usable_zone_for_movable(): movable_zone is the highest zone with
  // memory - DMA32 here - and usable_startpfn its lowest pfn (4096).
  // movablecore=64M = 16384 pages; kernelcore = 65536 - 16384 = 49152, all
  // taken from DMA32's start: ZONE_MOVABLE = [53248, 69632).
  AllocatorConfig c = checked_config();
  c.movablecore_bytes = 64 * MiB;
  PageAllocator pa(dma32_machine(256 * MiB), c);
  const Zone &dma32 = zone_of(pa, 0, ZONE_DMA32);
  const Zone &movable = zone_of(pa, 0, ZONE_MOVABLE);
  EXPECT_EQ(dma32.zone_start_pfn, 4096u);
  EXPECT_EQ(dma32.spanned_pages, 49152u);
  EXPECT_EQ(movable.zone_start_pfn, 53248u);
  EXPECT_EQ(movable.spanned_pages, 16384u);
  EXPECT_EQ(movable.managed_pages, 16384u);
}

TEST(BootMobility, GroupingIsDisabledBelowSixPageblocksPerType) {
  // build_all_zonelists(): mobility grouping is off when the pages above the
  // high watermark number fewer than pageblock_nr_pages * MIGRATE_TYPES =
  // 3072. 8 MiB = 2048 pages: off, and every request is then Unmovable.
  PageAllocator small(dma32_machine(8 * MiB), AllocatorConfig{});
  EXPECT_TRUE(small.page_group_by_mobility_disabled());
  PageAllocator big(dma32_machine(64 * MiB), AllocatorConfig{});
  EXPECT_FALSE(big.page_group_by_mobility_disabled());
}

TEST(BootMobility, GroupingDecisionCountsPresentNotManagedPages) {
  // build_all_zonelists() runs before memblock_free_all(), when each zone's
  // managed_pages is still its present_pages (zone_init_internals). 12 MiB
  // with its first MiB reserved: 3072 present pages keep grouping on,
  // although only 2816 pages are ever managed.
  MachineLayout m = dma32_machine(12 * MiB);
  m.nodes[0].reserved = {{16 * MiB, 1 * MiB}};
  PageAllocator pa(m, AllocatorConfig{});
  ASSERT_EQ(zone_of(pa, 0, ZONE_DMA32).managed_pages, 2816u);
  EXPECT_FALSE(pa.page_group_by_mobility_disabled());
}

}  // namespace
}  // namespace buddysim::model
