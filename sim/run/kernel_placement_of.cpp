#include "sim/run/kernel_placement_of.h"

#include <algorithm>
#include <vector>

namespace buddysim::run {
namespace {

// The frames pfn_zone() gives to zone z: per pageblock, the part of it the
// zone spans if the pageblock is the zone's.
void add_zone_spans(const model::PageAllocator &alloc, const model::Zone &z, std::vector<hw::PfnSpan> &spans) {
  if (z.spanned_pages == 0) return;
  for (model::Pfn block = z.zone_start_pfn >> model::pageblock_order;
       block <= (z.zone_end_pfn() - 1) >> model::pageblock_order; ++block) {
    const model::Pfn lo = std::max(block << model::pageblock_order, z.zone_start_pfn);
    const model::Pfn hi = std::min((block + 1) << model::pageblock_order, z.zone_end_pfn());
    if (alloc.pfn_zone(lo) != &z || alloc.pfn_zone(hi - 1) != &z) continue;
    if (!spans.empty() && spans.back().end == lo && spans.back().node == z.node) {
      spans.back().end = hi;
    } else {
      spans.push_back({lo, hi, z.node});
    }
  }
}

}  // namespace

hw::KernelPlacement kernel_placement_of(const model::PageAllocator &alloc) {
  std::vector<hw::PfnSpan> spans;
  std::vector<std::uint64_t> node_start_pfn;
  for (const model::Node &node : alloc.nodes()) {
    node_start_pfn.push_back(node.node_start_pfn);
    for (const model::Zone &z : node.zones) add_zone_spans(alloc, z, spans);
  }
  std::vector<int> cpu_node;
  for (int c = 0; c < alloc.nr_cpus(); ++c) cpu_node.push_back(alloc.cpu_to_node(c));
  return hw::KernelPlacement(std::move(spans), std::move(node_start_pfn), std::move(cpu_node));
}

}  // namespace buddysim::run
