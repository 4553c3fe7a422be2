// Sets of CPUs that share a cache line, kept compact for the common case:
// with up to 64 CPUs a set is one 64-bit mask stored in the handle itself; on
// larger machines the handle names a block of ceil(CPUs / 64) words in a pool
// with a free list, so a steady state allocates nothing.
#pragma once

#include <bit>
#include <cstdint>
#include <vector>

namespace buddysim::hw {

class SharerSets {
 public:
  using Handle = std::uint64_t;
  static constexpr int INLINE_CPUS = 64;

  explicit SharerSets(int nr_cpus);

  Handle make();             // a new empty set
  void release(Handle set);  // the set is no longer used
  void add(Handle &set, int cpu) { word(set, cpu) |= bit(cpu); }
  void remove(Handle &set, int cpu) { word(set, cpu) &= ~bit(cpu); }
  bool contains(Handle set, int cpu) const { return (word(set, cpu) & bit(cpu)) != 0; }
  bool empty(Handle set) const;

  // Calls f(cpu) for every member, in increasing CPU order.
  template <class F>
  void for_each(Handle set, F &&f) const {
    const std::uint64_t *words = inline_ ? &set : &pool_[set * words_];
    for (std::size_t w = 0; w < words_; ++w) {
      for (std::uint64_t bits = words[w]; bits != 0; bits &= bits - 1) {
        f(static_cast<int>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
      }
    }
  }

 private:
  static std::uint64_t bit(int cpu) { return 1ull << (cpu % 64); }
  std::uint64_t &word(Handle &set, int cpu) { return inline_ ? set : pool_[set * words_ + cpu / 64]; }
  std::uint64_t word(Handle set, int cpu) const { return inline_ ? set : pool_[set * words_ + cpu / 64]; }

  std::size_t words_;                // 64-bit words per set
  bool inline_;                      // one word: the handle is the mask
  std::vector<std::uint64_t> pool_;  // blocks of words_ words (pooled mode)
  std::vector<Handle> free_blocks_;  // released block indices
};

}  // namespace buddysim::hw
