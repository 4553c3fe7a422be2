// The directory's per-line records: an open-addressing hash table (linear
// probing, backward-shift deletion, no tombstones) from line to a 32-byte
// record. A line has a record exactly while at least one private cache holds
// it, so the table never outgrows the total cache capacity; it doubles when
// more than 5/8 full (so that caches filled to capacity, plus the line each
// fill inserts before its eviction, fit in a power of two at twice that)
// and otherwise allocates nothing. It is not sized for the caches up front:
// new host memory costs page faults, and most runs fill far less. A slot
// whose state is Invalid is free, so the slots live in kernel-zeroed memory
// (model::ZeroedArray): no fill, and huge pages where the host has them.
#pragma once

#include <cstdint>

#include "model/host_prefetch.h"
#include "model/zeroed_array.h"
#include "sim/hw/cache/line.h"
#include "sim/hw/coherence/sharer_sets.h"

namespace buddysim::hw {

// A record's state is never Invalid: an uncached line has no record.
struct LineRecord {
  Line line;
  SharerSets::Handle sharers;  // Shared: the set of holders
  std::int32_t owner;          // Exclusive/Modified: the one holder; -1 when Shared
  std::uint16_t nr_sharers;    // Shared: members of the set
  std::uint16_t home_node;     // where the line is written back to
  LineState state;
  bool dirty;  // memory is stale: someone wrote the line since it was fetched
};

class LineTable {
 public:
  LineTable();

  // The record of a line, or nullptr. Pointers stay valid until the next
  // insert or erase.
  LineRecord *find(Line line) {
    const std::size_t i = find_slot(line);
    return i == NOT_FOUND ? nullptr : &slots_[i];
  }
  const LineRecord *find(Line line) const {
    const std::size_t i = find_slot(line);
    return i == NOT_FOUND ? nullptr : &slots_[i];
  }
  // Starts loading the host memory where the line's record would be, for a
  // lookup due soon (the table is far larger than the host's caches).
  void prefetch(Line line) const { model::host_prefetch(&slots_[home_slot(line)]); }
  // Adds a record for a line that has none; fields other than line are unset
  // (state holds a placeholder other than Invalid until the caller sets it).
  LineRecord &insert(Line line);
  void erase(Line line);
  std::size_t size() const { return size_; }

 private:
  static constexpr std::size_t INITIAL_SLOTS = 1024;
  static constexpr std::size_t MAX_LOAD_NUM = 5, MAX_LOAD_DEN = 8;

  static constexpr std::size_t NOT_FOUND = ~std::size_t{0};

  // Fibonacci hashing: consecutive lines (neighbouring struct pages) spread
  // over the table instead of forming one long probe run.
  std::size_t home_slot(Line line) const {
    constexpr std::uint64_t GOLDEN = 0x9e3779b97f4a7c15ull;
    return static_cast<std::size_t>((line * GOLDEN) >> shift_);
  }
  std::size_t find_slot(Line line) const;
  void grow();

  model::ZeroedArray<LineRecord> slots_;
  std::size_t mask_;
  unsigned shift_;  // 64 - log2(slots): the hash's top bits pick the slot
  std::size_t size_ = 0;
};

}  // namespace buddysim::hw
