// Watermark checks (mm/page_alloc.c: __zone_watermark_unusable_free,
// __zone_watermark_ok, zone_watermark_fast).
#include <algorithm>

#include "model/page_alloc.h"

namespace buddysim::model {

long PageAllocator::zone_watermark_unusable_free(const Zone &z, unsigned order, unsigned alloc_flags) const {
  long unusable = (1l << order) - 1;
  // Without rights to the reserves, the highatomic free pages are off limits.
  if (!(alloc_flags & ALLOC_RESERVES)) unusable += z.nr_free_highatomic;
  if (!(alloc_flags & ALLOC_CMA)) unusable += z.page_state(NR_FREE_CMA_PAGES);
  return unusable;
}

bool PageAllocator::zone_watermark_ok_pages(const Zone &z, unsigned order, unsigned long mark, int highest_zoneidx,
                                            unsigned alloc_flags, long free_pages) const {
  long min = static_cast<long>(mark);
  free_pages -= zone_watermark_unusable_free(z, order, alloc_flags);  // may go negative
  if (alloc_flags & ALLOC_RESERVES) {
    // __GFP_HIGH may use half the min reserve; non-blocking callers a further quarter.
    if (alloc_flags & ALLOC_MIN_RESERVE) {
      min -= min / 2;
      if (alloc_flags & ALLOC_NON_BLOCK) min -= min / 4;
    }
    if (alloc_flags & ALLOC_OOM) min -= min / 2;
  }
  if (free_pages <= min + z.lowmem_reserve[static_cast<std::size_t>(highest_zoneidx)]) return false;
  if (!order) return true;
  // High orders also need one free block of a suitable size on an allowed list.
  for (unsigned o = order; o < NR_PAGE_ORDERS; ++o) {
    const FreeArea &area = z.free_area[o];
    if (!area.nr_free) continue;
    for (int mt = 0; mt < MIGRATE_PCPTYPES; ++mt)
      if (!area.free_list[static_cast<std::size_t>(mt)].empty()) return true;
    if ((alloc_flags & ALLOC_CMA) && !area.free_list[MIGRATE_CMA].empty()) return true;
    if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) && !area.free_list[MIGRATE_HIGHATOMIC].empty()) return true;
  }
  return false;
}

bool PageAllocator::zone_watermark_ok(const Zone &z, unsigned order, unsigned long mark, int highest_zoneidx,
                                      unsigned alloc_flags) const {
  return zone_watermark_ok_pages(z, order, mark, highest_zoneidx, alloc_flags, z.page_state(NR_FREE_PAGES));
}

bool PageAllocator::zone_watermark_fast(const Zone &z, unsigned order, unsigned long mark, int highest_zoneidx,
                                        unsigned alloc_flags) const {
  const long free_pages = z.page_state(NR_FREE_PAGES);
  if (!order) {
    // The reserve estimate may overcount highatomic pages; clamp at zero.
    long usable = free_pages;
    usable -= std::min(usable, zone_watermark_unusable_free(z, 0, alloc_flags));
    if (usable > static_cast<long>(mark) + z.lowmem_reserve[static_cast<std::size_t>(highest_zoneidx)]) return true;
  }
  if (zone_watermark_ok_pages(z, order, mark, highest_zoneidx, alloc_flags, free_pages)) return true;
  // __GFP_HIGH order-0 requests ignore the boost when checking the min mark.
  if (!order && (alloc_flags & ALLOC_MIN_RESERVE) && z.watermark_boost &&
      (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN)
    return zone_watermark_ok_pages(z, order, z._watermark[WMARK_MIN], highest_zoneidx, alloc_flags, free_pages);
  return false;
}

}  // namespace buddysim::model
