#include "sim/record/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace buddysim::record {

unsigned LatencyHistogram::bucket(std::uint64_t ns) {
  if (ns < (1u << SUB_BITS)) return static_cast<unsigned>(ns);  // exact below 16 ns
  const unsigned e = static_cast<unsigned>(std::bit_width(ns)) - 1;
  const unsigned sub = static_cast<unsigned>(ns >> (e - SUB_BITS)) & ((1u << SUB_BITS) - 1);
  return ((e - SUB_BITS + 1) << SUB_BITS) + sub;
}

std::uint64_t LatencyHistogram::upper_bound(unsigned b) {
  if (b < (1u << SUB_BITS)) return b;
  const unsigned e = (b >> SUB_BITS) + SUB_BITS - 1;
  const std::uint64_t sub = b & ((1u << SUB_BITS) - 1);
  const std::uint64_t lower = ((1ull << SUB_BITS) + sub) << (e - SUB_BITS);
  return lower + (1ull << (e - SUB_BITS)) - 1;
}

void LatencyHistogram::add(std::uint64_t ns) {
  ++counts_[bucket(ns)];
  ++count_;
  total_ += ns;
  max_ = std::max(max_, ns);
  min_ = std::min(min_, ns);
}

std::uint64_t LatencyHistogram::percentile(unsigned per_10k) const {
  if (!count_) return 0;
  const std::uint64_t target = (count_ * per_10k + 9999) / 10000;  // samples at or below
  std::uint64_t seen = 0;
  for (unsigned b = 0; b < BUCKETS; ++b) {
    seen += counts_[b];
    if (seen >= target && seen) return std::min(upper_bound(b), max_);
  }
  return max_;
}

}  // namespace buddysim::record
