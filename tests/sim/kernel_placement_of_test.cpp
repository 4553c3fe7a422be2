// run::kernel_placement_of: the hardware model places every frame where the
// allocator's zones say it lives.
#include "sim/run/kernel_placement_of.h"

#include <gtest/gtest.h>

namespace buddysim::run {
namespace {

constexpr std::uint64_t MiB = 1ull << 20;

// Two nodes, a hole in each and a first range that does not start on a
// pageblock boundary.
model::PageAllocator two_nodes() {
  model::MachineLayout m;
  model::NodeLayout n0;
  n0.nr_cpus = 2;
  n0.memory = {{0x1000, 0x9e000}, {1 * MiB, 1023 * MiB}, {1024 * MiB + 3 * 4096, 509 * MiB}};
  model::NodeLayout n1;
  n1.nr_cpus = 1;
  n1.memory = {{2048 * MiB, 256 * MiB}, {2560 * MiB, 512 * MiB}};
  m.nodes = {n0, n1};
  return model::PageAllocator(m, model::AllocatorConfig{});
}

TEST(KernelPlacementOf, EveryFrameGoesToTheNodeOfItsZone) {
  const model::PageAllocator alloc = two_nodes();
  const hw::KernelPlacement placement = kernel_placement_of(alloc);
  const model::Node &last = alloc.nodes().back();
  for (model::Pfn pfn = 0; pfn < last.node_start_pfn + last.node_spanned_pages + 1024; ++pfn) {
    const model::Zone *z = alloc.pfn_zone(pfn);
    const int node = z ? z->node : 0;
    const hw::Placement where = placement.place_pfn(pfn);
    ASSERT_EQ(where.node, node) << "pfn " << pfn;
    ASSERT_EQ(where.phys, (pfn - alloc.nodes()[static_cast<std::size_t>(node)].node_start_pfn) << model::PAGE_SHIFT);
    ASSERT_EQ(placement.place(model::addr::page(pfn)).node, node) << "struct page of pfn " << pfn;
  }
}

TEST(KernelPlacementOf, PerCpuAreasAndZonesLiveOnTheirNode) {
  const model::PageAllocator alloc = two_nodes();
  const hw::KernelPlacement placement = kernel_placement_of(alloc);
  EXPECT_EQ(placement.place(model::addr::pcp(2, 1, model::ZONE_NORMAL)).node, 1);
  EXPECT_EQ(placement.place(model::addr::pcp(1, 0, model::ZONE_NORMAL)).node, 0);
  EXPECT_EQ(placement.place(model::addr::zone(1, model::ZONE_NORMAL)).node, 1);
  EXPECT_EQ(placement.place(model::addr::zone(0, model::ZONE_DMA32)).node, 0);
}

}  // namespace
}  // namespace buddysim::run
