// Taking pages off the buddy lists: __rmqueue_smallest, expand, the
// claim/steal fallbacks, rmqueue_bulk and rmqueue_buddy (mm/page_alloc.c).
#include "model/page_alloc.h"
#include "model/work_cost.h"

namespace buddysim::model {
namespace {

// Fallback order when a migratetype's own lists are empty.
constexpr int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
    {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE},    // UNMOVABLE
    {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE},  // MOVABLE
    {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE},      // RECLAIMABLE
};

}  // namespace

unsigned PageAllocator::expand(int cpu, Zone &zone, Pfn pfn, unsigned low, unsigned high, int mt) {
  // Split off upper halves; the caller keeps the lowest part, so successive
  // splits of one block hand out ascending pfns.
  unsigned long size = 1ul << high;
  unsigned nr_added = 0;
  while (high > low) {
    --high;
    size >>= 1;
    add_to_free_list(cpu, pfn + size, zone, high, mt, false);
    nr_added += static_cast<unsigned>(size);
    work(cost::BUDDY_STEP);
  }
  return nr_added;
}

void PageAllocator::page_del_and_expand(int cpu, Zone &zone, Pfn pfn, unsigned low, unsigned high, int mt) {
  long nr_pages = 1l << high;
  del_page_from_free_list_nocount(cpu, pfn, zone, high, mt);
  nr_pages -= expand(cpu, zone, pfn, low, high, mt);
  account_freepages(cpu, zone, -nr_pages, mt);
}

Pfn PageAllocator::rmqueue_smallest(int cpu, Zone &zone, unsigned order, int mt) {
  for (unsigned o = order; o < NR_PAGE_ORDERS; ++o) {
    work(cost::BUDDY_STEP);
    touch(addr::free_list(zone.node, zone.idx, o, mt), Access::Read);
    const FrameList &list = zone.free_area[o].free_list[static_cast<std::size_t>(mt)];
    if (list.empty()) continue;
    const Pfn pfn = list.head;
    page_del_and_expand(cpu, zone, pfn, order, o, mt);
    return pfn;
  }
  return NO_PAGE;
}

bool PageAllocator::should_try_claim_block(unsigned order, int start_mt) const {
  if (order >= pageblock_order / 2) return true;  // covers order >= pageblock_order too
  if (start_mt == MIGRATE_RECLAIMABLE || start_mt == MIGRATE_UNMOVABLE) return true;
  return mobility_disabled_;
}

int PageAllocator::find_suitable_fallback(const FreeArea &area, unsigned order, int mt, bool claimable) const {
  if (claimable && !should_try_claim_block(order, mt)) return -2;
  if (area.nr_free == 0) return -1;
  for (int fallback_mt : fallbacks[mt])
    if (!area.free_list[static_cast<std::size_t>(fallback_mt)].empty()) return fallback_mt;
  return -1;
}

bool PageAllocator::boost_watermark(Zone &zone) const {
  if (!config_.watermark_boost_factor) return false;
  // Small zones would run out of memory from boosting alone.
  if (pageblock_nr_pages * 4 > zone.managed_pages) return false;
  unsigned long max_boost =
      zone._watermark[WMARK_HIGH] * static_cast<unsigned long>(config_.watermark_boost_factor) / 10000;
  if (!max_boost) return false;
  max_boost = std::max(pageblock_nr_pages, max_boost);
  zone.watermark_boost = std::min(zone.watermark_boost + pageblock_nr_pages, max_boost);
  return true;
}

Pfn PageAllocator::try_to_claim_block(int cpu, Zone &zone, Pfn pfn, unsigned current_order, unsigned order,
                                      int start_type, int block_type, unsigned alloc_flags) {
  if (current_order >= pageblock_order) {
    // Whole pageblocks change owner outright.
    del_page_from_free_list(cpu, pfn, zone, current_order, block_type);
    change_pageblock_range(pfn, current_order, start_type);
    unsigned nr_added = expand(cpu, zone, pfn, order, current_order, start_type);
    account_freepages(cpu, zone, nr_added, start_type);
    return pfn;
  }
  // Boost so reclaim works to undo the fallback; kswapd is woken from rmqueue().
  if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD)) zone.set(ZONE_BOOSTED_WATERMARK);

  Pfn start_pfn;
  int free_pages, movable_pages;
  work(cost::PAGEBLOCK_SCAN);
  if (!prep_move_freepages_block(zone, pfn, &start_pfn, &free_pages, &movable_pages)) return NO_PAGE;
  int alike_pages;
  if (start_type == MIGRATE_MOVABLE)
    alike_pages = movable_pages;
  else if (block_type == MIGRATE_MOVABLE)
    // Unmovable/reclaimable into a movable block: whatever is not free or movable is alike.
    alike_pages = static_cast<int>(pageblock_nr_pages) - (free_pages + movable_pages);
  else
    alike_pages = 0;
  if (free_pages + alike_pages >= (1 << (pageblock_order - 1)) || mobility_disabled_) {
    move_freepages_block_locked(cpu, zone, start_pfn, block_type, start_type);
    set_pageblock_migratetype(start_pfn, start_type);
    return rmqueue_smallest(cpu, zone, order, start_type);
  }
  return NO_PAGE;
}

Pfn PageAllocator::rmqueue_claim(int cpu, Zone &zone, unsigned order, int start_mt, unsigned alloc_flags) {
  // Without fragmenting fallbacks only whole pageblocks may be claimed.
  int min_order = static_cast<int>(order);
  if (order < pageblock_order && (alloc_flags & ALLOC_NOFRAGMENT)) min_order = pageblock_order;
  // Largest first: roughly the pageblock with the most free pages.
  for (int o = MAX_PAGE_ORDER; o >= min_order; --o) {
    work(cost::BUDDY_STEP);
    const FreeArea &area = zone.free_area[static_cast<std::size_t>(o)];
    int fallback_mt = find_suitable_fallback(area, static_cast<unsigned>(o), start_mt, true);
    if (fallback_mt == -1) continue;
    if (fallback_mt == -2) break;
    Pfn pfn = area.free_list[static_cast<std::size_t>(fallback_mt)].head;
    pfn = try_to_claim_block(cpu, zone, pfn, static_cast<unsigned>(o), order, start_mt, fallback_mt, alloc_flags);
    if (pfn != NO_PAGE) return pfn;
  }
  return NO_PAGE;
}

Pfn PageAllocator::rmqueue_steal(int cpu, Zone &zone, unsigned order, int start_mt) {
  for (unsigned o = order; o < NR_PAGE_ORDERS; ++o) {
    work(cost::BUDDY_STEP);
    const FreeArea &area = zone.free_area[o];
    int fallback_mt = find_suitable_fallback(area, o, start_mt, false);
    if (fallback_mt == -1) continue;
    Pfn pfn = area.free_list[static_cast<std::size_t>(fallback_mt)].head;
    // The remainder stays on the fallback type's lists: the block is polluted.
    page_del_and_expand(cpu, zone, pfn, order, o, fallback_mt);
    return pfn;
  }
  return NO_PAGE;
}

Pfn PageAllocator::rmqueue_locked(int cpu, Zone &zone, unsigned order, int mt, unsigned alloc_flags,
                                  RmqueueMode &mode, std::uint16_t &path) {
  // Balance movable allocations into CMA once it holds over half the free memory.
  if ((alloc_flags & ALLOC_CMA) && zone.page_state(NR_FREE_CMA_PAGES) > zone.page_state(NR_FREE_PAGES) / 2) {
    Pfn pfn = rmqueue_smallest(cpu, zone, order, MIGRATE_CMA);
    if (pfn != NO_PAGE) {
      path |= PATH_CMA;
      return pfn;
    }
  }
  // Fall through modes of rising fragmentation risk; mode remembers where a
  // bulk refill found pages so the next page skips the failed searches.
  Pfn pfn;
  switch (mode) {
    case RMQUEUE_NORMAL:
      pfn = rmqueue_smallest(cpu, zone, order, mt);
      if (pfn != NO_PAGE) return pfn;
      [[fallthrough]];
    case RMQUEUE_CMA:
      if (alloc_flags & ALLOC_CMA) {
        pfn = rmqueue_smallest(cpu, zone, order, MIGRATE_CMA);
        if (pfn != NO_PAGE) {
          mode = RMQUEUE_CMA;
          path |= PATH_CMA;
          return pfn;
        }
      }
      [[fallthrough]];
    case RMQUEUE_CLAIM:
      pfn = rmqueue_claim(cpu, zone, order, mt, alloc_flags);
      if (pfn != NO_PAGE) {
        mode = RMQUEUE_NORMAL;
        path |= PATH_CLAIM;
        return pfn;
      }
      [[fallthrough]];
    case RMQUEUE_STEAL:
      if (!(alloc_flags & ALLOC_NOFRAGMENT)) {
        pfn = rmqueue_steal(cpu, zone, order, mt);
        if (pfn != NO_PAGE) {
          mode = RMQUEUE_STEAL;
          path |= PATH_STEAL;
          return pfn;
        }
      }
  }
  return NO_PAGE;
}

int PageAllocator::rmqueue_bulk(int cpu, Zone &zone, unsigned order, int count, FrameList &list, int mt,
                                unsigned alloc_flags, std::uint16_t &path) {
  RmqueueMode mode = RMQUEUE_NORMAL;
  zone_lock(zone, "rmqueue_bulk");
  int i = 0;
  for (; i < count; ++i) {
    Pfn pfn = rmqueue_locked(cpu, zone, order, mt, alloc_flags, mode, path);
    if (pfn == NO_PAGE) break;
    // Tail insertion keeps split pages in physical order for the consumer.
    Frame &f = frames_[pfn];
    f.state = FrameState::Pcp;
    f.order = static_cast<std::uint8_t>(order);
    list.add_tail(frames_, pfn);
    work(cost::PCP_LIST_OP);
  }
  zone_unlock(zone);
  return i;
}

Pfn PageAllocator::rmqueue_buddy(int cpu, Zone &pref, Zone &zone, unsigned order, unsigned alloc_flags, int mt,
                                 std::uint16_t &path) {
  zone_lock(zone, "rmqueue_buddy");
  Pfn pfn = NO_PAGE;
  if (alloc_flags & ALLOC_HIGHATOMIC) {
    pfn = rmqueue_smallest(cpu, zone, order, MIGRATE_HIGHATOMIC);
    if (pfn != NO_PAGE) path |= PATH_HIGHATOMIC;
  }
  if (pfn == NO_PAGE) {
    RmqueueMode mode = RMQUEUE_NORMAL;
    pfn = rmqueue_locked(cpu, zone, order, mt, alloc_flags, mode, path);
    // Failing an order-0 atomic or OOM allocation now is worse than failing
    // a future high-order atomic one: dip into the highatomic reserve.
    if (pfn == NO_PAGE && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK))) {
      pfn = rmqueue_smallest(cpu, zone, order, MIGRATE_HIGHATOMIC);
      if (pfn != NO_PAGE) path |= PATH_HIGHATOMIC;
    }
  }
  zone_unlock(zone);
  if (pfn == NO_PAGE) return NO_PAGE;
  path |= PATH_BUDDY;
  events_[PGALLOC_DMA + zone.idx] += 1ul << order;
  zone_statistics(cpu, pref, zone, 1);
  return pfn;
}

}  // namespace buddysim::model
