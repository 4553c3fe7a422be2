// What a stream may ask of the generator that runs it: issue an Alloc under a
// fresh tag, free a live block, schedule a later free or its own next step.
// The host owns the shared state (block table, event queue, class table), so
// streams stay small and never see each other.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "model/gfp.h"
#include "sim/workload/block_table.h"
#include "sim/workload/event_queue.h"
#include "sim/workload/op_source.h"

namespace buddysim::workload {

// A stream's identity: its index among the generator's streams, its CPU, and
// the phase it belongs to (the tie-breakers of the event order).
struct StreamId {
  std::uint32_t stream = 0;
  int cpu = 0;
  std::uint32_t phase = 0;
};

class StreamHost {
 public:
  StreamHost(std::size_t phases, std::vector<model::gfp_t> class_gfp)
      : blocks_(phases), queue_([this](const Event &e) { warm(e); }), class_gfp_(std::move(class_gfp)) {}
  StreamHost(const StreamHost &) = delete;
  StreamHost &operator=(const StreamHost &) = delete;

  // An Alloc at `now` on the stream's CPU, recorded as pending.
  Op alloc(const StreamId &who, std::uint64_t now, std::uint32_t cls, unsigned order);
  // The Free at `now` of a live block, on the CPU that allocated it, or
  // nullopt when the block is no longer live.
  std::optional<Op> free(BlockRef block, std::uint64_t now);
  // A Free of `alloc`'s block at `time`; dropped then if the block failed or
  // was freed earlier.
  void schedule_free(const StreamId &who, const Op &alloc, std::uint64_t time) {
    queue_.push(time, who.cpu, who.phase, Event::Kind::Free, alloc.tag, alloc.handle);
  }
  void schedule_step(const StreamId &who, std::uint64_t time) {
    queue_.push(time, who.cpu, who.phase, Event::Kind::Step, who.stream);
  }

  BlockTable &blocks() { return blocks_; }
  const BlockTable &blocks() const { return blocks_; }
  EventQueue &queue() { return queue_; }

 private:
  // A free's block was allocated long ago and has left the host caches.
  void warm(const Event &free) const { blocks_.prefetch(static_cast<std::uint32_t>(free.ref)); }

  BlockTable blocks_;
  EventQueue queue_;
  std::vector<model::gfp_t> class_gfp_;  // by Op::cls
};

}  // namespace buddysim::workload
