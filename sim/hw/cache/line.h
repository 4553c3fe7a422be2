// Units shared by the memory-side timing cores (cache, coherence directory,
// interconnect): a cache line number, its MESI state and a time in
// picoseconds. Plain C++,
// no SystemC: the SystemC modules convert Ps to sc_time at their edge.
#pragma once

#include <cstdint>

namespace buddysim::hw {

// Simulated time in picoseconds: integral so that runs are deterministic and
// a 64-bit count covers 213 days of simulated time.
using Ps = std::uint64_t;

// A 64-byte cache line, numbered as addr >> LINE_SHIFT of the synthetic
// kernel virtual addresses the allocator reports (model/hooks.h).
using Line = std::uint64_t;

inline constexpr unsigned LINE_SHIFT = 6;
inline constexpr std::uint64_t LINE_BYTES = 1ull << LINE_SHIFT;  // x86-64 cache line

inline constexpr Line line_of(std::uint64_t addr) { return addr >> LINE_SHIFT; }

// MESI state of a line, as a private cache holds it and as the coherence
// directory records it (protocol in sim/hw/coherence/directory.h). Invalid:
// not cached; Shared: read-only copy; Exclusive: the only copy, clean;
// Modified: the only copy, written.
enum class LineState : std::uint8_t { Invalid, Shared, Exclusive, Modified };

constexpr const char *line_state_name(LineState state) {
  switch (state) {
    case LineState::Invalid:
      return "I";
    case LineState::Shared:
      return "S";
    case LineState::Exclusive:
      return "E";
    case LineState::Modified:
      return "M";
  }
  return "?";
}

// Picoseconds per nanosecond, for readable defaults (45 * PS_PER_NS).
inline constexpr Ps PS_PER_NS = 1000;

}  // namespace buddysim::hw
