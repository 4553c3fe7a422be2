// /proc/zoneinfo and /proc/vmstat, against real kernel output
// (tests/data/proc/, sources in procfs_test_support.h).
#include <gtest/gtest.h>

#include "tests/model/procfs_test_support.h"

namespace buddysim::model {
namespace {

using namespace procfs_testing;

// ---- /proc/zoneinfo -------------------------------------------------------------

class ProcfsZoneinfo : public ::testing::Test {
 protected:
  ProcfsZoneinfo() : alloc_(pc_layout(), AllocatorConfig{}) {
    touch_allocator(alloc_);
    ours_ = zone_sections(lines_of(render_zoneinfo(alloc_)));
    real_ = zone_sections(lines_of(read_sample("zoneinfo_6x_node0.txt")));
  }
  const Lines &ours(const std::string &zone) { return ours_.at("Node 0, zone " + zone); }
  const Lines &real(const std::string &zone) { return real_.at("Node 0, zone " + zone); }

  PageAllocator alloc_;
  std::map<std::string, Lines> ours_, real_;
};

TEST_F(ProcfsZoneinfo, WatermarkAndSizeBlockMatchesKernelSample) {
  EXPECT_EQ(masked(slice(ours("DMA"), "  pages free", "        protection")),
            masked(slice(real("DMA"), "  pages free", "        protection")));
}

TEST_F(ProcfsZoneinfo, StatLinesUseKernelPadding) {
  const auto ours_stats = stat_lines(ours("DMA"));
  const auto real_stats = stat_lines(real("DMA"));
  std::size_t common = 0;
  for (const auto &[name, line] : real_stats) {
    const auto it = ours_stats.find(name);
    if (it == ours_stats.end()) continue;
    ++common;
    EXPECT_EQ(mask_numbers(it->second), mask_numbers(line));
  }
  EXPECT_GE(common, 60u);
}

// Names the sample's 6.1x kernel prints but 6.18 does not (nr_writeback_temp,
// nr_bounce) and the reverse (nr_free_pages_blocks, pgdemote_proactive, ...)
// are left out; the shared ones keep the kernel's order.
TEST_F(ProcfsZoneinfo, StatNamesFollowKernelOrder) {
  auto names = [](const Lines &section) {
    Lines out;
    for (const std::string &line : section)
      if (is_stat_line(line)) out.push_back(stat_name(line));
    return out;
  };
  const Lines ours_names = names(ours("DMA"));
  const Lines real_names = names(real("DMA"));
  Lines ours_common, real_common;
  for (const std::string &n : ours_names)
    if (std::find(real_names.begin(), real_names.end(), n) != real_names.end()) ours_common.push_back(n);
  for (const std::string &n : real_names)
    if (std::find(ours_names.begin(), ours_names.end(), n) != ours_names.end()) real_common.push_back(n);
  EXPECT_EQ(ours_common, real_common);
}

TEST_F(ProcfsZoneinfo, PagesetBlockMatchesKernelSample) {
  const Lines ours_block = slice(ours("DMA32"), "    cpu: 0", "  vm stats threshold");
  const Lines real_block = slice(real("DMA"), "    cpu: 0", "  vm stats threshold");
  ASSERT_EQ(real_block.size(), 7u);
  EXPECT_EQ(masked(ours_block), masked(real_block));
  const Lines &section = ours("DMA32");
  EXPECT_EQ(
      std::count_if(section.begin(), section.end(), [](const std::string &l) { return l.rfind("    cpu: ", 0) == 0; }),
      alloc_.nr_cpus());
}

TEST_F(ProcfsZoneinfo, PopulatedZoneShapeMatchesKernelSample) {
  EXPECT_EQ(section_shape(ours("DMA")), section_shape(real("DMA")));
}

TEST_F(ProcfsZoneinfo, UnpopulatedZoneEndsAfterProtectionLikeKernelSample) {
  EXPECT_EQ(masked(ours("Movable")), masked(real("Movable")));
  EXPECT_EQ(ours("Movable").back(), "        protection: (0, 0, 0, 0)");
}

TEST_F(ProcfsZoneinfo, ValuesComeFromZoneState) {
  const Zone &zone = zone_named(alloc_, 0, ZONE_DMA32);
  const Lines &section = ours("DMA32");
  auto value_of = [&](const std::string &prefix) {
    const Lines hit = slice(section, prefix, prefix);
    return hit.empty() ? std::string("missing") : tokens(hit.front()).back();
  };
  EXPECT_EQ(value_of("  pages free"), std::to_string(zone.vm_stat[NR_FREE_PAGES]));
  EXPECT_EQ(value_of("        min"), std::to_string(zone.min_wmark_pages()));
  EXPECT_EQ(value_of("        promo"), std::to_string(zone.wmark_pages(WMARK_PROMO)));
  EXPECT_EQ(value_of("        managed"), std::to_string(zone.managed_pages));
  EXPECT_EQ(value_of("      nr_free_pages_blocks"), std::to_string(zone.vm_stat[NR_FREE_PAGES_BLOCKS]));
  EXPECT_EQ(value_of("      numa_hit"), std::to_string(zone.vm_numa_event[NUMA_HIT]));
  EXPECT_EQ(value_of("              high_max"), std::to_string(zone.pcp[0].high_max));
  EXPECT_EQ(value_of("  start_pfn"), std::to_string(zone.zone_start_pfn));
  std::string protection = "        protection: (";
  for (std::size_t i = 0; i < zone.lowmem_reserve.size(); ++i)
    protection += (i ? ", " : "") + std::to_string(zone.lowmem_reserve[i]);
  EXPECT_EQ(slice(section, "        protection", "        protection").front(), protection + ")");
}

TEST(ProcfsZoneinfoNodes, PerNodeStatsOnlyInFirstPopulatedZoneOfEachNode) {
  PageAllocator alloc(pc_layout(2), AllocatorConfig{});
  const Lines lines = lines_of(render_zoneinfo(alloc));
  Lines owners;
  for (std::size_t i = 1; i < lines.size(); ++i)
    if (lines[i] == "  per-node stats") owners.push_back(lines[i - 1]);
  EXPECT_EQ(owners, (Lines{"Node 0, zone      DMA", "Node 1, zone   Normal"}));
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](const std::string &l) { return l.rfind("Node ", 0) == 0; }),
            2 * MAX_NR_ZONES);
}

// ---- /proc/vmstat ---------------------------------------------------------------

// The 6.19 sample's kernel has CONFIG_ZONE_DEVICE (pgalloc_device,
// allocstall_device, pgskip_device), which the model has no zone for.
TEST(ProcfsVmstat, NamesMatchKernelSampleExceptZoneDevice) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  Lines real_names;
  for (const std::string &line : lines_of(read_sample("vmstat_6.19_fedora.txt"))) {
    const std::string name = tokens(line).front();
    if (name.size() < 7 || name.compare(name.size() - 7, 7, "_device") != 0) real_names.push_back(name);
  }
  Lines ours_names;
  for (const std::string &line : lines_of(render_vmstat(alloc))) ours_names.push_back(tokens(line).front());
  EXPECT_EQ(ours_names, real_names);
}

TEST(ProcfsVmstat, EveryLineIsNameSpaceDecimal) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  touch_allocator(alloc);
  for (const std::string &line : lines_of(render_vmstat(alloc))) {
    const std::size_t space = line.find(' ');
    ASSERT_NE(space, std::string::npos) << line;
    EXPECT_EQ(line.find(' ', space + 1), std::string::npos) << line;
    EXPECT_TRUE(std::all_of(line.begin(), line.begin() + static_cast<long>(space), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) || c == '_' || std::isdigit(static_cast<unsigned char>(c));
    })) << line;
    EXPECT_TRUE(std::all_of(line.begin() + static_cast<long>(space) + 1, line.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    })) << line;
  }
}

TEST(ProcfsVmstat, EndsWithDeprecatedNrUnstable) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  const Lines ours = lines_of(render_vmstat(alloc));
  const Lines real = lines_of(read_sample("vmstat_6.19_fedora.txt"));
  EXPECT_EQ(ours.back(), "nr_unstable 0");
  EXPECT_EQ(ours.back(), real.back());
}

TEST(ProcfsVmstat, ModelledCountersAreFilledAndOthersZero) {
  PageAllocator alloc(pc_layout(), AllocatorConfig{});
  touch_allocator(alloc);
  std::map<std::string, unsigned long> v;
  for (const auto &[name, value] : vmstat_items(alloc)) v[std::string(name)] = value;
  long free = 0, blocks = 0;
  unsigned long hit = 0;
  for (const Zone &zone : alloc.nodes()[0].zones) {
    free += zone.vm_stat[NR_FREE_PAGES];
    blocks += zone.vm_stat[NR_FREE_PAGES_BLOCKS];
    hit += zone.vm_numa_event[NUMA_HIT];
  }
  EXPECT_EQ(v["nr_free_pages"], static_cast<unsigned long>(free));
  EXPECT_EQ(v["nr_free_pages_blocks"], static_cast<unsigned long>(blocks));
  EXPECT_EQ(v["numa_hit"], hit);
  EXPECT_GT(v["numa_hit"], 0u);
  EXPECT_EQ(v["pgalloc_normal"], alloc.events()[PGALLOC_NORMAL]);
  EXPECT_EQ(v["pgalloc_dma32"], alloc.events()[PGALLOC_DMA32]);
  EXPECT_EQ(v["pgfree"], alloc.events()[PGFREE]);
  EXPECT_GT(v["pgfree"], 0u);
  EXPECT_EQ(v["nr_anon_pages"], 0u);
  EXPECT_EQ(v["compact_stall"], 0u);
}

}  // namespace
}  // namespace buddysim::model
