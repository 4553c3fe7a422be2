#include "sim/workload/stream.h"

namespace buddysim::workload {

// ---- Stream -------------------------------------------------------------------

Stream::Stream(StreamId id, const PhasePlan &plan, std::uint64_t seed) : id_(id), plan_(plan), rng_(seed) {}

void Stream::start(StreamHost &host) const {
  const std::uint64_t first = plan_.wall_time(0);
  if (first < plan_.end_ns()) host.schedule_step(id_, first);
}

void Stream::schedule_next(StreamHost &host) {
  active_ns_ = add_sat(active_ns_, sample_ns(plan_.phase().interarrival, rng_));
  const std::uint64_t next = plan_.wall_time(active_ns_);
  if (next < plan_.end_ns()) host.schedule_step(id_, next);
}

Op Stream::alloc(StreamHost &host, std::uint64_t now, bool with_lifetime) {
  // Draw order is part of reproducibility: class, order, then lifetime.
  const PhasePlan::Choice choice = plan_.pick(rng_);
  const Op op = host.alloc(id_, now, choice.cls, choice.order);
  if (with_lifetime) {
    if (const auto when = plan_.free_time(*choice.spec, now, rng_)) host.schedule_free(id_, op, *when);
  }
  return op;
}

// ---- RandomStream -------------------------------------------------------------

std::optional<Op> RandomStream::step(StreamHost &host, std::uint64_t now) {
  const std::uint64_t target = plan_.phase().target_live_pages;
  std::optional<Op> op;
  if (target > 0 && host.blocks().live_pages(id_.phase) >= target) {
    op = free_oldest(host, now);
  } else {
    op = alloc(host, now, true);
  }
  schedule_next(host);
  return op;
}

void RandomStream::on_outcome(const BlockTable &blocks, BlockRef block, bool ok) {
  if (!ok || plan_.phase().target_live_pages == 0) return;
  live_fifo_.push_back(block);
  // Drop blocks already freed by their lifetime from the front, so that while
  // the phase stays below its target the queue stays near the live set (the
  // tag just pushed is live, so this stops).
  while (!blocks.is_live(live_fifo_.front())) drop_oldest(blocks);
}

void RandomStream::drop_oldest(const BlockTable &blocks) {
  live_fifo_.pop_front();
  // The blocks at the front are the oldest, long out of the host caches:
  // start loading one a few places back before it comes to the front.
  if (live_fifo_.size() > LOOKAHEAD) blocks.prefetch(live_fifo_[LOOKAHEAD].slot);
}

std::optional<Op> RandomStream::free_oldest(StreamHost &host, std::uint64_t now) {
  // Blocks whose lifetime ended are still queued here: skip them.
  while (!live_fifo_.empty()) {
    const BlockRef block = live_fifo_.front();
    drop_oldest(host.blocks());
    if (auto op = host.free(block, now)) return op;
  }
  return std::nullopt;  // this CPU holds nothing of the phase: the step idles
}

// ---- FillStream ---------------------------------------------------------------

std::optional<Op> FillStream::step(StreamHost &host, std::uint64_t now) {
  if (filled(host)) return std::nullopt;  // done: no further steps
  const Op op = alloc(host, now, false);
  schedule_next(host);
  return op;
}

void FillStream::on_outcome(const BlockTable &, BlockRef block, bool ok) {
  if (ok) {
    allocated_.push_back(block);
  } else {
    failed_ = true;
  }
}

bool FillStream::filled(const StreamHost &host) const {
  const std::uint64_t goal = plan_.phase().fill_pages;
  if (goal == 0) return failed_;  // exhaustion: until this CPU's first failure
  return host.blocks().live_pages(id_.phase) >= goal;
}

// ---- FragmentStream -----------------------------------------------------------

std::optional<Op> FragmentStream::step(StreamHost &host, std::uint64_t now) {
  if (!chosen_) choose_victims(host);
  // A victim freed meanwhile (by another Fragment of the same Fill) costs no step.
  while (next_victim_ < victims_.size()) {
    if (auto op = host.free(victims_[next_victim_++], now)) {
      if (next_victim_ < victims_.size()) schedule_next(host);
      return op;
    }
  }
  return std::nullopt;
}

void FragmentStream::choose_victims(const StreamHost &host) {
  // Counted among this CPU's blocks still live at the first step: a CPU's
  // consecutive allocations come from its own pcp lists and tend to be
  // physical neighbours, so keeping every k-th of them leaves holes between
  // kept blocks (see generator.cpp).
  const unsigned keep = plan_.phase().keep_every;
  std::uint64_t position = 0;
  for (const BlockRef block : source_.allocated()) {
    if (!host.blocks().is_live(block)) continue;
    ++position;
    if (keep == 0 || position % keep != 0) victims_.push_back(block);
  }
  chosen_ = true;
}

}  // namespace buddysim::workload
