// The allocator's state in the kernel's own text: /proc/buddyinfo,
// /proc/pagetypeinfo, /proc/zoneinfo, /proc/vmstat and debugfs
// extfrag/{unusable_index,extfrag_index}, byte for byte in the layouts of
// Linux 6.18 mm/vmstat.c, so scripts written against a real machine parse a
// simulated one unchanged. Counters the model does not keep print 0.
//
// Kernel configuration assumed wherever vmstat.c prints #ifdef'd items
// (an x86-64 distribution kernel, minus ZONE_DEVICE which the model lacks):
//   on:  NUMA, SMP, VM_EVENT_COUNTERS, MEMCG, ZONE_DMA, ZONE_DMA32, SWAP,
//        ZSMALLOC, UNACCEPTED_MEMORY, IOMMU_SUPPORT, NUMA_BALANCING,
//        HUGETLB_PAGE, MIGRATION, COMPACTION, CMA, MEMORY_ISOLATION,
//        TRANSPARENT_HUGEPAGE, HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD,
//        MEMORY_BALLOON, BALLOON_COMPACTION, KSM, ZSWAP, X86, DEBUG_FS.
//   off: ZONE_DEVICE, HIGHMEM, SHADOW_CALL_STACK, DEBUG_TLBFLUSH,
//        PER_VMA_LOCK_STATS, DEBUG_STACK_USAGE, PAGE_OWNER (so pagetypeinfo
//        has no "Number of mixed blocks" section).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/page_alloc.h"

namespace buddysim::model {

std::string render_buddyinfo(const PageAllocator &alloc);
std::string render_pagetypeinfo(const PageAllocator &alloc);
std::string render_zoneinfo(const PageAllocator &alloc);
std::string render_vmstat(const PageAllocator &alloc);
std::string render_unusable_index(const PageAllocator &alloc);
std::string render_extfrag_index(const PageAllocator &alloc);

// struct contig_page_info: what one zone's free lists offer an order.
struct ContigPageInfo {
  unsigned long free_pages = 0;
  unsigned long free_blocks_total = 0;
  unsigned long free_blocks_suitable = 0;  // in units of 2^order pages
};
ContigPageInfo fill_contig_page_info(const Zone &zone, unsigned order);
// Share of free memory unusable for the order, in thousandths (1000 when
// nothing is free).
int unusable_free_index(unsigned order, const ContigPageInfo &info);
// __fragmentation_index(), in thousandths: toward 0 a failure would be lack of
// memory, toward 1000 fragmentation; -1000 when a suitable block exists.
int fragmentation_index(unsigned order, const ContigPageInfo &info);
// One value as the debugfs files print it, without the separating space:
// unusable_index "%d.%03d" ("0.874"), extfrag_index "%2d.%03d" (" 0.874").
std::string format_unusable_index(int index);
std::string format_extfrag_index(int index);

// The sections of the kernel's vmstat_text under the configuration above;
// zoneinfo prints the zone, numa and node names from the same tables.
struct VmstatNames {
  std::span<const char *const> zone;    // enum zone_stat_item
  std::span<const char *const> numa;    // enum numa_stat_item
  std::span<const char *const> node;    // enum node_stat_item
  std::span<const char *const> global;  // enum vm_stat_item
  std::span<const char *const> events;  // enum vm_event_item
};
const VmstatNames &vmstat_names();

// Every /proc/vmstat line as (name, value), in file order, without the
// trailing "nr_unstable 0" compatibility line.
std::vector<std::pair<std::string_view, unsigned long>> vmstat_items(const PageAllocator &alloc);

// The value of zone stat `idx` (index into vmstat_names().zone) as the
// kernel's zone_page_state() reads it: without per-cpu deltas, negative as 0.
unsigned long zone_stat_value(const Zone &zone, std::size_t idx);

namespace procfs_detail {
// seq_printf() onto a string; shared by the procfs_*.cpp renderers.
[[gnu::format(printf, 2, 3)]] void appendf(std::string &out, const char *fmt, ...);
}  // namespace procfs_detail

}  // namespace buddysim::model
