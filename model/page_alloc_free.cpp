// Freeing: validation (bad_page), __free_frozen_pages, free_one_page,
// split_large_buddy and __free_one_page with its merge rules (mm/page_alloc.c).
#include <cstdio>

#include "model/page_alloc.h"
#include "model/work_cost.h"

namespace buddysim::model {

std::string BadPage::report() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "BUG: Bad page state in process buddysim  pfn:%05llx\n"
                "page: refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x%llx order:%u\n"
                "page dumped because: %s\n",
                static_cast<unsigned long long>(pfn), static_cast<unsigned long long>(pfn), order, reason.c_str());
  return buf;
}

std::optional<BadPage> PageAllocator::check_free(Pfn pfn, unsigned order) const {
  auto bad = [&](std::string reason) { return std::optional<BadPage>(BadPage{pfn, order, std::move(reason)}); };
  if (order > MAX_PAGE_ORDER) return bad("order " + std::to_string(order) + " exceeds MAX_PAGE_ORDER (10)");
  const Zone *zone = pfn_zone(pfn);
  if (!zone) return bad("pfn outside every zone");
  if (pfn & ((1ull << order) - 1)) return bad("pfn not aligned to order " + std::to_string(order));
  const Frame &f = frames_[pfn];
  switch (f.state) {
    case FrameState::Allocated:
      if (f.order == order) return std::nullopt;
      return bad("freed with order " + std::to_string(order) + " but allocated with order " + std::to_string(f.order));
    case FrameState::Buddy:
    case FrameState::Pcp:
      return bad("double free: page is already free");
    case FrameState::Reserved:
      return bad("PageReserved: page was never given to the page allocator");
    case FrameState::Tail:
      break;
  }
  // Inside a larger block: free (a double free that merged) or the tail of an allocation.
  for (unsigned o = 1; o <= MAX_PAGE_ORDER; ++o) {
    const Pfn head = pfn & ~((1ull << o) - 1);
    const Frame &h = frames_[head];
    if (h.order < o) continue;
    if (h.state == FrameState::Buddy || h.state == FrameState::Pcp) return bad("double free: page is already free");
    if (h.state == FrameState::Allocated)
      return bad("tail page of an order-" + std::to_string(h.order) + " allocation at pfn " + std::to_string(head));
  }
  return bad("page was never allocated");
}

std::optional<BadPage> PageAllocator::free_pages(int cpu, Pfn pfn, unsigned order) {
  if (auto bad = check_free(pfn, order)) return bad;
  allocated_pages_ -= 1ul << order;
  Frame &f = frames_[pfn];
  f.state = FrameState::Tail;
  f.flags = 0;
  free_frozen_pages(cpu, pfn, order);
  debug_check("free_pages");
  return std::nullopt;
}

void PageAllocator::free_frozen_pages(int cpu, Pfn pfn, unsigned order) {
  work(cost::FREE_ENTRY);
  touch_page(pfn, Access::Write);
  Zone &zone = zone_of(pfn);
  if (!config_.pcp_enabled || !pcp_allowed_order(order)) {
    free_one_page(cpu, zone, pfn, order, FPI_NONE);  // __free_pages_ok()
    return;
  }
  // Only the three mobility types have pcp lists: highatomic and CMA pages go
  // to the movable list so those areas can be reclaimed; isolated pages bypass.
  int mt = frames_.pageblock_migratetype(pfn);
  if (mt >= MIGRATE_PCPTYPES) {
    if (mt == MIGRATE_ISOLATE) {
      free_one_page(cpu, zone, pfn, order, FPI_NONE);
      return;
    }
    mt = MIGRATE_MOVABLE;
  }
  if (pcp_trylock(cpu, zone)) {
    touch(addr::pcp(cpu, zone.node, zone.idx), Access::Write);
    free_frozen_page_commit(cpu, zone, zone.pcp[static_cast<std::size_t>(cpu)], pfn, mt, order);
    pcp_unlock(cpu, zone);
  } else {
    free_one_page(cpu, zone, pfn, order, FPI_NONE);
  }
}

void PageAllocator::free_one_page(int cpu, Zone &zone, Pfn pfn, unsigned order, unsigned fpi) {
  zone_lock(zone, "free_one_page");
  split_large_buddy(cpu, zone, pfn, order, fpi);
  zone_unlock(zone);
  events_[PGFREE] += 1ul << order;
}

void PageAllocator::split_large_buddy(int cpu, Zone &zone, Pfn pfn, unsigned order, unsigned fpi) {
  // Blocks above pageblock_order are freed a pageblock at a time, each with its own type.
  const Pfn end = pfn + (1ull << order);
  if (order > pageblock_order) order = pageblock_order;
  do {
    free_one_page_locked(cpu, pfn, zone, order, frames_.pageblock_migratetype(pfn), fpi);
    pfn += 1ull << order;
  } while (pfn != end);
}

bool PageAllocator::page_is_buddy(const Zone &zone, Pfn buddy_pfn, unsigned order) const {
  if (buddy_pfn >= frames_.end_pfn() || !zone.spans(buddy_pfn)) return false;
  const Frame &b = frames_[buddy_pfn];
  return b.state == FrameState::Buddy && b.order == order;
}

bool PageAllocator::buddy_merge_likely(const Zone &zone, Pfn pfn, Pfn buddy_pfn, unsigned order) const {
  // If the next-higher buddy is free, this block will probably merge soon:
  // keep it at the tail so it is not handed out first.
  if (order >= MAX_PAGE_ORDER - 1) return false;
  const Pfn higher = buddy_pfn & pfn;
  return page_is_buddy(zone, higher ^ (1ull << (order + 1)), order + 1);
}

void PageAllocator::free_one_page_locked(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt, unsigned fpi) {
  account_freepages(cpu, zone, 1l << order, mt);
  // Write only if needed: never-written frames cost the host no memory.
  if (frames_[pfn].state != FrameState::Tail) frames_[pfn].state = FrameState::Tail;
  Pfn buddy_pfn = 0;
  while (order < MAX_PAGE_ORDER) {
    buddy_pfn = pfn ^ (1ull << order);
    work(cost::BUDDY_STEP);
    touch_page(buddy_pfn, Access::Read);
    if (!page_is_buddy(zone, buddy_pfn, order)) break;
    int buddy_mt = mt;
    if (order >= pageblock_order) {
      // Never merge an isolated, CMA or highatomic block with a normal one.
      buddy_mt = frames_.pageblock_migratetype(buddy_pfn);
      if (mt != buddy_mt && (!migratetype_is_mergeable(mt) || !migratetype_is_mergeable(buddy_mt))) break;
    }
    del_page_from_free_list_nocount(cpu, buddy_pfn, zone, order, buddy_mt);
    // Match the buddy's type so a later expand() files sub-blocks correctly.
    if (buddy_mt != mt) set_pageblock_migratetype(buddy_pfn, mt);
    pfn &= buddy_pfn;
    ++order;
  }
  const bool to_tail = (fpi & FPI_TO_TAIL) || buddy_merge_likely(zone, pfn, buddy_pfn, order);
  add_to_free_list(cpu, pfn, zone, order, mt, to_tail);
}

}  // namespace buddysim::model
