// debugfs extfrag/extfrag_index and extfrag/unusable_index: layout against
// real kernel output, and the fragmentation index arithmetic worked by hand.
#include <gtest/gtest.h>

#include <initializer_list>

#include "tests/model/procfs_test_support.h"

namespace buddysim::model {
namespace {

using namespace procfs_testing;

// ---- debugfs extfrag/ -----------------------------------------------------------

TEST(ProcfsExtfrag, ExtfragRowsMatchKernelSampleColumns) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_extfrag_index(alloc));
  const Lines real = lines_of(read_sample("extfrag_index_x86.txt"));
  ASSERT_EQ(ours.size(), real.size());
  for (std::size_t i = 0; i < real.size(); ++i) {
    EXPECT_EQ(head_tokens(ours[i], 4), head_tokens(real[i], 4));
    EXPECT_EQ(token_ends(ours[i]), token_ends(real[i])) << ours[i] << "\n" << real[i];
    EXPECT_EQ(ours[i].back(), ' ');
  }
}

// In a fragmented zone high orders print non-negative indexes, which the
// "%2d" width keeps in the same columns as "-1.000" (sample's Normal row).
TEST(ProcfsExtfrag, NonNegativeIndexesKeepKernelColumns) {
  PageAllocator alloc(small_layout(), AllocatorConfig{});
  leave_only_order0(alloc);
  const Lines ours = lines_of(render_extfrag_index(alloc));
  const std::string real_row = lines_of(read_sample("extfrag_index_x86.txt")).back();
  ASSERT_EQ(ours.size(), 2u);
  EXPECT_NE(ours[1].find("  0."), std::string::npos) << ours[1];
  EXPECT_EQ(token_ends(ours[1]), token_ends(real_row));
}

TEST(ProcfsExtfrag, UnusableRowsMatchKernelSampleColumns) {
  PageAllocator alloc(pc_layout(2), AllocatorConfig{});
  touch_allocator(alloc);
  const Lines ours = lines_of(render_unusable_index(alloc));
  const Lines real = lines_of(read_sample("unusable_index_2node.txt"));
  ASSERT_EQ(ours.size(), real.size());
  for (std::size_t i = 0; i < real.size(); ++i) {
    EXPECT_EQ(head_tokens(ours[i], 4), head_tokens(real[i], 4));
    EXPECT_EQ(token_ends(ours[i]), token_ends(real[i])) << ours[i] << "\n" << real[i];
    EXPECT_EQ(ours[i].back(), ' ');
  }
}

TEST(ProcfsExtfrag, RenderedValuesAreTheIndexHelpers) {
  PageAllocator alloc(small_layout(), AllocatorConfig{});
  leave_only_order0(alloc);
  const Zone &dma32 = zone_named(alloc, 0, ZONE_DMA32);
  const Lines unusable = tokens(lines_of(render_unusable_index(alloc))[1]);
  const Lines extfrag = tokens(lines_of(render_extfrag_index(alloc))[1]);
  for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) {
    const ContigPageInfo info = fill_contig_page_info(dma32, order);
    EXPECT_EQ(unusable[4 + order], format_unusable_index(unusable_free_index(order, info)));
    EXPECT_EQ(extfrag[4 + order], tokens(format_extfrag_index(fragmentation_index(order, info))).front());
  }
}

// ---- fragmentation index arithmetic ---------------------------------------------

Zone zone_with_free_blocks(std::initializer_list<std::pair<unsigned, unsigned long>> blocks) {
  Zone zone;
  for (const auto &[order, count] : blocks) zone.free_area[order].nr_free = count;
  return zone;
}

TEST(ProcfsIndex, FillContigPageInfoCountsBlocksPagesAndSuitable) {
  const Zone zone = zone_with_free_blocks({{0, 4}, {2, 1}, {5, 3}});
  const ContigPageInfo info = fill_contig_page_info(zone, 2);
  EXPECT_EQ(info.free_blocks_total, 8u);
  EXPECT_EQ(info.free_pages, 4u + 4u + 96u);
  EXPECT_EQ(info.free_blocks_suitable, 1u + 3u * 8u);
}

// The kernel documentation's example: 1000 free order-0 pages and an order-3
// request: 1000 - (1000 + 1000*1000/8) / 1000 = 1000 - 126 = 874.
TEST(ProcfsIndex, FragmentationIndexOf1000Order0BlocksAtOrder3Is874) {
  const Zone zone = zone_with_free_blocks({{0, 1000}});
  const int index = fragmentation_index(3, fill_contig_page_info(zone, 3));
  EXPECT_EQ(index, 874);
  EXPECT_EQ(format_extfrag_index(index), " 0.874");
}

TEST(ProcfsIndex, FragmentationIndexIsMinus1000WhenASuitableBlockExists) {
  const Zone zone = zone_with_free_blocks({{0, 1000}, {4, 1}});
  const int index = fragmentation_index(3, fill_contig_page_info(zone, 3));
  EXPECT_EQ(index, -1000);
  EXPECT_EQ(format_extfrag_index(index), "-1.000");
}

TEST(ProcfsIndex, FragmentationIndexIsZeroWithoutFreeBlocks) {
  const Zone zone{};
  EXPECT_EQ(fragmentation_index(3, fill_contig_page_info(zone, 3)), 0);
  EXPECT_EQ(format_extfrag_index(0), " 0.000");
}

// Four order-0 blocks and one order-2 block: 8 free pages in 5 blocks.
//   order 0: every page usable                         -> 0
//   order 1: one suitable pair-block (4 pages usable)  -> (8-4)*1000/8 = 500
//   order 2: the order-2 block (4 pages)               -> 500
//   order 3: nothing                                   -> 1000
//   extfrag order 3: 1000 - (1000 + 8*1000/8)/5 = 600
TEST(ProcfsIndex, UnusableAndExtfragIndexesHandWorked) {
  const Zone zone = zone_with_free_blocks({{0, 4}, {2, 1}});
  const int expected[] = {0, 500, 500, 1000};
  for (unsigned order = 0; order < 4; ++order)
    EXPECT_EQ(unusable_free_index(order, fill_contig_page_info(zone, order)), expected[order]) << order;
  EXPECT_EQ(format_unusable_index(500), "0.500");
  EXPECT_EQ(format_unusable_index(1000), "1.000");
  EXPECT_EQ(fragmentation_index(3, fill_contig_page_info(zone, 3)), 600);
  EXPECT_EQ(fragmentation_index(1, fill_contig_page_info(zone, 1)), -1000);
}

TEST(ProcfsIndex, UnusableIndexIs1000WhenNothingIsFree) {
  const Zone zone{};
  EXPECT_EQ(unusable_free_index(0, fill_contig_page_info(zone, 0)), 1000);
}

}  // namespace
}  // namespace buddysim::model
