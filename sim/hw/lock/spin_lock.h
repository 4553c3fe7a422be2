// A Linux queued spinlock (kernel/locking/qspinlock.c, MCS queue) as a
// SystemC timing model.
//
// Semantics modelled:
// - FIFO hand-off: a CPU that finds the lock held (or CPUs already queued)
//   joins the tail of the queue; unlock() passes the lock straight to the
//   queue head, so CPUs are granted the lock in arrival order and a lock()
//   or trylock() arriving meanwhile never overtakes them (qspinlock's
//   fast path and queued_spin_trylock() fail while the tail is non-zero).
// - Each waiter spins on its own line (its MCS node): only the new owner
//   pays for a hand-off, one transfer of the lock word's cache line from the
//   releaser, with no invalidation storm among the other waiters.
// - Line transfers: the owner of the model prices them through a
//   LineTransferCost callback (the coherence model; zero when the line is
//   already in the acquiring CPU's cache). They are charged on an
//   uncontended lock()/trylock() (from the CPU that last held the line) and
//   on each hand-off (from the releaser to the next waiter). unlock() and a
//   failed trylock() cost the caller nothing.
//
// Timing contract. lock() and trylock() are called from an SC_THREAD at the
// calling CPU's true time: a CPU that runs loosely timed
// (tlm_utils::tlm_quantumkeeper) must sync() its local offset to zero first,
// so that sc_time_stamp() is its current time; this is what makes lock order
// follow simulated time. When lock() or a successful trylock() returns,
// sc_time_stamp() is the time at which the caller owns the lock. unlock_at()
// may release at a local time ahead of sc_time_stamp() without syncing: the
// lock then stays busy until that time, so a CPU that asks for it earlier in
// simulated time (but later in host order) waits for the release as it
// would have. A CPU id is one simulated CPU: one thread per id. lock_ahead()
// and trylock_ahead() relax the contract for a caller that knows no other
// CPU acts before its local time: they decide at that time without a sync.
//
// Private locks: lock_at() and trylock_at() take the lock at the caller's
// local time without waiting, for a lock no other CPU takes (in the
// allocator model, a CPU's own pcp lock: nothing drains another CPU's lists).
// The first such call makes the lock private to that CPU; lock() or
// trylock() by another CPU afterwards is a logic error, as is any other
// CPU's lock_at().
//
// Statistics follow lockdep's lock_stat (kernel/locking/lockdep.c):
// - waittime: from the contended lock() call to the grant, which includes
//   the hand-off transfer; recorded only when > 0 (lock_time_inc is skipped
//   for a zero wait). contentions = waittime.nr.
// - holdtime: until unlock(); it starts at the call for an uncontended
//   lock() (lock_acquire() stamps it before the atomic), at the grant for a
//   contended lock(), and after the transfer for trylock() (spin_acquire()
//   runs after do_raw_spin_trylock() succeeded). acquisitions = holdtime.nr.
// - bounces: lockdep keeps lock->cpu, the CPU of the last lock_acquired();
//   a contention (acquisition) by another CPU is a con-bounce (acq-bounce).
//   trylock() never calls lock_acquired(): it counts no bounce and leaves
//   lock->cpu alone. lock->cpu starts as the CPU that initialised the lock.
// - contention and contending points: each contention counts the
//   contender's call site and the site of the last lock() acquisition
//   (lock->ip, which trylock() leaves alone too). Before the first such
//   acquisition has arrived there is none, and no contending point counts
//   (the kernel would count a zero lock->ip in the first free slot).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "sim/hw/lock/lock_stats.h"
#include "sim/hw/sim_clock.h"

namespace buddysim::hw {

// Cost of moving the lock word's line from from_cpu's cache to to_cpu's.
// Expected to return zero when from_cpu == to_cpu.
using LineTransferCost = std::function<sc_core::sc_time(int from_cpu, int to_cpu)>;

// How an acquisition through lock() went; spin + transfer is the time the
// call took (for a CPU's busy/spinning figures).
struct LockGrant {
  bool contended = false;
  sc_core::sc_time spin;      // queued behind other CPUs, until the hand-off
  sc_core::sc_time transfer;  // the line transfer charged to this acquisition
  // lock_ahead() only: granted at a time still to come, without waiting
  // here; the caller passes spin + transfer at its local time.
  bool ahead = false;
};

class SpinLock {
 public:
  // init_cpu: the CPU that ran spin_lock_init(); it holds the line first and
  // is lockdep's initial lock->cpu (the boot CPU for the allocator's locks).
  // A null cost callback makes every transfer free.
  SpinLock(std::string class_name, std::string instance, LineTransferCost cost, int init_cpu = 0);
  SpinLock(const SpinLock &) = delete;
  SpinLock &operator=(const SpinLock &) = delete;
  ~SpinLock();

  // spin_lock() from call site `site`: blocks the calling SC_THREAD until
  // the lock is granted.
  LockGrant lock(int cpu, CallSite site);
  // spin_trylock(): false at once, costing nothing, while the lock is held
  // or CPUs are queued; otherwise takes the lock (paying the transfer).
  bool trylock(int cpu);
  // spin_unlock(): only by the owner; hands off to the first waiter.
  void unlock(int cpu) { unlock_at(cpu, clock_.now()); }
  // spin_unlock() at `at` >= sc_time_stamp(), the owner's local time.
  void unlock_at(int cpu, const sc_core::sc_time &at);
  // A private lock's spin_lock() and spin_trylock() at local time `at`
  // (never waits; the grant's transfer is the caller's to add to its time).
  LockGrant lock_at(int cpu, const sc_core::sc_time &at, CallSite site);
  bool trylock_at(int cpu, const sc_core::sc_time &at, sc_core::sc_time &transfer);
  // A shared lock's spin_lock() and spin_trylock() at local time `at`, for a
  // caller that knows no other CPU acts before `at` (nothing else is due in
  // the simulation before then): the lock's state at `at` is already final.
  // A free lock is taken at once, without waiting (the transfer is the
  // caller's to add to its time); lock_ahead() on a busy lock queues at `at`
  // and blocks until the grant, as lock() does.
  LockGrant lock_ahead(int cpu, const sc_core::sc_time &at, CallSite site);
  bool trylock_ahead(int cpu, const sc_core::sc_time &at, sc_core::sc_time &transfer);

  bool is_locked() const { return owner_ >= 0; }
  int owner() const { return owner_; }  // -1 when free
  std::size_t waiters() const { return nr_waiters_; }
  int line_cpu() const { return line_cpu_; }  // whose cache holds the lock word

  const std::string &class_name() const { return class_name_; }
  const std::string &instance() const { return instance_; }
  const SpinLockStats &stats() const { return stats_; }
  LockInstanceStats snapshot() const { return {class_name_, instance_, stats_}; }
  // echo 0 > /proc/lock_stat: clears the figures, not the lock's state.
  void reset_stats() { stats_ = SpinLockStats{}; }

 private:
  struct Waiter;  // a CPU's MCS node for this lock

  Waiter &node(int cpu);
  void check_caller(int cpu, const char *op) const;
  void check_private(int cpu, const char *op);
  void enqueue(Waiter &w);
  Waiter *dequeue();
  LockGrant acquire_at(int cpu, const sc_core::sc_time &at, CallSite site);
  LockGrant wait_for_grant(int cpu, const sc_core::sc_time &start, CallSite site);
  LockGrant acquire_after_release(int cpu, const sc_core::sc_time &at, CallSite site);
  void note_contended(int cpu, const sc_core::sc_time &start, CallSite site);
  bool try_acquire_at(int cpu, const sc_core::sc_time &at, sc_core::sc_time &transfer);
  sc_core::sc_time take_line(int cpu);
  void note_acquired(int cpu, const sc_core::sc_time &at, CallSite site);
  void note_wait(const sc_core::sc_time &waited);

  std::string class_name_;
  std::string instance_;
  LineTransferCost cost_;
  SimClock clock_;
  int owner_ = -1;
  int line_cpu_;
  // lockdep's lock->cpu and lock->ip, set by lock_acquired() once the line
  // has arrived: an acquisition taken ahead sets them at a time still to
  // come, before which a contender sees the previous acquirer.
  int lockdep_cpu_;
  int prev_lockdep_cpu_;
  CallSite lockdep_site_ = nullptr;  // none before the first lock()
  CallSite prev_lockdep_site_ = nullptr;
  sc_core::sc_time lockdep_at_;
  sc_core::sc_time hold_start_;
  sc_core::sc_time free_at_;  // released at a local time not yet reached globally
  int private_cpu_ = -1;      // the only CPU allowed, once lock_at()/trylock_at() was used
  Waiter *head_ = nullptr;
  Waiter *tail_ = nullptr;
  std::size_t nr_waiters_ = 0;
  std::vector<std::unique_ptr<Waiter>> nodes_;  // by CPU id, made on first contention
  SpinLockStats stats_;
};

}  // namespace buddysim::hw
