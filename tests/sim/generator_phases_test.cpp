// Phase kinds beyond plain churn: live-set targets, Burst windows, Fill and
// Fragment.
#include <gtest/gtest.h>

#include "tests/sim/generator_test_support.h"

namespace buddysim::workload {
namespace {

using namespace generator_testing;

// ---- live-set target ----------------------------------------------------------

// Live pages after each operation of a run whose allocations all succeed.
std::vector<std::uint64_t> live_pages_trace(const Trace &run) {
  std::vector<std::uint64_t> trace;
  std::uint64_t live = 0;
  for (const Op &op : run.ops) {
    const std::uint64_t pages = std::uint64_t{1} << op.order;
    live = op.kind == Op::Kind::Alloc ? live + pages : live - pages;
    trace.push_back(live);
  }
  return trace;
}

TEST(GeneratorTarget, OneCpuHoldsTheTargetByFreeingItsOldestBlock) {
  Phase p = churn(forever(), 100'000);
  p.target_live_pages = 1000;
  const Trace run = generate(scenario_of({p}));
  const auto trace = live_pages_trace(run);
  for (std::size_t i = 1000; i < trace.size(); ++i) {
    ASSERT_GE(trace[i], 999u) << "op " << i;
    ASSERT_LE(trace[i], 1000u) << "op " << i;
  }
  // Oldest first: frees come in allocation order.
  std::uint64_t expected_tag = 1;
  for (const Op &op : of_kind(run, Op::Kind::Free)) ASSERT_EQ(op.tag, expected_tag++);
  EXPECT_EQ(of_kind(run, Op::Kind::Free).size(), 4500u) << "10,000 steps: 1000 fills, then free/alloc in turn";
}

TEST(GeneratorTarget, ManyCpusStayWithinOneBlockOfTheTarget) {
  Phase p = phase("p", PhaseKind::Random, {0, 1, 2, 3}, 0, 1'000'000, exponential(10),
                  {alloc_class("a", {1, 1, 1}, exponential(100'000))});
  p.target_live_pages = 5000;
  const Trace run = generate(scenario_of({p}));
  const auto trace = live_pages_trace(run);
  std::uint64_t peak = 0;
  for (std::uint64_t live : trace) peak = std::max(peak, live);
  EXPECT_LE(peak, 5000u + 3) << "a step allocates only below the target, at most order 2 (4 pages)";
  EXPECT_GE(peak, 5000u) << "lifetimes are long enough for the target to be reached";
}

// ---- Burst --------------------------------------------------------------------

TEST(GeneratorBurst, AllocationsFallOnlyInsideOnWindows) {
  Phase p = churn(fixed(500), 100'000, exponential(7));
  p.kind = PhaseKind::Burst;
  p.start_ns = 1'000;
  p.burst_on_ns = 100;
  p.burst_period_ns = 1'000;
  const auto allocs = of_kind(generate(scenario_of({p})), Op::Kind::Alloc);
  for (const Op &op : allocs) ASSERT_LT((op.time_ns - 1'000) % 1'000, 100u) << "alloc at " << op.time_ns;
  // 100 windows of 100 ns at one per 7 ns: a Poisson count of mean 10,000/7.
  const double mean = 10'000.0 / 7;
  EXPECT_NEAR(static_cast<double>(allocs.size()), mean, 4 * std::sqrt(mean));
}

TEST(GeneratorBurst, TheClockRunsDuringOnTimeOnly) {
  Phase p = churn(forever(), 2'500, fixed(30));
  p.kind = PhaseKind::Burst;
  p.burst_on_ns = 100;
  p.burst_period_ns = 1'000;
  std::vector<std::uint64_t> times;
  for (const Op &op : generate(scenario_of({p})).ops) times.push_back(op.time_ns);
  // On-time 0, 30, 60, 90 | 120 -> 1000 + 20, 150 -> 1050, 180 -> 1080 | 210 -> 2010, ...
  EXPECT_EQ(times, (std::vector<std::uint64_t>{0, 30, 60, 90, 1020, 1050, 1080, 2010, 2040, 2070}));
}

// ---- Fill and Fragment --------------------------------------------------------

TEST(GeneratorFill, StopsOnceThePhaseHoldsFillPages) {
  const Trace run = generate(scenario_of({fill({0, 1}, 1000, {1, 1, 1, 1})}));
  EXPECT_TRUE(of_kind(run, Op::Kind::Free).empty()) << "fill ignores lifetimes";
  std::uint64_t live = 0;
  for (const Op &op : of_kind(run, Op::Kind::Alloc)) {
    ASSERT_LT(live, 1000u) << "an allocation issued after the target was reached";
    live += std::uint64_t{1} << op.order;
  }
  EXPECT_GE(live, 1000u);
}

TEST(GeneratorFill, WithZeroFillPagesEachCpuStopsAtItsFirstFailure) {
  // CPU 0 fails on its 50th allocation, CPU 1 on its 80th.
  std::map<int, unsigned> issued;
  const Trace run = generate(scenario_of({fill({0, 1}, 0)}), [&](const Op &op) {
    const unsigned n = ++issued[op.cpu];
    return n != (op.cpu == 0 ? 50u : 80u);
  });
  EXPECT_EQ(issued[0], 50u);
  EXPECT_EQ(issued[1], 80u);
  EXPECT_EQ(run.failed.size(), 2u);
}

TEST(GeneratorFill, WithZeroFillPagesAndNoFailureRunsToThePhaseEnd) {
  const Trace run = generate(scenario_of({fill({0, 1}, 0, {1}, 1'000)}));
  EXPECT_EQ(of_kind(run, Op::Kind::Alloc).size(), 200u) << "100 steps of 10 ns per CPU";
}

// Successful Fill tags per CPU, in allocation order.
std::map<int, std::vector<std::uint64_t>> filled_by_cpu(const Trace &run, std::uint64_t fill_end_ns) {
  std::map<int, std::vector<std::uint64_t>> out;
  for (const Op &op : run.ops)
    if (op.kind == Op::Kind::Alloc && op.time_ns < fill_end_ns && !run.failed.count(op.tag))
      out[op.cpu].push_back(op.tag);
  return out;
}

TEST(GeneratorFragment, FreesEveryOtherBlockOfEachCpuInAllocationOrder) {
  // 100 fill steps per CPU, CPU 0's every 10th allocation failing.
  unsigned cpu0_allocs = 0;
  const Outcome outcome = [&](const Op &op) { return op.cpu != 0 || ++cpu0_allocs % 10 != 0; };
  const Trace run = generate(scenario_of({fill({0, 1}, 1'000'000, {1}, 1'000), fragment(2'000, 2)}), outcome);
  const auto filled = filled_by_cpu(run, 1'000);
  std::map<int, std::vector<Op>> frees;
  for (const Op &op : of_kind(run, Op::Kind::Free)) frees[op.cpu].push_back(op);
  for (const auto &[cpu, tags] : filled) {
    std::vector<std::uint64_t> expected;
    for (std::size_t i = 0; i < tags.size(); i += 2) expected.push_back(tags[i]);
    std::vector<std::uint64_t> got;
    for (const Op &op : frees[cpu]) got.push_back(op.tag);
    EXPECT_EQ(got, expected) << "cpu " << cpu << ": the 1st, 3rd, 5th, ... live block";
    for (std::size_t i = 0; i < frees[cpu].size(); ++i)
      ASSERT_EQ(frees[cpu][i].time_ns, 2'000 + 5 * i) << "cpu " << cpu << " free " << i;
  }
  EXPECT_EQ(filled.at(0).size(), 90u);
}

TEST(GeneratorFragment, KeepEveryThreeFreesTwoOfEachThree) {
  const Trace run = generate(scenario_of({fill({0}, 0, {1}, 1'000), fragment(2'000, 3)}));
  const auto tags = filled_by_cpu(run, 1'000).at(0);
  std::vector<std::uint64_t> expected;
  for (std::size_t i = 0; i < tags.size(); ++i)
    if ((i + 1) % 3 != 0) expected.push_back(tags[i]);
  std::vector<std::uint64_t> got;
  for (const Op &op : of_kind(run, Op::Kind::Free)) got.push_back(op.tag);
  EXPECT_EQ(got, expected);
}

TEST(GeneratorFragment, StopsAtThePhaseEnd) {
  const Trace run = generate(scenario_of({fill({0}, 0, {1}, 1'000), fragment(2'000, 2, 100)}));
  EXPECT_EQ(of_kind(run, Op::Kind::Free).size(), 20u) << "100 ns at one free per 5 ns";
}

TEST(GeneratorFragment, FreesOnlyTheBlocksOfItsOwnCpus) {
  Phase f = fragment(2'000, 2);
  f.cpus = {1};
  const Trace run = generate(scenario_of({fill({0, 1}, 0, {1}, 1'000), f}));
  const auto frees = of_kind(run, Op::Kind::Free);
  for (const Op &op : frees) ASSERT_EQ(op.cpu, 1) << "CPU 0's blocks are not the fragment's";
  EXPECT_EQ(frees.size(), 50u);
}

}  // namespace
}  // namespace buddysim::workload
