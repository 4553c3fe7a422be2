// /proc/zoneinfo: zoneinfo_show_print() of Linux 6.18 mm/vmstat.c. Every zone
// of every node is printed, populated or not, because lowmem_reserve_ratio
// acts on all zones; unpopulated zones stop after their protection line.
#include "model/procfs.h"

namespace buddysim::model {

namespace {

using procfs_detail::appendf;

// The model tracks no kswapd failures, so no node is ever reported as
// unreclaimable (kswapd_failures >= MAX_RECLAIM_RETRIES in the kernel).
constexpr unsigned NODE_UNRECLAIMABLE = 0;

bool is_zone_first_populated(const Node &node, const Zone &zone) {
  for (const Zone &candidate : node.zones)
    if (candidate.populated()) return &candidate == &zone;
  return false;
}

// The stat rows share one shape; names longer than 12 simply push the value.
void stat_line(std::string &out, const char *name, unsigned long value) {
  appendf(out, "\n      %-12s %lu", name, value);
}

// The node's own counters (LRU, slab, dirty, ...) are not modelled: all 0.
void per_node_stats(std::string &out) {
  out += "\n  per-node stats";
  for (const char *name : vmstat_names().node) stat_line(out, name, 0);
}

unsigned long free_pages(const Zone &zone) {
  const long v = zone.page_state(NR_FREE_PAGES);
  return v < 0 ? 0 : static_cast<unsigned long>(v);
}

void watermarks_and_sizes(std::string &out, const Zone &zone) {
  appendf(out,
          "\n  pages free     %lu"
          "\n        boost    %lu"
          "\n        min      %lu"
          "\n        low      %lu"
          "\n        high     %lu"
          "\n        promo    %lu"
          "\n        spanned  %lu"
          "\n        present  %lu"
          "\n        managed  %lu"
          "\n        cma      %lu",
          free_pages(zone), zone.watermark_boost, zone.min_wmark_pages(), zone.low_wmark_pages(),
          zone.high_wmark_pages(), zone.wmark_pages(WMARK_PROMO), zone.spanned_pages, zone.present_pages,
          zone.managed_pages, zone.cma_pages);
}

void protection(std::string &out, const Zone &zone) {
  appendf(out, "\n        protection: (%ld", zone.lowmem_reserve[0]);
  for (std::size_t i = 1; i < zone.lowmem_reserve.size(); ++i) appendf(out, ", %ld", zone.lowmem_reserve[i]);
  out += ')';
}

void zone_and_numa_stats(std::string &out, const Zone &zone) {
  const VmstatNames &names = vmstat_names();
  for (std::size_t i = 0; i < names.zone.size(); ++i) stat_line(out, names.zone[i], zone_stat_value(zone, i));
  for (std::size_t i = 0; i < names.numa.size(); ++i) stat_line(out, names.numa[i], zone.vm_numa_event[i]);
}

void pagesets(std::string &out, const Zone &zone, int nr_cpus) {
  out += "\n  pagesets";
  for (int cpu = 0; cpu < nr_cpus; ++cpu) {
    const PerCpuPages &pcp = zone.pcp[static_cast<std::size_t>(cpu)];
    appendf(out,
            "\n    cpu: %i"
            "\n              count:    %i"
            "\n              high:     %i"
            "\n              batch:    %i"
            "\n              high_min: %i"
            "\n              high_max: %i",
            cpu, pcp.count, pcp.high, pcp.batch, pcp.high_min, pcp.high_max);
    appendf(out, "\n  vm stats threshold: %d", pcp.stat_threshold);
  }
}

void zoneinfo_show_print(std::string &out, const PageAllocator &alloc, const Node &node, const Zone &zone) {
  appendf(out, "Node %d, zone %8s", node.id, zone.name);
  if (is_zone_first_populated(node, zone)) per_node_stats(out);
  watermarks_and_sizes(out, zone);
  protection(out, zone);
  if (!zone.populated()) {
    out += '\n';
    return;
  }
  zone_and_numa_stats(out, zone);
  pagesets(out, zone, alloc.nr_cpus());
  appendf(out,
          "\n  node_unreclaimable:  %u"
          "\n  start_pfn:           %lu",
          NODE_UNRECLAIMABLE, static_cast<unsigned long>(zone.zone_start_pfn));
  out += '\n';
}

}  // namespace

std::string render_zoneinfo(const PageAllocator &alloc) {
  std::string out;
  for (const Node &node : alloc.nodes())
    for (const Zone &zone : node.zones) zoneinfo_show_print(out, alloc, node, zone);
  return out;
}

}  // namespace buddysim::model
