// One DRAM channel: its request queue, FR-FCFS scheduler, per-bank and
// per-rank timing state, data bus and refresh. Event-driven: time jumps from
// one scheduling decision to the next; nothing steps memory clocks.
//
// How a request is served. The scheduler decides at the cycle the previous
// column command issued (or when a request arrives at an empty queue). Among
// the first queue_size requests that have arrived it plans each one's
// commands and takes the one whose RD/WR can issue earliest, a row hit
// before others on a tie, then the oldest: FR-FCFS as a command-level
// scheduler orders column commands. The chosen request's PRE and ACT go at
// the earliest cycle its bank and rank allow, which may be before the
// decision (a controller precharges and activates banks ahead of their
// column command); its RD/WR goes after the previous one. Column commands
// therefore issue in decision order, and so do the ACTs of a rank, which
// keeps tRRD and tFAW exact.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "sim/hw/dram/dram_config.h"
#include "sim/hw/dram/dram_request.h"
#include "sim/hw/dram/dram_stats.h"

namespace buddysim::hw {

class DramChannel {
 public:
  static constexpr Cycle kNever = std::numeric_limits<Cycle>::max() / 4;

  explicit DramChannel(const DramConfig &config);

  // Queues a request; arrivals must not decrease (DramController checks).
  void push(std::uint64_t id, const DramRequest &request, const DramAddress &where);
  // Makes every decision due at or before `until`, appending each request
  // served to `completed` when it is not null. Returns how many were served.
  std::size_t advance(Cycle until, std::vector<DramCompletion> *completed);
  // The cycle of the next decision, kNever when the queue is empty.
  Cycle next_decision() const;
  std::size_t pending() const { return queue_.size() + backlog_.size(); }
  // What a request to `where` would find in its bank now.
  RowOutcome classify(const DramAddress &where) const;
  const DramChannelStats &stats() const { return stats_; }

 private:
  static constexpr Cycle kLongAgo = std::numeric_limits<Cycle>::min() / 4;
  static constexpr std::uint32_t kClosed = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t kFawActivates = 4;  // JEDEC: at most four ACTs per tFAW

  struct Pending {
    DramRequest request;
    DramAddress where;
    std::uint64_t id;
    std::uint32_t bank;  // flat index of its bank in the channel
  };
  struct Bank {
    std::uint32_t open_row = kClosed;
    Cycle act_ready = kLongAgo;  // earliest ACT (tRC, tRP, tRFC)
    Cycle pre_ready = kLongAgo;  // earliest PRE (tRAS, tRTP, tWR)
    Cycle cas_ready = kLongAgo;  // earliest RD/WR (tRCD)
  };
  struct Rank {
    Cycle last_act = kLongAgo;
    Cycle last_cas = kLongAgo;
    Cycle last_write_end = kLongAgo;  // end of the latest write burst (tWTR)
    Cycle next_refresh = kNever;
    std::array<Cycle, kFawActivates> faw{kLongAgo, kLongAgo, kLongAgo, kLongAgo};
    std::size_t faw_oldest = 0;                                      // ring index of the oldest of the last four ACTs
    std::vector<Cycle> last_act_bg, last_cas_bg, last_write_end_bg;  // per bank group
  };
  struct Plan {
    RowOutcome outcome = RowOutcome::miss;
    Cycle precharge = DramCompletion::kNone;
    Cycle activate = DramCompletion::kNone;
    Cycle column = 0;
    Cycle done = 0;
    Cycle first_command() const;
  };

  std::uint32_t flat_bank(const DramAddress &where) const;
  std::size_t group_of(const DramAddress &where) const;  // rank-major bank-group index
  Cycle data_latency(bool is_write) const { return is_write ? config_.CWL : config_.CL; }
  std::size_t pick_fr_fcfs(Cycle now);
  void cache_bounds();
  void refresh_due(Cycle now);
  void refresh_rank(std::uint32_t rank);
  Plan plan_commands(const Pending &p, Cycle now) const;
  Plan plan_commands(const Pending &p, Cycle now, Cycle act_limit, Cycle column_limit) const;
  Cycle activate_bound(std::uint32_t rank, std::uint32_t bankgroup) const;
  Cycle column_bound(std::uint32_t rank, std::uint32_t bankgroup, bool is_write) const;
  DramCompletion serve(const Pending &p, Cycle now);
  void commit(const Pending &p, const Plan &plan);
  void account(const Pending &p, const Plan &plan);

  DramConfig config_;
  // Arrival order throughout: the queue (at most queue_size, the FR-FCFS
  // window, contiguous for a fast scan) and the requests waiting behind it.
  std::vector<Pending> queue_;
  std::deque<Pending> backlog_;
  std::vector<Bank> banks_;  // rank-major, then bank group, then bank
  std::vector<Rank> ranks_;
  Cycle last_column_ = kLongAgo;  // latest RD/WR: the next decision's floor
  Cycle bus_free_ = kLongAgo;     // end of the latest data burst
  // Scratch for pick_fr_fcfs: activate_bound per rank and bank group, and
  // column_bound per rank, bank group and direction (read, write).
  std::vector<Cycle> activate_bounds_;
  std::vector<Cycle> column_bounds_;
  DramChannelStats stats_;
};

}  // namespace buddysim::hw
