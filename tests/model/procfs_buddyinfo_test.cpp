// /proc/buddyinfo and /proc/pagetypeinfo, column by column against real
// kernel output (tests/data/proc/, sources in procfs_test_support.h).
#include <gtest/gtest.h>

#include "tests/model/procfs_test_support.h"

namespace buddysim::model {
namespace {

using namespace procfs_testing;

// ---- /proc/buddyinfo ----------------------------------------------------------

TEST(ProcfsBuddyinfo, RowsMatchKernelSampleColumnByColumn) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_buddyinfo(alloc));
  const Lines real = lines_of(read_sample("buddyinfo_x86_cma.txt"));
  ASSERT_EQ(ours.size(), real.size());
  for (std::size_t i = 0; i < real.size(); ++i) {
    EXPECT_EQ(head_tokens(ours[i], 4), head_tokens(real[i], 4));
    EXPECT_EQ(tokens(ours[i]).size(), tokens(real[i]).size()) << ours[i];
    EXPECT_EQ(token_ends(ours[i]), token_ends(real[i])) << ours[i] << "\n" << real[i];
  }
}

TEST(ProcfsBuddyinfo, EveryRowEndsWithTheKernelTrailingSpace) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const std::string text = render_buddyinfo(alloc);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  for (const std::string &line : lines_of(text)) EXPECT_EQ(line.back(), ' ') << line;
}

TEST(ProcfsBuddyinfo, ValuesAreBlocksPerOrder) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  touch_allocator(alloc);
  const Lines ours = lines_of(render_buddyinfo(alloc));
  const int zids[] = {ZONE_DMA, ZONE_DMA32, ZONE_NORMAL};
  for (std::size_t row = 0; row < 3; ++row) {
    const Lines t = tokens(ours[row]);
    const Zone &zone = zone_named(alloc, 0, zids[row]);
    for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order)
      EXPECT_EQ(t[4 + order], std::to_string(zone.free_area[order].nr_free)) << zone.name << " order " << order;
  }
}

TEST(ProcfsBuddyinfo, ListsPopulatedZonesNodeByNodeLikeTwoNodeSample) {
  PageAllocator alloc(pc_layout(2), AllocatorConfig{});
  const Lines ours = lines_of(render_buddyinfo(alloc));
  const Lines real = lines_of(read_sample("buddyinfo_2node_wide.txt"));
  ASSERT_EQ(ours.size(), real.size());
  for (std::size_t i = 0; i < real.size(); ++i) EXPECT_EQ(head_tokens(ours[i], 4), head_tokens(real[i], 4));
}

// ---- /proc/pagetypeinfo ---------------------------------------------------------

TEST(ProcfsPagetypeinfo, HeaderMatchesKernelSampleExactly) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_pagetypeinfo(alloc));
  const Lines real = lines_of(read_sample("pagetypeinfo_x86_trailing.txt"));
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(ours[i], real[i]) << "line " << i;
}

TEST(ProcfsPagetypeinfo, FreeCountRowsMatchKernelSampleColumns) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  touch_allocator(alloc);
  const Lines ours = lines_of(render_pagetypeinfo(alloc));
  const Lines real = lines_of(read_sample("pagetypeinfo_x86_cma.txt"));
  ASSERT_EQ(ours.size(), real.size());
  for (std::size_t i = 4; i < 4 + 3 * MIGRATE_TYPES; ++i) {
    EXPECT_EQ(head_tokens(ours[i], 6), head_tokens(real[i], 6)) << "line " << i;
    EXPECT_EQ(token_ends(ours[i]), token_ends(real[i])) << ours[i] << "\n" << real[i];
  }
}

TEST(ProcfsPagetypeinfo, BlockCountTableMatchesKernelSample) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_pagetypeinfo(alloc));
  const Lines real = lines_of(read_sample("pagetypeinfo_x86_cma.txt"));
  ASSERT_EQ(ours.size(), real.size());
  const std::size_t blank = 4 + 3 * MIGRATE_TYPES;
  EXPECT_EQ(ours[blank], "");
  EXPECT_EQ(rstrip(ours[blank + 1]), real[blank + 1]);
  for (std::size_t i = blank + 2; i < real.size(); ++i) {
    EXPECT_EQ(head_tokens(ours[i], 4), head_tokens(real[i], 4));
    EXPECT_EQ(token_ends(ours[i]), token_ends(real[i])) << ours[i] << "\n" << real[i];
  }
}

// Which lines carry the trailing space is part of the format: all table
// lines do, the two "Page block"/"Pages per block" lines and blanks do not.
TEST(ProcfsPagetypeinfo, TrailingSpacesMatchKernelSample) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_pagetypeinfo(alloc));
  const Lines real = lines_of(read_sample("pagetypeinfo_x86_trailing.txt"));
  auto trailing_pattern = [](const Lines &lines) {
    std::string pattern;
    for (const std::string &line : lines) {
      const char kind = line.empty() ? '_' : line.back() == ' ' ? 's' : 'x';
      if (pattern.empty() || pattern.back() != kind) pattern += kind;
    }
    return pattern;
  };
  EXPECT_EQ(trailing_pattern(ours), "x_s_s");
  EXPECT_EQ(trailing_pattern(ours), trailing_pattern(real));
}

TEST(ProcfsPagetypeinfo, CapsFreeListWalkAt100000WithGreaterThanSign) {
  PageAllocator alloc(small_layout(), AllocatorConfig{});
  fragment_order0(alloc);
  const Zone &dma32 = zone_named(alloc, 0, ZONE_DMA32);
  ASSERT_GE(dma32.free_area[0].free_list[MIGRATE_MOVABLE].count, 100000u) << "fixture did not fragment enough";
  const Lines ours = lines_of(render_pagetypeinfo(alloc));
  const auto row = std::find_if(ours.begin(), ours.end(), [](const std::string &l) {
    return l.rfind("Node    0, zone    DMA32, type      Movable ", 0) == 0;
  });
  ASSERT_NE(row, ours.end());
  // The capped field is ">" then "%6lu" of the cap: one column wider.
  EXPECT_EQ(row->substr(0, 52), "Node    0, zone    DMA32, type      Movable >100000 ");
  const std::string &header = ours[3];
  EXPECT_EQ(row->size(), header.size() + 1);
}

TEST(ProcfsPagetypeinfo, CountsOnePageblockPerStrideFromZoneStart) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_pagetypeinfo(alloc));
  const Lines real = lines_of(read_sample("pagetypeinfo_x86_cma.txt"));
  auto total = [](const std::string &row) {
    unsigned long sum = 0;
    const Lines t = tokens(row);
    for (std::size_t i = 4; i < t.size(); ++i) sum += std::stoul(t[i]);
    return sum;
  };
  // DMA spans pfns 1..4095: eight strides, as on the real machine.
  const std::size_t dma_row = real.size() - 3;
  EXPECT_EQ(total(ours[dma_row]), total(real[dma_row]));
  EXPECT_EQ(total(ours[dma_row]), 8u);
  const Zone &normal = zone_named(alloc, 0, ZONE_NORMAL);
  EXPECT_EQ(total(ours[dma_row + 2]), (normal.spanned_pages + pageblock_nr_pages - 1) / pageblock_nr_pages);
}

TEST(ProcfsPagetypeinfo, RepeatsTheWholeReportForEachNodeWithMemory) {
  PageAllocator alloc(pc_layout(2), AllocatorConfig{});
  const std::string text = render_pagetypeinfo(alloc);
  const Lines ours = lines_of(text);
  EXPECT_EQ(std::count(ours.begin(), ours.end(), "Page block order: 9"), 2);
  const std::size_t node1 = text.find("Page block order: 9", 1);
  ASSERT_NE(node1, std::string::npos);
  const Lines second = lines_of(text.substr(node1));
  EXPECT_EQ(second.size(), 4u + MIGRATE_TYPES + 3u);  // one populated zone
  EXPECT_EQ(head_tokens(second[4], 6), "Node 1, zone Normal, type Unmovable");
  EXPECT_EQ(head_tokens(second.back(), 4), "Node 1, zone Normal");
}

}  // namespace
}  // namespace buddysim::model
