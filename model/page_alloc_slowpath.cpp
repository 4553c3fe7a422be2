// The slow path as far as it exists without reclaim and compaction
// (mm/page_alloc.c __alloc_pages_slowpath): the MIN watermark, __GFP_HIGH and
// atomic reserves, __GFP_MEMALLOC, the retry loop, highatomic unreserve and
// failure. Direct reclaim plugs in through ReclaimSeam; compaction is
// modelled as always skipped (COMPACT_SKIPPED), which is what the kernel does
// when no zone has enough free base pages to compact into.
#include <algorithm>

#include "model/page_alloc.h"

namespace buddysim::model {
namespace {

constexpr int MAX_RECLAIM_RETRIES = 16;

}  // namespace

unsigned PageAllocator::gfp_to_alloc_flags(gfp_t gfp, unsigned order) const {
  unsigned alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
  alloc_flags |= gfp & (gfp::HIGH | gfp::KSWAPD_RECLAIM);  // == ALLOC_MIN_RESERVE | ALLOC_KSWAPD
  if (!(gfp & gfp::DIRECT_RECLAIM)) {
    // Callers that cannot reclaim may dig deeper, unless they opted out.
    if (!(gfp & gfp::NOMEMALLOC)) {
      alloc_flags |= ALLOC_NON_BLOCK;
      if (order > 0 && (alloc_flags & ALLOC_MIN_RESERVE)) alloc_flags |= ALLOC_HIGHATOMIC;
    }
    if (alloc_flags & ALLOC_MIN_RESERVE) alloc_flags &= ~ALLOC_CPUSET;
  }
  if (!mobility_disabled_ && gfp_migratetype(gfp) == MIGRATE_MOVABLE) alloc_flags |= ALLOC_CMA;
  if (config_.defrag_mode) alloc_flags |= ALLOC_NOFRAGMENT;
  return alloc_flags;
}

void PageAllocator::wake_all_kswapds(unsigned order, const AllocContext &ac) {
  (void)order;
  // One wakeup per node with a managed zone the request may use.
  int last_node = -1;
  for (const Zone *zone : *ac.zonelist) {
    if (zone->idx > ac.highest_zoneidx || !zone->managed() || zone->node == last_node) continue;
    nodes_[static_cast<std::size_t>(zone->node)].kswapd_wakeups++;
    events_[KSWAPD_WAKEUPS]++;
    last_node = zone->node;
  }
}

bool PageAllocator::unreserve_highatomic_pageblock(int cpu, const AllocContext &ac, bool force) {
  for (Zone *zone : *ac.zonelist) {
    if (zone->idx > ac.highest_zoneidx) continue;
    // Keep one pageblock unless memory pressure is really high.
    if (!force && zone->nr_reserved_highatomic <= pageblock_nr_pages) continue;
    zone_lock(*zone, "unreserve_highatomic_pageblock");
    for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) {
      const FrameList &list = zone->free_area[order].free_list[MIGRATE_HIGHATOMIC];
      if (list.empty()) continue;
      const Pfn pfn = list.head;
      const unsigned long size = std::min(std::max(pageblock_nr_pages, 1ul << order), zone->nr_reserved_highatomic);
      zone->nr_reserved_highatomic -= size;
      // Hand the block straight to the caller's type, skipping the claim heuristics.
      int ret;
      if (order < pageblock_order) {
        ret = move_freepages_block(cpu, *zone, pfn, MIGRATE_HIGHATOMIC, ac.migratetype);
      } else {
        move_to_free_list(cpu, pfn, *zone, order, MIGRATE_HIGHATOMIC, ac.migratetype);
        change_pageblock_range(pfn, order, ac.migratetype);
        ret = 1;
      }
      if (ret > 0) {
        zone_unlock(*zone);
        return true;
      }
    }
    zone_unlock(*zone);
  }
  return false;
}

bool PageAllocator::should_reclaim_retry(int cpu, unsigned order, const AllocContext &ac, unsigned alloc_flags,
                                         bool did_some_progress, int &no_progress_loops) {
  // Costly orders always count as no progress: reclaim rarely makes them.
  if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
    no_progress_loops = 0;
  else
    ++no_progress_loops;
  bool ret = false;
  if (no_progress_loops <= MAX_RECLAIM_RETRIES) {
    for (const Zone *zone : *ac.zonelist) {
      if (zone->idx > ac.highest_zoneidx) continue;
      // Would the request succeed if every reclaimable page were reclaimed? (none are, here)
      const long available = zone_page_state_snapshot(*zone, NR_FREE_PAGES);
      if (zone_watermark_ok_pages(*zone, order, zone->min_wmark_pages(), ac.highest_zoneidx, alloc_flags, available)) {
        ret = true;
        break;
      }
    }
  }
  // Before giving up, exhaust the highatomic reserve.
  if (!ret) return unreserve_highatomic_pageblock(cpu, ac, true);
  return ret;
}

Pfn PageAllocator::alloc_pages_slowpath(int cpu, gfp_t gfp, unsigned order, AllocContext &ac, AllocResult &res) {
  res.path |= PATH_SLOWPATH;
  const bool can_direct_reclaim = gfp & gfp::DIRECT_RECLAIM;
  const bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
  const bool can_compact = gfp_compaction_allowed(gfp);
  int no_progress_loops = 0;

  // (1) Precise flags: MIN watermark, reserves for __GFP_HIGH and non-blocking callers.
  unsigned alloc_flags = gfp_to_alloc_flags(gfp, order);
  if (!ac.preferred_zone()) return NO_PAGE;
  if (alloc_flags & ALLOC_KSWAPD) wake_all_kswapds(order, ac);
  Pfn pfn = get_page_from_freelist(cpu, gfp, order, alloc_flags, ac, res);
  if (pfn != NO_PAGE) return pfn;

  // (2) Costly or unmovable high-order requests would try async compaction
  //     here; it is skipped, and a costly __GFP_NORETRY request gives up.
  const bool pfmemalloc_allowed = !(gfp & gfp::NOMEMALLOC) && (gfp & gfp::MEMALLOC);
  if (can_direct_reclaim && can_compact && (costly_order || (order > 0 && ac.migratetype != MIGRATE_MOVABLE)) &&
      !pfmemalloc_allowed && costly_order && (gfp & gfp::NORETRY))
    return NO_PAGE;

  for (;;) {
    // (3) retry: kswapd stays awake; __GFP_MEMALLOC ignores watermarks.
    if (alloc_flags & ALLOC_KSWAPD) wake_all_kswapds(order, ac);
    if (pfmemalloc_allowed) alloc_flags = ALLOC_NO_WATERMARKS | (alloc_flags & (ALLOC_KSWAPD | ALLOC_CMA));
    pfn = get_page_from_freelist(cpu, gfp, order, alloc_flags, ac, res);
    if (pfn != NO_PAGE) return pfn;
    if (!can_direct_reclaim) break;

    // (4) Direct reclaim; on a failed retry drain the pcp lists and the highatomic reserve once.
    const unsigned long progress = reclaim_ ? reclaim_->direct_reclaim(cpu, gfp, order) : 0;
    if (progress) {
      pfn = get_page_from_freelist(cpu, gfp, order, alloc_flags, ac, res);
      if (pfn == NO_PAGE) {
        unreserve_highatomic_pageblock(cpu, ac, false);
        drain_all_pages();
        pfn = get_page_from_freelist(cpu, gfp, order, alloc_flags, ac, res);
      }
      if (pfn != NO_PAGE) return pfn;
    }
    // (5) Direct compaction: skipped. (6) Give up early where the kernel does.
    if (gfp & gfp::NORETRY) break;
    if (costly_order && (!can_compact || !(gfp & gfp::RETRY_MAYFAIL))) break;
    if (should_reclaim_retry(cpu, order, ac, alloc_flags, progress > 0, no_progress_loops)) continue;
    // (7) defrag_mode gives up on NOFRAGMENT only after reclaim failed.
    if (config_.defrag_mode && (alloc_flags & ALLOC_NOFRAGMENT)) {
      alloc_flags &= ~ALLOC_NOFRAGMENT;
      continue;
    }
    // (8) __alloc_pages_may_oom: one last attempt at the high watermark; no
    //     task can be killed here, so the OOM killer makes no progress.
    const unsigned oom_flags = ALLOC_WMARK_HIGH | ALLOC_CPUSET;
    pfn = get_page_from_freelist(cpu, (gfp | gfp::HARDWALL) & ~gfp::DIRECT_RECLAIM, order, oom_flags, ac, res);
    if (pfn != NO_PAGE) return pfn;
    break;
  }
  // nopage: __GFP_NOFAIL gets a share of the reserves (the kernel then loops forever).
  if ((gfp & gfp::NOFAIL) && can_direct_reclaim)
    return get_page_from_freelist(cpu, gfp, order, ALLOC_MIN_RESERVE, ac, res);
  return NO_PAGE;
}

}  // namespace buddysim::model
