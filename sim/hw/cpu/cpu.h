// One simulated CPU as the allocator's hooks see it. The real allocator code
// runs on the CPU's SystemC thread; every hook turns into simulated time:
// instruction work into cycles, a touch into a memory access (private cache,
// coherence, interconnect, DRAM), a lock into the queued spinlock model.
//
// Loosely timed: the CPU keeps a local time offset (tlm_quantumkeeper's
// rules, kept in integer picoseconds: sc_time's double conversions and the
// keeper's virtual calls cost more than the rest of a cache hit) and
// synchronises when the quantum is used up and before taking a shared lock,
// so locks are granted in simulated-time order; it releases a lock at its
// local time, and takes its own pcp locks (which no other CPU takes) at its
// local time too. A synchronisation is skipped when no other process is due
// before the local time (it could change nothing; a shared lock is then taken
// or queued for at the local time). In exact mode it always synchronises,
// and on every memory access too.
#pragma once

#include <systemc>

#include <cstdint>
#include <utility>
#include <vector>

#include "model/hooks.h"
#include "sim/hw/cpu/kernel_placement.h"
#include "sim/hw/lock/lock_table.h"
#include "sim/hw/memory/memory_system.h"
#include "sim/hw/sim_clock.h"

namespace buddysim::hw {

struct CpuConfig {
  std::uint32_t clock_mhz = CoherenceTimingConfig::DEFAULT_CPU_CLOCK_MHZ;
  sc_core::sc_time quantum = sc_core::sc_time(1, sc_core::SC_US);
  bool exact = false;  // synchronise on every memory access
};

struct CpuStats {
  sc_core::sc_time busy;          // inside allocator calls (work, memory, locks)
  sc_core::sc_time work;          // instruction work
  sc_core::sc_time memory_stall;  // touches and page clearing
  sc_core::sc_time spinning;      // waiting for a held lock
  std::uint64_t touches = 0;
};

// The allocator holds one Hooks pointer, which must be the CPU whose work is
// running: a CPU hands itself over on entry to execute() and again after
// anything that may yield (other CPUs ran meanwhile).
class HooksSelector {
 public:
  virtual ~HooksSelector() = default;
  virtual void select(model::Hooks &cpu) = 0;
};

// Told when a CPU waited for and held a lock, for traces (times are the
// CPU's, in picoseconds). A Cpu without one pays nothing for it.
class LockObserver {
 public:
  virtual ~LockObserver() = default;
  virtual void lock_wait(int cpu, const model::LockId &id, Ps asked, Ps granted) = 0;
  // shared: another CPU may take the lock (not the CPU's own pcp lock).
  virtual void lock_hold(int cpu, const model::LockId &id, bool shared, Ps granted, Ps released) = 0;
};

// Told just before a CPU's thread blocks in the middle of an allocator call
// (to synchronise, or to wait for a lock), so that whoever runs work on that
// thread can let another thread carry on meanwhile.
class BlockObserver {
 public:
  virtual ~BlockObserver() = default;
  virtual void blocking(int cpu) = 0;
};

class Cpu final : public sc_core::sc_module, public model::Hooks {
 public:
  Cpu(sc_core::sc_module_name name, int id, const CpuConfig &config, MemorySystem &memory, LockTable &locks,
      HooksSelector &selector, KernelPlacement placement);

  int id() const { return id_; }
  // Runs one allocator call as this CPU, from the calling SC_THREAD, and
  // returns how long it took in simulated picoseconds (local offset included).
  template <typename Call>
  Ps execute(Call &&call) {
    selector_.select(*this);
    catch_up();
    const Ps start = current_ps();
    call();
    const Ps took = current_ps() - start;
    busy_ps_ += took;
    return took;
  }
  sc_core::sc_time local_time() const { return sc_core::sc_time::from_value(current_ps()); }
  Ps local_ps() const { return current_ps(); }  // local_time() without building an sc_time
  void sync();
  // Work due at `at` (picoseconds) starts then, or when the CPU finishes
  // what it is doing. A CPU idle until `at` synchronises there, so that it
  // starts in step with global time, as one woken at `at` would.
  void start_at(Ps at);
  CpuStats stats() const;
  void set_lock_observer(LockObserver *observer) { observer_ = observer; }
  void set_block_observer(BlockObserver *observer) { block_observer_ = observer; }
  // Work that no SystemC process stands for yet is due at *due picoseconds
  // (never, while it holds ~0): the CPU synchronises before passing that
  // time, as it would for a process due then.
  void set_pending_work(const Ps *due) { pending_work_ = due; }

  void lock(model::LockId id, model::LockSite site) override;
  bool trylock(model::LockId id) override;
  void unlock(model::LockId id) override;
  void touch(model::SimAddr addr, model::Access access) override;
  void work(std::uint32_t cycles) override;
  void clear_pages(std::uint64_t pfn, unsigned long nr) override;

 private:
  // Global time in picoseconds (sc_time's unit, as the constructor checks)
  // changes only while the thread running the CPU's work waits, or while
  // other threads run: it is read again after every wait in sync() and the
  // locks, and on entry to execute() and start_at() (catch_up).
  void read_global_time() { global_ps_ = clock_.now_ps(); }
  // Global time also moves on while the CPU has no work: re-reads it,
  // keeping the CPU's own time, which an idle CPU lets fall behind (its
  // quantum then restarts, as tlm_quantumkeeper::reset()).
  void catch_up();
  Ps current_ps() const { return global_ps_ + local_ps_; }
  bool need_sync() const { return current_ps() >= next_sync_ps_; }
  Ps boundary_after(Ps t) const;
  void start_quantum(Ps at);
  bool others_due_before(Ps t) const;
  void lazy_sync();
  void pass_ahead(Ps t);
  void advance(Ps t);
  bool is_private(const model::LockId &id) const;
  void granted(const model::LockId &id, Ps at);
  // The lock for id. An operation takes and releases the same lock (mostly
  // this CPU's pcp lock): the last one is kept here, a compare away.
  SpinLock &spin_lock(const model::LockId &id) {
    if (last_lock_ == nullptr || !(id == last_lock_id_)) {
      last_lock_ = &locks_.get(id);
      last_lock_id_ = id;
    }
    return *last_lock_;
  }

  int id_;
  CpuConfig config_;
  Ps cycle_ps_;
  Ps quantum_ps_;
  MemorySystem &memory_;
  LockTable &locks_;
  model::LockId last_lock_id_{};
  SpinLock *last_lock_ = nullptr;
  HooksSelector &selector_;
  KernelPlacement placement_;
  SimClock clock_;
  Ps global_ps_ = 0;     // global time as last read
  Ps local_ps_ = 0;      // ahead of global time
  Ps next_sync_ps_ = 0;  // the quantum boundary after the last synchronisation
  // CpuStats in picoseconds.
  Ps busy_ps_ = 0, work_ps_ = 0, memory_stall_ps_ = 0, spinning_ps_ = 0;
  std::uint64_t touches_ = 0;
  LockObserver *observer_ = nullptr;
  BlockObserver *block_observer_ = nullptr;
  const Ps *pending_work_ = nullptr;
  std::vector<std::pair<model::LockId, Ps>> held_;  // grant times, for the observer
};


}  // namespace buddysim::hw
