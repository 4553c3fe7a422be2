// The generator's pending events (a stream's next step, a scheduled free) in
// their total order (event_heap.h).
//
// Steps wait in a heap of their own: a stream has at most one queued, so
// they are few, stay in the host caches, and come out without passing the
// frees.
//
// Frees wait in a radix heap on the time, one byte per level: with long
// lifetimes the queue holds one scheduled free per live block (hundreds of
// thousands), and a binary or 4-ary heap of that size misses the host
// caches on nearly every level of every pop. Here a free waits in an
// unsorted bucket chosen by the highest byte in which its time differs from
// the clock (the earliest time of the last bucket emptied) (the level) and
// its value there (the digit). Frees that differ from the clock only in the
// lowest two bytes (the next 65 us or less: a few hundred, which stay in the
// host caches), and the rare ones earlier than it (a free deferred to its
// allocation's completion), sit in a small heap instead: a byte level of
// their own would cost a free two more moves for little order. A push is an
// append or a push onto the small heap; a free moves down at least a level
// at a time, so at most 6 times (twice for lifetimes of milliseconds), by
// sequential copies.
// Buckets are lists of 4 KiB chunks from one pool, so memory follows the
// number of events queued and is reused as buckets drain; the pool grows by
// slabs of zeroed memory (new memory costs page faults, fewer on huge pages).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include "model/zeroed_array.h"
#include "sim/workload/event_heap.h"

namespace buddysim::workload {

class EventQueue {
 public:
  // Sees each free that a refill brings into the small heap, a few hundred
  // events before it is due, so the owner can start loading what handling
  // it will touch.
  using Warm = std::function<void(const Event &)>;

  explicit EventQueue(Warm warm = {}) : warm_(std::move(warm)) {}
  EventQueue(const EventQueue &) = delete;
  EventQueue &operator=(const EventQueue &) = delete;

  // cpu must be >= 0 (it orders as unsigned); id < 2^63.
  void push(std::uint64_t time_ns, int cpu, std::uint32_t phase, Event::Kind kind, std::uint64_t id,
            std::uint64_t ref = 0);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // The first event; the queue must not be empty. Not const: it may move
  // events between buckets.
  const Event &top() { return next_heap().front(); }
  Event pop();

 private:
  // The link on a host cache line of its own, then 32-byte events, none
  // straddling two lines.
  struct Chunk {
    static constexpr std::size_t CAPACITY = (4096 - 64) / sizeof(Event);
    Chunk *next = nullptr;  // the bucket's older (full) chunk, or the pool's next free one
    alignas(64) std::array<Event, CAPACITY> events;
  };
  // The fill of the newest chunk and the earliest time are kept here, not
  // in the chunks: a refill appends to up to 256 buckets, and this array
  // stays in the host caches; and it then needs no pass over the events
  // (hundreds of KiB for a long lifetime) to find the earliest.
  struct Bucket {
    Chunk *newest = nullptr;
    std::size_t count = 0;  // events in newest
    std::uint64_t earliest = 0;
  };
  static constexpr std::size_t FIRST_SLAB = 16, MAX_SLAB = 1024;  // chunks: 64 KiB to 4 MiB
  static constexpr unsigned DIGIT_BITS = 8, DIGITS = 1u << DIGIT_BITS;
  static constexpr unsigned HEAP_BITS = 2 * DIGIT_BITS;  // lowest bits ordered by the heap
  static constexpr unsigned LEVELS = (64 - HEAP_BITS) / DIGIT_BITS;
  // The heap whose front is the first event.
  EventHeap &next_heap();
  // Returns whether `e` went to the heap.
  bool place(const Event &e);
  void append(std::size_t bucket, const Event &e);
  void release(Chunk *chunk);
  void refill();

  Warm warm_;
  EventHeap steps_;
  EventHeap due_;  // the frees at or before last_, or differing from it in HEAP_BITS only
  // [level * DIGITS + digit]: the newest chunk of the later events whose time
  // differs from last_ first in byte `level` above HEAP_BITS, where it holds `digit`
  std::array<Bucket, LEVELS * DIGITS> buckets_{};
  std::array<std::array<std::uint64_t, DIGITS / 64>, LEVELS> full_digits_{};  // bit set: bucket holds events
  std::uint32_t full_levels_ = 0;                                             // bit set: the level holds events
  std::uint64_t last_ = 0;  // the clock: the earliest time of the last bucket emptied (never decreases)
  std::size_t size_ = 0;    // both heaps and the buckets
  std::vector<model::ZeroedArray<Chunk>> slabs_;  // every chunk made, in slabs twice the size of the last
  std::size_t slab_used_ = 0;                     // chunks of the last slab handed out
  Chunk *pool_ = nullptr;                         // chunks returned by buckets
};

}  // namespace buddysim::workload
