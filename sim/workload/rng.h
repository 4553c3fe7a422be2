// The generators' random engine: xoshiro256** (Blackman and Vigna,
// "Scrambled linear pseudorandom number generators", 2021), seeded by
// expanding one 64-bit seed with SplitMix64 as its authors advise.
//
// Fully specified here, so a seed gives the same numbers on every platform;
// a period of 2^256 - 1, and it passes BigCrush. Chosen over
// std::mt19937_64 for speed: a few shifts, rotations and one multiply per
// number, with 32 bytes of state instead of 2.5 KiB that regenerates
// every 312 numbers.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <limits>

namespace buddysim::workload {

// SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijection that spreads
// every input bit over the whole output.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

class Rng {
 public:
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  // Consecutive SplitMix64 outputs: a bijection of distinct inputs, so at
  // most one word is 0 and the state is never all zero.
  explicit Rng(std::uint64_t seed) {
    for (std::uint64_t &word : s_) {
      word = splitmix64(seed);
      seed += 0x9e3779b97f4a7c15ull;
    }
  }

  result_type operator()() {
    const std::uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

 private:
  std::array<std::uint64_t, 4> s_{};
};

// The top 53 bits of `bits` as a double in [0, 1).
inline double unit_interval(std::uint64_t bits) { return static_cast<double>(bits >> 11) * 0x1.0p-53; }

// Uniform in [0, 1) with 53 random bits.
inline double uniform01(Rng &rng) { return unit_interval(rng()); }

}  // namespace buddysim::workload
