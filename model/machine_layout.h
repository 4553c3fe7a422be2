// The machine the allocator boots on, and the allocator's tunables. Plain
// data: validation of user input happens in sim/scenario; the allocator
// re-checks only what would otherwise corrupt its state.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/types.h"

namespace buddysim::model {

struct MemRange {
  std::uint64_t start = 0;  // bytes
  std::uint64_t size = 0;   // bytes
  std::uint64_t end() const { return start + size; }
};

struct NodeLayout {
  std::vector<MemRange> memory;    // present physical memory (e820 usable)
  std::vector<MemRange> reserved;  // memblock_reserve()d ranges, never freed to the buddy
  int nr_cpus = 0;                 // CPUs are numbered node by node
};

struct MachineLayout {
  std::vector<NodeLayout> nodes;
  // SLIT distances; empty means 10 local / 20 remote.
  std::vector<std::vector<int>> distance;
  // Per-CPU share of the last-level data cache; decides PCPF_FREE_HIGH_BATCH
  // (zone_pcp_update_cacheinfo: slice > 3 * batch pages).
  std::uint64_t llc_slice_bytes_per_cpu = 2ull << 20;
  // Reserve 64 bytes of struct page per present page at the top of each
  // node, as sparse-vmemmap's memblock allocations do.
  bool reserve_memmap = true;
};

struct AllocatorConfig {
  bool pcp_enabled = true;
  int percpu_pagelist_high_fraction = 0;  // 0 = auto-tuned high (default)
  int min_free_kbytes = -1;               // -1 = computed as the kernel does
  int watermark_scale_factor = 10;
  int watermark_boost_factor = 15000;
  std::array<int, MAX_NR_ZONES> lowmem_reserve_ratio{256, 256, 32, 0};
  bool numa_stat = true;
  std::uint64_t movablecore_bytes = 0;  // movablecore= boot option
  bool defrag_mode = false;             // vm.defrag_mode (6.15+)
  // khugepaged's set_recommended_min_free_kbytes() when THP is enabled.
  bool thp_recommended_min_free_kbytes = false;
  bool debug_checks = false;  // CONFIG_DEBUG_VM-like full check after every operation
};

}  // namespace buddysim::model
