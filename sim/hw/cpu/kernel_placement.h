// Where the simulated kernel's data lives: the home node and node-relative
// physical address of every address the allocator touches (model/hooks.h's
// layout). A struct page and the page it describes live on the page's node,
// a CPU's per-cpu area on the CPU's node, a node's zone structures on that
// node. Plain data with inline lookups, since every touch asks.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/hooks.h"
#include "model/types.h"

namespace buddysim::hw {

struct Placement {
  int node = 0;
  std::uint64_t phys = 0;
};

// Frames [start, end) whose home is `node`.
struct PfnSpan {
  std::uint64_t start = 0;
  std::uint64_t end = 0;
  int node = 0;
};

class KernelPlacement {
 public:
  // spans: disjoint; frames outside every span count as node 0's.
  // node_start_pfn: per node, where its physical addresses start.
  // cpu_node: per CPU, its node.
  KernelPlacement(std::vector<PfnSpan> spans, std::vector<std::uint64_t> node_start_pfn, std::vector<int> cpu_node)
      : spans_(std::move(spans)), node_start_pfn_(std::move(node_start_pfn)), cpu_node_(std::move(cpu_node)) {
    std::sort(spans_.begin(), spans_.end(), [](const PfnSpan &a, const PfnSpan &b) { return a.start < b.start; });
  }

  int node_of_pfn(std::uint64_t pfn) const {
    const auto it = std::upper_bound(spans_.begin(), spans_.end(), pfn,
                                     [](std::uint64_t p, const PfnSpan &s) { return p < s.end; });
    return it != spans_.end() && it->start <= pfn ? it->node : 0;
  }
  // A page's data: node-relative physical addresses keep DRAM rows and banks realistic.
  Placement place_pfn(std::uint64_t pfn) const {
    const int node = node_of_pfn(pfn);
    return {node, (pfn - node_start_pfn_[static_cast<std::size_t>(node)]) << model::PAGE_SHIFT};
  }
  Placement place(model::SimAddr a) const {
    namespace addr = model::addr;
    if (a >= addr::VMEMMAP_BASE)
      return {node_of_pfn((a - addr::VMEMMAP_BASE) / addr::STRUCT_PAGE_SIZE), a - addr::VMEMMAP_BASE};
    if (a >= addr::PCP_BASE) return {cpu_node_[(a - addr::PCP_BASE) / addr::PCP_CPU_STRIDE], a - addr::PCP_BASE};
    return {static_cast<int>((a - addr::ZONE_BASE) / addr::ZONE_STRIDE / model::MAX_NR_ZONES),
            a - addr::ZONE_BASE};  // pgdat
  }

 private:
  std::vector<PfnSpan> spans_;  // sorted by start
  std::vector<std::uint64_t> node_start_pfn_;
  std::vector<int> cpu_node_;
};

}  // namespace buddysim::hw
