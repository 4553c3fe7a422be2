// Tests for sim/workload's generator: scenarios built as structs (no JSON),
// driven by a fake runner that reports each Alloc's outcome. Statistical
// checks use tolerances of 4 standard errors of the sample at hand, so they
// fail by chance about once in 16,000 runs of a fresh seed, and never for the
// fixed seeds used here.
#include "sim/workload/generator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "model/gfp.h"
#include "sim/scenario/scenario_error.h"
#include "sim/workload/block_table.h"
#include "sim/workload/distribution.h"

namespace buddysim::workload {
namespace {

using scenario::AllocClass;
using scenario::Distribution;
using scenario::Phase;
using scenario::PhaseKind;
using DKind = Distribution::Kind;

// ---- scenario builders --------------------------------------------------------

Distribution fixed(std::uint64_t ns) { return {DKind::Fixed, ns, 0}; }
Distribution exponential(std::uint64_t mean) { return {DKind::Exponential, mean, 0}; }
Distribution uniform(std::uint64_t lo, std::uint64_t hi) { return {DKind::Uniform, lo, hi}; }
Distribution until_phase_end() { return {DKind::UntilPhaseEnd, 0, 0}; }
Distribution forever() { return {DKind::Forever, 0, 0}; }

AllocClass alloc_class(std::string name, std::vector<double> order_weights, Distribution lifetime, double weight = 1,
                       model::gfp_t gfp = model::gfp::KERNEL) {
  AllocClass c;
  c.name = std::move(name);
  c.weight = weight;
  c.gfp = gfp;
  c.order_weights = std::move(order_weights);
  c.lifetime = lifetime;
  return c;
}

Phase phase(std::string name, PhaseKind kind, std::vector<int> cpus, std::uint64_t start_ns, std::uint64_t duration_ns,
            Distribution interarrival, std::vector<AllocClass> classes = {}) {
  Phase p;
  p.name = std::move(name);
  p.kind = kind;
  p.cpus = std::move(cpus);
  p.start_ns = start_ns;
  p.duration_ns = duration_ns;
  p.interarrival = interarrival;
  p.classes = std::move(classes);
  return p;
}

// One Random phase on CPU 0: order-0 blocks of one class with `lifetime`.
Phase churn(Distribution lifetime, std::uint64_t duration_ns = 1'000'000, Distribution ia = fixed(10)) {
  return phase("churn", PhaseKind::Random, {0}, 0, duration_ns, ia, {alloc_class("movable", {1}, lifetime)});
}

// A phase that allocates one never-freed block at time 0 and lasts until
// `until`: it keeps the workload open so frees scheduled after the other
// phases end still happen (the workload ends at its latest phase end).
Phase tail(std::uint64_t until = 1'000'000'000) {
  return phase("tail", PhaseKind::Random, {0}, 0, until, fixed(until), {alloc_class("tail", {1}, forever())});
}

scenario::Scenario scenario_of(std::vector<Phase> phases, std::uint64_t seed = 1) {
  scenario::Scenario s;
  s.seed = seed;
  s.workload.phases = std::move(phases);
  return s;
}

// ---- fake runner --------------------------------------------------------------

using Outcome = std::function<bool(const Op &)>;  // an Alloc's result

struct Trace {
  std::vector<Op> ops;
  std::set<std::uint64_t> failed;  // tags of failed Allocs
};

// Drives `source` to its end, reporting each Alloc with `outcome` (default:
// all succeed), and checks on the way what holds for every workload: time
// order, unique increasing tags, and every Free naming a live block with the
// CPU, order, gfp and class it was allocated with.
Trace drive(OpSource &source, const Outcome &outcome = {}) {
  Trace run;
  std::map<std::uint64_t, Op> live;
  std::uint64_t last_tag = 0;
  while (auto op = source.next()) {
    if (!run.ops.empty()) {
      EXPECT_GE(op->time_ns, run.ops.back().time_ns) << "operations out of time order";
    }
    run.ops.push_back(*op);
    if (op->kind == Op::Kind::Alloc) {
      EXPECT_GT(op->tag, last_tag) << "tags must be unique and increasing";
      last_tag = op->tag;
      const bool ok = outcome ? outcome(*op) : true;
      if (ok) live.emplace(op->tag, *op);
      if (!ok) run.failed.insert(op->tag);
      source.completed(*op, ok, ok ? op->tag * 1024 : 0, op->time_ns);
      continue;
    }
    const auto it = live.find(op->tag);
    if (it == live.end()) {
      ADD_FAILURE() << "free of tag " << op->tag << ", which is not live";
      continue;
    }
    EXPECT_EQ(std::tie(op->cpu, op->order, op->gfp, op->cls),
              std::tie(it->second.cpu, it->second.order, it->second.gfp, it->second.cls))
        << "a free must describe the block it frees (tag " << op->tag << ")";
    live.erase(it);
  }
  return run;
}

Trace generate(const scenario::Scenario &s, const Outcome &outcome = {}) {
  const auto source = make_generator(s);
  return drive(*source, outcome);
}

std::vector<Op> of_kind(const Trace &run, Op::Kind kind) {
  std::vector<Op> out;
  for (const Op &op : run.ops)
    if (op.kind == kind) out.push_back(op);
  return out;
}

// Alloc time by tag, to measure lifetimes.
std::map<std::uint64_t, std::uint64_t> alloc_times(const Trace &run) {
  std::map<std::uint64_t, std::uint64_t> t;
  for (const Op &op : of_kind(run, Op::Kind::Alloc)) t[op.tag] = op.time_ns;
  return t;
}

std::vector<double> lifetimes(const Trace &run) {
  const auto born = alloc_times(run);
  std::vector<double> out;
  for (const Op &op : of_kind(run, Op::Kind::Free)) out.push_back(static_cast<double>(op.time_ns - born.at(op.tag)));
  return out;
}

double mean_of(const std::vector<double> &xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum / static_cast<double>(xs.size());
}

// `count` successes out of `n` draws with probability `p`, within 4 sigma.
void expect_binomial(std::size_t count, std::size_t n, double p, const std::string &what) {
  const double expected = static_cast<double>(n) * p;
  const double sigma = std::sqrt(static_cast<double>(n) * p * (1 - p));
  EXPECT_NEAR(static_cast<double>(count), expected, 4 * sigma + 1e-9) << what;
}

auto as_tuple(const Op &op) { return std::tie(op.time_ns, op.cpu, op.kind, op.order, op.gfp, op.tag, op.cls); }

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
  const Trace run = generate(scenario_of({churn(fixed(100), 100'000), tail()}),
                             [](const Op &op) { return op.tag % 3 != 0; });
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

TEST(GeneratorOutcome, CompletedForAnUnknownTagIsAProgrammingError) {
  const auto source = make_generator(scenario_of({churn(forever(), 100)}));
  Op stray;
  stray.tag = 999;
  EXPECT_THROW(source->completed(stray, true, 0, 0), std::logic_error);
}

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

Phase fill(std::vector<int> cpus, std::uint64_t fill_pages, std::vector<double> orders = {1},
           std::uint64_t duration_ns = 1'000'000'000) {
  Phase p = phase("fill", PhaseKind::Fill, std::move(cpus), 0, duration_ns, fixed(10),
                  {alloc_class("movable", std::move(orders), exponential(5))});
  p.fill_pages = fill_pages;
  return p;
}

Phase fragment(std::uint64_t start_ns, unsigned keep_every, std::uint64_t duration_ns = 1'000'000) {
  Phase p = phase("frag", PhaseKind::Fragment, {0, 1}, start_ns, duration_ns, fixed(5));
  p.fragment_of = "fill";
  p.keep_every = keep_every;
  return p;
}

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

// ---- building blocks ----------------------------------------------------------

TEST(GeneratorBlocks, BlockTableAgreesWithAMapUnderRandomChurn) {
  // Random adds, outcomes and releases against std::map as the reference.
  // The table hovers near 500 blocks, just under half of its first 1024
  // slots, so probe runs are long and often wrap around the end, where
  // deletion is easiest to get wrong.
  BlockTable table(1);
  std::map<std::uint64_t, bool> ref;   // tag -> live
  std::vector<std::uint64_t> present;  // tags in ref, to pick from
  Rng rng(5);
  for (int i = 0; i < 300'000; ++i) {
    if (present.empty() || rng() % 100 < (present.size() < 500 ? 60u : 40u)) {
      const std::uint64_t tag = table.add(Block{0, 0, 0, 0, 1, false});
      ref[tag] = false;
      present.push_back(tag);
      continue;
    }
    const std::size_t k = rng() % present.size();
    const std::uint64_t tag = present[k];
    bool gone = false;
    if (!ref[tag]) {
      const bool ok = rng() % 4 != 0;
      ASSERT_TRUE(table.settle(tag, ok).has_value()) << tag;
      ref[tag] = ok;
      gone = !ok;
    } else {
      ASSERT_FALSE(table.settle(tag, true).has_value()) << "a live block has no outcome to report";
      ASSERT_TRUE(table.release(tag).has_value()) << tag;
      gone = true;
    }
    if (!gone) continue;
    ASSERT_FALSE(table.is_live(tag) || table.is_pending(tag)) << "tag " << tag << " is gone";
    ref.erase(tag);
    present[k] = present.back();
    present.pop_back();
  }
  std::uint64_t live_pages = 0;
  for (std::uint64_t tag = 1; tag <= ref.rbegin()->first; ++tag) {
    const auto it = ref.find(tag);
    ASSERT_EQ(table.is_live(tag), it != ref.end() && it->second) << tag;
    ASSERT_EQ(table.is_pending(tag), it != ref.end() && !it->second) << tag;
    if (it != ref.end() && it->second) live_pages += 2;
  }
  EXPECT_EQ(table.live_pages(0), live_pages) << "order-1 blocks count 2 pages each";
}

TEST(GeneratorBlocks, UniformIntegersCoverTheirRangeEvenly) {
  Rng rng(9);
  std::map<std::uint64_t, std::size_t> counts;
  const std::size_t n = 70'000;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t x = uniform_u64(rng, 3, 9);
    ASSERT_TRUE(x >= 3 && x <= 9) << x;
    ++counts[x];
  }
  for (const auto &[value, count] : counts) expect_binomial(count, n, 1.0 / 7, "value " + std::to_string(value));
  EXPECT_EQ(counts.size(), 7u);
}

// ---- refused input ------------------------------------------------------------

std::string error_of(const scenario::Scenario &s) {
  try {
    make_generator(s);
  } catch (const scenario::ScenarioError &e) {
    return e.what();
  }
  return "";
}

TEST(GeneratorInput, FragmentOfAnUnknownPhaseIsRefused) {
  Phase f = fragment(0, 2);
  f.fragment_of = "nope";
  scenario::Scenario s = scenario_of({churn(forever(), 100), f});
  s.source = "x.json";
  EXPECT_EQ(error_of(s),
            "x.json: /workload/phases/1/fragment_of: expected the name of an earlier fill phase, found \"nope\"");
}

TEST(GeneratorInput, AnInterArrivalTimeOfZeroIsRefused) {
  EXPECT_EQ(error_of(scenario_of({churn(forever(), 100, fixed(0))})),
            "/workload/phases/0/interarrival: expected an inter-arrival time that is not always 0 ns");
}

}  // namespace
}  // namespace buddysim::workload
