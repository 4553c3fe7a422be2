#include "sim/hw/cpu/cpu.h"

#include <stdexcept>

#include "model/types.h"

namespace buddysim::hw {

using sc_core::sc_time;

Cpu::Cpu(sc_core::sc_module_name name, int id, const CpuConfig &config, MemorySystem &memory, LockTable &locks,
         HooksSelector &selector, KernelPlacement placement)
    : sc_module(name),
      id_(id),
      config_(config),
      cycle_ps_(sc_time(1e6 / config.clock_mhz, sc_core::SC_PS).value()),
      quantum_ps_(config.quantum.value()),
      memory_(memory),
      locks_(locks),
      selector_(selector),
      placement_(std::move(placement)) {
  if (sc_core::sc_get_time_resolution() != sc_time(1, sc_core::SC_PS))
    throw std::logic_error("Cpu " + std::string(name) + ": expects SystemC's default time resolution of 1 ps");
  read_global_time();
  start_quantum(global_ps_);
}

CpuStats Cpu::stats() const {
  CpuStats s;
  s.busy = sc_time::from_value(busy_ps_);
  s.work = sc_time::from_value(work_ps_);
  s.memory_stall = sc_time::from_value(memory_stall_ps_);
  s.spinning = sc_time::from_value(spinning_ps_);
  s.touches = touches_;
  return s;
}

void Cpu::advance(Ps t) {
  local_ps_ += t;
  if (need_sync()) lazy_sync();
}

// The first quantum boundary after `t`.
Ps Cpu::boundary_after(Ps t) const { return quantum_ps_ == 0 ? t : t + (quantum_ps_ - t % quantum_ps_); }

// tlm_quantumkeeper::reset() at global time `at`: the next synchronisation
// point is the first quantum boundary after it.
void Cpu::start_quantum(Ps at) {
  local_ps_ = 0;
  next_sync_ps_ = boundary_after(at);
}

void Cpu::sync() {
  if (local_ps_ == 0) return;  // a zero wait would still yield a delta cycle
  if (block_observer_) block_observer_->blocking(id_);
  sc_core::wait(sc_time::from_value(local_ps_));
  read_global_time();
  start_quantum(global_ps_);
  selector_.select(*this);  // other CPUs ran while this thread waited
}

// Waiting lets every process due before the local time run first. When no
// process is due before it (nothing runnable now, no timed notification
// earlier), the wait would change nothing but cost two thread switches, so
// the CPU runs on, and checks again a quantum later. Exact mode always waits.
bool Cpu::others_due_before(Ps t) const {
  if (config_.exact || sc_core::sc_pending_activity_at_current_time()) return true;
  if (pending_work_ && t >= *pending_work_) return true;
  return t >= global_ps_ + sc_core::sc_time_to_pending_activity().value();
}

void Cpu::lazy_sync() {
  if (local_ps_ == 0) return;
  if (others_due_before(current_ps())) {
    sync();
    return;
  }
  next_sync_ps_ = boundary_after(current_ps());
}

// The lock word's line transfer after a shared lock is taken, passed at the
// local time: the CPU waits only if another process is due first (as
// SpinLock::lock() would wait), and, as with that wait, its quantum stays.
void Cpu::pass_ahead(Ps t) {
  local_ps_ += t;
  if (!others_due_before(current_ps())) return;
  const Ps next_sync = next_sync_ps_;
  sync();
  next_sync_ps_ = next_sync;
}

void Cpu::catch_up() {
  const Ps mine = current_ps();
  read_global_time();
  if (mine > global_ps_) {
    local_ps_ = mine - global_ps_;
  } else {
    start_quantum(global_ps_);
  }
}

void Cpu::start_at(Ps at) {
  catch_up();
  const Ps now = current_ps();
  if (at <= now) return;  // busy until now: it starts then
  local_ps_ += at - now;
  lazy_sync();
}

void Cpu::work(std::uint32_t cycles) {
  const Ps t = cycle_ps_ * cycles;
  work_ps_ += t;
  advance(t);
}

void Cpu::touch(model::SimAddr addr, model::Access access) {
  const Placement where = placement_.place(addr);
  const Ps t = memory_.access(id_, addr, where.node, where.phys, access == model::Access::Write, current_ps());
  ++touches_;
  memory_stall_ps_ += t;
  local_ps_ += t;
  if (config_.exact || need_sync()) lazy_sync();
}

void Cpu::clear_pages(std::uint64_t pfn, unsigned long nr) {
  const Placement where = placement_.place_pfn(pfn);
  const Ps t = memory_.clear(id_, where.phys, nr * model::PAGE_SIZE, where.node, current_ps());
  memory_stall_ps_ += t;
  local_ps_ += t;
  if (config_.exact || need_sync()) lazy_sync();
}

// Nothing in the allocator model takes another CPU's pcp lock (no
// drain_all_pages), so a CPU's own one needs no synchronisation: it is taken
// at the CPU's local time (SpinLock checks that no other CPU ever takes it).
bool Cpu::is_private(const model::LockId &id) const {
  return id.kind == model::LockId::Pcp && static_cast<int>(id.cpu) == id_;
}

void Cpu::granted(const model::LockId &id, Ps at) {
  if (observer_) held_.emplace_back(id, at);
}

void Cpu::lock(model::LockId id, model::LockSite site) {
  SpinLock &lock = spin_lock(id);
  if (is_private(id)) {
    granted(id, current_ps());
    advance(lock.lock_at(id_, local_time(), site).transfer.value());
    return;
  }
  // Shared locks are granted in simulated-time order: catch up with global
  // time first, unless no other process is due before the local time; then
  // the lock's state there is final, so a free lock is taken at once and a
  // busy one is queued for from the local time.
  lazy_sync();
  const Ps asked = current_ps();
  const Ps next_sync = next_sync_ps_;
  if (block_observer_ && lock.is_locked()) block_observer_->blocking(id_);
  const LockGrant grant = lock.lock_ahead(id_, local_time(), site);
  if (!grant.contended) {
    granted(id, asked);
    pass_ahead(grant.transfer.value());
    return;
  }
  if (grant.ahead) {  // released ahead of us with nobody queued: the grant time is known
    const Ps waited = grant.spin.value() + grant.transfer.value();
    spinning_ps_ += grant.spin.value();
    if (observer_) observer_->lock_wait(id_, id, asked, asked + waited);
    granted(id, asked + waited);
    pass_ahead(waited);
    return;
  }
  // It waited for the grant: now in step with global time, with the quantum
  // as it was (a wait inside the lock model leaves it alone).
  read_global_time();
  local_ps_ = 0;
  next_sync_ps_ = next_sync;
  selector_.select(*this);
  spinning_ps_ += grant.spin.value();
  if (observer_) observer_->lock_wait(id_, id, asked, current_ps());
  granted(id, current_ps());
}

bool Cpu::trylock(model::LockId id) {
  SpinLock &lock = spin_lock(id);
  if (is_private(id)) {
    sc_time transfer;
    lock.trylock_at(id_, local_time(), transfer);
    advance(transfer.value());
    granted(id, current_ps());
    return true;
  }
  lazy_sync();
  sc_time transfer;
  const bool got = lock.trylock_ahead(id_, local_time(), transfer);
  if (got) {
    pass_ahead(transfer.value());
    granted(id, current_ps());
  }
  return got;
}

// Released at the local time: a CPU that asks for the lock earlier in
// simulated time still finds it held until then (SpinLock::unlock_at).
void Cpu::unlock(model::LockId id) {
  spin_lock(id).unlock_at(id_, local_time());
  if (!observer_) return;
  for (auto it = held_.rbegin(); it != held_.rend(); ++it) {
    if (!(it->first == id)) continue;
    observer_->lock_hold(id_, id, !is_private(id), it->second, current_ps());
    held_.erase(std::next(it).base());
    return;
  }
}

}  // namespace buddysim::hw
