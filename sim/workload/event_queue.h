// The generator's pending events (a stream's next step, a scheduled free) in
// a total order: time, then CPU, then phase index, then frees before steps,
// frees by tag (allocation order) and steps by stream index. A total order,
// so the merged operation stream never depends on the queue's internals.
//
// A radix heap on the time, one byte per level: with long lifetimes the
// queue holds one scheduled free per live block (hundreds of thousands),
// and a binary or 4-ary heap of that size misses the host caches on nearly
// every level of every pop. Here an event waits in an unsorted bucket chosen
// by the highest byte in which its time differs from the clock (the earliest
// time of the last bucket emptied) (the level) and its value there (the
// digit). Events that differ from the clock only in the lowest two bytes
// (the next 65 us or less: a few hundred events, which stay in the host
// caches), and the rare ones earlier than it (a free deferred to its
// allocation's completion), sit in a small heap instead: a byte level of
// their own would cost an event two more moves for little order. A push is
// an append or a push onto the small heap; an event moves down at least a
// level at a time, so at most 6 times (twice for lifetimes of milliseconds,
// never for a step a few microseconds ahead), by sequential copies.
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

namespace buddysim::workload {

struct Event {
  enum class Kind : std::uint8_t { Free, Step };  // Free first: release before acquire at one instant
  std::uint64_t time_ns = 0;
  std::uint64_t lane = 0;  // CPU << 32 | phase index
  std::uint64_t rank = 0;  // kind << 63 | id (Free: tag; Step: stream index)
  std::uint64_t ref = 0;   // the pusher's own reference, outside the order (Free: the block's slot)

  Kind kind() const { return rank >> 63 ? Kind::Step : Kind::Free; }
  std::uint64_t id() const { return rank & ~(std::uint64_t{1} << 63); }
  bool before(const Event &o) const {
    if (time_ns != o.time_ns) return time_ns < o.time_ns;
    if (lane != o.lane) return lane < o.lane;
    return rank < o.rank;
  }
};

class EventQueue {
 public:
  // Sees each event that a refill brings into the small heap, a few hundred
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
  const Event &top();
  Event pop();

 private:
  static constexpr std::size_t kArity = 4;  // of the heap of due events
  struct Chunk {
    static constexpr std::size_t CAPACITY = (4096 - 16) / sizeof(Event);
    std::array<Event, CAPACITY> events;
    std::size_t count = 0;
    Chunk *next = nullptr;  // the bucket's older chunk, or the pool's next free one
  };
  static constexpr std::size_t FIRST_SLAB = 16, MAX_SLAB = 1024;  // chunks: 64 KiB to 4 MiB
  static constexpr unsigned DIGIT_BITS = 8, DIGITS = 1u << DIGIT_BITS;
  static constexpr unsigned HEAP_BITS = 2 * DIGIT_BITS;  // lowest bits ordered by the heap
  static constexpr unsigned LEVELS = (64 - HEAP_BITS) / DIGIT_BITS;
  // Returns whether `e` went to the heap.
  bool place(const Event &e);
  void append(std::size_t bucket, const Event &e);
  void release(Chunk *chunk);
  void refill();
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  Warm warm_;
  std::vector<Event> due_;  // heap of the events at or before last_, or differing from it in HEAP_BITS only
  // [level * DIGITS + digit]: the newest chunk of the later events whose time
  // differs from last_ first in byte `level` above HEAP_BITS, where it holds `digit`
  std::array<Chunk *, LEVELS * DIGITS> buckets_{};
  std::array<std::array<std::uint64_t, DIGITS / 64>, LEVELS> full_digits_{};  // bit set: bucket holds events
  std::uint32_t full_levels_ = 0;                                             // bit set: the level holds events
  std::uint64_t last_ = 0;  // the clock: the earliest time of the last bucket emptied (never decreases)
  std::size_t size_ = 0;
  std::vector<model::ZeroedArray<Chunk>> slabs_;  // every chunk made, in slabs twice the size of the last
  std::size_t slab_used_ = 0;                     // chunks of the last slab handed out
  Chunk *pool_ = nullptr;                         // chunks returned by buckets
};

}  // namespace buddysim::workload
