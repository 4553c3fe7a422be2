// Shared helpers for the allocator tests: small machines with round numbers,
// configurations, and read-only views of free lists, pcp lists and counters.
//
// The machines are chosen so the expected values can be worked out by hand
// from the kernel formulas (the comments in each test show the arithmetic):
//  - dma32_machine(): one node whose memory starts at 16 MiB, so it has only
//    ZONE_DMA32 and pfns start at 4096. The preferred zone of a GFP_KERNEL
//    request is then DMA32, so alloc_flags_nofragment() adds no
//    ALLOC_NOFRAGMENT (it only spreads Normal over DMA32).
//  - normal_machine(): memory above 4 GiB only (ZONE_NORMAL), pfns from 1 Mi.
//  - reserve_memmap is off unless a test is about it.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "model/page_alloc.h"

namespace buddysim::model::test {

inline constexpr std::uint64_t KiB = 1ull << 10;
inline constexpr std::uint64_t MiB = 1ull << 20;
inline constexpr std::uint64_t GiB = 1ull << 30;

inline constexpr Pfn pfn_of(std::uint64_t bytes) { return bytes >> PAGE_SHIFT; }

// First pfn of ZONE_NORMAL on x86-64 (4 GiB) and of ZONE_DMA32 (16 MiB).
inline constexpr Pfn PFN_4G = pfn_of(4 * GiB);
inline constexpr Pfn PFN_16M = pfn_of(16 * MiB);

inline NodeLayout node_layout(std::uint64_t start, std::uint64_t bytes, int cpus = 1) {
  NodeLayout n;
  n.memory = {{start, bytes}};
  n.nr_cpus = cpus;
  return n;
}

inline MachineLayout machine(std::vector<NodeLayout> nodes) {
  MachineLayout m;
  m.nodes = std::move(nodes);
  m.reserve_memmap = false;
  return m;
}

// One node of `bytes` starting at 16 MiB: ZONE_DMA32 only, first pfn 4096.
inline MachineLayout dma32_machine(std::uint64_t bytes, int cpus = 1) {
  return machine({node_layout(16 * MiB, bytes, cpus)});
}

// One node of `bytes` starting at 4 GiB: ZONE_NORMAL only.
inline MachineLayout normal_machine(std::uint64_t bytes, int cpus = 1) {
  return machine({node_layout(4 * GiB, bytes, cpus)});
}

// Kernel defaults plus the CONFIG_DEBUG_VM-like check after every operation.
inline AllocatorConfig checked_config() {
  AllocatorConfig c;
  c.debug_checks = true;
  return c;
}

// No per-cpu lists: every order goes straight to the buddy lists, so a test
// of buddy rules sees exactly one __rmqueue / __free_one_page per call.
inline AllocatorConfig buddy_config() {
  AllocatorConfig c = checked_config();
  c.pcp_enabled = false;
  return c;
}

// buddy_config() with the watermarks pushed out of the way (vm.min_free_kbytes
// = 0, vm.watermark_scale_factor = 1, vm.watermark_boost_factor = 0):
// min 0, low/high a page or two. For tests of list mechanics that must drain
// a zone almost completely.
inline AllocatorConfig permissive_config() {
  AllocatorConfig c = buddy_config();
  c.min_free_kbytes = 0;
  c.watermark_scale_factor = 1;
  c.watermark_boost_factor = 0;
  return c;
}

inline const Zone &zone_of(const PageAllocator &pa, int nid, int zid) {
  return pa.nodes()[static_cast<std::size_t>(nid)].zones[static_cast<std::size_t>(zid)];
}

// A FrameList read head to tail.
inline std::vector<Pfn> list_pfns(const PageAllocator &pa, const FrameList &list) {
  std::vector<Pfn> out;
  for (std::uint32_t q = list.head; q != NIL; q = pa.frames()[q].next) out.push_back(q);
  return out;
}

inline std::vector<Pfn> free_list(const PageAllocator &pa, const Zone &zone, unsigned order, int mt) {
  return list_pfns(pa, zone.free_area[order].free_list[static_cast<std::size_t>(mt)]);
}

inline std::vector<Pfn> pcp_list(const PageAllocator &pa, const Zone &zone, int cpu, int pindex) {
  return list_pfns(pa, zone.pcp[static_cast<std::size_t>(cpu)].lists[static_cast<std::size_t>(pindex)]);
}

inline const PerCpuPages &pcp_of(const Zone &zone, int cpu) { return zone.pcp[static_cast<std::size_t>(cpu)]; }

// /proc/buddyinfo for one zone: nr_free per order.
inline std::array<unsigned long, NR_PAGE_ORDERS> buddyinfo(const Zone &zone) {
  std::array<unsigned long, NR_PAGE_ORDERS> out{};
  for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) out[o] = zone.free_area[o].nr_free;
  return out;
}

// Blocks of one type per order (a /proc/pagetypeinfo row).
inline std::array<unsigned long, NR_PAGE_ORDERS> typeinfo(const Zone &zone, int mt) {
  std::array<unsigned long, NR_PAGE_ORDERS> out{};
  for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o)
    out[o] = zone.free_area[o].free_list[static_cast<std::size_t>(mt)].count;
  return out;
}

// NR_FREE_PAGES including every CPU's unfolded delta.
inline long nr_free(const PageAllocator &pa, const Zone &zone) {
  return pa.zone_page_state_snapshot(zone, NR_FREE_PAGES);
}

inline int block_mt(const PageAllocator &pa, Pfn pfn) { return pa.frames().pageblock_migratetype(pfn); }

// Fold every CPU's vmstat deltas (one vmstat_update per CPU), so that
// zone_page_state() - what the watermark checks read - is exact. Like the
// kernel's vmstat_update it also decays pcp->high and may drain pcp pages,
// so tests of pcp tuning fold only before their first refill.
inline void fold_vmstat(PageAllocator &pa) {
  for (int cpu = 0; cpu < pa.nr_cpus(); ++cpu) pa.vmstat_update(cpu);
}

// Allocate and insist on success; returns the pfn.
inline Pfn must_alloc(PageAllocator &pa, gfp_t gfp, unsigned order, int cpu = 0, NodeId nid = NUMA_NO_NODE) {
  AllocResult r = pa.alloc_pages(cpu, gfp, order, nid);
  EXPECT_TRUE(r.ok()) << "order-" << order << " allocation failed";
  return r.pfn;
}

// Allocate after folding the vmstat deltas, so watermark edges are exact.
inline AllocResult alloc_folded(PageAllocator &pa, gfp_t gfp, unsigned order, int cpu = 0, NodeId nid = NUMA_NO_NODE) {
  fold_vmstat(pa);
  return pa.alloc_pages(cpu, gfp, order, nid);
}

// must_alloc() after folding the vmstat deltas: for filling a zone right up to
// its watermarks, where a few pages of per-cpu drift would change the outcome.
inline Pfn must_alloc_folded(PageAllocator &pa, gfp_t gfp, unsigned order, int cpu = 0, NodeId nid = NUMA_NO_NODE) {
  fold_vmstat(pa);
  return must_alloc(pa, gfp, order, cpu, nid);
}

inline void must_free(PageAllocator &pa, Pfn pfn, unsigned order, int cpu = 0) {
  auto bad = pa.free_pages(cpu, pfn, order);
  EXPECT_FALSE(bad.has_value()) << (bad ? bad->report() : std::string());
}

// Everything a free or an allocation can change, as text: per zone the free
// lists in list order, pageblock types, counters and flags; per CPU the pcp
// lists and tuning fields; the global events. Two equal fingerprints mean an
// operation left the allocator untouched.
inline std::string fingerprint(const PageAllocator &pa) {
  std::ostringstream s;
  for (const Node &node : pa.nodes()) {
    for (const Zone &z : node.zones) {
      if (!z.populated()) continue;
      s << "zone " << z.node << '/' << z.idx << " flags " << int(z.flags) << " boost " << z.watermark_boost << " ha "
        << z.nr_reserved_highatomic << '/' << z.nr_free_highatomic;
      for (long v : z.vm_stat) s << ' ' << v;
      for (unsigned long v : z.vm_numa_event) s << ' ' << v;
      s << '\n';
      for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        s << " o" << o << " n" << z.free_area[o].nr_free;
        for (int mt = 0; mt < MIGRATE_TYPES; ++mt) {
          s << " [";
          for (Pfn p : free_list(pa, z, o, mt)) s << p << ',';
          s << ']';
        }
        s << '\n';
      }
      for (Pfn pb = z.zone_start_pfn; pb < z.zone_end_pfn(); pb += pageblock_nr_pages) s << block_mt(pa, pb);
      s << '\n';
      for (int cpu = 0; cpu < pa.nr_cpus(); ++cpu) {
        const PerCpuPages &pcp = pcp_of(z, cpu);
        s << " cpu" << cpu << ' ' << pcp.count << ' ' << pcp.high << ' ' << int(pcp.flags) << ' '
          << int(pcp.alloc_factor) << ' ' << int(pcp.expire) << ' ' << pcp.free_count;
        for (int v : pcp.vm_stat_diff) s << ' ' << v;
        for (int pi = 0; pi < NR_PCP_LISTS; ++pi) {
          s << " [";
          for (Pfn p : pcp_list(pa, z, cpu, pi)) s << p << ',';
          s << ']';
        }
        s << '\n';
      }
    }
  }
  for (unsigned long e : pa.events()) s << e << ' ';
  s << "allocated " << pa.allocated_pages() << '\n';
  return s.str();
}

// n pfns from `from` upwards in steps of `step`, for comparing with lists.
inline std::vector<Pfn> pfn_range(Pfn from, std::size_t n, Pfn step = 1) {
  std::vector<Pfn> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(from + i * step);
  return out;
}

// n pfns from `from` downwards in steps of `step`.
inline std::vector<Pfn> pfn_range_down(Pfn from, std::size_t n, Pfn step) {
  std::vector<Pfn> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(from - i * step);
  return out;
}

}  // namespace buddysim::model::test
