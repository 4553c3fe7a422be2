// Per-cpu page lists as in 6.18: refill sizing (nr_pcp_alloc), the free-side
// high/batch auto-tuning (nr_pcp_high, nr_pcp_free), draining
// (free_pcppages_bulk) and the once-a-second decay from vmstat_update.
#include <algorithm>

#include "model/page_alloc.h"
#include "model/work_cost.h"

namespace buddysim::model {
namespace {

// The kernel's clamp() tests the high limit first, so when lo > hi (high_min
// above high_max, as a large watermark_scale_factor or min_free_kbytes makes
// it) a value below both becomes lo; std::clamp is undefined there.
constexpr int kernel_clamp(int val, int lo, int hi) { return val >= hi ? hi : val <= lo ? lo : val; }

}  // namespace

int PageAllocator::nr_pcp_alloc(PerCpuPages &pcp, const Zone &zone, unsigned order) {
  const int base_batch = pcp.batch;
  int high = pcp.high = kernel_clamp(pcp.high, pcp.high_min, pcp.high_max);
  if (high < base_batch) return 1;  // pcp disabled or boot pageset
  int batch = order ? base_batch : (base_batch << pcp.alloc_factor);
  // Grow high while the zone has headroom: a larger pcp avoids the zone lock.
  if (pcp.high_min != pcp.high_max && !zone.test(ZONE_BELOW_HIGH))
    high = pcp.high = std::min(high + batch, pcp.high_max);
  if (!order) {
    const int max_nr_alloc = std::max(high - pcp.count - base_batch, base_batch);
    // Consecutive refills without frees double the next refill.
    if (batch <= max_nr_alloc && pcp.alloc_factor < CONFIG_PCP_BATCH_SCALE_MAX) pcp.alloc_factor++;
    batch = std::min(batch, max_nr_alloc);
  }
  if (batch > 1) batch = std::max(batch >> order, 2);
  return batch;
}

Pfn PageAllocator::rmqueue_pcplist_locked(int cpu, Zone &zone, unsigned order, int mt, unsigned alloc_flags,
                                          PerCpuPages &pcp, FrameList &list, std::uint16_t &path) {
  if (list.empty()) {
    const int batch = nr_pcp_alloc(pcp, zone, order);
    const int alloced = rmqueue_bulk(cpu, zone, order, batch, list, mt, alloc_flags, path);
    pcp.count += alloced << order;
    if (list.empty()) return NO_PAGE;
    path |= PATH_PCP_REFILL;
  }
  const Pfn pfn = list.head;
  touch_page(pfn, Access::Write);
  touch_list_neighbours(pfn);
  list.del(frames_, pfn);
  pcp.count -= 1 << order;
  work(cost::PCP_LIST_OP);
  return pfn;
}

Pfn PageAllocator::rmqueue_pcplist(int cpu, Zone &pref, Zone &zone, unsigned order, int mt, unsigned alloc_flags,
                                   std::uint16_t &path) {
  // A failed trylock (a drain in progress) sends the caller to the buddy path.
  if (!pcp_trylock(cpu, zone)) return NO_PAGE;
  PerCpuPages &pcp = zone.pcp[static_cast<std::size_t>(cpu)];
  touch(addr::pcp(cpu, zone.node, zone.idx), Access::Write);
  pcp.free_count >>= 1;  // allocating shrinks the next free batch
  FrameList &list = pcp.lists[static_cast<std::size_t>(order_to_pindex(mt, order))];
  std::uint16_t local = 0;
  const Pfn pfn = rmqueue_pcplist_locked(cpu, zone, order, mt, alloc_flags, pcp, list, local);
  pcp_unlock(cpu, zone);
  if (pfn == NO_PAGE) return NO_PAGE;
  path |= local ? local : static_cast<std::uint16_t>(PATH_PCP_HIT);
  events_[PGALLOC_DMA + zone.idx] += 1ul << order;
  zone_statistics(cpu, pref, zone, 1);
  return pfn;
}

int PageAllocator::nr_pcp_free(const PerCpuPages &pcp, int batch, int high, bool free_high) const {
  if (free_high) return std::min(pcp.count, batch << CONFIG_PCP_BATCH_SCALE_MAX);
  if (high < batch) return 1;
  // Free as many as were freed in a row, keeping at least batch on the list.
  return kernel_clamp(pcp.free_count, batch, high - batch);
}

int PageAllocator::nr_pcp_high(PerCpuPages &pcp, const Zone &zone, int batch, bool free_high) const {
  int high = pcp.high = kernel_clamp(pcp.high, pcp.high_min, pcp.high_max);
  if (!high) return 0;
  if (free_high) {
    pcp.high = std::max(high - (batch << CONFIG_PCP_BATCH_SCALE_MAX), pcp.high_min);
    return 0;
  }
  if (zone.test(ZONE_RECLAIM_ACTIVE)) {
    pcp.high = std::max(high - std::max(pcp.free_count, batch), pcp.high_min);
    return std::min(batch << 2, pcp.high);
  }
  if (pcp.high_min == pcp.high_max) return high;
  if (zone.test(ZONE_BELOW_HIGH)) {
    pcp.high = std::max(high - std::max(pcp.free_count, batch), pcp.high_min);
    high = std::max(pcp.count, pcp.high_min);
  } else if (pcp.count >= high) {
    // Room for one more batch of frees before the next drain.
    const int need_high = pcp.free_count + batch;
    if (pcp.high < need_high) pcp.high = kernel_clamp(need_high, pcp.high_min, pcp.high_max);
  }
  return high;
}

void PageAllocator::free_frozen_page_commit(int cpu, Zone &zone, PerCpuPages &pcp, Pfn pfn, int mt, unsigned order) {
  pcp.alloc_factor >>= 1;  // freeing shrinks the next refill
  events_[PGFREE] += 1ul << order;
  const int pindex = order_to_pindex(mt, order);
  FrameList &list = pcp.lists[static_cast<std::size_t>(pindex)];
  if (list.head != NIL) touch_page(list.head, Access::Write);
  Frame &f = frames_[pfn];
  f.state = FrameState::Pcp;
  f.order = static_cast<std::uint8_t>(order);
  f.flags = 0;
  list.add(frames_, pfn);
  pcp.count += 1 << order;
  work(cost::PCP_LIST_OP);

  const int batch = pcp.batch;
  // High-order (non-THP) pages on the pcp fragment memory: drain when a CPU
  // keeps freeing them without allocating.
  bool free_high = false;
  if (order && order <= PAGE_ALLOC_COSTLY_ORDER) {
    free_high = pcp.free_count >= batch + pcp.high_min / 2 && (pcp.flags & PCPF_PREV_FREE_HIGH_ORDER) &&
                (!(pcp.flags & PCPF_FREE_HIGH_BATCH) || pcp.count >= batch);
    pcp.flags |= PCPF_PREV_FREE_HIGH_ORDER;
  } else {
    pcp.flags &= static_cast<std::uint8_t>(~PCPF_PREV_FREE_HIGH_ORDER);
  }
  if (pcp.free_count < (batch << CONFIG_PCP_BATCH_SCALE_MAX)) pcp.free_count += 1 << order;

  const int high = nr_pcp_high(pcp, zone, batch, free_high);
  if (pcp.count < high) return;
  free_pcppages_bulk(cpu, zone, nr_pcp_free(pcp, batch, high, free_high), pcp, pindex);
  if (zone.test(ZONE_BELOW_HIGH) && zone_watermark_ok(zone, 0, zone.high_wmark_pages(), ZONE_MOVABLE, 0))
    zone.clear(ZONE_BELOW_HIGH);
}

void PageAllocator::free_pcppages_bulk(int cpu, Zone &zone, int count, PerCpuPages &pcp, int pindex) {
  count = std::min(pcp.count, count);
  --pindex;  // the triggering list is drained first
  zone_lock(zone, "free_pcppages_bulk");
  while (count > 0) {
    FrameList *list;
    do {
      if (++pindex > NR_PCP_LISTS - 1) pindex = 0;
      list = &pcp.lists[static_cast<std::size_t>(pindex)];
    } while (list->empty());
    const unsigned order = pindex_to_order(pindex);
    const int nr_pages = 1 << order;
    do {
      // Coldest first: the tail of the list.
      const Pfn pfn = list->tail;
      const int mt = frames_.pageblock_migratetype(pfn);
      touch_list_neighbours(pfn);
      list->del(frames_, pfn);
      count -= nr_pages;
      pcp.count -= nr_pages;
      free_one_page_locked(cpu, pfn, zone, order, mt, FPI_NONE);
    } while (count > 0 && !list->empty());
  }
  zone_unlock(zone);
}

int PageAllocator::decay_pcp_high(int cpu, Zone &zone, PerCpuPages &pcp) {
  int todo = 0;
  // Shrink high by an eighth a second, never draining more than a scaled batch at once.
  if (pcp.high > pcp.high_min) {
    pcp.high = std::max({pcp.count - (pcp.batch << CONFIG_PCP_BATCH_SCALE_MAX), pcp.high - (pcp.high >> 3),
                         pcp.high_min});
    if (pcp.high > pcp.high_min) ++todo;
  }
  const int to_drain = pcp.count - pcp.high;
  if (to_drain > 0) {
    pcp_lock(cpu, zone, "decay_pcp_high");
    free_pcppages_bulk(cpu, zone, to_drain, pcp, 0);
    pcp_unlock(cpu, zone);
    ++todo;
  }
  return todo;
}

void PageAllocator::drain_zone_pages(int cpu, Zone &zone, PerCpuPages &pcp) {
  const int to_drain = std::min(pcp.count, pcp.batch);
  if (to_drain <= 0) return;
  pcp_lock(cpu, zone, "drain_zone_pages");
  free_pcppages_bulk(cpu, zone, to_drain, pcp, 0);
  pcp_unlock(cpu, zone);
}

void PageAllocator::drain_pages_zone(int cpu, Zone &zone) {
  PerCpuPages &pcp = zone.pcp[static_cast<std::size_t>(cpu)];
  int count;
  do {
    pcp_lock(cpu, zone, "drain_pages_zone");
    count = pcp.count;
    if (count) {
      const int to_drain = std::min(count, pcp.batch << CONFIG_PCP_BATCH_SCALE_MAX);
      free_pcppages_bulk(cpu, zone, to_drain, pcp, 0);
      count -= to_drain;
    }
    pcp_unlock(cpu, zone);
  } while (count);
}

void PageAllocator::drain_all_pages() {
  for (int cpu = 0; cpu < nr_cpus(); ++cpu)
    for (auto &node : nodes_)
      for (auto &zone : node.zones)
        if (zone.populated() && zone.pcp[static_cast<std::size_t>(cpu)].count) drain_pages_zone(cpu, zone);
  debug_check("drain_all_pages");
}

void PageAllocator::vmstat_update(int cpu) {
  // refresh_cpu_vm_stats(true) for one CPU.
  const auto c = static_cast<std::size_t>(cpu);
  for (auto &node : nodes_) {
    for (auto &zone : node.zones) {
      if (!zone.populated()) continue;
      PerCpuPages &pcp = zone.pcp[c];
      for (int i = 0; i < NR_MODELLED_ZONE_STATS; ++i) {
        if (!pcp.vm_stat_diff[static_cast<std::size_t>(i)]) continue;
        zone.vm_stat[static_cast<std::size_t>(i)] += pcp.vm_stat_diff[static_cast<std::size_t>(i)];
        pcp.vm_stat_diff[static_cast<std::size_t>(i)] = 0;
        pcp.expire = 3;  // three idle seconds until a remote pageset is flushed
      }
      decay_pcp_high(cpu, zone, pcp);
      if (!pcp.expire || !pcp.count) continue;
      if (zone.node == cpu_to_node(cpu)) {
        pcp.expire = 0;  // local pagesets are never expired
        continue;
      }
      if (--pcp.expire) continue;
      if (pcp.count) drain_zone_pages(cpu, zone, pcp);
    }
  }
  debug_check("vmstat_update");
}

}  // namespace buddysim::model
