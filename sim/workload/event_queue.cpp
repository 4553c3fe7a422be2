#include "sim/workload/event_queue.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace buddysim::workload {

void EventQueue::push(std::uint64_t time_ns, int cpu, std::uint32_t phase, Event::Kind kind, std::uint64_t id,
                      std::uint64_t ref) {
  const std::uint64_t lane = std::uint64_t{static_cast<std::uint32_t>(cpu)} << 32 | phase;
  const std::uint64_t rank = std::uint64_t{kind == Event::Kind::Step} << 63 | id;
  place(Event{time_ns, lane, rank, ref});
  ++size_;
}

// Events at or before last_, or after it but agreeing with it above
// HEAP_BITS, come before everything in the buckets.
bool EventQueue::place(const Event &e) {
  const std::uint64_t above = (e.time_ns ^ last_) >> HEAP_BITS;
  if (e.time_ns <= last_ || above == 0) {
    due_.push_back(e);
    sift_up(due_.size() - 1);
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
  Chunk *head = buckets_[bucket];
  if (head == nullptr || head->count == Chunk::CAPACITY) {
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
    fresh->count = 0;
    fresh->next = head;
    buckets_[bucket] = head = fresh;
  }
  head->events[head->count++] = e;
}

void EventQueue::release(Chunk *chunk) {
  chunk->next = pool_;
  pool_ = chunk;
}

const Event &EventQueue::top() {
  if (due_.empty()) refill();
  return due_.front();
}

Event EventQueue::pop() {
  if (due_.empty()) refill();
  const Event first = due_.front();
  due_.front() = due_.back();
  due_.pop_back();
  if (!due_.empty()) sift_down(0);
  --size_;
  return first;
}

// The lowest digit of the lowest level holds the earliest events; its
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
  Chunk *chunk = std::exchange(buckets_[level * DIGITS + digit], nullptr);
  std::uint64_t earliest = chunk->events[0].time_ns;
  for (const Chunk *c = chunk; c != nullptr; c = c->next)
    for (std::size_t i = 0; i < c->count; ++i) earliest = std::min(earliest, c->events[i].time_ns);
  last_ = earliest;
  while (chunk != nullptr) {
    Chunk *next = chunk->next;
    for (std::size_t i = 0; i < chunk->count; ++i) {
      if (place(chunk->events[i]) && warm_) warm_(chunk->events[i]);
    }
    release(chunk);
    chunk = next;
  }
}

void EventQueue::sift_up(std::size_t i) {
  const Event moving = due_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!moving.before(due_[parent])) break;
    due_[i] = due_[parent];
    i = parent;
  }
  due_[i] = moving;
}

void EventQueue::sift_down(std::size_t i) {
  const Event moving = due_[i];
  const std::size_t n = due_.size();
  while (true) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + kArity < n ? first + kArity : n;
    for (std::size_t c = first + 1; c < last; ++c)
      if (due_[c].before(due_[best])) best = c;
    if (!due_[best].before(moving)) break;
    due_[i] = due_[best];
    i = best;
  }
  due_[i] = moving;
}

}  // namespace buddysim::workload
