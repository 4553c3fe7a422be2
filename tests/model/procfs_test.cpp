// Tests for model/procfs: every rendered file is checked column by column
// against real kernel output stored in tests/data/proc/ (sources below and in
// tests/data/proc/SOURCES.md), plus hand-worked values of the debugfs
// fragmentation indexes.
//
// Samples (all excerpts of public text; trailing spaces survive only where
// the publisher kept them):
//  - buddyinfo_x86_cma.txt, pagetypeinfo_x86_cma.txt: GitHub Markdown notes
//    on Linux memory ("buddy & node & zone"), x86-64 host
//    backend-shared-stag-0, 8 CPUs, CONFIG_CMA=y (six migrate types).
//  - pagetypeinfo_x86_trailing.txt: GitHub Markdown notes on the buddy
//    allocator, `sudo cat /proc/pagetypeinfo` on an Ubuntu VMware guest
//    (CONFIG_CMA off: five types); the kernel's trailing spaces are intact.
//  - buddyinfo_2node_wide.txt, unusable_index_2node.txt: blog post "Memory
//    fragmentation" (Iceberg, 2020-07-23), two-node x86-64 server.
//  - extfrag_index_x86.txt: Lin Feng, "[PATCH] mm: vmstat.c: make
//    extfrag_index show more pretty", linux-mm, 2021-10-19, message-id
//    <20211019103241.134797-1-linf@wangsu.com>: the "after this patch" output
//    of the "%2d.%03d " format that 6.18 still uses.
//  - zoneinfo_6x_node0.txt: GitHub Markdown kernel notes ("Zone在机器上的查看"),
//    node 0 of a two-node arm64 guest running a 6.7..6.14 kernel (it has the
//    promo and high_min/high_max lines, not yet nr_free_pages_blocks).
//  - vmstat_6.19_fedora.txt: /proc/vmstat embedded in the arfshl/pd-andronix
//    void-cli installer, captured on Fedora 43, 6.19.13-200.fc43.x86_64.
#include "model/procfs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace buddysim::model {
namespace {

using Lines = std::vector<std::string>;

// ---- text helpers -----------------------------------------------------------

std::string read_sample(const std::string &name) {
  std::ifstream in(std::string(BUDDYSIM_TEST_DATA) + "/proc/" + name);
  EXPECT_TRUE(in.good()) << "missing sample " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Lines without their '\n'; a final newline does not add an empty line.
Lines lines_of(const std::string &text) {
  Lines out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

Lines tokens(const std::string &line) {
  std::istringstream in(line);
  Lines out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

// Column just past each whitespace-separated token: equal vectors mean the
// same field widths and right alignment whatever the values are.
std::vector<std::size_t> token_ends(const std::string &line) {
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] != ' ' && (i + 1 == line.size() || line[i + 1] == ' ')) ends.push_back(i + 1);
  return ends;
}

// Every run of digits becomes "N": left-aligned "key value" lines then compare
// equal exactly when prefixes, padding and separators are the kernel's.
std::string mask_numbers(const std::string &line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) {
      out += line[i];
      continue;
    }
    out += 'N';
    while (i + 1 < line.size() && std::isdigit(static_cast<unsigned char>(line[i + 1]))) ++i;
  }
  return out;
}

// First `n` tokens joined by one space: "Node 0, zone DMA32".
std::string head_tokens(const std::string &line, std::size_t n) {
  const Lines t = tokens(line);
  std::string out;
  for (std::size_t i = 0; i < std::min(n, t.size()); ++i) out += (i ? " " : "") + t[i];
  return out;
}

// zoneinfo split into one block of lines per "Node N, zone X" header.
std::map<std::string, Lines> zone_sections(const Lines &lines) {
  std::map<std::string, Lines> out;
  std::string key;
  for (const std::string &line : lines) {
    if (line.rfind("Node ", 0) == 0) key = head_tokens(line, 4);
    out[key].push_back(line);
  }
  return out;
}

bool is_stat_line(const std::string &line) {
  return line.size() > 6 && line.compare(0, 6, "      ") == 0 && std::islower(static_cast<unsigned char>(line[6]));
}

std::string stat_name(const std::string &line) { return tokens(line).front(); }

// Stat lines keyed by name; the sample and the model differ in config and
// version, so comparisons use the names both print.
std::map<std::string, std::string> stat_lines(const Lines &section) {
  std::map<std::string, std::string> out;
  for (const std::string &line : section)
    if (is_stat_line(line)) out[stat_name(line)] = line;
  return out;
}

// The section's shape: stat runs collapse to "<stats>", only the first
// cpu block of the pagesets is kept, numbers are masked.
Lines section_shape(const Lines &section) {
  Lines out;
  bool seen_threshold = false;
  for (const std::string &line : section) {
    if (line.rfind("  node_unreclaimable", 0) == 0) seen_threshold = false;
    if (seen_threshold) continue;
    if (line.rfind("  vm stats threshold", 0) == 0) seen_threshold = true;
    const std::string shape = is_stat_line(line) ? "<stats>" : mask_numbers(line);
    if (out.empty() || out.back() != shape || shape != "<stats>") out.push_back(shape);
  }
  return out;
}

// Lines of `section` from the first starting with `from` to the first
// starting with `to`, both included.
Lines slice(const Lines &section, const std::string &from, const std::string &to) {
  Lines out;
  bool in = false;
  for (const std::string &line : section) {
    if (line.rfind(from, 0) == 0) in = true;
    if (in) out.push_back(line);
    if (in && line.rfind(to, 0) == 0) break;
  }
  return out;
}

Lines masked(const Lines &lines) {
  Lines out;
  for (const std::string &line : lines) out.push_back(mask_numbers(line));
  return out;
}

// ---- machines -------------------------------------------------------------

constexpr std::uint64_t MiB = 1ull << 20;
constexpr std::uint64_t GiB = 1ull << 30;

// A small x86-64 PC: low memory below 640 KiB, RAM up to the 3 GiB PCI hole
// and 1 GiB above 4 GiB, so DMA, DMA32 and Normal are all populated as on
// the sample machines. A second node, if asked for, has Normal memory only.
MachineLayout pc_layout(int nr_nodes = 1) {
  MachineLayout layout;
  NodeLayout n0;
  n0.nr_cpus = 2;
  n0.memory = {{0x1000, 0x9f000 - 0x1000}, {MiB, 3 * GiB - MiB}, {4 * GiB, GiB}};
  n0.reserved = {{0, MiB}};
  layout.nodes = {n0};
  if (nr_nodes > 1) {
    NodeLayout n1;
    n1.nr_cpus = 2;
    n1.memory = {{5 * GiB, GiB}};
    layout.nodes.push_back(n1);
  }
  return layout;
}

// The 1 GiB machine of the brief: DMA and DMA32 only.
MachineLayout small_layout() {
  MachineLayout layout;
  NodeLayout n0;
  n0.nr_cpus = 2;
  n0.memory = {{0x1000, 0x9f000 - 0x1000}, {MiB, GiB - MiB}};
  n0.reserved = {{0, MiB}};
  layout.nodes = {n0};
  return layout;
}

// Some traffic so that counters and pagesets are not all zero.
void touch_allocator(PageAllocator &alloc) {
  std::vector<std::pair<Pfn, unsigned>> blocks;
  for (unsigned i = 0; i < 64; ++i) {
    const AllocResult r = alloc.alloc_pages(static_cast<int>(i % 2), gfp::KERNEL, i % 4);
    if (r.ok()) blocks.emplace_back(r.pfn, i % 4);
  }
  for (std::size_t i = 0; i < blocks.size(); i += 2) alloc.free_pages(0, blocks[i].first, blocks[i].second);
}

// Allocates every order-0 page it can get, then frees every even pfn: the
// odd buddies stay allocated, so the freed pages cannot merge and DMA32's
// Movable order-0 list grows past pagetypeinfo's walk cap.
void fragment_order0(PageAllocator &alloc) {
  std::vector<Pfn> pfns;
  for (;;) {
    const AllocResult r = alloc.alloc_pages(0, gfp::HIGHUSER_MOVABLE | gfp::NOWARN, 0);
    if (!r.ok()) break;
    pfns.push_back(r.pfn);
  }
  for (Pfn pfn : pfns)
    if (pfn % 2 == 0) alloc.free_pages(0, pfn, 0);
  alloc.drain_all_pages();
}

// fragment_order0(), then every block above order 0 handed out as well (high
// orders first), so that no zone can satisfy any order > 0 and the
// fragmentation index of those orders is defined (>= 0).
void leave_only_order0(PageAllocator &alloc) {
  fragment_order0(alloc);
  const gfp_t gfp = gfp::HIGHUSER_MOVABLE | gfp::NOWARN | gfp::NORETRY;
  for (unsigned order = MAX_PAGE_ORDER; order >= 1; --order)
    while (alloc.alloc_pages(0, gfp, order).ok()) {
    }
  alloc.drain_all_pages();
}

const Zone &zone_named(const PageAllocator &alloc, int nid, int zid) {
  return alloc.nodes()[static_cast<std::size_t>(nid)].zones[static_cast<std::size_t>(zid)];
}

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
