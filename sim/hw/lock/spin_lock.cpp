#include "sim/hw/lock/spin_lock.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace buddysim::hw {

namespace {

// Picoseconds in sc_time's integer ticks. The time resolution is frozen once
// the simulation uses time (1 ps unless the program changed it), so the
// scale is read once; a whole number of picoseconds per tick stays exact.
std::uint64_t to_ps(const sc_core::sc_time &t) {
  static const double ps_per_tick = sc_core::sc_get_time_resolution().to_seconds() * 1e12;
  static const std::uint64_t whole_ps_per_tick =
      ps_per_tick >= 1 && std::abs(ps_per_tick - std::round(ps_per_tick)) < 1e-6
          ? static_cast<std::uint64_t>(std::llround(ps_per_tick))
          : 0;
  if (whole_ps_per_tick != 0) return t.value() * whole_ps_per_tick;
  return static_cast<std::uint64_t>(std::llround(static_cast<double>(t.value()) * ps_per_tick));
}

}  // namespace

// The MCS node a CPU spins on while queued for this lock. The kernel keeps
// these per CPU (qnodes); one per (lock, CPU) is the same thing here since a
// blocked CPU waits for one lock at a time.
struct SpinLock::Waiter {
  explicit Waiter(int c) : cpu(c) {}
  sc_core::sc_event granted;  // notified by unlock(), after the hand-off transfer
  Waiter *next = nullptr;
  int cpu;
  bool queued = false;
  sc_core::sc_time transfer;  // what the hand-off charged
};

SpinLock::SpinLock(std::string class_name, std::string instance, LineTransferCost cost, int init_cpu)
    : class_name_(std::move(class_name)),
      instance_(std::move(instance)),
      cost_(std::move(cost)),
      line_cpu_(init_cpu),
      lockdep_cpu_(init_cpu),
      prev_lockdep_cpu_(init_cpu) {
  if (init_cpu < 0) throw std::invalid_argument("SpinLock " + class_name_ + ": init_cpu must be >= 0");
}

SpinLock::~SpinLock() = default;

LockGrant SpinLock::lock(int cpu, CallSite site) {
  check_caller(cpu, "lock");
  check_private(cpu, "lock");
  const sc_core::sc_time start = clock_.now();
  if (owner_ < 0 && free_at_ <= start) {  // free, hence nobody queued: unlock() hands off directly
    owner_ = cpu;
    const sc_core::sc_time transfer = take_line(cpu);
    if (transfer != sc_core::SC_ZERO_TIME) sc_core::wait(transfer);
    note_acquired(cpu, start + transfer, site);
    hold_start_ = start;
    return {false, sc_core::SC_ZERO_TIME, transfer};
  }
  return wait_for_grant(cpu, start, site);
}

// A lock busy at `start`: held, or released at a local time still ahead.
// Blocks until the grant; `start` may lie ahead of sc_time_stamp() when no
// other CPU acts before it (lock_ahead).
LockGrant SpinLock::wait_for_grant(int cpu, const sc_core::sc_time &start, CallSite site) {
  note_contended(cpu, start, site);
  sc_core::sc_time transfer;
  if (owner_ < 0) {
    // Released at a local time still ahead of us: held until then, and we
    // are first, so no queue.
    owner_ = cpu;
    transfer = take_line(cpu);
    sc_core::wait(free_at_ + transfer - clock_.now());
  } else {
    Waiter &w = node(cpu);
    enqueue(w);
    sc_core::wait(w.granted);
    // unlock() made us the owner and moved the line; the event fired after
    // the transfer, so now is the grant time.
    transfer = w.transfer;
  }
  const sc_core::sc_time granted = clock_.now();
  note_wait(granted - start);
  note_acquired(cpu, granted, site);
  hold_start_ = granted;
  return {true, granted - start - transfer, transfer};
}

bool SpinLock::trylock(int cpu) {
  check_caller(cpu, "trylock");
  check_private(cpu, "trylock");
  if (owner_ >= 0 || free_at_ > clock_.now()) {  // held, or handed off to a queued CPU
    ++stats_.trylock_failures;
    return false;
  }
  owner_ = cpu;
  const sc_core::sc_time transfer = take_line(cpu);
  if (transfer != sc_core::SC_ZERO_TIME) sc_core::wait(transfer);
  ++stats_.trylock_acquisitions;
  hold_start_ = clock_.now();
  return true;
}

void SpinLock::unlock_at(int cpu, const sc_core::sc_time &at) {
  if (owner_ != cpu) {
    const std::string holder = owner_ < 0 ? "nobody" : "CPU " + std::to_string(owner_);
    throw std::logic_error("SpinLock " + class_name_ + " " + instance_ + ": unlock by CPU " + std::to_string(cpu) +
                           " while " + holder + " holds it");
  }
  const sc_core::sc_time now = clock_.now();
  if (at < now || at < hold_start_)
    throw std::logic_error("SpinLock " + class_name_ + " " + instance_ + ": unlock by CPU " + std::to_string(cpu) +
                           " at a time before now or before its grant");
  stats_.holdtime.add(to_ps(at - hold_start_));
  Waiter *next = dequeue();
  if (next == nullptr) {
    owner_ = -1;
    free_at_ = at;
    return;
  }
  owner_ = next->cpu;
  next->transfer = take_line(next->cpu);  // from the releaser, which holds the line
  next->granted.notify(at - now + next->transfer);
}

LockGrant SpinLock::lock_at(int cpu, const sc_core::sc_time &at, CallSite site) {
  check_caller(cpu, "lock_at");
  check_private(cpu, "lock_at");
  private_cpu_ = cpu;
  return acquire_at(cpu, at, site);
}

bool SpinLock::trylock_at(int cpu, const sc_core::sc_time &at, sc_core::sc_time &transfer) {
  check_caller(cpu, "trylock_at");
  check_private(cpu, "trylock_at");
  private_cpu_ = cpu;
  return try_acquire_at(cpu, at, transfer);
}

LockGrant SpinLock::lock_ahead(int cpu, const sc_core::sc_time &at, CallSite site) {
  check_caller(cpu, "lock_ahead");
  check_private(cpu, "lock_ahead");
  if (owner_ < 0) return free_at_ <= at ? acquire_at(cpu, at, site) : acquire_after_release(cpu, at, site);
  return wait_for_grant(cpu, at, site);
}

bool SpinLock::trylock_ahead(int cpu, const sc_core::sc_time &at, sc_core::sc_time &transfer) {
  check_caller(cpu, "trylock_ahead");
  check_private(cpu, "trylock_ahead");
  return try_acquire_at(cpu, at, transfer);
}

// Released at a local time still ahead of `at`, nobody queued: this CPU is
// next, and the grant time is already known (release, then the transfer).
LockGrant SpinLock::acquire_after_release(int cpu, const sc_core::sc_time &at, CallSite site) {
  note_contended(cpu, at, site);
  owner_ = cpu;
  const sc_core::sc_time transfer = take_line(cpu);
  const sc_core::sc_time granted = free_at_ + transfer;
  note_wait(granted - at);
  note_acquired(cpu, granted, site);
  hold_start_ = granted;
  return {true, granted - at - transfer, transfer, true};
}

// lock_contended(): compares with the last acquirer, which need not be the
// current owner (a trylock() owner does not update lock->cpu), and counts
// both call sites.
void SpinLock::note_contended(int cpu, const sc_core::sc_time &start, CallSite site) {
  const bool before_last = start < lockdep_at_;
  if ((before_last ? prev_lockdep_cpu_ : lockdep_cpu_) != cpu) ++stats_.con_bounces;
  const std::uint64_t at_ps = to_ps(start);
  stats_.contention_points.add(site, at_ps);
  if (const CallSite holder = before_last ? prev_lockdep_site_ : lockdep_site_) stats_.contending_points.add(holder, at_ps);
}

// An uncontended lock() at `at`: the hold starts at the call.
LockGrant SpinLock::acquire_at(int cpu, const sc_core::sc_time &at, CallSite site) {
  owner_ = cpu;
  const sc_core::sc_time transfer = take_line(cpu);
  note_acquired(cpu, at + transfer, site);
  hold_start_ = at;
  return {false, sc_core::SC_ZERO_TIME, transfer};
}

// trylock() at `at`: fails while held; the hold starts after the transfer.
bool SpinLock::try_acquire_at(int cpu, const sc_core::sc_time &at, sc_core::sc_time &transfer) {
  if (owner_ >= 0 || free_at_ > at) {
    ++stats_.trylock_failures;
    return false;
  }
  owner_ = cpu;
  transfer = take_line(cpu);
  ++stats_.trylock_acquisitions;
  hold_start_ = at + transfer;
  return true;
}

void SpinLock::check_private(int cpu, const char *op) {
  if (private_cpu_ >= 0 && private_cpu_ != cpu)
    throw std::logic_error("SpinLock " + class_name_ + " " + instance_ + ": " + op + " by CPU " +
                           std::to_string(cpu) + ", but CPU " + std::to_string(private_cpu_) +
                           " takes it at its local time as a private lock");
}

SpinLock::Waiter &SpinLock::node(int cpu) {
  const auto index = static_cast<std::size_t>(cpu);
  if (index >= nodes_.size()) nodes_.resize(index + 1);
  if (!nodes_[index]) nodes_[index] = std::make_unique<Waiter>(cpu);
  return *nodes_[index];
}

void SpinLock::check_caller(int cpu, const char *op) const {
  const char *bad = nullptr;
  if (cpu < 0) {
    bad = "a negative CPU id";
  } else if (cpu == owner_) {
    bad = "a CPU that already holds it (self-deadlock)";
  } else if (static_cast<std::size_t>(cpu) < nodes_.size() && nodes_[static_cast<std::size_t>(cpu)] &&
             nodes_[static_cast<std::size_t>(cpu)]->queued) {
    bad = "a CPU that is already queued for it (two threads with one CPU id?)";
  }
  if (bad != nullptr) {
    throw std::logic_error("SpinLock " + class_name_ + " " + instance_ + ": " + op + " by CPU " + std::to_string(cpu) +
                           ", " + bad);
  }
}

void SpinLock::enqueue(Waiter &w) {
  w.queued = true;
  w.next = nullptr;
  if (tail_ != nullptr) {
    tail_->next = &w;
  } else {
    head_ = &w;
  }
  tail_ = &w;
  ++nr_waiters_;
}

SpinLock::Waiter *SpinLock::dequeue() {
  Waiter *w = head_;
  if (w == nullptr) return nullptr;
  head_ = w->next;
  if (head_ == nullptr) tail_ = nullptr;
  w->next = nullptr;
  w->queued = false;
  --nr_waiters_;
  return w;
}

// Moves the lock word's line to cpu and returns what that costs. A line
// already there costs nothing (LineTransferCost's contract), and is by far
// the common case (a CPU's own pcp lock): no call.
sc_core::sc_time SpinLock::take_line(int cpu) {
  if (line_cpu_ == cpu) return sc_core::SC_ZERO_TIME;
  const sc_core::sc_time cost = cost_ ? cost_(line_cpu_, cpu) : sc_core::SC_ZERO_TIME;
  ++stats_.line_transfers;
  stats_.transfer_time_ps += to_ps(cost);
  line_cpu_ = cpu;
  return cost;
}

// lock_acquired(): the bounce check against lock->cpu, then lock->cpu = cpu
// and lock->ip = site.
void SpinLock::note_acquired(int cpu, const sc_core::sc_time &at, CallSite site) {
  if (lockdep_cpu_ != cpu) ++stats_.acq_bounces;
  prev_lockdep_cpu_ = lockdep_cpu_;
  lockdep_cpu_ = cpu;
  prev_lockdep_site_ = lockdep_site_;
  lockdep_site_ = site;
  lockdep_at_ = at;
}

void SpinLock::note_wait(const sc_core::sc_time &waited) {
  const std::uint64_t ps = to_ps(waited);
  if (ps == 0) return;  // lockdep records no zero wait
  stats_.waittime.add(ps);
  stats_.wait_histogram.add(ps / 1000);
}

}  // namespace buddysim::hw
