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

void Cpu::lock(model::LockId id) {
  // Locks are granted in simulated-time order: catch up with global time first.
  sync();
  const LockGrant grant = locks_.get(id).lock(id_);
  router_.set_current(this);
  stats_.spinning += grant.spin;
}

bool Cpu::trylock(model::LockId id) {
  sync();
  const bool got = locks_.get(id).trylock(id_);
  router_.set_current(this);
  return got;
}

void Cpu::unlock(model::LockId id) {
  sync();
  locks_.get(id).unlock(id_);
}

}  // namespace buddysim::hw
