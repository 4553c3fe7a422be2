// Latency histograms: bucket bounds, percentiles and exact small values.
#include "sim/record/latency_histogram.h"

#include <gtest/gtest.h>

namespace buddysim::record {
namespace {

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (std::uint64_t ns : {3, 7, 7, 15}) h.add(ns);
  EXPECT_EQ(h.percentile(5000), 7u);
  EXPECT_EQ(h.percentile(10000), 15u);
  EXPECT_EQ(h.min(), 3u);
  EXPECT_EQ(h.mean(), 8u);
}

TEST(LatencyHistogram, LargeValuesLandWithinOneSixteenth) {
  // 1000 ns falls in [992, 1023]: 2^9 * (1 + 15/16) ... bucket width 32.
  LatencyHistogram h;
  h.add(1000);
  h.add(100'000);
  EXPECT_EQ(h.percentile(5000), 1023u);
  EXPECT_EQ(h.percentile(9990), 100'000u) << "capped at the largest sample";
}

TEST(LatencyHistogram, PercentilesOfAUniformSpread) {
  LatencyHistogram h;
  for (std::uint64_t ns = 1; ns <= 1000; ++ns) h.add(ns);
  // p50 is sample 500, in bucket [496, 511]; p90 sample 900 in [896, 927]; p99 sample 990 in [960, 991].
  EXPECT_EQ(h.percentile(5000), 511u);
  EXPECT_EQ(h.percentile(9000), 927u);
  EXPECT_EQ(h.percentile(9900), 991u);
  EXPECT_EQ(h.max(), 1000u);
  EXPECT_EQ(h.count(), 1000u);
}

TEST(LatencyHistogram, EmptyReportsZero) {
  const LatencyHistogram h;
  EXPECT_EQ(h.percentile(9990), 0u);
  EXPECT_EQ(h.min(), 0u);
}

}  // namespace
}  // namespace buddysim::record
