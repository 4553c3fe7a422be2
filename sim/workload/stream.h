// A stream is one (phase, CPU) pair of the workload: its own RNG, its own
// clock, and the rule that turns each step into an operation. One class per
// phase kind; the generator merges all streams by time.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "sim/workload/distribution.h"
#include "sim/workload/op_source.h"
#include "sim/workload/phase_plan.h"
#include "sim/workload/stream_host.h"

namespace buddysim::workload {

class Stream {
 public:
  Stream(StreamId id, const PhasePlan &plan, std::uint64_t seed);
  virtual ~Stream() = default;
  Stream(const Stream &) = delete;
  Stream &operator=(const Stream &) = delete;

  const StreamId &id() const { return id_; }
  // Queues the first step, at the phase start.
  void start(StreamHost &host) const;
  // The step due at `now`: its operation, if it has one, after queueing the
  // stream's next step (if any).
  virtual std::optional<Op> step(StreamHost &host, std::uint64_t now) = 0;
  // The runner's outcome of an Alloc this stream issued (`blocks` already
  // knows it).
  virtual void on_outcome(const BlockTable &blocks, BlockRef block, bool ok) = 0;

 protected:
  // Queues the next step one inter-arrival time later, unless that falls at
  // or after the phase end.
  void schedule_next(StreamHost &host);
  // An Alloc drawn from the phase's classes, with its free scheduled by the
  // class lifetime when `with_lifetime`.
  Op alloc(StreamHost &host, std::uint64_t now, bool with_lifetime);

  StreamId id_;
  const PhasePlan &plan_;
  Rng rng_;
  std::uint64_t active_ns_ = 0;  // issuing time since the phase start (Burst: on-time only)
};

// Random and Burst: allocate at the inter-arrival rate, free by lifetime; at
// or above the live-set target, free this CPU's oldest block instead.
class RandomStream final : public Stream {
 public:
  using Stream::Stream;
  std::optional<Op> step(StreamHost &host, std::uint64_t now) override;
  void on_outcome(const BlockTable &blocks, BlockRef block, bool ok) override;

 private:
  std::optional<Op> free_oldest(StreamHost &host, std::uint64_t now);
  void drop_oldest(const BlockTable &blocks);

  static constexpr std::size_t LOOKAHEAD = 8;  // blocks prefetched ahead of the front
  std::deque<BlockRef> live_fifo_;             // successful blocks in allocation order (with a target only)
};

// Fill: allocate and keep until the phase holds fill_pages, or (fill_pages 0)
// until this CPU's first failure.
class FillStream final : public Stream {
 public:
  using Stream::Stream;
  std::optional<Op> step(StreamHost &host, std::uint64_t now) override;
  void on_outcome(const BlockTable &blocks, BlockRef block, bool ok) override;
  // This CPU's successful allocations, in allocation order.
  const std::vector<BlockRef> &allocated() const { return allocated_; }

 private:
  bool filled(const StreamHost &host) const;

  std::vector<BlockRef> allocated_;
  bool failed_ = false;
};

// Fragment: free the blocks one Fill stream still holds, in allocation order,
// keeping every keep_every-th.
class FragmentStream final : public Stream {
 public:
  FragmentStream(StreamId id, const PhasePlan &plan, std::uint64_t seed, const FillStream &source)
      : Stream(id, plan, seed), source_(source) {}
  std::optional<Op> step(StreamHost &host, std::uint64_t now) override;
  void on_outcome(const BlockTable &, BlockRef, bool) override {}

 private:
  void choose_victims(const StreamHost &host);

  const FillStream &source_;
  bool chosen_ = false;
  std::vector<BlockRef> victims_;  // chosen at the first step
  std::size_t next_victim_ = 0;
};

}  // namespace buddysim::workload
