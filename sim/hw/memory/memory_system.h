// The memory hierarchy as one CPU access sees it: its private cache and the
// directory (coherence), the interconnect to the home node, and the home
// node's DRAM. Plain C++ in picoseconds; the SystemC Cpu module calls it with
// its local (loosely-timed) time.
//
// Local DRAM idle latency = directory lookup (77 cycles, 30.8 ns at 2.5 GHz)
// + the on-chip path to the memory controller + the DRAM read (a DDR4-3200
// row miss: tRCD + CL + BL/2 = 48 cycles = 30 ns). The published 81.3 ns of
// a Xeon Platinum 8180 (FD.io CSIT calibration) leaves 20.5 ns for the
// on-chip path. Remote adds two interconnect hops and the line's transfer
// (49.8 ns, docs/hardware-memory.md), for 131.1 ns.
//
// DRAM requests are served in the order CPUs issue them (each is drained on
// arrival): with temporal decoupling, CPUs do not issue in global time
// order, so a later-issued request never overtakes; bank, bus, tFAW and
// refresh timing still apply.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/hw/cache/line.h"
#include "sim/hw/coherence/coherence_timing.h"
#include "sim/hw/coherence/directory.h"
#include "sim/hw/dram/dram_controller.h"
#include "sim/hw/interconnect/interconnect.h"

namespace buddysim::hw {

struct MemorySystemConfig {
  static constexpr Ps DEFAULT_CONTROLLER_PATH_PS = 20'500;  // 81.3 - 30.8 - 30.0 ns, see above

  DirectoryConfig directory;
  CoherenceTimingConfig coherence;
  InterconnectConfig interconnect;
  DramConfig dram;  // every node's memory
  Ps controller_path_ps = DEFAULT_CONTROLLER_PATH_PS;
};

struct MemoryStats {
  std::uint64_t dram_reads = 0, dram_writes = 0;
  Ps dram_time_ps = 0;  // summed DRAM service time, for averages
};

class MemorySystem {
 public:
  explicit MemorySystem(const MemorySystemConfig &config);

  // A load or store by `cpu` at time `at` to the line of kernel address
  // `vaddr` (its coherence identity), stored at node-relative physical
  // address `phys` of `home_node`; returns the latency.
  Ps access(int cpu, std::uint64_t vaddr, int home_node, std::uint64_t phys, bool write, Ps at);
  // Clearing `bytes` at `addr` (__GFP_ZERO): streaming line writes to the
  // home node's DRAM; returns the time until the last one completes.
  Ps clear(int cpu, std::uint64_t addr, std::uint64_t bytes, int home_node, Ps at);

  // A hint that cpu will access the line of vaddr soon (host caches only).
  void prefetch(int cpu, std::uint64_t vaddr) const { directory_.prefetch(cpu, vaddr >> LINE_SHIFT); }

  const Directory &directory() const { return directory_; }
  const Interconnect &interconnect() const { return interconnect_; }
  const DramController &dram(int node) const { return *dram_[static_cast<std::size_t>(node)]; }
  const MemoryStats &stats() const { return stats_; }
  const MemorySystemConfig &config() const { return config_; }

 private:
  Ps fetch_from_memory(int cpu, std::uint64_t phys, int home_node, Ps at);
  Ps dram_access(int node, std::uint64_t addr, bool write, Ps at);

  MemorySystemConfig config_;
  Directory directory_;
  CoherenceTiming timing_;
  Interconnect interconnect_;
  std::vector<std::unique_ptr<DramController>> dram_;
  std::vector<Cycle> last_arrival_;          // per node: arrivals must not go backwards
  std::vector<DramCompletion> completions_;  // dram_access's scratch, kept to spare an allocation per access
  MemoryStats stats_;
};

}  // namespace buddysim::hw
