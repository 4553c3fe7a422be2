#include "sim/workload/event_heap.h"

namespace buddysim::workload {

void EventHeap::push(const Event &e) {
  events_.push_back(e);
  sift_up(events_.size() - 1);
}

Event EventHeap::pop() {
  const Event first = events_.front();
  events_.front() = events_.back();
  events_.pop_back();
  if (!events_.empty()) sift_down(0);
  return first;
}

void EventHeap::sift_up(std::size_t i) {
  const Event moving = events_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / ARITY;
    if (!moving.before(events_[parent])) break;
    events_[i] = events_[parent];
    i = parent;
  }
  events_[i] = moving;
}

void EventHeap::sift_down(std::size_t i) {
  const Event moving = events_[i];
  const std::size_t n = events_.size();
  while (true) {
    const std::size_t first = i * ARITY + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + ARITY < n ? first + ARITY : n;
    for (std::size_t c = first + 1; c < last; ++c)
      if (events_[c].before(events_[best])) best = c;
    if (!events_[best].before(moving)) break;
    events_[i] = events_[best];
    i = best;
  }
  events_[i] = moving;
}

}  // namespace buddysim::workload
