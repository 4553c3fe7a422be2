#include "sim/workload/event_queue.h"

namespace buddysim::workload {

void EventQueue::push(std::uint64_t time_ns, int cpu, std::uint32_t phase, Event::Kind kind, std::uint64_t id) {
  const std::uint64_t lane = std::uint64_t{static_cast<std::uint32_t>(cpu)} << 32 | phase;
  const std::uint64_t rank = std::uint64_t{kind == Event::Kind::Step} << 63 | id;
  heap_.push_back(Event{time_ns, lane, rank});
  sift_up(heap_.size() - 1);
}

Event EventQueue::pop() {
  const Event top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return top;
}

void EventQueue::sift_up(std::size_t i) {
  const Event moving = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!moving.before(heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = moving;
}

void EventQueue::sift_down(std::size_t i) {
  const Event moving = heap_[i];
  const std::size_t n = heap_.size();
  while (true) {
    const std::size_t first = i * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + kArity < n ? first + kArity : n;
    for (std::size_t c = first + 1; c < last; ++c)
      if (heap_[c].before(heap_[best])) best = c;
    if (!heap_[best].before(moving)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = moving;
}

}  // namespace buddysim::workload
