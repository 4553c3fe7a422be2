// A private (per-CPU) set-associative cache of 64-byte lines with true LRU
// replacement. Each way holds a line and its MESI state; the coherence
// directory (sim/hw/coherence/directory.h) sets the states and keeps every
// cache's contents identical to its own records, so a read hit or a write
// hit on a Modified line is answered here without consulting it. The
// latency of a hit lives with the other latencies in
// CoherenceTimingConfig::private_hit_cycles.
//
// Storage: one 64-bit word per way, (line << 2) | state, a set's ways kept
// in use order (most recent first, empty ways last). An access scans one set
// (16 ways = two host cache lines), a hit moves the line to the front, an
// insert drops the last way: true LRU with no stamps and no allocation.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/host_prefetch.h"
#include "sim/hw/cache/line.h"

namespace buddysim::hw {

struct PrivateCacheConfig {
  // Skylake-SP's private L2: 1 MiB, 16-way (AnandTech, "The Intel Skylake-X
  // Review", 2017, page 4: cache comparison table). One level stands for
  // L1+L2: the capacity of the L2 decides what stays on the CPU.
  static constexpr std::uint64_t DEFAULT_SIZE_BYTES = 1ull << 20;
  static constexpr std::uint32_t DEFAULT_WAYS = 16;

  std::uint64_t size_bytes = DEFAULT_SIZE_BYTES;  // must be ways x 64 x a power of two
  std::uint32_t ways = DEFAULT_WAYS;              // 1 (direct mapped) .. MAX_WAYS
};

class PrivateCache {
 public:
  // Beyond this a set scan stops being cheap; real private caches use <= 20.
  static constexpr std::uint32_t MAX_WAYS = 64;

  // Throws std::invalid_argument naming the field when the geometry is not
  // size = ways x 64 bytes x (a power of two number of sets).
  explicit PrivateCache(const PrivateCacheConfig &config);

  // True if the line is present; a hit makes it the most recently used.
  bool lookup(Line line) { return lookup_state(line) != LineState::Invalid; }
  // Starts loading the line's set (its first and last ways) into the host caches.
  void prefetch(Line line) const {
    const std::uint64_t *set = set_of(line);
    model::host_prefetch(set);
    model::host_prefetch(set + ways_ - 1);
  }
  // The same, returning the state held (Invalid on a miss). Inline: every
  // touch asks.
  LineState lookup_state(Line line) {
    std::uint64_t *set = set_of(line);
    const std::size_t way = find_way(set, line);
    if (way == NOT_FOUND) return LineState::Invalid;
    if (way != 0) move_to_front(set, way);
    return static_cast<LineState>(set[0] & STATE_MASK);
  }
  // The line insert(line) would evict, for a line not present: the set's
  // least recently used line when the set is full.
  std::optional<Line> victim_for(Line line) const {
    const std::uint64_t last = set_of(line)[ways_ - 1];
    if (last == 0) return std::nullopt;
    return last >> STATE_BITS;
  }
  // Places the line as most recently used, in the given state (not Invalid).
  // Returns the least recently used line of the set if one had to leave.
  // Inserting a present line refreshes it and sets its state; nothing leaves.
  std::optional<Line> insert(Line line, LineState state = LineState::Shared);
  // Removes the line if present (a coherence invalidation); true if it was.
  bool invalidate(Line line);
  // Changes the state of a present line without touching the LRU order
  // (a coherence downgrade or upgrade); false if absent.
  bool set_state(Line line, LineState state);
  // Presence and state without touching the LRU order.
  bool contains(Line line) const { return state(line) != LineState::Invalid; }
  LineState state(Line line) const;

  std::uint32_t ways() const { return ways_; }
  std::uint64_t sets() const { return set_mask_ + 1; }
  std::uint64_t capacity_lines() const { return slots_.size(); }
  std::uint64_t occupied_lines() const { return occupied_; }

 private:
  // A word of 0 is an empty way: valid words carry a non-Invalid state.
  static constexpr unsigned STATE_BITS = 2;
  static constexpr std::uint64_t STATE_MASK = (1u << STATE_BITS) - 1;
  static constexpr std::size_t NOT_FOUND = ~std::size_t{0};

  static std::uint64_t pack(Line line, LineState state) {
    return (line << STATE_BITS) | static_cast<std::uint64_t>(state);
  }
  std::uint64_t *set_of(Line line) { return &slots_[static_cast<std::size_t>(line & set_mask_) * ways_]; }
  const std::uint64_t *set_of(Line line) const { return &slots_[static_cast<std::size_t>(line & set_mask_) * ways_]; }
  // Valid ways are packed at the front, so the first empty word ends the scan.
  std::size_t find_way(const std::uint64_t *set, Line line) const {
    for (std::size_t way = 0; way < ways_ && set[way] != 0; ++way) {
      if ((set[way] >> STATE_BITS) == line) return way;
    }
    return NOT_FOUND;
  }
  static void move_to_front(std::uint64_t *set, std::size_t way);

  std::uint32_t ways_;
  std::uint64_t set_mask_;
  std::vector<std::uint64_t> slots_;  // sets x ways, each set most recently used first
  std::uint64_t occupied_ = 0;
};

}  // namespace buddysim::hw
