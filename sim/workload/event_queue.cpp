#include "sim/workload/event_queue.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace buddysim::workload {

void EventQueue::push(std::uint64_t time_ns, int cpu, std::uint32_t phase, Event::Kind kind, std::uint64_t id,
                      std::uint64_t ref) {
  const std::uint64_t lane = std::uint64_t{static_cast<std::uint32_t>(cpu)} << 32 | phase;
  const std::uint64_t rank = std::uint64_t{kind == Event::Kind::Step} << 63 | id;
  const Event e{time_ns, lane, rank, ref};
  if (kind == Event::Kind::Step) {
    steps_.push(e);
  } else {
    place(e);
  }
  ++size_;
}

// Events at or before last_, or after it but agreeing with it above
// HEAP_BITS, come before everything in the buckets.
bool EventQueue::place(const Event &e) {
  const std::uint64_t above = (e.time_ns ^ last_) >> HEAP_BITS;
  if (e.time_ns <= last_ || above == 0) {
    due_.push(e);
    return true;
  }
  const unsigned level = static_cast<unsigned>(std::bit_width(above) - 1) / DIGIT_BITS;
  const unsigned digit = static_cast<unsigned>(e.time_ns >> (HEAP_BITS + level * DIGIT_BITS)) & (DIGITS - 1);
  append(level * DIGITS + digit, e);
  full_digits_[level][digit / 64] |= std::uint64_t{1} << (digit % 64);
  full_levels_ |= 1u << level;
  return false;
}

void EventQueue::append(std::size_t bucket, const Event &e) {
  Bucket &b = buckets_[bucket];
  if (b.newest == nullptr || b.count == Chunk::CAPACITY) {
    Chunk *fresh = pool_;
    if (fresh != nullptr) {
      pool_ = fresh->next;
    } else {
      if (slabs_.empty() || slab_used_ == slabs_.back().size()) {
        slabs_.emplace_back(slabs_.empty() ? FIRST_SLAB : std::min(2 * slabs_.back().size(), MAX_SLAB));
        slab_used_ = 0;
      }
      fresh = &slabs_.back()[slab_used_++];
    }
    if (b.newest == nullptr) b.earliest = e.time_ns;
    fresh->next = b.newest;
    b.newest = fresh;
    b.count = 0;
  }
  b.newest->events[b.count++] = e;
  b.earliest = std::min(b.earliest, e.time_ns);
}

void EventQueue::release(Chunk *chunk) {
  chunk->next = pool_;
  pool_ = chunk;
}

EventHeap &EventQueue::next_heap() {
  if (due_.empty() && full_levels_ != 0) refill();
  if (due_.empty()) return steps_;
  if (steps_.empty()) return due_;
  return steps_.front().before(due_.front()) ? steps_ : due_;
}

Event EventQueue::pop() {
  --size_;
  return next_heap().pop();
}

// The lowest digit of the lowest level holds the earliest frees; its
// earliest time becomes last_, and its events spread over lower levels (they
// agree with the new last_ from that byte up) or, close to that time, into
// the heap. The other buckets stay valid: last_ keeps every byte above the
// level, and at the level takes a digit below theirs.
void EventQueue::refill() {
  const unsigned level = static_cast<unsigned>(std::countr_zero(full_levels_));
  std::array<std::uint64_t, DIGITS / 64> &digits = full_digits_[level];
  unsigned word = 0;
  while (digits[word] == 0) ++word;
  const unsigned digit = word * 64 + static_cast<unsigned>(std::countr_zero(digits[word]));
  digits[word] &= digits[word] - 1;
  if (std::all_of(digits.begin(), digits.end(), [](std::uint64_t w) { return w == 0; })) full_levels_ &= ~(1u << level);
  const Bucket taken = std::exchange(buckets_[level * DIGITS + digit], Bucket{});
  last_ = taken.earliest;
  std::size_t count = taken.count;  // then every older chunk is full
  for (Chunk *c = taken.newest; c != nullptr; count = Chunk::CAPACITY) {
    for (std::size_t i = 0; i < count; ++i) {
      if (place(c->events[i]) && warm_) warm_(c->events[i]);
    }
    release(std::exchange(c, c->next));
  }
}

}  // namespace buddysim::workload
