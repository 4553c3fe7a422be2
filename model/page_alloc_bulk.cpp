// alloc_pages_bulk(): order-0 pages straight off one local zone's pcp list.
#include "model/page_alloc.h"
#include "model/work_cost.h"

namespace buddysim::model {

unsigned PageAllocator::alloc_pages_bulk(int cpu, gfp_t gfp, NodeId nid, unsigned nr_pages, std::vector<Pfn> &out) {
  if (!nr_pages) return 0;
  if (nid == NUMA_NO_NODE) nid = cpu_to_node(cpu);
  auto single = [&] {
    AllocResult r = alloc_pages(cpu, gfp, 0, nid);
    if (!r.ok()) return 0u;
    out.push_back(r.pfn);
    return 1u;
  };
  // One page, or no pcp to bulk from (the pcp-off what-if): the normal allocator.
  if (nr_pages == 1 || !config_.pcp_enabled) {
    unsigned got = 0;
    while (got < nr_pages && single()) ++got;
    return got;
  }
  work(cost::ALLOC_ENTRY);
  AllocContext ac;
  unsigned alloc_flags = ALLOC_WMARK_LOW;
  prepare_alloc_pages(gfp, nid, ac, alloc_flags);
  Zone *pref = ac.preferred_zone();
  if (!pref) return single();
  // A local zone that meets the low watermark with room for the whole batch.
  Zone *zone = nullptr;
  for (std::size_t i = ac.preferred; i < ac.zonelist->size(); ++i) {
    Zone *z = (*ac.zonelist)[i];
    if (z->idx > ac.highest_zoneidx) continue;
    if (nr_online_nodes() > 1 && z != pref && z->node != pref->node) return single();
    work(cost::ZONE_CHECK);
    const unsigned long mark = z->wmark_pages(static_cast<int>(alloc_flags & ALLOC_WMARK_MASK)) + nr_pages;
    if (zone_watermark_fast(*z, 0, mark, pref->idx, alloc_flags)) {
      zone = z;
      break;
    }
  }
  if (!zone || !pcp_trylock(cpu, *zone)) return single();
  PerCpuPages &pcp = zone->pcp[static_cast<std::size_t>(cpu)];
  FrameList &list = pcp.lists[static_cast<std::size_t>(order_to_pindex(ac.migratetype, 0))];
  unsigned long nr_account = 0;
  std::uint16_t path = 0;
  while (nr_account < nr_pages) {
    const Pfn pfn = rmqueue_pcplist_locked(cpu, *zone, 0, ac.migratetype, alloc_flags, pcp, list, path);
    if (pfn == NO_PAGE) break;
    ++nr_account;
    prep_new_page(pfn, 0, gfp, 0);
    out.push_back(pfn);
  }
  pcp_unlock(cpu, *zone);
  if (!nr_account) return single();  // try for at least one page
  events_[PGALLOC_DMA + zone->idx] += nr_account;
  zone_statistics(cpu, *pref, *zone, nr_account);
  debug_check("alloc_pages_bulk");
  return static_cast<unsigned>(nr_account);
}

}  // namespace buddysim::model
