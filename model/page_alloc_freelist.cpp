// Free-list primitives and accounting (mm/page_alloc.c: account_freepages,
// __add_to_free_list, move_to_free_list, __del_page_from_free_list), the
// per-cpu vmstat deltas (__mod_zone_page_state) and the lock/touch hooks.
#include <cstdlib>

#include "model/page_alloc.h"

namespace buddysim::model {

void PageAllocator::mod_zone_page_state(int cpu, Zone &zone, ZoneStatItem item, long delta) {
  // Per-cpu delta folded into the zone counter once it passes the threshold,
  // so zone_page_state() lags exactly as the kernel's does.
  PerCpuPages &pcp = zone.pcp[static_cast<std::size_t>(cpu)];
  long x = delta + pcp.vm_stat_diff[item];
  if (std::labs(x) > pcp.stat_threshold) {
    // Folding writes the zone's shared counter line: a bounce between CPUs.
    touch(addr::zone(zone.node, zone.idx) + addr::ZONE_OFF_VMSTAT, Access::Write);
    zone.vm_stat[item] += x;
    x = 0;
  }
  pcp.vm_stat_diff[item] = static_cast<int>(x);
}

long PageAllocator::zone_page_state_snapshot(const Zone &zone, ZoneStatItem item) const {
  long v = zone.vm_stat[item];
  for (const auto &pcp : zone.pcp) v += pcp.vm_stat_diff[item];
  return v < 0 ? 0 : v;
}

void PageAllocator::account_freepages(int cpu, Zone &zone, long nr_pages, int mt) {
  if (mt == MIGRATE_ISOLATE) return;
  mod_zone_page_state(cpu, zone, NR_FREE_PAGES, nr_pages);
  if (mt == MIGRATE_CMA)
    mod_zone_page_state(cpu, zone, NR_FREE_CMA_PAGES, nr_pages);
  else if (mt == MIGRATE_HIGHATOMIC)
    zone.nr_free_highatomic += nr_pages;
}

void PageAllocator::touch_list_neighbours(Pfn pfn) {
  if (!hooks_) return;
  const Frame &f = frames_[pfn];
  if (f.prev != NIL) hooks_->touch(addr::page(f.prev), Access::Write);
  if (f.next != NIL) hooks_->touch(addr::page(f.next), Access::Write);
}

void PageAllocator::add_to_free_list(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt, bool tail) {
  FreeArea &area = zone.free_area[order];
  FrameList &list = area.free_list[static_cast<std::size_t>(mt)];
  touch(addr::free_list(zone.node, zone.idx, order, mt), Access::Write);
  if (hooks_) {
    std::uint32_t neighbour = tail ? list.tail : list.head;
    if (neighbour != NIL) touch_page(neighbour, Access::Write);
  }
  if (tail)
    list.add_tail(frames_, pfn);
  else
    list.add(frames_, pfn);
  Frame &f = frames_[pfn];
  f.state = FrameState::Buddy;  // set_buddy_order()
  f.order = static_cast<std::uint8_t>(order);
  touch_page(pfn, Access::Write);
  area.nr_free++;
  if (order >= pageblock_order && mt != MIGRATE_ISOLATE)
    mod_zone_page_state(cpu, zone, NR_FREE_PAGES_BLOCKS, 1l << order);
}

void PageAllocator::move_to_free_list(int cpu, Pfn pfn, Zone &zone, unsigned order, int old_mt, int new_mt) {
  FreeArea &area = zone.free_area[order];
  touch_list_neighbours(pfn);
  area.free_list[static_cast<std::size_t>(old_mt)].del(frames_, pfn);
  area.free_list[static_cast<std::size_t>(new_mt)].add_tail(frames_, pfn);
  touch(addr::free_list(zone.node, zone.idx, order, new_mt), Access::Write);
  touch_page(pfn, Access::Write);
  const long nr = 1l << order;
  account_freepages(cpu, zone, -nr, old_mt);
  account_freepages(cpu, zone, nr, new_mt);
  if (order >= pageblock_order && (old_mt == MIGRATE_ISOLATE) != (new_mt == MIGRATE_ISOLATE))
    mod_zone_page_state(cpu, zone, NR_FREE_PAGES_BLOCKS, old_mt == MIGRATE_ISOLATE ? nr : -nr);
}

void PageAllocator::del_page_from_free_list_nocount(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt) {
  touch_list_neighbours(pfn);
  touch_page(pfn, Access::Write);
  zone.free_area[order].free_list[static_cast<std::size_t>(mt)].del(frames_, pfn);
  Frame &f = frames_[pfn];
  f.state = FrameState::Tail;  // __ClearPageBuddy(); set_page_private(page, 0)
  f.order = 0;
  zone.free_area[order].nr_free--;
  if (order >= pageblock_order && mt != MIGRATE_ISOLATE)
    mod_zone_page_state(cpu, zone, NR_FREE_PAGES_BLOCKS, -(1l << order));
}

void PageAllocator::del_page_from_free_list(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt) {
  del_page_from_free_list_nocount(cpu, pfn, zone, order, mt);
  account_freepages(cpu, zone, -(1l << order), mt);
}

void PageAllocator::set_pageblock_migratetype(Pfn pfn, int mt) {
  if (mobility_disabled_ && mt < MIGRATE_PCPTYPES) mt = MIGRATE_UNMOVABLE;
  frames_.set_pageblock_migratetype(pfn, mt);
}

void PageAllocator::change_pageblock_range(Pfn pfn, unsigned start_order, int mt) {
  for (unsigned long n = 1ul << (start_order - pageblock_order); n--; pfn += pageblock_nr_pages)
    set_pageblock_migratetype(pfn, mt);
}

bool PageAllocator::prep_move_freepages_block(const Zone &zone, Pfn pfn, Pfn *start_pfn, int *num_free,
                                              int *num_movable) const {
  const Pfn start = pfn & ~(pageblock_nr_pages - 1);
  const Pfn end = start + pageblock_nr_pages;
  // The zone lock covers only this zone: leave blocks straddling a boundary alone.
  if (!zone.spans(start) || !zone.spans(end - 1)) return false;
  *start_pfn = start;
  if (!num_free) return true;
  *num_free = 0;
  *num_movable = 0;
  for (Pfn p = start; p < end;) {
    const Frame &f = frames_[p];
    switch (f.state) {
      case FrameState::Buddy:
        *num_free += 1 << f.order;
        p += 1ull << f.order;
        continue;
      case FrameState::Allocated:
        // PageLRU / movable_ops: the allocator's model of it is "allocated movable".
        if (f.flags & FRAME_MOVABLE) *num_movable += 1 << f.order;
        p += 1ull << f.order;
        continue;
      case FrameState::Pcp:
        p += 1ull << f.order;
        continue;
      default:
        ++p;
    }
  }
  return true;
}

int PageAllocator::move_freepages_block_locked(int cpu, Zone &zone, Pfn start_pfn, int old_mt, int new_mt) {
  // __move_freepages_block(): every free block in the pageblock changes list.
  int moved = 0;
  const Pfn end = start_pfn + pageblock_nr_pages;
  for (Pfn p = start_pfn; p < end;) {
    const Frame &f = frames_[p];
    if (f.state != FrameState::Buddy) {
      ++p;
      continue;
    }
    const unsigned order = f.order;
    move_to_free_list(cpu, p, zone, order, old_mt, new_mt);
    p += 1ull << order;
    moved += 1 << order;
  }
  return moved;
}

int PageAllocator::move_freepages_block(int cpu, Zone &zone, Pfn pfn, int old_mt, int new_mt) {
  Pfn start;
  if (!prep_move_freepages_block(zone, pfn, &start, nullptr, nullptr)) return -1;
  int moved = move_freepages_block_locked(cpu, zone, start, old_mt, new_mt);
  set_pageblock_migratetype(start, new_mt);
  return moved;
}

void PageAllocator::zone_lock(Zone &zone, LockSite site) {
  if (!hooks_) return;
  hooks_->lock(LockId{LockId::Zone, static_cast<std::uint16_t>(zone.node), static_cast<std::uint8_t>(zone.idx), 0},
               site);
}

void PageAllocator::zone_unlock(Zone &zone) {
  if (!hooks_) return;
  hooks_->unlock(LockId{LockId::Zone, static_cast<std::uint16_t>(zone.node), static_cast<std::uint8_t>(zone.idx), 0});
}

bool PageAllocator::pcp_trylock(int cpu, Zone &zone) {
  if (!hooks_) return true;
  return hooks_->trylock(LockId{LockId::Pcp, static_cast<std::uint16_t>(zone.node),
                                static_cast<std::uint8_t>(zone.idx), static_cast<std::uint32_t>(cpu)});
}

void PageAllocator::pcp_lock(int cpu, Zone &zone, LockSite site) {
  if (!hooks_) return;
  hooks_->lock(LockId{LockId::Pcp, static_cast<std::uint16_t>(zone.node), static_cast<std::uint8_t>(zone.idx),
                      static_cast<std::uint32_t>(cpu)},
               site);
}

void PageAllocator::pcp_unlock(int cpu, Zone &zone) {
  if (!hooks_) return;
  hooks_->unlock(LockId{LockId::Pcp, static_cast<std::uint16_t>(zone.node), static_cast<std::uint8_t>(zone.idx),
                        static_cast<std::uint32_t>(cpu)});
}

}  // namespace buddysim::model
