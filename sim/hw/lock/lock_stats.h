// What a SpinLock records, with the kernel's lock_stat semantics
// (kernel/locking/lockdep.c: lock_time_inc, lock_time_add, __lock_contended,
// __lock_acquired, lock_release_holdtime, lock_point) plus figures lockdep
// lacks: a wait-time histogram, trylock outcomes and the lock word's line
// transfers. Plain C++, no SystemC: durations are integer picoseconds.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace buddysim::hw {

// A set of durations as the kernel's struct lock_time keeps it.
struct LockTime {
  std::uint64_t nr = 0;
  std::uint64_t min_ps = 0;  // meaningless while nr == 0
  std::uint64_t max_ps = 0;
  std::uint64_t total_ps = 0;

  // lock_time_inc(): the first sample sets min, later ones only lower it.
  void add(std::uint64_t ps);
  // lock_time_add(): how the kernel folds per-CPU (and we per-instance) sets.
  void merge(const LockTime &other);
  std::uint64_t avg_ps() const { return nr ? total_ps / nr : 0; }
};

// Wait times in log2 buckets of whole nanoseconds: bucket b holds 0 ns for
// b == 0 and [2^(b-1), 2^b) ns otherwise, i.e. b = std::bit_width(ns).
struct WaitHistogram {
  static constexpr std::size_t NR_BUCKETS = 65;  // bit_width of a uint64_t is 0..64
  std::array<std::uint64_t, NR_BUCKETS> count{};

  static constexpr std::size_t bucket_of(std::uint64_t ns) { return static_cast<std::size_t>(std::bit_width(ns)); }
  // Smallest wait (ns) that falls into bucket b.
  static constexpr std::uint64_t bucket_floor_ns(std::size_t b) { return b == 0 ? 0 : std::uint64_t{1} << (b - 1); }
  void add(std::uint64_t ns) { ++count[bucket_of(ns)]; }
  void merge(const WaitHistogram &other);
  // One past the highest non-empty bucket (0 when empty).
  std::size_t used_buckets() const;
};

// Where a lock was taken, as lockdep's ip names it: the kernel function
// holding the spin_lock() call (%pS of the return address, without the
// offset). A string with static storage; sites are told apart by their text.
using CallSite = const char *;

// lockdep's contention_point / contending_point counts of one call site,
// with the time it first showed (the kernel gives a class's first
// LOCKSTAT_POINTS distinct sites a slot each, in order of appearance).
struct LockPoint {
  CallSite site = nullptr;
  std::uint64_t count = 0;
  std::uint64_t first_ps = 0;
};

// Every call site seen, in order of first appearance (ties by name).
struct LockPoints {
  std::vector<LockPoint> points;

  void add(CallSite site, std::uint64_t at_ps);
  void merge(const LockPoints &other);
};

// Per lock instance; SpinLockStats::merge folds instances into a lock class.
struct SpinLockStats {
  // lockdep's bounces: a contention / an acquisition (through lock(), not
  // trylock()) by a CPU other than the one that last acquired the instance.
  std::uint64_t con_bounces = 0;
  std::uint64_t acq_bounces = 0;
  LockTime waittime;             // one sample per acquisition that had to wait (and waited > 0)
  LockTime holdtime;             // one sample per release; nr is lock_stat's "acquisitions"
  WaitHistogram wait_histogram;  // the waittime samples, in ns
  std::uint64_t trylock_acquisitions = 0;
  std::uint64_t trylock_failures = 0;
  // The lock word's cache line moved to another CPU (uncontended acquire
  // from a different last holder, or a hand-off), and what that cost.
  std::uint64_t line_transfers = 0;
  std::uint64_t transfer_time_ps = 0;
  // Per contention: the contender's call site (contention points) and the
  // site of the last lock() acquisition, lockdep's lock->ip (contending
  // points).
  LockPoints contention_points;
  LockPoints contending_points;

  std::uint64_t contentions() const { return waittime.nr; }
  std::uint64_t acquisitions() const { return holdtime.nr; }
  void merge(const SpinLockStats &other);
};

// One lock instance's figures under its names: class_name is the lockdep
// class the kernel aggregates into one /proc/lock_stat row ("&zone->lock"),
// instance tells the instances of a class apart ("node0/Normal").
struct LockInstanceStats {
  std::string class_name;
  std::string instance;
  SpinLockStats stats;
};

}  // namespace buddysim::hw
