#include "sim/hw/dram/dram_channel.h"

#include <algorithm>

namespace buddysim::hw {
namespace {

RowOutcome outcome_of(std::uint32_t open_row, std::uint32_t row, std::uint32_t closed) {
  if (open_row == closed) return RowOutcome::miss;
  return open_row == row ? RowOutcome::hit : RowOutcome::conflict;
}

}  // namespace

Cycle DramChannel::Plan::first_command() const {
  if (precharge != DramCompletion::kNone) return precharge;
  if (activate != DramCompletion::kNone) return activate;
  return column;
}

DramChannel::DramChannel(const DramConfig &config)
    : config_(config),
      banks_(std::size_t{config.ranks} * config.banks_per_rank()),
      ranks_(config.ranks),
      activate_bounds_(std::size_t{config.ranks} * config.bankgroups),
      column_bounds_(2 * activate_bounds_.size()) {
  queue_.reserve(config.queue_size);
  for (std::uint32_t r = 0; r < config.ranks; ++r) {
    Rank &rank = ranks_[r];
    rank.last_act_bg.assign(config.bankgroups, kLongAgo);
    rank.last_cas_bg.assign(config.bankgroups, kLongAgo);
    rank.last_write_end_bg.assign(config.bankgroups, kLongAgo);
    // Ranks refresh staggered across the interval, as DRAMsim3's
    // RANK_LEVEL_STAGGERED does, so one rank's tRFC never stalls them all.
    if (config.tREFI > 0) rank.next_refresh = config.tREFI + Cycle{r} * config.tREFI / config.ranks;
  }
}

std::size_t DramChannel::group_of(const DramAddress &where) const {
  return std::size_t{where.rank} * config_.bankgroups + where.bankgroup;
}

std::uint32_t DramChannel::flat_bank(const DramAddress &where) const {
  return (where.rank * config_.bankgroups + where.bankgroup) * config_.banks_per_group + where.bank;
}

void DramChannel::push(std::uint64_t id, const DramRequest &request, const DramAddress &where) {
  const Pending p{request, where, id, flat_bank(where)};
  // The queue holds queue_size requests; later ones wait outside it, in order.
  if (queue_.size() < config_.queue_size && backlog_.empty()) {
    queue_.push_back(p);
  } else {
    backlog_.push_back(p);
  }
}

Cycle DramChannel::next_decision() const {
  if (queue_.empty()) return kNever;
  // The scheduler picks the next column command once the previous one has
  // issued, and cannot pick before a request is there.
  return std::max(last_column_, queue_.front().request.arrival_cycle);
}

RowOutcome DramChannel::classify(const DramAddress &where) const {
  return outcome_of(banks_[flat_bank(where)].open_row, where.row, kClosed);
}

std::size_t DramChannel::advance(Cycle until, std::vector<DramCompletion> *completed) {
  std::size_t served = 0;
  while (!queue_.empty() && next_decision() <= until) {
    const Cycle now = next_decision();
    refresh_due(now);
    const std::size_t pick = pick_fr_fcfs(now);
    const DramCompletion done = serve(queue_[pick], now);
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(pick));
    if (!backlog_.empty()) {
      queue_.push_back(backlog_.front());
      backlog_.pop_front();
    }
    if (completed) completed->push_back(done);
    ++served;
  }
  return served;
}

// The request's commands at their earliest: `act_limit` and `column_limit`
// are the rank and channel limits for its bank group (activate_bound,
// column_bound); the bank adds its own.
// Inline: pick_fr_fcfs calls it for every request in the window.
inline DramChannel::Plan DramChannel::plan_commands(const Pending &p, Cycle now, Cycle act_limit,
                                                    Cycle column_limit) const {
  const Bank &bank = banks_[p.bank];
  Plan plan;
  plan.outcome = outcome_of(bank.open_row, p.where.row, kClosed);
  // Commands for a request can issue from its arrival on.
  Cycle ready = p.request.arrival_cycle;
  if (plan.outcome == RowOutcome::conflict) {
    plan.precharge = std::max(ready, bank.pre_ready);
    ready = plan.precharge + config_.tRP;
  }
  if (plan.outcome == RowOutcome::hit) {
    ready = std::max(ready, bank.cas_ready);
  } else {
    plan.activate = std::max({ready, bank.act_ready, act_limit});
    ready = plan.activate + config_.tRCD;
  }
  plan.column = std::max({ready, now, column_limit});
  plan.done = plan.column + data_latency(p.request.is_write) + config_.burst_cycles();
  return plan;
}

// FR-FCFS at column-command granularity, as a command-level scheduler that
// issues whatever is ready first would order RD/WR: the request whose column
// command can issue earliest; among equals a row hit before a miss or
// conflict, then the oldest. A hit to an open row always beats a conflict in
// the same bank (whose PRE must wait for that row's accesses).
std::size_t DramChannel::pick_fr_fcfs(Cycle now) {
  // A lone candidate needs no bounds: the common case when each request is
  // drained as it arrives (MemorySystem).
  if (queue_.size() == 1 || queue_[1].request.arrival_cycle > now) return 0;
  cache_bounds();
  std::size_t best = 0;
  Cycle best_column = kNever;
  bool best_hit = false;
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    const Pending &p = queue_[i];
    if (p.request.arrival_cycle > now) break;  // arrival order: the rest are later still
    const std::size_t group = group_of(p.where);
    const Plan plan = plan_commands(p, now, activate_bounds_[group], column_bounds_[2 * group + p.request.is_write]);
    const bool hit = plan.outcome == RowOutcome::hit;
    if (plan.column < best_column || (plan.column == best_column && hit && !best_hit)) {
      best = i, best_column = plan.column, best_hit = hit;
    }
  }
  return best;
}

// Every candidate in one rank and bank group meets the same rank and channel
// limits, so they are worked out once per decision, not once per candidate.
void DramChannel::cache_bounds() {
  for (std::uint32_t r = 0; r < config_.ranks; ++r) {
    for (std::uint32_t g = 0; g < config_.bankgroups; ++g) {
      const std::size_t group = std::size_t{r} * config_.bankgroups + g;
      activate_bounds_[group] = activate_bound(r, g);
      column_bounds_[2 * group] = column_bound(r, g, false);
      column_bounds_[2 * group + 1] = column_bound(r, g, true);
    }
  }
}

void DramChannel::refresh_due(Cycle now) {
  for (std::uint32_t r = 0; r < config_.ranks; ++r)
    while (ranks_[r].next_refresh <= now) refresh_rank(r);
}

// All-bank refresh of one rank at its due cycle: every bank must be
// precharged (open rows close as soon as their last access allows, then
// tRP; closed banks wait out tRC/tRP), then REF blocks the rank for tRFC.
void DramChannel::refresh_rank(std::uint32_t r) {
  Rank &rank = ranks_[r];
  const std::size_t first = std::size_t{r} * config_.banks_per_rank();
  const std::size_t last = first + config_.banks_per_rank();
  Cycle refresh = rank.next_refresh;
  for (std::size_t b = first; b < last; ++b) {
    Bank &bank = banks_[b];
    if (bank.open_row != kClosed) {
      const Cycle precharge = std::max(rank.next_refresh, bank.pre_ready);
      bank.act_ready = std::max(bank.act_ready, precharge + config_.tRP);
      bank.open_row = kClosed;
    }
    refresh = std::max(refresh, bank.act_ready);
  }
  for (std::size_t b = first; b < last; ++b) banks_[b].act_ready = refresh + config_.tRFC;
  rank.next_refresh += config_.tREFI;
  ++stats_.refreshes;
}

DramChannel::Plan DramChannel::plan_commands(const Pending &p, Cycle now) const {
  const DramAddress &w = p.where;
  return plan_commands(p, now, activate_bound(w.rank, w.bankgroup),
                       column_bound(w.rank, w.bankgroup, p.request.is_write));
}

// Rank limits on ACT: tRRD_S after any ACT, tRRD_L after one in the same
// bank group, and at most four ACTs in any tFAW window.
Cycle DramChannel::activate_bound(std::uint32_t r, std::uint32_t g) const {
  const Rank &rank = ranks_[r];
  return std::max(
      {rank.last_act + config_.tRRD_S, rank.last_act_bg[g] + config_.tRRD_L, rank.faw[rank.faw_oldest] + config_.tFAW});
}

// Limits on RD/WR: one column command after another on the command bus;
// tCCD_S/L after the rank's last one; a read waits tWTR_S/L after the end
// of the rank's last write burst; and the data burst must find the bus free.
Cycle DramChannel::column_bound(std::uint32_t r, std::uint32_t g, bool is_write) const {
  const Rank &rank = ranks_[r];
  Cycle at = std::max({last_column_ + 1, rank.last_cas + config_.tCCD_S, rank.last_cas_bg[g] + config_.tCCD_L,
                       bus_free_ - data_latency(is_write)});
  if (!is_write) at = std::max({at, rank.last_write_end + config_.tWTR_S, rank.last_write_end_bg[g] + config_.tWTR_L});
  return at;
}

DramCompletion DramChannel::serve(const Pending &p, Cycle now) {
  Plan plan = plan_commands(p, now);
  // A refresh falling due before the request's first command goes first; it
  // closes every bank of the rank, so plan again. validate() guarantees
  // tRFC < tREFI, so this ends.
  Rank &rank = ranks_[p.where.rank];
  while (plan.first_command() >= rank.next_refresh) {
    refresh_rank(p.where.rank);
    plan = plan_commands(p, now);
  }
  commit(p, plan);
  account(p, plan);
  DramCompletion done;
  done.id = p.id;
  done.request = p.request;
  done.where = p.where;
  done.outcome = plan.outcome;
  done.decided_cycle = now;
  done.precharge_cycle = plan.precharge;
  done.activate_cycle = plan.activate;
  done.column_cycle = plan.column;
  done.completion_cycle = plan.done;
  return done;
}

// Records the request's commands in bank, rank and bus state.
void DramChannel::commit(const Pending &p, const Plan &plan) {
  Bank &bank = banks_[p.bank];
  Rank &rank = ranks_[p.where.rank];
  const std::uint32_t g = p.where.bankgroup;
  if (plan.activate != DramCompletion::kNone) {
    rank.last_act = rank.last_act_bg[g] = plan.activate;
    rank.faw[rank.faw_oldest] = plan.activate;
    rank.faw_oldest = (rank.faw_oldest + 1) % kFawActivates;
    bank.open_row = p.where.row;
    bank.act_ready = plan.activate + config_.tRC;
    bank.cas_ready = plan.activate + config_.tRCD;
    bank.pre_ready = plan.activate + config_.tRAS;
  }
  rank.last_cas = rank.last_cas_bg[g] = last_column_ = plan.column;
  bus_free_ = plan.done;
  if (p.request.is_write) {
    rank.last_write_end = rank.last_write_end_bg[g] = plan.done;
    bank.pre_ready = std::max(bank.pre_ready, plan.done + config_.tWR);
  } else {
    bank.pre_ready = std::max(bank.pre_ready, plan.column + config_.tRTP);
  }
  if (config_.page_policy == PagePolicy::closed) {
    // Auto-precharge (RDA/WRA): the bank closes at its earliest PRE.
    bank.open_row = kClosed;
    bank.act_ready = std::max(bank.act_ready, bank.pre_ready + config_.tRP);
  }
}

void DramChannel::account(const Pending &p, const Plan &plan) {
  const Cycle latency = plan.done - p.request.arrival_cycle;
  const bool is_write = p.request.is_write;
  (is_write ? stats_.writes : stats_.reads) += 1;
  (is_write ? stats_.write_latency_sum : stats_.read_latency_sum) += static_cast<std::uint64_t>(latency);
  switch (plan.outcome) {
    case RowOutcome::hit:
      ++stats_.row_hits;
      break;
    case RowOutcome::miss:
      ++stats_.row_misses;
      break;
    case RowOutcome::conflict:
      ++stats_.row_conflicts;
      break;
  }
  stats_.queue_delay_sum += static_cast<std::uint64_t>(latency - config_.idle_latency(plan.outcome, is_write));
  stats_.last_completion = std::max(stats_.last_completion, plan.done);
}

}  // namespace buddysim::hw
