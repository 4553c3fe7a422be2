// /proc/lock_stat rendering against real kernel output
// (tests/data/lock_stat/SOURCES.md), number formatting, sorting, and the
// folding of lock instances into the kernel's lock classes.
#include "sim/hw/lock/lock_stat.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "sim/hw/lock/lock_table.h"

namespace buddysim::hw {
namespace {

std::vector<std::string> read_lines(const std::string &path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::string kExcerpt = BUDDYSIM_TEST_DATA "/lock_stat/zone_lock_5.11_hackbench.txt";

// The kernel's columns: the 40-character name (plus ':' in rows, ' ' in the
// header), then 12 fields of 15 characters: the %14 value and the space (or
// newline) after it.
std::vector<std::string> columns(const std::string &line) {
  std::vector<std::string> out;
  out.push_back(line.substr(0, 41));
  for (std::size_t at = 41; at < line.size(); at += 15) out.push_back(line.substr(at, 15));
  return out;
}

// The columns' values without their padding.
std::vector<std::string> fields(const std::string &line) {
  std::vector<std::string> out = columns(line);
  for (std::string &f : out) {
    const auto first = f.find_first_not_of(" \n"), last = f.find_last_not_of(" \n:");
    f = first == std::string::npos ? "" : f.substr(first, last - first + 1);
  }
  return out;
}

void expect_same_columns(const std::string &ours, const std::string &kernel) {
  const std::vector<std::string> a = columns(ours), b = columns(kernel);
  ASSERT_EQ(a.size(), b.size()) << "ours:   [" << ours << "]\nkernel: [" << kernel << "]";
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "column " << i;
  EXPECT_EQ(ours, kernel);
}

constexpr std::uint64_t kPsPerNs = 1000;

LockTime lock_time(std::uint64_t nr, std::uint64_t min_ns, std::uint64_t max_ns, std::uint64_t total_ns) {
  return LockTime{nr, min_ns * kPsPerNs, max_ns * kPsPerNs, total_ns * kPsPerNs};
}

// Nanosecond figures that print as the rows of the excerpt.
LockClassStats vanilla_zone_lock() {
  LockClassStats c{"&zone->lock", 1, {}};
  c.stats.con_bounces = 1202731;
  c.stats.waittime = lock_time(1203433, 70, 120550, 1555485480);  // avg 1292 ns -> 1.29
  c.stats.acq_bounces = 8920825;
  c.stats.holdtime = lock_time(12537091, 60, 84100, 9855085120);  // avg 786 ns -> 0.79
  return c;
}

LockClassStats revert_zone_lock() {
  LockClassStats c{"&zone->lock", 1, {}};
  c.stats.con_bounces = 735827;
  c.stats.waittime = lock_time(739037, 60, 66120, 699661560);  // avg 946 ns -> 0.95
  c.stats.acq_bounces = 4095299;
  c.stats.holdtime = lock_time(7757942, 50, 54350, 5670083680);  // avg 730 ns -> 0.73
  return c;
}

LockClassStats with_counts(const std::string &name, std::uint64_t contentions, std::uint64_t acquisitions) {
  LockClassStats c{name, 1, {}};
  c.stats.waittime = lock_time(contentions, 1, 1, contentions);
  c.stats.holdtime = lock_time(acquisitions, 1, 1, acquisitions);
  return c;
}

TEST(LockStat, HeaderMatchesKernelExcerpt) {
  const std::vector<std::string> kernel = read_lines(kExcerpt);
  ASSERT_GE(kernel.size(), 4u);
  const std::vector<std::string> ours = split_lines(lock_stat_header());
  ASSERT_EQ(ours.size(), 5u) << "version, rule, column names, rule, empty line";
  EXPECT_EQ(ours[0], "lock_stat version 0.4");
  EXPECT_EQ(ours[1], kernel[0]) << "rule of 221 dashes";
  expect_same_columns(ours[2], kernel[1]);
  EXPECT_EQ(ours[3], kernel[2]);
  EXPECT_EQ(ours[4], kernel[3]) << "an empty line before the first class";
  EXPECT_EQ(ours[1].size(), 221u);
}

TEST(LockStat, ZoneLockRowsMatchKernelExcerpt) {
  std::vector<std::string> kernel_rows;
  for (const std::string &line : read_lines(kExcerpt)) {
    if (line.find("&zone->lock:") != std::string::npos) kernel_rows.push_back(line);
  }
  ASSERT_EQ(kernel_rows.size(), 2u);
  expect_same_columns(lock_stat_row(vanilla_zone_lock()), kernel_rows[0] + "\n");
  expect_same_columns(lock_stat_row(revert_zone_lock()), kernel_rows[1] + "\n");
}

// Call sites that stand for the excerpt's: the kernel's two
// get_page_from_freelist addresses are rmqueue_buddy and rmqueue_bulk,
// compiled into it.
void add_points(LockPoints &points, const std::vector<std::pair<CallSite, std::uint64_t>> &counts) {
  std::uint64_t first_ps = 0;
  for (const auto &[site, count] : counts) {
    for (std::uint64_t i = 0; i < count; ++i) points.add(site, first_ps);
    ++first_ps;
  }
}

std::vector<std::string> vanilla_block() {
  std::vector<std::string> block;
  bool in = false;
  for (const std::string &line : read_lines(kExcerpt)) {
    if (line == "VANILLA") in = true;
    else if (line == "REVERT") break;
    else if (in) block.push_back(line);
  }
  return block;
}

TEST(LockStat, ContentionPointsFollowTheRowAsTheKernelPrintsThem) {
  LockClassStats c = vanilla_zone_lock();
  add_points(c.stats.contention_points, {{"free_one_page", 61903},
                                         {"rmqueue_buddy", 7655},
                                         {"free_pcppages_bulk", 36529},
                                         {"rmqueue_bulk", 1097346},
                                         {"unreserve_highatomic_pageblock", 2}});  // a fifth: no slot left
  add_points(c.stats.contending_points,
             {{"rmqueue_buddy", 44716}, {"free_pcppages_bulk", 69813}, {"free_one_page", 31596}, {"rmqueue_bulk", 1057308}});
  const std::vector<std::string> ours = split_lines(lock_stat_row(c));
  const std::vector<std::string> kernel = vanilla_block();
  ASSERT_EQ(kernel.size(), 12u) << "row, rule, 4 points, rule, 4 points, empty line (the mail drops the dots)";
  ASSERT_EQ(ours.size(), 14u) << "row, rule, 4 points, rule, 4 points, empty line, dots, empty line";
  expect_same_columns(ours[0] + "\n", kernel[0] + "\n");
  // Name and count exactly; then "[<%p>]" right-aligned in 29 columns and
  // "%pS", whose offset and size only a kernel build knows.
  const std::regex point(R"(^ {29}&zone->lock +\d+ {10}\[<00000000[0-9a-f]{8}>\] [a-z_]+\+0x[0-9a-f]+/0x[0-9a-f]+$)");
  for (std::size_t i = 1; i <= 10; ++i) {
    if (i == 1 || i == 6) {
      EXPECT_EQ(ours[i], kernel[i]) << "the rule under the name";
      continue;
    }
    EXPECT_EQ(ours[i].substr(0, 56), kernel[i].substr(0, 56)) << "line " << i;
    EXPECT_TRUE(std::regex_match(ours[i], point)) << ours[i];
    EXPECT_TRUE(std::regex_match(kernel[i], point)) << kernel[i];
  }
  EXPECT_EQ(ours[2].substr(56), "         [<00000000" + ours[2].substr(75, 8) + ">] free_one_page+0x0/0x0");
  EXPECT_NE(ours[2].substr(75, 8), ours[3].substr(75, 8)) << "sites hash apart";
  EXPECT_EQ(ours[11], "");
  EXPECT_EQ(ours[12], std::string(221, '.'));
  EXPECT_EQ(ours[13], "");
}

TEST(LockStat, PointsPrintOnlyForContendedClassesAndDotsOnlyAfterContendingPoints) {
  LockClassStats quiet = with_counts("&zone->lock", 0, 10);
  quiet.stats.contention_points.add("rmqueue_bulk", 0);  // not contended: nothing printed
  EXPECT_EQ(split_lines(lock_stat_row(quiet)).size(), 1u);

  LockClassStats no_holder_site = with_counts("&zone->lock", 1, 10);  // the holder only ever trylocked
  no_holder_site.stats.contention_points.add("rmqueue_bulk", 0);
  const std::vector<std::string> lines = split_lines(lock_stat_row(no_holder_site));
  ASSERT_EQ(lines.size(), 3u) << "row, rule, one point: the kernel prints the dots only after contending points";
  EXPECT_EQ(lines[1], std::string(29, ' ') + std::string(11, '-'));
}

TEST(LockStat, ClassPointsComeInOrderOfFirstAppearanceAcrossInstances) {
  std::vector<LockInstanceStats> instances(2);
  instances[0] = {"&zone->lock", "node0/Normal", {}};
  instances[0].stats.waittime = lock_time(3, 1, 1, 3);
  instances[0].stats.holdtime = lock_time(3, 1, 1, 3);
  instances[0].stats.contention_points.add("free_pcppages_bulk", 500);
  instances[0].stats.contention_points.add("rmqueue_bulk", 90);  // earlier than the first: moves ahead
  instances[0].stats.contention_points.add("rmqueue_bulk", 700);
  instances[1] = {"&zone->lock", "node1/Normal", {}};
  instances[1].stats.waittime = lock_time(1, 1, 1, 1);
  instances[1].stats.holdtime = lock_time(1, 1, 1, 1);
  instances[1].stats.contention_points.add("free_pcppages_bulk", 100);
  const std::vector<PointFigures> points = lock_class_figures(instances)[0].contention_points;
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].site, "rmqueue_bulk");
  EXPECT_EQ(points[0].count, 2u);
  EXPECT_EQ(points[1].site, "free_pcppages_bulk");
  EXPECT_EQ(points[1].count, 2u);
  const std::vector<PointFigures> node0 = lock_instance_figures(instances)[0].contention_points;
  ASSERT_EQ(node0.size(), 2u);
  EXPECT_EQ(node0[0].site, "rmqueue_bulk");
}

TEST(LockStat, TimesPrintAsMicrosecondsWithTwoDecimals) {
  EXPECT_EQ(format_lock_stat_time(0), "0.00");
  EXPECT_EQ(format_lock_stat_time(4), "0.00");
  EXPECT_EQ(format_lock_stat_time(5), "0.01") << "the kernel adds 5 ns before truncating to 10 ns";
  EXPECT_EQ(format_lock_stat_time(50), "0.05");
  EXPECT_EQ(format_lock_stat_time(54), "0.05");
  EXPECT_EQ(format_lock_stat_time(120550), "120.55");
  EXPECT_EQ(format_lock_stat_time(1234560), "1234.56");
  EXPECT_EQ(format_lock_stat_time(1234564), "1234.56");
  EXPECT_EQ(format_lock_stat_time(1234565), "1234.57");
  EXPECT_EQ(format_lock_stat_time(999995), "1000.00");
  EXPECT_EQ(format_lock_stat_time(17464026916320), "17464026916.32") << "fills the 14-character field";
}

TEST(LockStat, PicosecondSamplesPrintAsTruncatedNanoseconds) {
  LockClassStats c{"x", 1, {}};
  c.stats.holdtime = LockTime{3, 5999, 1005999, 1020999};  // 5.999 ns, 1005.999 ns, 1020.999 ns
  const std::vector<std::string> cols = fields(lock_stat_row(c));
  ASSERT_EQ(cols.size(), 13u);
  EXPECT_EQ(cols[8], "3");
  EXPECT_EQ(cols[9], "0.01") << "5 ns + 5 -> 0.01";
  EXPECT_EQ(cols[10], "1.01");
  EXPECT_EQ(cols[11], "1.02");
  EXPECT_EQ(cols[12], "0.34") << "avg 1020 / 3 = 340 ns";
}

TEST(LockStat, RowsSortedByContentionsDescending) {
  std::vector<LockClassStats> classes = {with_counts("b_lock", 5, 10), with_counts("never_released", 7, 0),
                                         with_counts("c_lock", 50, 60), with_counts("a_lock", 5, 10),
                                         with_counts("quiet_lock", 0, 1000)};
  const std::vector<std::string> lines = split_lines(render_lock_stat(classes));
  std::vector<std::string> names;
  for (std::size_t i = 5; i < lines.size(); ++i) names.push_back(lines[i].substr(0, 41));
  std::vector<std::string> expected;
  for (const char *n : {"c_lock", "a_lock", "b_lock", "quiet_lock"}) {
    expected.push_back(std::string(40 - std::string(n).size(), ' ') + n + ":");
  }
  EXPECT_EQ(names, expected) << "most contended first; equal counts by name; no row without acquisitions";
}

TEST(LockStat, LongNamesAreCutTo37Characters) {
  LockClassStats c = with_counts("&(&zone->lru_lock)->rlock_and_far_too_long_name", 1, 1);
  const std::string row = lock_stat_row(c);
  EXPECT_EQ(row.substr(0, 41), "   &(&zone->lru_lock)->rlock_and_far_too:");
}

TEST(LockStat, InstancesFoldIntoOneRowPerClass) {
  std::vector<LockInstanceStats> instances(4);
  instances[0] = {"&zone->lock", "node0/Normal", {}};
  instances[0].stats.waittime = lock_time(2, 100, 300, 400);
  instances[0].stats.holdtime = lock_time(10, 20, 50, 300);
  instances[0].stats.con_bounces = 2;
  instances[0].stats.wait_histogram.add(100);
  instances[0].stats.wait_histogram.add(300);
  instances[1] = {"&zone->lock", "node1/Normal", {}};
  instances[1].stats.waittime = lock_time(1, 50, 50, 50);
  instances[1].stats.holdtime = lock_time(5, 30, 90, 200);
  instances[1].stats.con_bounces = 1;
  instances[1].stats.wait_histogram.add(50);
  instances[2] = {"&pcp->lock", "cpu0/node0/Normal", {}};
  instances[2].stats.holdtime = lock_time(100, 5, 10, 600);
  instances[2].stats.trylock_failures = 3;
  instances[3] = {"&pcp->lock", "cpu1/node0/Normal", {}};  // never used: min must not count

  const std::vector<LockClassStats> classes = aggregate_lock_classes(instances);
  ASSERT_EQ(classes.size(), 2u);
  EXPECT_EQ(classes[0].name, "&zone->lock") << "more contentions, first";
  EXPECT_EQ(classes[0].instances, 2u);
  EXPECT_EQ(classes[0].stats.contentions(), 3u);
  EXPECT_EQ(classes[0].stats.waittime.min_ps, 50 * kPsPerNs);
  EXPECT_EQ(classes[0].stats.waittime.max_ps, 300 * kPsPerNs);
  EXPECT_EQ(classes[0].stats.holdtime.total_ps, 500 * kPsPerNs);
  EXPECT_EQ(classes[0].stats.con_bounces, 3u);
  EXPECT_EQ(classes[1].name, "&pcp->lock");
  EXPECT_EQ(classes[1].instances, 2u);
  EXPECT_EQ(classes[1].stats.holdtime.min_ps, 5 * kPsPerNs);

  const std::string text = render_lock_stat(instances);
  EXPECT_EQ(split_lines(text).size(), 5u + 2u) << "header block and one row per class";

  const std::vector<LockFigures> per_class = lock_class_figures(instances);
  ASSERT_EQ(per_class.size(), 2u);
  EXPECT_EQ(per_class[0].class_name, "&zone->lock");
  EXPECT_EQ(per_class[0].instance, "");
  EXPECT_DOUBLE_EQ(per_class[0].waittime.avg_ns, 450.0 / 3);
  EXPECT_EQ(per_class[0].wait_histogram, (std::vector<std::uint64_t>{0, 0, 0, 0, 0, 0, 1, 1, 0, 1}))
      << "50 ns in [32,64), 100 in [64,128), 300 in [256,512)";
  EXPECT_EQ(per_class[1].trylock_failures, 3u);

  const std::vector<LockFigures> per_instance = lock_instance_figures(instances);
  ASSERT_EQ(per_instance.size(), 4u);
  EXPECT_EQ(per_instance[0].instance, "cpu0/node0/Normal");
  EXPECT_EQ(per_instance[1].instance, "cpu1/node0/Normal");
  EXPECT_EQ(per_instance[2].instance, "node0/Normal") << "within a class, most contended first";
  EXPECT_EQ(per_instance[3].instance, "node1/Normal");
  EXPECT_DOUBLE_EQ(per_instance[3].holdtime.avg_ns, 40.0);
  EXPECT_TRUE(per_instance[1].wait_histogram.empty());
}

TEST(LockStat, AllocatorLocksAreNamedAsLockdepNamesThem) {
  const model::LockId zone{model::LockId::Zone, 1, 2, 0};
  const model::LockId pcp{model::LockId::Pcp, 0, 1, 7};
  EXPECT_STREQ(lock_class_name(zone), "&zone->lock");
  EXPECT_STREQ(lock_class_name(pcp), "&pcp->lock");
  EXPECT_EQ(lock_instance_name(zone), "node1/Normal");
  EXPECT_EQ(lock_instance_name(pcp), "cpu7/node0/DMA32");
}

TEST(LockStat, LockTableKeepsOneLockPerIdInStableOrder) {
  LockTable table(nullptr);
  const model::LockId pcp3{model::LockId::Pcp, 0, 2, 3};
  const model::LockId pcp1{model::LockId::Pcp, 0, 2, 1};
  const model::LockId zone1{model::LockId::Zone, 1, 2, 0};
  const model::LockId zone0{model::LockId::Zone, 0, 2, 0};
  SpinLock &a = table.get(pcp3);
  table.get(zone1);
  table.get(pcp1);
  table.get(zone0);
  EXPECT_EQ(&table.get(pcp3), &a);
  EXPECT_EQ(table.size(), 4u);
  std::vector<std::string> order;
  for (const LockInstanceStats &s : table.snapshot()) order.push_back(s.class_name + " " + s.instance);
  EXPECT_EQ(order, (std::vector<std::string>{"&zone->lock node0/Normal", "&zone->lock node1/Normal",
                                             "&pcp->lock cpu1/node0/Normal", "&pcp->lock cpu3/node0/Normal"}));
}

}  // namespace
}  // namespace buddysim::hw
