#include "sim/workload/distribution.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/workload/exponential.h"

namespace buddysim::workload {
namespace {

// Nanoseconds from a non-negative double, rounded to nearest and saturated.
std::uint64_t to_ns(double x) {
  constexpr double limit = 18446744073709549568.0;  // largest double below 2^64
  if (!(x < limit)) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(x + 0.5);
}

std::uint64_t sample_exponential(double mean, Rng &rng) { return to_ns(mean * standard_exponential(rng)); }

}  // namespace

std::uint64_t stream_seed(std::uint64_t scenario_seed, std::uint32_t phase, int cpu) {
  std::uint64_t h = splitmix64(scenario_seed);
  h = splitmix64(h ^ phase);
  return splitmix64(h ^ static_cast<std::uint32_t>(cpu));
}

std::uint64_t uniform_u64(Rng &rng, std::uint64_t lo, std::uint64_t hi) {
  const std::uint64_t span = hi - lo;
  if (span == std::numeric_limits<std::uint64_t>::max()) return rng();
  const std::uint64_t range = span + 1;
  // Reject the top partial copy of [0, range) so every residue is equally
  // likely: 2^64 mod range values are cut off the top.
  constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
  const std::uint64_t limit = max - (max % range + 1) % range;
  std::uint64_t x = rng();
  while (x > limit) x = rng();
  return lo + x % range;
}

std::uint64_t sample_ns(const scenario::Distribution &dist, Rng &rng) {
  using Kind = scenario::Distribution::Kind;
  switch (dist.kind) {
    case Kind::Fixed:
      return dist.value_ns;
    case Kind::Exponential:
      return sample_exponential(static_cast<double>(dist.value_ns), rng);
    case Kind::Uniform:
      return uniform_u64(rng, dist.value_ns, std::max(dist.value_ns, dist.max_ns));
    case Kind::UntilPhaseEnd:
    case Kind::Forever:
      return 0;
  }
  return 0;
}

bool always_zero(const scenario::Distribution &dist) {
  using Kind = scenario::Distribution::Kind;
  switch (dist.kind) {
    case Kind::Fixed:
    case Kind::Exponential:
      return dist.value_ns == 0;
    case Kind::Uniform:
      return dist.value_ns == 0 && dist.max_ns == 0;
    case Kind::UntilPhaseEnd:
    case Kind::Forever:
      return true;  // not a duration at all
  }
  return true;
}

WeightedPick::WeightedPick(std::span<const double> weights) {
  cumulative_.reserve(weights.size());
  double total = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    total += weights[i];
    cumulative_.push_back(total);
    if (weights[i] > 0) last_positive_ = i;
  }
  single_ = std::count_if(weights.begin(), weights.end(), [](double w) { return w > 0; }) == 1;
}

std::size_t WeightedPick::pick(Rng &rng) const {
  if (single_) return last_positive_;
  const double u = uniform01(rng) * cumulative_.back();
  // First running sum above u: a zero weight repeats the previous sum, so it
  // can never be the first one above.
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  const auto index = static_cast<std::size_t>(it - cumulative_.begin());
  return std::min(index, last_positive_);
}

bool usable_weights(std::span<const double> weights) {
  bool any_positive = false;
  for (double w : weights) {
    if (!std::isfinite(w) || w < 0) return false;
    any_positive = any_positive || w > 0;
  }
  return any_positive;
}

}  // namespace buddysim::workload
