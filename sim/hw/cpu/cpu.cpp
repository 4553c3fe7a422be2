#include "sim/hw/cpu/cpu.h"

#include "model/types.h"

namespace buddysim::hw {

using sc_core::sc_time;

Cpu::Cpu(sc_core::sc_module_name name, int id, const CpuConfig &config, MemorySystem &memory, LockTable &locks,
         HooksRouter &router, AddressPlacer place_address, PagePlacer place_page)
    : sc_module(name),
      id_(id),
      config_(config),
      cycle_(sc_time(1e6 / config.clock_mhz, sc_core::SC_PS)),
      memory_(memory),
      locks_(locks),
      router_(router),
      place_address_(std::move(place_address)),
      place_page_(std::move(place_page)) {
  tlm_utils::tlm_quantumkeeper::set_global_quantum(config.quantum);
  qk_.reset();
}

void Cpu::advance(const sc_time &t) {
  qk_.inc(t);
  if (qk_.need_sync()) sync();
}

void Cpu::sync() {
  if (qk_.get_local_time() == sc_core::SC_ZERO_TIME) return;  // a zero wait would still yield a delta cycle
  qk_.sync();
  router_.set_current(this);  // other CPUs ran while this thread waited
}

void Cpu::work(std::uint32_t cycles) {
  const sc_time t = cycle_ * cycles;
  stats_.work += t;
  advance(t);
}

void Cpu::touch(model::SimAddr addr, model::Access access) {
  const Placement where = place_address_(addr);
  const Ps now = static_cast<Ps>(qk_.get_current_time().to_seconds() * 1e12 + 0.5);
  const sc_time t = ps(memory_.access(id_, addr, where.node, where.phys, access == model::Access::Write, now));
  ++stats_.touches;
  stats_.memory_stall += t;
  qk_.inc(t);
  if (config_.exact || qk_.need_sync()) sync();
}

void Cpu::clear_pages(std::uint64_t pfn, unsigned long nr) {
  const Placement where = place_page_(pfn);
  const Ps now = static_cast<Ps>(qk_.get_current_time().to_seconds() * 1e12 + 0.5);
  const sc_time t = ps(memory_.clear(id_, where.phys, nr * model::PAGE_SIZE, where.node, now));
  stats_.memory_stall += t;
  qk_.inc(t);
  if (config_.exact || qk_.need_sync()) sync();
}

// Nothing in the allocator model takes another CPU's pcp lock (no
// drain_all_pages), so a CPU's own one needs no synchronisation: it is taken
// at the CPU's local time (SpinLock checks that no other CPU ever takes it).
bool Cpu::is_private(const model::LockId &id) const {
  return id.kind == model::LockId::Pcp && static_cast<int>(id.cpu) == id_;
}

void Cpu::lock(model::LockId id) {
  SpinLock &lock = locks_.get(id);
  if (is_private(id)) {
    advance(lock.lock_at(id_, qk_.get_current_time()).transfer);
    return;
  }
  // Shared locks are granted in simulated-time order: catch up with global time first.
  sync();
  const LockGrant grant = lock.lock(id_);
  router_.set_current(this);
  stats_.spinning += grant.spin;
}

bool Cpu::trylock(model::LockId id) {
  SpinLock &lock = locks_.get(id);
  if (is_private(id)) {
    sc_time transfer;
    lock.trylock_at(id_, qk_.get_current_time(), transfer);
    advance(transfer);
    return true;
  }
  sync();
  const bool got = lock.trylock(id_);
  router_.set_current(this);
  return got;
}

// Released at the local time: a CPU that asks for the lock earlier in
// simulated time still finds it held until then (SpinLock::unlock_at).
void Cpu::unlock(model::LockId id) { locks_.get(id).unlock_at(id_, qk_.get_current_time()); }

}  // namespace buddysim::hw
