// Random numbers for the workload generators, reproducible on every platform.
//
// The std::*_distribution classes are not fully specified: libstdc++, libc++
// and MSVC turn the same engine output into different numbers. So the engine
// (rng.h) and every transformation of its output are ours.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/workload/rng.h"

namespace buddysim::workload {

// The seed of one (phase, cpu) stream: a SplitMix64 chain over the scenario
// seed, the phase index and the CPU, so neighbouring streams are unrelated.
std::uint64_t stream_seed(std::uint64_t scenario_seed, std::uint32_t phase, int cpu);

// Uniform integer in [lo, hi], unbiased (rejection sampling).
std::uint64_t uniform_u64(Rng &rng, std::uint64_t lo, std::uint64_t hi);

// A duration drawn from a Fixed, Exponential or Uniform distribution, in whole
// nanoseconds (exponential samples are rounded to nearest). UntilPhaseEnd and
// Forever have no sample of their own: callers handle them, and get 0 here.
std::uint64_t sample_ns(const scenario::Distribution &dist, Rng &rng);

// True when every sample of `dist` is 0 (a Fixed 0, an Exponential of mean 0,
// a Uniform over [0, 0]): as an inter-arrival time that means infinitely many
// operations at one instant.
bool always_zero(const scenario::Distribution &dist);

// Picks an index with probability proportional to its weight. Zero weights
// are never picked; the weights must contain at least one positive value.
// With only one positive weight there is nothing to draw: the engine is
// left alone.
class WeightedPick {
 public:
  explicit WeightedPick(std::span<const double> weights);
  std::size_t pick(Rng &rng) const;

 private:
  std::vector<double> cumulative_;  // running sums of the weights
  std::size_t last_positive_ = 0;   // guards u * total rounding up to total
  bool single_ = false;             // only last_positive_ has weight
};

// Whether a WeightedPick can be built from `weights`: finite, non-negative,
// at least one positive.
bool usable_weights(std::span<const double> weights);

}  // namespace buddysim::workload
