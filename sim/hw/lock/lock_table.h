// The allocator's locks as SpinLocks, keyed by model::LockId and named as
// lockdep names them. Every zone lock is one instance of the class
// "&zone->lock" (spin_lock_init(&zone->lock) in zone_init_internals) and
// every pcp lock one instance of "&pcp->lock" (spin_lock_init(&pcp->lock) in
// per_cpu_pages_init), so /proc/lock_stat shows one row for each class; the
// instances stay apart in LockTable::snapshot() for the summary.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/hooks.h"
#include "sim/hw/lock/spin_lock.h"

namespace buddysim::hw {

// "&zone->lock" or "&pcp->lock".
const char *lock_class_name(const model::LockId &id);
// "node0/Normal" for a zone lock, "cpu3/node0/Normal" for a pcp lock.
std::string lock_instance_name(const model::LockId &id);

class LockTable {
 public:
  // One cost callback prices the lock-word lines of every lock; init_cpu
  // initialised all of them (the boot CPU, as for the kernel's zone and pcp
  // locks).
  explicit LockTable(LineTransferCost cost, int init_cpu = 0);

  // The lock for id, made on first use.
  SpinLock &get(const model::LockId &id) {
    SpinLock *&cached = cached_slot(id);
    return cached != nullptr ? *cached : make(id, cached);
  }
  std::size_t size() const { return locks_.size(); }
  // Every lock's figures, ordered by kind (zone, pcp), node, zone and CPU:
  // the same order in every run.
  std::vector<LockInstanceStats> snapshot() const;
  void reset_stats();

 private:
  static constexpr std::size_t ZONES_PER_NODE = 4;  // model::MAX_NR_ZONES (checked in the .cpp)

  static std::uint64_t key_of(const model::LockId &id);
  SpinLock *&cached_slot(const model::LockId &id) {
    if (id.kind == model::LockId::Pcp && id.cpu >= pcp_locks_.size()) pcp_locks_.resize(std::size_t{id.cpu} + 1);
    std::vector<SpinLock *> &row = id.kind == model::LockId::Zone ? zone_locks_ : pcp_locks_[id.cpu];
    const std::size_t i = std::size_t{id.node} * ZONES_PER_NODE + id.zone;
    if (i >= row.size()) row.resize(i + 1, nullptr);
    return row[i];
  }
  SpinLock &make(const model::LockId &id, SpinLock *&cached);

  LineTransferCost cost_;
  int init_cpu_;
  std::unordered_map<std::uint64_t, std::unique_ptr<SpinLock>> locks_;
  // Every lock is taken for each operation: direct indexes beside the map,
  // at node * ZONES_PER_NODE + zone (pcp locks in a row per CPU).
  std::vector<SpinLock *> zone_locks_;
  std::vector<std::vector<SpinLock *>> pcp_locks_;
};

}  // namespace buddysim::hw
