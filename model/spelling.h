// "Did you mean": the known name closest to a misspelt one.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace buddysim::model {

// Optimal string alignment distance, case ignored: edits plus swaps of
// neighbours, so the commonest typos ("memroy", "tRDC") are one edit.
std::size_t osa_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit distance (a swap of two neighbours
// counts as one edit, case is ignored), if it is close enough to be a likely
// typo: at most one edit per three characters of `word`, and at least one.
std::optional<std::string_view> closest_match(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace buddysim::model
