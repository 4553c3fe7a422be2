// Latencies in nanoseconds in log-linear buckets (16 per power of two, so
// within 6.25% of the value), with the percentiles a latency study reports.
// Integer arithmetic throughout: the same samples give the same figures.
#pragma once

#include <array>
#include <cstdint>

namespace buddysim::record {

class LatencyHistogram {
 public:
  void add(std::uint64_t ns);
  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  std::uint64_t min() const { return count_ ? min_ : 0; }
  std::uint64_t mean() const { return count_ ? total_ / count_ : 0; }
  // The bucket bound at or below which `per_10k` / 10000 of the samples lie
  // (5000 = p50, 9990 = p99.9), never above the largest sample.
  std::uint64_t percentile(unsigned per_10k) const;

 private:
  static constexpr unsigned SUB_BITS = 4;  // 16 buckets per power of two
  static constexpr unsigned BUCKETS = (64 - SUB_BITS + 1) << SUB_BITS;
  static unsigned bucket(std::uint64_t ns);
  static std::uint64_t upper_bound(unsigned bucket);

  std::array<std::uint64_t, BUCKETS> counts_{};
  std::uint64_t count_ = 0, total_ = 0, max_ = 0, min_ = ~0ull;
};

}  // namespace buddysim::record
