#include "sim/hw/coherence/sharer_sets.h"

#include <algorithm>

namespace buddysim::hw {

SharerSets::SharerSets(int nr_cpus)
    : words_(static_cast<std::size_t>((std::max(nr_cpus, 1) + 63) / 64)), inline_(words_ == 1) {}

SharerSets::Handle SharerSets::make() {
  if (inline_) return 0;
  if (!free_blocks_.empty()) {
    const Handle block = free_blocks_.back();
    free_blocks_.pop_back();
    return block;
  }
  const Handle block = pool_.size() / words_;
  pool_.resize(pool_.size() + words_, 0);
  return block;
}

bool SharerSets::empty(Handle set) const {
  if (inline_) return set == 0;
  const auto first = pool_.begin() + static_cast<std::ptrdiff_t>(set * words_);
  return std::all_of(first, first + static_cast<std::ptrdiff_t>(words_), [](std::uint64_t w) { return w == 0; });
}

// Blocks go back zeroed, so make() can hand them out as empty sets.
void SharerSets::release(Handle set) {
  if (inline_) return;
  std::fill_n(pool_.begin() + static_cast<std::ptrdiff_t>(set * words_), words_, 0);
  free_blocks_.push_back(set);
}

}  // namespace buddysim::hw
