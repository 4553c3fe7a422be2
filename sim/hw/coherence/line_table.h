// The directory's per-line records: an open-addressing hash table (linear
// probing, backward-shift deletion, no tombstones) from line to a 16-byte
// record. A line has a record exactly while at least one private cache holds
// it, so the table never outgrows the total cache capacity; it doubles when
// more than 5/8 full (so that caches filled to capacity, plus the line each
// fill inserts before its eviction, fit in a power of two at twice that)
// and otherwise allocates nothing. It is not sized for the caches up front:
// new host memory costs page faults, and most runs fill far less. A slot
// whose state is Invalid is free, so the slots live in kernel-zeroed memory
// (model::ZeroedArray): no fill, and huge pages where the host has them.
//
// One range of lines may keep its records in an array of their own, indexed
// by line: the struct page array, which a simulation touches at random over
// gigabytes but also in physical order (pcp refills, buddies, list
// neighbours). There neighbouring lines' records share host cache lines,
// where hashing would scatter them, and a lookup needs no probing.
#pragma once

#include <cstddef>

#include <cstdint>
#include <utility>

#include "model/host_prefetch.h"
#include "model/zeroed_array.h"
#include "sim/hw/cache/line.h"
#include "sim/hw/coherence/sharer_sets.h"

namespace buddysim::hw {

// A record's state is never Invalid: an uncached line has no record. Records
// are 16 bytes, two to a host cache line: the table is far larger than the
// host's caches, and lookups are dominated by loading the slot. The line,
// home node, dirty mark and state share one word, which holds only lines of
// canonical 57-bit addresses (LA57; every kernel address is one): addr >> 6
// is 58 bits wide, and its low 51 bits sign-extend to the rest.
struct LineRecord {
  static constexpr unsigned LINE_BITS = 51, NODE_BITS = 10;
  static constexpr unsigned NODE_SHIFT = LINE_BITS, DIRTY_SHIFT = NODE_SHIFT + NODE_BITS, STATE_SHIFT = 62;
  static constexpr std::uint64_t LINE_MASK = (std::uint64_t{1} << LINE_BITS) - 1;
  static constexpr std::uint64_t NODE_MASK = ((std::uint64_t{1} << NODE_BITS) - 1) << NODE_SHIFT;
  static constexpr std::uint64_t DIRTY_BIT = std::uint64_t{1} << DIRTY_SHIFT;

  // Whether the record can hold the line: bits 51..57 copy bit 50, none above.
  static constexpr bool storable(Line line) { return widen(line & LINE_MASK) == line; }
  static constexpr Line widen(std::uint64_t low) {
    constexpr Line LINES = ~Line{0} >> LINE_SHIFT;  // lines of 64-bit addresses
    return static_cast<Line>(static_cast<std::int64_t>(low << (64 - LINE_BITS)) >> (64 - LINE_BITS)) & LINES;
  }

  Line line() const { return widen(key & LINE_MASK); }
  int home_node() const { return static_cast<int>((key & NODE_MASK) >> NODE_SHIFT); }
  bool dirty() const { return (key & DIRTY_BIT) != 0; }
  LineState state() const { return static_cast<LineState>(key >> STATE_SHIFT); }
  int owner() const { return static_cast<int>(holders); }  // Exclusive/Modified only
  void set_home_node(int node) { key = (key & ~NODE_MASK) | (static_cast<std::uint64_t>(node) << NODE_SHIFT); }
  void set_dirty(bool dirty) { key = dirty ? key | DIRTY_BIT : key & ~DIRTY_BIT; }
  void set_state(LineState state) {
    key = (key & ~(std::uint64_t{3} << STATE_SHIFT)) | (static_cast<std::uint64_t>(state) << STATE_SHIFT);
  }

  std::uint64_t key;  // low line bits | home node | dirty | state (Invalid, all zero: a free slot)
  // Shared: the set of holders (a SharerSets handle); Exclusive/Modified: the one holder.
  std::uint64_t holders;
};
static_assert(sizeof(LineRecord) == 16);

class LineTable {
 public:
  // Lines [dense_first, dense_first + dense_lines) are the indexed range
  // (none when dense_lines is 0); each must be storable.
  explicit LineTable(Line dense_first = 0, std::size_t dense_lines = 0);

  // The record of a line, or nullptr. Pointers stay valid until the next
  // insert or erase.
  LineRecord *find(Line line) { return const_cast<LineRecord *>(std::as_const(*this).find(line)); }
  const LineRecord *find(Line line) const {
    if (const LineRecord *d = dense_slot(line)) return d->key != 0 ? d : nullptr;
    const std::size_t i = find_slot(line);
    return i == NOT_FOUND ? nullptr : &slots_[i];
  }
  // Starts loading the host memory where the line's record would be, for a
  // lookup due soon (the table is far larger than the host's caches).
  void prefetch(Line line) const {
    const LineRecord *d = dense_slot(line);
    model::host_prefetch(d != nullptr ? d : &slots_[home_slot(line)]);
  }
  // Adds a record for a line that has none (LineRecord::storable); fields
  // other than the line are unset (the state holds a placeholder other than
  // Invalid until the caller sets it).
  LineRecord &insert(Line line);
  void erase(Line line);
  std::size_t size() const { return hashed_ + dense_used_; }

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
  // The line's place in the indexed range, or nullptr outside it.
  const LineRecord *dense_slot(Line line) const {
    const Line i = line - dense_first_;  // wraps for lines below the range
    return i < dense_.size() ? &dense_[static_cast<std::size_t>(i)] : nullptr;
  }
  LineRecord *dense_slot(Line line) { return const_cast<LineRecord *>(std::as_const(*this).dense_slot(line)); }

  model::ZeroedArray<LineRecord> slots_;
  std::size_t mask_;
  unsigned shift_;  // 64 - log2(slots): the hash's top bits pick the slot
  std::size_t hashed_ = 0;  // records in slots_
  Line dense_first_;
  model::ZeroedArray<LineRecord> dense_;
  std::size_t dense_used_ = 0;  // records in dense_
};

}  // namespace buddysim::hw
