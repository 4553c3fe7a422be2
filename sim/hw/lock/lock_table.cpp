#include "sim/hw/lock/lock_table.h"

#include <algorithm>
#include <utility>

#include "model/types.h"

namespace buddysim::hw {

const char *lock_class_name(const model::LockId &id) {
  return id.kind == model::LockId::Zone ? "&zone->lock" : "&pcp->lock";
}

std::string lock_instance_name(const model::LockId &id) {
  std::string zone = "node" + std::to_string(id.node) + "/" + model::zone_type_name(id.zone);
  return id.kind == model::LockId::Zone ? zone : "cpu" + std::to_string(id.cpu) + "/" + zone;
}

LockTable::LockTable(LineTransferCost cost, int init_cpu) : cost_(std::move(cost)), init_cpu_(init_cpu) {}

// Kind, node, zone and CPU packed so that key order is snapshot order.
std::uint64_t LockTable::key_of(const model::LockId &id) {
  const std::uint32_t cpu = id.kind == model::LockId::Zone ? 0 : id.cpu;
  return (static_cast<std::uint64_t>(id.kind) << 56) | (static_cast<std::uint64_t>(id.node) << 40) |
         (static_cast<std::uint64_t>(id.zone) << 32) | cpu;
}

SpinLock &LockTable::make(const model::LockId &id, SpinLock *&cached) {
  static_assert(ZONES_PER_NODE == model::MAX_NR_ZONES);
  std::unique_ptr<SpinLock> &slot = locks_[key_of(id)];
  if (!slot) slot = std::make_unique<SpinLock>(lock_class_name(id), lock_instance_name(id), cost_, init_cpu_);
  cached = slot.get();
  return *slot;
}

std::vector<LockInstanceStats> LockTable::snapshot() const {
  std::vector<std::pair<std::uint64_t, const SpinLock *>> sorted;
  sorted.reserve(locks_.size());
  for (const auto &[key, lock] : locks_) sorted.emplace_back(key, lock.get());
  std::sort(sorted.begin(), sorted.end());
  std::vector<LockInstanceStats> out;
  out.reserve(sorted.size());
  for (const auto &[key, lock] : sorted) out.push_back(lock->snapshot());
  return out;
}

void LockTable::reset_stats() {
  for (auto &[key, lock] : locks_) lock->reset_stats();
}

}  // namespace buddysim::hw
