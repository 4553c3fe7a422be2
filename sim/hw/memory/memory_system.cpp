#include "sim/hw/memory/memory_system.h"

#include <algorithm>
#include <stdexcept>

namespace buddysim::hw {

MemorySystem::MemorySystem(const MemorySystemConfig &config)
    : config_(config),
      directory_(config.directory),
      timing_(config.coherence),
      interconnect_(config.interconnect) {
  for (int n = 0; n < interconnect_.nr_nodes(); ++n) dram_.push_back(std::make_unique<DramController>(config.dram));
  last_arrival_.assign(dram_.size(), 0);
}

Ps MemorySystem::dram_access(int node, std::uint64_t addr, bool write, Ps at) {
  const auto n = static_cast<std::size_t>(node);
  DramController &dram = *dram_[n];
  const Ps tck = dram.config().tCK_ps;
  // Round up to the next memory clock edge; never before an earlier arrival.
  const Cycle arrival = std::max<Cycle>(static_cast<Cycle>((at + tck - 1) / tck), last_arrival_[n]);
  last_arrival_[n] = arrival;
  dram.submit(DramRequest{addr, write, arrival});
  completions_.clear();
  dram.drain(&completions_);
  const Ps finished = static_cast<Ps>(completions_.back().completion_cycle) * tck;
  (write ? stats_.dram_writes : stats_.dram_reads)++;
  stats_.dram_time_ps += finished - std::min(finished, at);
  return std::max(finished, at);
}

// A miss reads the line whether the CPU loads or stores (a store miss is a
// read for ownership); dirty lines are written back on eviction, off the
// CPU's critical path, and are not modelled.
Ps MemorySystem::fetch_from_memory(int cpu, std::uint64_t phys, int home_node, Ps at) {
  const int socket = directory_.socket_of(cpu);
  // The request travels (header only) to the home node, the line comes back.
  Ps t = interconnect_.transfer(socket, home_node, 0, at + config_.controller_path_ps);
  t = dram_access(home_node, phys, false, t);
  return interconnect_.transfer(home_node, socket, LINE_BYTES, t);
}

Ps MemorySystem::access(int cpu, std::uint64_t vaddr, int home_node, std::uint64_t phys, bool write, Ps at) {
  const AccessResult r = directory_.access(cpu, line_of(vaddr), home_node, write);
  const Ps after_lookup = at + timing_.latency(r);
  if (r.kind != AccessKind::Memory) return after_lookup - at;
  return fetch_from_memory(cpu, phys, home_node, after_lookup) - at;
}

Ps MemorySystem::clear(int cpu, std::uint64_t addr, std::uint64_t bytes, int home_node, Ps at) {
  // Line writes issued back to back; the CPU waits for the last one.
  const int socket = directory_.socket_of(cpu);
  Ps last = at;
  for (std::uint64_t off = 0; off < bytes; off += LINE_BYTES) {
    const Ps sent = interconnect_.transfer(socket, home_node, LINE_BYTES, at + config_.controller_path_ps);
    last = std::max(last, dram_access(home_node, addr + off, true, sent));
  }
  return last - at;
}

}  // namespace buddysim::hw
