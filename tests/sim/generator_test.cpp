// The generator's streams: order, class, lifetime and arrival statistics,
// the merge order and reproducibility, and how outcomes steer frees.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <stdexcept>

#include "tests/sim/generator_test_support.h"

namespace buddysim::workload {
namespace {

using namespace generator_testing;

// ---- mixes and distributions --------------------------------------------------

TEST(GeneratorMix, OrderMixMatchesTheOrderWeights) {
  // 10 ns apart for 1 ms: 100,000 allocations.
  Phase p = churn(fixed(5));
  p.classes[0].order_weights = {5, 0, 0, 3, 0, 0, 0, 0, 0, 2};
  const auto allocs = of_kind(generate(scenario_of({p})), Op::Kind::Alloc);
  ASSERT_EQ(allocs.size(), 100'000u);
  std::map<unsigned, std::size_t> by_order;
  for (const Op &op : allocs) ++by_order[op.order];
  EXPECT_EQ(by_order.size(), 3u) << "orders with weight 0 must never be drawn";
  expect_binomial(by_order[0], allocs.size(), 0.5, "order 0");
  expect_binomial(by_order[3], allocs.size(), 0.3, "order 3");
  expect_binomial(by_order[9], allocs.size(), 0.2, "order 9");
}

TEST(GeneratorMix, ClassMixMatchesTheClassWeightsAndCarriesTheirGfp) {
  Phase p = phase(
      "mix", PhaseKind::Random, {0}, 0, 1'000'000, fixed(10),
      {alloc_class("a", {1}, fixed(5), 1, model::gfp::KERNEL), alloc_class("b", {1}, fixed(5), 2, model::gfp::ATOMIC),
       alloc_class("c", {1}, fixed(5), 7, model::gfp::TRANSHUGE)});
  const auto allocs = of_kind(generate(scenario_of({p})), Op::Kind::Alloc);
  const model::gfp_t gfps[] = {model::gfp::KERNEL, model::gfp::ATOMIC, model::gfp::TRANSHUGE};
  std::map<std::uint32_t, std::size_t> by_class;
  for (const Op &op : allocs) {
    ++by_class[op.cls];
    ASSERT_LT(op.cls, 3u);
    EXPECT_EQ(op.gfp, gfps[op.cls]) << "class " << op.cls;
  }
  expect_binomial(by_class[0], allocs.size(), 0.1, "class a");
  expect_binomial(by_class[1], allocs.size(), 0.2, "class b");
  expect_binomial(by_class[2], allocs.size(), 0.7, "class c");
}

TEST(GeneratorLifetime, ExponentialLifetimesHaveTheRequestedMean) {
  const Trace run = generate(scenario_of({churn(exponential(1000)), tail()}));
  const auto life = lifetimes(run);
  ASSERT_EQ(life.size(), 100'000u) << "every block is freed eventually";
  // The standard deviation of an exponential equals its mean; rounding to
  // whole ns adds at most 0.5 ns of bias.
  const double se = 1000 / std::sqrt(static_cast<double>(life.size()));
  EXPECT_NEAR(mean_of(life), 1000, 4 * se + 0.5);
}

TEST(GeneratorLifetime, UniformLifetimesStayInRangeWithTheMidpointMean) {
  const Trace run = generate(scenario_of({churn(uniform(200, 600)), tail()}));
  const auto life = lifetimes(run);
  ASSERT_EQ(life.size(), 100'000u);
  for (double x : life) ASSERT_TRUE(x >= 200 && x <= 600) << "lifetime " << x << " outside [200, 600]";
  const double width = 401;  // values 200..600
  const double se = std::sqrt((width * width - 1) / 12) / std::sqrt(static_cast<double>(life.size()));
  EXPECT_NEAR(mean_of(life), 400, 4 * se);
}

TEST(GeneratorLifetime, FixedLifetimeFreesExactlyThatLater) {
  const Trace run = generate(scenario_of({churn(fixed(123), 10'000), tail()}));
  for (double x : lifetimes(run)) ASSERT_EQ(x, 123);
  EXPECT_EQ(of_kind(run, Op::Kind::Free).size(), 1000u);
}

TEST(GeneratorLifetime, FreesDueAfterTheWorkloadEndsAreNotEmitted) {
  // Fixed 123 ns lifetimes on a 10 us phase: the last blocks would be freed
  // after the workload's end, so they stay live in the final state.
  const Trace run = generate(scenario_of({churn(fixed(123), 10'000)}));
  for (const Op &op : run.ops) ASSERT_LE(op.time_ns, 10'000u);
  EXPECT_EQ(of_kind(run, Op::Kind::Free).size(), 988u) << "blocks allocated at 0..9870 ns are freed by 10 us";
}

TEST(GeneratorLifetime, UntilPhaseEndFreesEveryBlockAtThePhaseEnd) {
  Phase p = churn(until_phase_end(), 10'000);
  p.start_ns = 5'000;
  const Trace run = generate(scenario_of({p}));
  const auto frees = of_kind(run, Op::Kind::Free);
  EXPECT_EQ(frees.size(), of_kind(run, Op::Kind::Alloc).size());
  for (const Op &op : frees) ASSERT_EQ(op.time_ns, 15'000u) << "tag " << op.tag;
}

TEST(GeneratorLifetime, ForeverBlocksAreNeverFreed) {
  const Trace run = generate(scenario_of({churn(forever(), 10'000)}));
  EXPECT_EQ(of_kind(run, Op::Kind::Alloc).size(), 1000u);
  EXPECT_TRUE(of_kind(run, Op::Kind::Free).empty());
}

TEST(GeneratorArrivals, FixedInterArrivalGivesExactTimes) {
  Phase p = churn(forever(), 1'000, fixed(100));
  p.start_ns = 1'000;
  const auto allocs = of_kind(generate(scenario_of({p})), Op::Kind::Alloc);
  std::vector<std::uint64_t> times;
  for (const Op &op : allocs) times.push_back(op.time_ns);
  EXPECT_EQ(times, (std::vector<std::uint64_t>{1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900}))
      << "first step at the phase start, none at or after its end";
}

TEST(GeneratorArrivals, ExponentialInterArrivalGivesTheRequestedRate) {
  // A Poisson process of rate 1/10 ns over 1 ms: 100,000 arrivals expected,
  // standard deviation sqrt(100,000).
  const auto allocs = of_kind(generate(scenario_of({churn(forever(), 1'000'000, exponential(10))})), Op::Kind::Alloc);
  EXPECT_NEAR(static_cast<double>(allocs.size()), 100'000, 4 * std::sqrt(100'000.0));
}

// ---- merging and reproducibility ----------------------------------------------

TEST(GeneratorOrder, TiesGoToTheLowerCpuThenTheLowerPhase) {
  // Two phases on the same CPUs with the same fixed clock: every instant has
  // one step per (phase, CPU). The class index tells the phase apart.
  const std::vector<int> cpus = {3, 1, 2};
  const Phase a = phase("a", PhaseKind::Random, cpus, 0, 1'000, fixed(10), {alloc_class("x", {1}, fixed(20))});
  const Phase b = phase("b", PhaseKind::Random, cpus, 0, 1'000, fixed(10), {alloc_class("y", {1}, fixed(20))});
  const Trace run = generate(scenario_of({a, b}));
  for (std::size_t i = 1; i < run.ops.size(); ++i) {
    const Op &x = run.ops[i - 1];
    const Op &y = run.ops[i];
    if (x.time_ns != y.time_ns) continue;
    ASSERT_LE(x.cpu, y.cpu) << "at " << y.time_ns << " ns";
    if (x.cpu == y.cpu) {
      ASSERT_LE(x.cls, y.cls) << "at " << y.time_ns << " ns, cpu " << y.cpu;
    }
  }
  EXPECT_EQ(of_kind(run, Op::Kind::Alloc).size(), 600u);
}

TEST(GeneratorOrder, ABlockDueAtAStepIsFreedBeforeTheStepAllocates) {
  const Trace run = generate(scenario_of({churn(fixed(10), 30)}));
  std::vector<std::tuple<std::uint64_t, Op::Kind, std::uint64_t>> seen;
  for (const Op &op : run.ops) seen.emplace_back(op.time_ns, op.kind, op.tag);
  using K = Op::Kind;
  const std::vector<std::tuple<std::uint64_t, Op::Kind, std::uint64_t>> expected = {
      {0, K::Alloc, 1}, {10, K::Free, 1}, {10, K::Alloc, 2}, {20, K::Free, 2}, {20, K::Alloc, 3}, {30, K::Free, 3}};
  EXPECT_EQ(seen, expected);
}

TEST(GeneratorOrder, SameSeedGivesTheSameSequence) {
  const Phase p = phase("mix", PhaseKind::Random, {0, 1, 2}, 0, 100'000, exponential(50),
                        {alloc_class("a", {4, 2, 1, 1}, exponential(500)), alloc_class("b", {1}, uniform(1, 900), 3)});
  const Trace first = generate(scenario_of({p}, 42));
  const Trace second = generate(scenario_of({p}, 42));
  ASSERT_EQ(first.ops.size(), second.ops.size());
  for (std::size_t i = 0; i < first.ops.size(); ++i) ASSERT_EQ(as_tuple(first.ops[i]), as_tuple(second.ops[i])) << i;
}

TEST(GeneratorOrder, DifferentSeedsGiveDifferentSequences) {
  const Phase p = churn(exponential(500), 100'000, exponential(50));
  const Trace first = generate(scenario_of({p}, 1));
  const Trace second = generate(scenario_of({p}, 2));
  bool differ = first.ops.size() != second.ops.size();
  for (std::size_t i = 0; !differ && i < first.ops.size(); ++i)
    differ = as_tuple(first.ops[i]) != as_tuple(second.ops[i]);
  EXPECT_TRUE(differ);
}

TEST(GeneratorOrder, EachCpuHasItsOwnStream) {
  const Phase p = phase("p", PhaseKind::Random, {0, 1}, 0, 10'000, exponential(50), {alloc_class("a", {1}, forever())});
  std::map<int, std::vector<std::uint64_t>> times;
  for (const Op &op : generate(scenario_of({p})).ops) times[op.cpu].push_back(op.time_ns);
  EXPECT_NE(times[0], times[1]) << "CPUs of one phase must not replay the same random sequence";
}

TEST(GeneratorClasses, NamesSharedByPhasesAreQualifiedWithThePhase) {
  const Phase warm = phase("warm", PhaseKind::Random, {0}, 0, 100, fixed(10), {alloc_class("movable", {1}, forever())});
  const Phase churn_phase = phase("churn", PhaseKind::Random, {0}, 0, 100, fixed(10),
                                  {alloc_class("movable", {1}, forever()), alloc_class("atomic", {1}, forever())});
  const auto source = make_generator(scenario_of({warm, churn_phase}));
  EXPECT_EQ(source->class_names(), (std::vector<std::string>{"warm/movable", "churn/movable", "atomic"}));
}

// ---- outcomes -----------------------------------------------------------------

TEST(GeneratorOutcome, FailedAllocationsAreNeverFreed) {
  // drive() flags any free of a block that is not live; here also count.
  const Trace run =
      generate(scenario_of({churn(fixed(100), 100'000), tail()}), [](const Op &op) { return op.tag % 3 != 0; });
  EXPECT_EQ(run.failed.size(), 3333u);
  for (const Op &op : of_kind(run, Op::Kind::Free)) ASSERT_EQ(run.failed.count(op.tag), 0u) << op.tag;
  EXPECT_EQ(of_kind(run, Op::Kind::Free).size(), 10'000u - 3333u) << "every successful block is freed";
}

TEST(GeneratorOutcome, AFreeDueBeforeItsAllocationCompletesWaitsForIt) {
  // A timing model may finish an allocation after its lifetime ended: the
  // free then comes at the completion time, on the allocating CPU.
  const auto source = make_generator(scenario_of({churn(fixed(5), 100, fixed(1'000)), tail(10'000)}));
  const std::optional<Op> alloc = source->next();
  ASSERT_TRUE(alloc && alloc->kind == Op::Kind::Alloc && alloc->time_ns == 0u);
  // Run ahead without reporting that allocation: its free (due at 5 ns) is held.
  while (auto op = source->next()) {
    ASSERT_NE(op->kind, Op::Kind::Free) << "the free must wait for the outcome";
    source->completed(*op, true, 43, op->time_ns);
  }
  source->completed(*alloc, true, 42, 700);
  const std::optional<Op> freed = source->next();
  ASSERT_TRUE(freed && freed->kind == Op::Kind::Free);
  EXPECT_EQ(freed->tag, alloc->tag);
  EXPECT_EQ(freed->time_ns, 700u);
  EXPECT_EQ(freed->cpu, alloc->cpu);
}

TEST(GeneratorOutcome, ADeferredFreeStillComesNoEarlierThanItsOwnTime) {
  // A timed runner asks for operations up to a quantum ahead, so an
  // allocation may still be outstanding when its free is reached, and then
  // complete before the free's own time.
  const auto source = make_generator(scenario_of({churn(fixed(500), 100, fixed(1'000)), tail(10'000)}));
  const std::optional<Op> alloc = source->next();
  ASSERT_TRUE(alloc && alloc->kind == Op::Kind::Alloc);
  while (auto op = source->next()) source->completed(*op, true, 43, op->time_ns);
  source->completed(*alloc, true, 42, 300);
  const std::optional<Op> freed = source->next();
  ASSERT_TRUE(freed && freed->kind == Op::Kind::Free);
  EXPECT_EQ(freed->time_ns, 500u) << "alloc time 0 + lifetime 500 ns, not the completion at 300 ns";
}

TEST(GeneratorOutcome, FreesNameTheBlockTheirAllocationGot) {
  const auto source = make_generator(scenario_of({churn(fixed(100), 10'000), tail()}));
  ASSERT_TRUE(source->frees_name_blocks());
  std::map<std::uint64_t, model::Pfn> pfns;
  model::Pfn next = 1000;
  std::size_t frees = 0;
  while (auto op = source->next()) {
    if (op->kind == Op::Kind::Alloc) {
      pfns[op->tag] = next += 8;
      source->completed(*op, true, pfns[op->tag], op->time_ns);
    } else {
      ASSERT_EQ(op->pfn, pfns.at(op->tag)) << "tag " << op->tag;
      ++frees;
    }
  }
  EXPECT_GT(frees, 0u);
}

TEST(GeneratorOutcome, CompletedForAnUnknownTagIsAProgrammingError) {
  const auto source = make_generator(scenario_of({churn(forever(), 100)}));
  Op stray;
  stray.tag = 999;
  EXPECT_THROW(source->completed(stray, true, 0, 0), std::logic_error);
}

}  // namespace
}  // namespace buddysim::workload
