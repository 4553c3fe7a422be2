// The allocation fast path: __alloc_frozen_pages, prepare_alloc_pages,
// get_page_from_freelist, rmqueue, prep_new_page and the highatomic reserve.
#include "model/page_alloc.h"
#include "model/work_cost.h"

namespace buddysim::model {

bool PageAllocator::prepare_alloc_pages(gfp_t gfp, int preferred_nid, AllocContext &ac, unsigned &alloc_flags) const {
  ac.highest_zoneidx = gfp_zone(gfp);
  const Node &node = nodes_[static_cast<std::size_t>(preferred_nid)];
  ac.zonelist = (gfp & gfp::THISNODE) ? &node.zonelist_nofallback : &node.zonelist_fallback;
  ac.migratetype = mobility_disabled_ ? MIGRATE_UNMOVABLE : gfp_migratetype(gfp);
  if (ac.migratetype == MIGRATE_MOVABLE) alloc_flags |= ALLOC_CMA;
  ac.spread_dirty_pages = gfp & gfp::WRITE;
  // first_zones_zonelist(): the preferred zone is the first one the request may use.
  ac.preferred = 0;
  while (ac.preferred < ac.zonelist->size() && (*ac.zonelist)[ac.preferred]->idx > ac.highest_zoneidx) ++ac.preferred;
  return true;
}

unsigned PageAllocator::alloc_flags_nofragment(const Zone *zone, gfp_t gfp) const {
  unsigned alloc_flags = gfp & gfp::KSWAPD_RECLAIM;  // == ALLOC_KSWAPD
  if (config_.defrag_mode) return alloc_flags | ALLOC_NOFRAGMENT;
  // Spreading to avoid fragmentation only makes sense between Normal and DMA32.
  if (!zone || zone->idx != ZONE_NORMAL) return alloc_flags;
  if (nr_online_nodes() > 1 && !nodes_[static_cast<std::size_t>(zone->node)].zones[ZONE_DMA32].populated())
    return alloc_flags;
  return alloc_flags | ALLOC_NOFRAGMENT;
}

void PageAllocator::zone_statistics(int cpu, Zone &pref, Zone &z, unsigned long nr) {
  if (!config_.numa_stat) return;
  work(cost::STAT_UPDATE);
  if (z.node == pref.node) {
    z.vm_numa_event[NUMA_HIT] += nr;
  } else {
    z.vm_numa_event[NUMA_MISS] += nr;
    pref.vm_numa_event[NUMA_FOREIGN] += nr;
  }
  z.vm_numa_event[z.node == cpu_to_node(cpu) ? NUMA_LOCAL : NUMA_OTHER] += nr;
}

Pfn PageAllocator::rmqueue(int cpu, Zone &pref, Zone &zone, unsigned order, unsigned alloc_flags, int mt,
                           std::uint16_t &path) {
  Pfn pfn = NO_PAGE;
  if (config_.pcp_enabled && pcp_allowed_order(order)) pfn = rmqueue_pcplist(cpu, pref, zone, order, mt, alloc_flags, path);
  if (pfn == NO_PAGE) pfn = rmqueue_buddy(cpu, pref, zone, order, alloc_flags, mt, path);
  if ((alloc_flags & ALLOC_KSWAPD) && zone.test(ZONE_BOOSTED_WATERMARK)) {
    zone.clear(ZONE_BOOSTED_WATERMARK);
    nodes_[static_cast<std::size_t>(zone.node)].kswapd_wakeups++;  // wakeup_kswapd(zone, 0, 0, zone_idx)
    events_[KSWAPD_WAKEUPS]++;
  }
  return pfn;
}

void PageAllocator::prep_new_page(Pfn pfn, unsigned order, gfp_t gfp, unsigned alloc_flags) {
  work(cost::PREP_NEW_PAGE);
  Frame &f = frames_[pfn];
  f.state = FrameState::Allocated;
  f.order = static_cast<std::uint8_t>(order);
  std::uint8_t flags = 0;
  if ((gfp & gfp::MOVABLE) && !(gfp & gfp::RECLAIMABLE)) flags |= FRAME_MOVABLE;
  if (alloc_flags & ALLOC_NO_WATERMARKS) flags |= FRAME_PFMEMALLOC;
  if (order && (gfp & gfp::COMP)) flags |= FRAME_COMPOUND;
  f.flags = flags;
  touch_page(pfn, Access::Write);
  if (hooks_ && (gfp & gfp::ZERO)) hooks_->clear_pages(pfn, 1ul << order);
  allocated_pages_ += 1ul << order;
}

void PageAllocator::reserve_highatomic_pageblock(int cpu, Pfn pfn, unsigned order, Zone &zone) {
  // At least one pageblock, at most about 1% of the zone.
  if (zone.managed_pages / 100 < pageblock_nr_pages) return;
  const unsigned long max_managed = (zone.managed_pages / 100 + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
  if (zone.nr_reserved_highatomic >= max_managed) return;
  zone_lock(zone, "reserve_highatomic_pageblock");
  const int mt = frames_.pageblock_migratetype(pfn);
  if (zone.nr_reserved_highatomic < max_managed && migratetype_is_mergeable(mt)) {
    if (order < pageblock_order) {
      if (move_freepages_block(cpu, zone, pfn, mt, MIGRATE_HIGHATOMIC) != -1)
        zone.nr_reserved_highatomic += pageblock_nr_pages;
    } else {
      change_pageblock_range(pfn, order, MIGRATE_HIGHATOMIC);
      zone.nr_reserved_highatomic += 1ul << order;
    }
  }
  zone_unlock(zone);
}

Pfn PageAllocator::get_page_from_freelist(int cpu, gfp_t gfp, unsigned order, unsigned alloc_flags,
                                          const AllocContext &ac, AllocResult &res) {
  Zone *pref = ac.preferred_zone();
  if (!pref) return NO_PAGE;
  for (;;) {
    const bool no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
    bool restart = false;
    for (std::size_t i = ac.preferred; i < ac.zonelist->size(); ++i) {
      Zone &zone = *(*ac.zonelist)[i];
      if (zone.idx > ac.highest_zoneidx) continue;
      // Locality beats fragmentation avoidance: going remote drops NOFRAGMENT.
      if (no_fallback && !config_.defrag_mode && nr_online_nodes() > 1 && &zone != pref && zone.node != pref->node) {
        alloc_flags &= ~ALLOC_NOFRAGMENT;
        restart = true;
        break;
      }
      work(cost::ZONE_CHECK);
      touch(addr::zone(zone.node, zone.idx) + addr::ZONE_OFF_WMARK, Access::Read);
      bool usable = false;
      // Below-high detection here keeps the free path cheap (ZONE_BELOW_HIGH).
      if (!zone.test(ZONE_BELOW_HIGH)) {
        usable = zone_watermark_fast(zone, order, zone.high_wmark_pages(), ac.highest_zoneidx, alloc_flags);
        if (!usable) zone.set(ZONE_BELOW_HIGH);
      }
      if (!usable) {
        const unsigned long mark = zone.wmark_pages(static_cast<int>(alloc_flags & ALLOC_WMARK_MASK));
        usable = zone_watermark_fast(zone, order, mark, ac.highest_zoneidx, alloc_flags) ||
                 (alloc_flags & ALLOC_NO_WATERMARKS);
        // node_reclaim is off by default (vm.zone_reclaim_mode = 0).
        if (!usable) continue;
      }
      std::uint16_t path = 0;
      const Pfn pfn = rmqueue(cpu, *pref, zone, order, alloc_flags, ac.migratetype, path);
      if (pfn == NO_PAGE) continue;
      prep_new_page(pfn, order, gfp, alloc_flags);
      if (alloc_flags & ALLOC_HIGHATOMIC) reserve_highatomic_pageblock(cpu, pfn, order, zone);
      res.path |= path;
      if (&zone != pref) res.path |= zone.node == pref->node ? PATH_FALLBACK_ZONE : PATH_FALLBACK_NODE;
      res.nid = zone.node;
      res.zone = zone.idx;
      return pfn;
    }
    if (restart) continue;
    // Every zone was fragmented (possible on UMA): retry allowing fallbacks.
    if (no_fallback && !config_.defrag_mode) {
      alloc_flags &= ~ALLOC_NOFRAGMENT;
      continue;
    }
    return NO_PAGE;
  }
}

AllocResult PageAllocator::alloc_pages(int cpu, gfp_t gfp, unsigned order, NodeId nid) {
  AllocResult res;
  if (order > MAX_PAGE_ORDER) {
    res.path = PATH_FAILED;
    events_[ALLOC_FAILURES]++;
    return res;
  }
  work(cost::ALLOC_ENTRY);
  if (nid == NUMA_NO_NODE) nid = cpu_to_node(cpu);
  AllocContext ac;
  unsigned alloc_flags = ALLOC_WMARK_LOW;
  prepare_alloc_pages(gfp, nid, ac, alloc_flags);
  // The first pass may not fragment until every local zone has been tried.
  alloc_flags |= alloc_flags_nofragment(ac.preferred_zone(), gfp);
  Pfn pfn = get_page_from_freelist(cpu, gfp, order, alloc_flags, ac, res);
  if (pfn == NO_PAGE) pfn = alloc_pages_slowpath(cpu, gfp, order, ac, res);
  res.pfn = pfn;
  if (pfn == NO_PAGE) {
    res.path |= PATH_FAILED;
    events_[ALLOC_FAILURES]++;
  }
  debug_check("alloc_pages");
  return res;
}

}  // namespace buddysim::model
