// A generator event (a stream's next step, a scheduled free) and a small
// heap of them in the events' total order: time, then CPU, then phase
// index, then frees before steps, frees by tag (allocation order) and steps
// by stream index. A total order, so the merged operation stream never
// depends on which queue an event waited in.
#pragma once

#include <cstdint>
#include <vector>

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

// A 4-ary heap: half the depth of a binary one, and a node's children share
// a host cache line or two. For a few hundred events at most; EventQueue
// keeps the many in buckets.
class EventHeap {
 public:
  bool empty() const { return events_.empty(); }
  std::size_t size() const { return events_.size(); }
  // The first event; the heap must not be empty.
  const Event &front() const { return events_.front(); }
  void push(const Event &e);
  Event pop();

 private:
  static constexpr std::size_t ARITY = 4;
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<Event> events_;
};

}  // namespace buddysim::workload
