// /proc/vmstat: the kernel's vmstat_text name list (mm/vmstat.c, in the order
// of the enums in include/linux/mmzone.h, vmstat.h and vm_event_item.h of the
// Linux 6.18 cycle) under the configuration stated in procfs.h, with the
// counters the model keeps filled in and every other counter 0.
#include <array>

#include "model/procfs.h"

namespace buddysim::model {

namespace {

// The tables keep the kernel's grouping, one #ifdef block per line or two.
// clang-format off

// enum zone_stat_item (ZSMALLOC and UNACCEPTED_MEMORY on).
constexpr auto ZONE_STAT_NAMES = std::to_array<const char *>({
    "nr_free_pages",         "nr_free_pages_blocks", "nr_zone_inactive_anon", "nr_zone_active_anon",
    "nr_zone_inactive_file", "nr_zone_active_file",  "nr_zone_unevictable",   "nr_zone_write_pending",
    "nr_mlock",              "nr_zspages",           "nr_free_cma",           "nr_unaccepted",
});

// enum numa_stat_item; indices equal NumaStatItem.
constexpr std::array<const char *, NR_NUMA_EVENTS> NUMA_STAT_NAMES = {
    "numa_hit", "numa_miss", "numa_foreign", "numa_interleave", "numa_local", "numa_other",
};

// enum node_stat_item (IOMMU_SUPPORT, SWAP, NUMA_BALANCING, HUGETLB_PAGE on;
// SHADOW_CALL_STACK off).
constexpr auto NODE_STAT_NAMES = std::to_array<const char *>({
    "nr_inactive_anon", "nr_active_anon", "nr_inactive_file", "nr_active_file", "nr_unevictable",
    "nr_slab_reclaimable", "nr_slab_unreclaimable", "nr_isolated_anon", "nr_isolated_file",
    "workingset_nodes", "workingset_refault_anon", "workingset_refault_file", "workingset_activate_anon",
    "workingset_activate_file", "workingset_restore_anon", "workingset_restore_file", "workingset_nodereclaim",
    "nr_anon_pages", "nr_mapped", "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem", "nr_shmem_hugepages",
    "nr_shmem_pmdmapped", "nr_file_hugepages", "nr_file_pmdmapped", "nr_anon_transparent_hugepages",
    "nr_vmscan_write", "nr_vmscan_immediate_reclaim", "nr_dirtied", "nr_written", "nr_throttled_written",
    "nr_kernel_misc_reclaimable", "nr_foll_pin_acquired", "nr_foll_pin_released", "nr_kernel_stack",
    "nr_page_table_pages", "nr_sec_page_table_pages", "nr_iommu_pages", "nr_swapcached", "pgpromote_success",
    "pgpromote_candidate", "pgpromote_candidate_nrl", "pgdemote_kswapd", "pgdemote_direct",
    "pgdemote_khugepaged", "pgdemote_proactive", "nr_hugetlb", "nr_balloon_pages", "nr_kernel_file_pages",
});

// enum vm_stat_item.
constexpr auto GLOBAL_STAT_NAMES = std::to_array<const char *>({
    "nr_dirty_threshold", "nr_dirty_background_threshold", "nr_memmap_pages", "nr_memmap_boot_pages",
});

// enum vm_event_item: zones DMA, DMA32, NORMAL, MOVABLE (no HIGHMEM, no DEVICE).
constexpr auto VM_EVENT_NAMES = std::to_array<const char *>({
    "pgpgin", "pgpgout", "pswpin", "pswpout",
    "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal", "pgalloc_movable",
    "allocstall_dma", "allocstall_dma32", "allocstall_normal", "allocstall_movable",
    "pgskip_dma", "pgskip_dma32", "pgskip_normal", "pgskip_movable",
    "pgfree", "pgactivate", "pgdeactivate", "pglazyfree", "pgfault", "pgmajfault", "pglazyfreed",
    "pgrefill", "pgreuse", "pgsteal_kswapd", "pgsteal_direct", "pgsteal_khugepaged", "pgsteal_proactive",
    "pgscan_kswapd", "pgscan_direct", "pgscan_khugepaged", "pgscan_proactive", "pgscan_direct_throttle",
    "pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file",
    "zone_reclaim_success", "zone_reclaim_failed",  // NUMA
    "pginodesteal", "slabs_scanned", "kswapd_inodesteal", "kswapd_low_wmark_hit_quickly",
    "kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated", "drop_pagecache", "drop_slab", "oom_kill",
    // NUMA_BALANCING (the 6.16 numa_task_* events were reverted before 6.18)
    "numa_pte_updates", "numa_huge_pte_updates", "numa_hint_faults", "numa_hint_faults_local",
    "numa_pages_migrated",
    // MIGRATION
    "pgmigrate_success", "pgmigrate_fail", "thp_migration_success", "thp_migration_fail", "thp_migration_split",
    // COMPACTION
    "compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall", "compact_fail",
    "compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned", "compact_daemon_free_scanned",
    "htlb_buddy_alloc_success", "htlb_buddy_alloc_fail",  // HUGETLB_PAGE
    "cma_alloc_success", "cma_alloc_fail",                // CMA
    "unevictable_pgs_culled", "unevictable_pgs_scanned", "unevictable_pgs_rescued", "unevictable_pgs_mlocked",
    "unevictable_pgs_munlocked", "unevictable_pgs_cleared", "unevictable_pgs_stranded",
    // TRANSPARENT_HUGEPAGE (with the PUD split counter)
    "thp_fault_alloc", "thp_fault_fallback", "thp_fault_fallback_charge", "thp_collapse_alloc",
    "thp_collapse_alloc_failed", "thp_file_alloc", "thp_file_fallback", "thp_file_fallback_charge",
    "thp_file_mapped", "thp_split_page", "thp_split_page_failed", "thp_deferred_split_page",
    "thp_underused_split_page", "thp_split_pmd", "thp_scan_exceed_none_pte", "thp_scan_exceed_swap_pte",
    "thp_scan_exceed_share_pte", "thp_split_pud", "thp_zero_page_alloc", "thp_zero_page_alloc_failed",
    "thp_swpout", "thp_swpout_fallback",
    "balloon_inflate", "balloon_deflate", "balloon_migrate",           // MEMORY_BALLOON, BALLOON_COMPACTION
    "swap_ra", "swap_ra_hit", "swpin_zero", "swpout_zero", "ksm_swpin_copy",  // SWAP (+KSM)
    "cow_ksm",                                                          // KSM
    "zswpin", "zswpout", "zswpwb",                                      // ZSWAP
    "direct_map_level2_splits", "direct_map_level3_splits",             // X86
    "direct_map_level2_collapses", "direct_map_level3_collapses",
});

// clang-format on

// Counters the model keeps, by their vmstat name.
struct ModelledZoneStat {
  std::string_view name;
  ZoneStatItem item;
};
constexpr std::array<ModelledZoneStat, NR_MODELLED_ZONE_STATS> MODELLED_ZONE_STATS = {{
    {"nr_free_pages", NR_FREE_PAGES},
    {"nr_free_pages_blocks", NR_FREE_PAGES_BLOCKS},
    {"nr_free_cma", NR_FREE_CMA_PAGES},
}};

struct ModelledEvent {
  std::string_view name;
  VmEvent event;
};
constexpr std::array<ModelledEvent, 6> MODELLED_EVENTS = {{
    {"pgalloc_dma", PGALLOC_DMA},
    {"pgalloc_dma32", PGALLOC_DMA32},
    {"pgalloc_normal", PGALLOC_NORMAL},
    {"pgalloc_movable", PGALLOC_MOVABLE},
    {"allocstall_normal", ALLOCSTALL_NORMAL},
    {"pgfree", PGFREE},
}};

const ModelledZoneStat *modelled_zone_stat(std::string_view name) {
  for (const auto &m : MODELLED_ZONE_STATS)
    if (m.name == name) return &m;
  return nullptr;
}

unsigned long event_value(const VmEvents &events, std::string_view name) {
  for (const auto &m : MODELLED_EVENTS)
    if (m.name == name) return events[m.event];
  return 0;
}

// global_zone_page_state(): the global counter is the sum of the zone
// counters (per-cpu deltas excluded), read as 0 while transiently negative.
unsigned long global_zone_stat(const PageAllocator &alloc, std::string_view name) {
  const ModelledZoneStat *m = modelled_zone_stat(name);
  if (!m) return 0;
  long sum = 0;
  for (const Node &node : alloc.nodes())
    for (const Zone &zone : node.zones) sum += zone.vm_stat[m->item];
  return sum < 0 ? 0 : static_cast<unsigned long>(sum);
}

unsigned long global_numa_event(const PageAllocator &alloc, std::size_t item) {
  unsigned long sum = 0;
  for (const Node &node : alloc.nodes())
    for (const Zone &zone : node.zones) sum += zone.vm_numa_event[item];
  return sum;
}

using Items = std::vector<std::pair<std::string_view, unsigned long>>;

void append_zeros(Items &items, std::span<const char *const> names) {
  for (const char *name : names) items.emplace_back(name, 0ul);
}

}  // namespace

const VmstatNames &vmstat_names() {
  static const VmstatNames names{
      ZONE_STAT_NAMES, NUMA_STAT_NAMES, NODE_STAT_NAMES, GLOBAL_STAT_NAMES, VM_EVENT_NAMES,
  };
  return names;
}

unsigned long zone_stat_value(const Zone &zone, std::size_t idx) {
  const ModelledZoneStat *m = modelled_zone_stat(vmstat_names().zone[idx]);
  if (!m) return 0;
  const long v = zone.vm_stat[m->item];
  return v < 0 ? 0 : static_cast<unsigned long>(v);
}

std::vector<std::pair<std::string_view, unsigned long>> vmstat_items(const PageAllocator &alloc) {
  const VmstatNames &names = vmstat_names();
  Items items;
  for (const char *name : names.zone) items.emplace_back(name, global_zone_stat(alloc, name));
  for (std::size_t i = 0; i < names.numa.size(); ++i) items.emplace_back(names.numa[i], global_numa_event(alloc, i));
  append_zeros(items, names.node);    // LRU, slab, file and reclaim state are not modelled
  append_zeros(items, names.global);  // dirty limits and memmap accounting are not modelled
  for (const char *name : names.events) items.emplace_back(name, event_value(alloc.events(), name));
  return items;
}

std::string render_vmstat(const PageAllocator &alloc) {
  std::string out;
  for (const auto &[name, value] : vmstat_items(alloc)) {
    out.append(name);
    procfs_detail::appendf(out, " %lu\n", value);
  }
  // Appended after the last item so old parsers that expect it keep working.
  out += "nr_unstable 0\n";
  return out;
}

}  // namespace buddysim::model
