// The workload's random numbers: the engine against the published
// algorithms, the ziggurat's exponential against the exact distribution, and
// picks that have nothing to choose from leaving the engine alone.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/workload/distribution.h"
#include "sim/workload/exponential.h"
#include "tests/sim/generator_test_support.h"

namespace buddysim::workload {
namespace {

using generator_testing::expect_binomial;

TEST(Random, SplitMix64MatchesItsPublishedSequence) {
  // SplitMix64 from state 0: its first output is the published 0xe220a8397b1dcdaf.
  EXPECT_EQ(splitmix64(0), 0xe220a8397b1dcdafull);
  EXPECT_EQ(splitmix64(0x9e3779b97f4a7c15ull), 0x6e789e6aa1b965f4ull);
}

TEST(Random, EngineIsXoshiro256StarStarSeededBySplitMix64) {
  // Expected values from an independent implementation of the published
  // algorithms (state = the first four SplitMix64 outputs from the seed).
  Rng zero(0);
  EXPECT_EQ(zero(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(zero(), 0xbf6e1f784956452aull);
  EXPECT_EQ(zero(), 0x1a5f849d4933e6e0ull);
  Rng answer(42);
  EXPECT_EQ(answer(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(answer(), 0x6104d9866d113a7eull);
  EXPECT_EQ(answer(), 0xae17533239e499a1ull);
}

TEST(Random, ZigguratExponentialFollowsTheExactDistribution) {
  Rng rng(7);
  const std::size_t n = 2'000'000;
  std::vector<double> samples(n);
  double sum = 0;
  for (double &x : samples) {
    x = standard_exponential(rng);
    ASSERT_GE(x, 0);
    sum += x;
  }
  // Quantiles across the body, the layers' wedges and the tail past the
  // base layer (7.697 is where the tail starts: P = 4.5e-4).
  for (double q : {0.05, 0.2, 0.5, 0.8, 0.95, 0.99, 0.999, 0.9999}) {
    const double at = -std::log1p(-q);
    std::size_t below = 0;
    for (double x : samples) below += x < at;
    expect_binomial(below, n, q, "P(X < " + std::to_string(at) + ")");
  }
  std::size_t tail = 0, deep = 0;
  for (double x : samples) {
    tail += x > 7.697;
    deep += x > 10;
  }
  expect_binomial(tail, n, std::exp(-7.697), "past the base layer");
  expect_binomial(deep, n, std::exp(-10.0), "deep in the tail");
  // Mean 1 and standard deviation 1.
  EXPECT_NEAR(sum / static_cast<double>(n), 1.0, 4 / std::sqrt(static_cast<double>(n)));
}

TEST(Random, APickWithOneChoiceDrawsNothing) {
  const std::vector<double> one{0, 0, 3, 0};
  const WeightedPick pick(one);
  Rng used(5), fresh(5);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(pick.pick(used), 2u);
  EXPECT_EQ(used(), fresh());
  const std::vector<double> two{0, 1, 3};
  const WeightedPick choice(two);
  choice.pick(used);
  fresh();  // the one number a real choice takes
  EXPECT_EQ(used(), fresh());
}

}  // namespace
}  // namespace buddysim::workload
