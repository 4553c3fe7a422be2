// struct zone and struct per_cpu_pages: the allocator state of one zone.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "model/frame_list.h"
#include "model/types.h"

namespace buddysim::model {

enum WatermarkIndex { WMARK_MIN, WMARK_LOW, WMARK_HIGH, WMARK_PROMO, NR_WMARK };

// zone->flags bits the allocator uses.
enum ZoneFlag : std::uint8_t {
  ZONE_BOOSTED_WATERMARK = 1u << 0,
  ZONE_RECLAIM_ACTIVE = 1u << 1,
  ZONE_BELOW_HIGH = 1u << 2,
};

// The zone counters the allocator maintains (the rest of zone_stat_item is 0).
enum ZoneStatItem { NR_FREE_PAGES, NR_FREE_PAGES_BLOCKS, NR_FREE_CMA_PAGES, NR_MODELLED_ZONE_STATS };

enum NumaStatItem { NUMA_HIT, NUMA_MISS, NUMA_FOREIGN, NUMA_INTERLEAVE_HIT, NUMA_LOCAL, NUMA_OTHER, NR_NUMA_EVENTS };

struct FreeArea {
  std::array<FrameList, MIGRATE_TYPES> free_list;
  unsigned long nr_free = 0;  // blocks on all lists, Isolate included
};

// Lists for orders 0..PAGE_ALLOC_COSTLY_ORDER x MIGRATE_PCPTYPES, then THP
// (Unmovable and Reclaimable share one list, Movable has its own).
inline constexpr int NR_LOWORDER_PCP_LISTS = MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1);
inline constexpr int NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + 2;

enum PcpFlag : std::uint8_t { PCPF_PREV_FREE_HIGH_ORDER = 1u << 0, PCPF_FREE_HIGH_BATCH = 1u << 1 };

inline constexpr int CONFIG_PCP_BATCH_SCALE_MAX = 5;

inline constexpr bool pcp_allowed_order(unsigned order) {
  return order <= PAGE_ALLOC_COSTLY_ORDER || order == HPAGE_PMD_ORDER;
}
inline constexpr int order_to_pindex(int mt, unsigned order) {
  if (order > PAGE_ALLOC_COSTLY_ORDER) return NR_LOWORDER_PCP_LISTS + (mt == MIGRATE_MOVABLE);
  return MIGRATE_PCPTYPES * static_cast<int>(order) + mt;
}
inline constexpr unsigned pindex_to_order(int pindex) {
  return pindex >= NR_LOWORDER_PCP_LISTS ? HPAGE_PMD_ORDER : static_cast<unsigned>(pindex / MIGRATE_PCPTYPES);
}

struct PerCpuPages {
  int count = 0;  // pages on all lists
  int high = 0;
  int high_min = 0;
  int high_max = 0;
  int batch = 1;
  std::uint8_t flags = 0;
  std::uint8_t alloc_factor = 0;
  std::uint8_t expire = 0;
  int free_count = 0;  // a short in the kernel; bounded by batch << 5
  std::array<FrameList, NR_PCP_LISTS> lists;

  // struct per_cpu_zonestat of the same (zone, cpu): pending counter deltas,
  // folded into the zone once they exceed stat_threshold or at vmstat_update.
  std::array<int, NR_MODELLED_ZONE_STATS> vm_stat_diff{};
  int stat_threshold = 0;
};

struct Zone {
  int node = 0;
  int idx = 0;  // ZoneType
  const char *name = "";

  Pfn zone_start_pfn = 0;
  unsigned long spanned_pages = 0;
  unsigned long present_pages = 0;
  unsigned long managed_pages = 0;
  unsigned long cma_pages = 0;

  std::array<unsigned long, NR_WMARK> _watermark{};
  unsigned long watermark_boost = 0;
  std::array<long, MAX_NR_ZONES> lowmem_reserve{};

  unsigned long nr_reserved_highatomic = 0;
  long nr_free_highatomic = 0;

  int pageset_high_min = 0;
  int pageset_high_max = 0;
  int pageset_batch = 1;

  std::uint8_t flags = 0;

  std::array<FreeArea, NR_PAGE_ORDERS> free_area;
  std::array<long, NR_MODELLED_ZONE_STATS> vm_stat{};
  std::array<unsigned long, NR_NUMA_EVENTS> vm_numa_event{};

  std::vector<PerCpuPages> pcp;  // indexed by cpu: every CPU has a pageset in every zone

  bool populated() const { return present_pages != 0; }
  bool managed() const { return managed_pages != 0; }
  Pfn zone_end_pfn() const { return zone_start_pfn + spanned_pages; }
  bool spans(Pfn pfn) const { return pfn >= zone_start_pfn && pfn < zone_end_pfn(); }

  unsigned long wmark_pages(int w) const { return _watermark[w] + watermark_boost; }
  unsigned long min_wmark_pages() const { return wmark_pages(WMARK_MIN); }
  unsigned long low_wmark_pages() const { return wmark_pages(WMARK_LOW); }
  unsigned long high_wmark_pages() const { return wmark_pages(WMARK_HIGH); }

  // zone_page_state(): per-cpu deltas can make the folded value dip below 0.
  long page_state(ZoneStatItem item) const { return vm_stat[item] < 0 ? 0 : vm_stat[item]; }
  bool test(ZoneFlag f) const { return flags & f; }
  void set(ZoneFlag f) { flags = static_cast<std::uint8_t>(flags | f); }
  void clear(ZoneFlag f) { flags = static_cast<std::uint8_t>(flags & ~f); }
};

}  // namespace buddysim::model
