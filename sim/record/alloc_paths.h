// The allocation paths of model::AllocPath by name, as summary.json,
// ops.csv and the Perfetto trace spell them.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace buddysim::record {

// The allocation paths of model::AllocPath, in bit order, as summary keys.
inline constexpr std::array<const char *, 11> PATH_NAMES = {
    "pcp_hit", "pcp_refill", "buddy", "claim", "steal", "highatomic",
    "fallback_zone", "fallback_node", "slowpath", "failed", "cma"};

// The paths an allocation took, joined by '+' ("pcp_refill+claim"); empty for none.
inline std::string path_names(std::uint16_t path) {
  std::string out;
  for (std::size_t bit = 0; bit < PATH_NAMES.size(); ++bit)
    if (path & (1u << bit)) out += (out.empty() ? "" : "+") + std::string(PATH_NAMES[bit]);
  return out;
}

}  // namespace buddysim::record
