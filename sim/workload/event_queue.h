// The generator's pending events (a stream's next step, a scheduled free) in
// a total order: time, then CPU, then phase index, then frees before steps,
// frees by tag (allocation order) and steps by stream index. A total order,
// so the merged operation stream never depends on heap internals.
//
// A 4-ary min-heap of 24-byte events: with a long lifetime the heap holds one
// scheduled free per live block (hundreds of thousands), and a wider, flatter
// heap halves the levels, and the cache misses, of each pop.
#pragma once

#include <cstdint>
#include <vector>

namespace buddysim::workload {

struct Event {
  enum class Kind : std::uint8_t { Free, Step };  // Free first: release before acquire at one instant
  std::uint64_t time_ns = 0;
  std::uint64_t lane = 0;  // CPU << 32 | phase index
  std::uint64_t rank = 0;  // kind << 63 | id (Free: tag; Step: stream index)

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
  // cpu must be >= 0 (it orders as unsigned); id < 2^63.
  void push(std::uint64_t time_ns, int cpu, std::uint32_t phase, Event::Kind kind, std::uint64_t id);
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const Event &top() const { return heap_.front(); }
  Event pop();

 private:
  static constexpr std::size_t kArity = 4;
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<Event> heap_;
};

}  // namespace buddysim::workload
