// The hardware model's view of where an allocator keeps its kernel data
// (hw::KernelPlacement), read off the allocator's nodes and zones.
#pragma once

#include "model/page_alloc.h"
#include "sim/hw/cpu/kernel_placement.h"

namespace buddysim::run {

// A frame's home is the node of the zone PageAllocator::pfn_zone() finds for
// it, node 0 when there is none.
hw::KernelPlacement kernel_placement_of(const model::PageAllocator &alloc);

}  // namespace buddysim::run
