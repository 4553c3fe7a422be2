// Boot: zone sizing (mm/mm_init.c), memblock_free_all (mm/memblock.c) and
// zonelists (mm/page_alloc.c build_all_zonelists).
#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

#include "model/page_alloc.h"

namespace buddysim::model {
namespace {

constexpr Pfn pfn_up(std::uint64_t bytes) { return (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT; }
constexpr Pfn pfn_down(std::uint64_t bytes) { return bytes >> PAGE_SHIFT; }

// x86-64 zone limits (arch/x86/mm/init.c zone_sizes_init): DMA below 16 MiB,
// DMA32 below 4 GiB, Normal above.
constexpr Pfn MAX_DMA_PFN = (16ull << 20) >> PAGE_SHIFT;
constexpr Pfn MAX_DMA32_PFN = (4ull << 30) >> PAGE_SHIFT;
constexpr Pfn MAX_ORDER_NR_PAGES = 1ull << MAX_PAGE_ORDER;

struct PfnRange {
  Pfn start, end;
};

std::vector<PfnRange> pfn_ranges(const std::vector<MemRange> &ranges) {
  std::vector<PfnRange> out;
  for (const auto &r : ranges) {
    Pfn s = pfn_up(r.start), e = pfn_down(r.end());
    if (s < e) out.push_back({s, e});
  }
  std::sort(out.begin(), out.end(), [](const PfnRange &a, const PfnRange &b) { return a.start < b.start; });
  return out;
}

unsigned long pages_in(const std::vector<PfnRange> &ranges, Pfn start, Pfn end) {
  unsigned long n = 0;
  for (const auto &r : ranges) {
    Pfn s = std::max(r.start, start), e = std::min(r.end, end);
    if (s < e) n += e - s;
  }
  return n;
}

// The node's reserved pfn ranges: the user's, plus the memmap carved from the
// top of the node's memory (memblock allocates top-down).
std::vector<PfnRange> node_reserved(const NodeLayout &nl, const std::vector<PfnRange> &mem, bool reserve_memmap) {
  std::vector<PfnRange> res;
  for (const auto &r : nl.reserved) {
    Pfn s = pfn_down(r.start), e = pfn_up(r.end());
    if (s < e) res.push_back({s, e});
  }
  if (reserve_memmap && !mem.empty()) {
    unsigned long present = pages_in(mem, 0, ~0ull);
    unsigned long need = (present * 64 + PAGE_SIZE - 1) / PAGE_SIZE;
    for (auto it = mem.rbegin(); it != mem.rend() && need; ++it) {
      unsigned long take = std::min<unsigned long>(need, it->end - it->start);
      res.push_back({it->end - take, it->end});
      need -= take;
    }
  }
  return res;
}

// Memory minus reserved, both sorted by start.
std::vector<PfnRange> subtract_ranges(const std::vector<PfnRange> &mem, std::vector<PfnRange> reserved) {
  std::sort(reserved.begin(), reserved.end(), [](const PfnRange &a, const PfnRange &b) { return a.start < b.start; });
  std::vector<PfnRange> out;
  for (const auto &m : mem) {
    Pfn cursor = m.start;
    for (const auto &r : reserved) {
      if (r.end <= cursor || r.start >= m.end) continue;
      if (r.start > cursor) out.push_back({cursor, r.start});
      cursor = std::max(cursor, r.end);
    }
    if (cursor < m.end) out.push_back({cursor, m.end});
  }
  return out;
}

}  // namespace

PageAllocator::PageAllocator(const MachineLayout &layout, const AllocatorConfig &config) : config_(config) {
  if (layout.nodes.empty()) throw std::invalid_argument("the machine needs at least one node");
  build_nodes(layout);
  build_all_zonelists();
  memblock_free_all(layout);
  // build_all_zonelists() decides this before memblock_free_all(), while
  // managed_pages still equals present_pages and no watermark is set.
  unsigned long vm_total_pages = 0;
  for (const Zone *z : nodes_.front().zonelist_fallback) vm_total_pages += z->present_pages;
  mobility_disabled_ = vm_total_pages < pageblock_nr_pages * MIGRATE_TYPES;
  init_per_zone_wmark_min();
  debug_check("boot");
}

void PageAllocator::find_zone_movable_pfns(const MachineLayout &layout, std::vector<Pfn> &zone_movable_pfn) const {
  // find_zone_movable_pfns_for_nodes() for movablecore=: kernelcore is spread
  // evenly over the nodes from low addresses; ZONE_MOVABLE takes the rest,
  // never below the start of the highest kernel zone (ZONE_NORMAL).
  zone_movable_pfn.assign(layout.nodes.size(), 0);
  if (!config_.movablecore_bytes) return;
  std::vector<std::vector<PfnRange>> mem;
  unsigned long totalpages = 0;
  for (const auto &nl : layout.nodes) {
    mem.push_back(pfn_ranges(nl.memory));
    totalpages += pages_in(mem.back(), 0, ~0ull);
  }
  unsigned long movable = (pfn_up(config_.movablecore_bytes) + MAX_ORDER_NR_PAGES - 1) & ~(MAX_ORDER_NR_PAGES - 1);
  movable = std::min(movable, totalpages);
  unsigned long required_kernelcore = totalpages - movable;
  if (!required_kernelcore || required_kernelcore >= totalpages) return;
  // ZONE_MOVABLE is carved from movable_zone, the highest zone with memory
  // (find_usable_zone_for_movable): Normal, or DMA32 on machines without
  // memory above 4 GiB. It may start no lower than that zone's first pfn.
  Pfn first_pfn = ~0ull, max_pfn = 0;
  for (const auto &m : mem)
    for (const auto &r : m) {
      first_pfn = std::min(first_pfn, r.start);
      max_pfn = std::max(max_pfn, r.end);
    }
  const Pfn usable_startpfn = max_pfn > MAX_DMA32_PFN ? std::max(MAX_DMA32_PFN, first_pfn)
                              : max_pfn > MAX_DMA_PFN ? std::max(MAX_DMA_PFN, first_pfn)
                                                      : first_pfn;
  int usable_nodes = 0;
  for (const auto &m : mem) usable_nodes += !m.empty();
  bool again = true;
  while (again && usable_nodes) {
    unsigned long kernelcore_node = required_kernelcore / static_cast<unsigned long>(usable_nodes);
    for (std::size_t nid = 0; nid < mem.size(); ++nid) {
      if (mem[nid].empty()) continue;
      if (required_kernelcore < kernelcore_node) kernelcore_node = required_kernelcore / static_cast<unsigned long>(usable_nodes);
      unsigned long remaining = kernelcore_node;
      for (const auto &r : mem[nid]) {
        Pfn start = std::max(r.start, zone_movable_pfn[nid]);
        if (start >= r.end) continue;
        if (start < usable_startpfn) {
          unsigned long kernel_pages = std::min(r.end, usable_startpfn) - start;
          remaining -= std::min(kernel_pages, remaining);
          required_kernelcore -= std::min(kernel_pages, required_kernelcore);
          if (r.end <= usable_startpfn) {
            zone_movable_pfn[nid] = r.end;
            continue;
          }
          start = usable_startpfn;
        }
        unsigned long size = std::min<unsigned long>(r.end - start, remaining);
        zone_movable_pfn[nid] = start + size;
        required_kernelcore -= std::min(required_kernelcore, size);
        remaining -= size;
        if (!remaining) break;
      }
    }
    --usable_nodes;
    again = usable_nodes && required_kernelcore > static_cast<unsigned long>(usable_nodes);
  }
  for (auto &p : zone_movable_pfn) p = (p + MAX_ORDER_NR_PAGES - 1) & ~(MAX_ORDER_NR_PAGES - 1);
}

void PageAllocator::build_nodes(const MachineLayout &layout) {
  Pfn end_pfn = 0;
  for (const auto &nl : layout.nodes)
    for (const auto &r : nl.memory) end_pfn = std::max(end_pfn, pfn_down(r.end()));
  frames_ = FrameTable(end_pfn);
  zone_by_pageblock_.assign((end_pfn + pageblock_nr_pages - 1) >> pageblock_order, nullptr);
  llc_slice_bytes_per_cpu_ = layout.llc_slice_bytes_per_cpu;

  const auto nr_nodes = layout.nodes.size();
  distance_ = layout.distance;
  if (distance_.empty()) {
    distance_.assign(nr_nodes, std::vector<int>(nr_nodes, 20));
    for (std::size_t i = 0; i < nr_nodes; ++i) distance_[i][i] = 10;
  }
  if (distance_.size() != nr_nodes) throw std::invalid_argument("distance matrix must be nodes x nodes");

  std::vector<Pfn> zone_movable_pfn;
  find_zone_movable_pfns(layout, zone_movable_pfn);

  nodes_.resize(nr_nodes);
  for (std::size_t nid = 0; nid < nr_nodes; ++nid) {
    const NodeLayout &nl = layout.nodes[nid];
    Node &node = nodes_[nid];
    node.id = static_cast<int>(nid);
    for (int c = 0; c < nl.nr_cpus; ++c) {
      node.cpus.push_back(static_cast<int>(cpu_node_.size()));
      cpu_node_.push_back(node.id);
    }
    auto mem = pfn_ranges(nl.memory);
    if (mem.empty()) continue;
    Pfn node_start = mem.front().start, node_end = 0;
    for (const auto &r : mem) node_end = std::max(node_end, r.end);
    node.node_start_pfn = node_start;
    node.node_spanned_pages = node_end - node_start;
    node.node_present_pages = pages_in(mem, 0, ~0ull);

    // Holes inside the node span and reserved ranges never join the buddy.
    Pfn cursor = node_start;
    for (const auto &r : mem) {
      for (Pfn p = cursor; p < r.start; ++p) frames_[p].state = FrameState::Reserved;
      cursor = std::max(cursor, r.end);
    }
    for (const auto &r : node_reserved(nl, mem, layout.reserve_memmap))
      for (Pfn p = r.start; p < std::min(r.end, end_pfn); ++p) frames_[p].state = FrameState::Reserved;

    const Pfn zmp = zone_movable_pfn[nid];
    const Pfn low[MAX_NR_ZONES] = {0, MAX_DMA_PFN, MAX_DMA32_PFN, 0};
    const Pfn high[MAX_NR_ZONES] = {MAX_DMA_PFN, MAX_DMA32_PFN, ~0ull, 0};
    for (int zid = 0; zid < MAX_NR_ZONES; ++zid) {
      Pfn s = std::clamp(node_start, low[zid], high[zid]);
      Pfn e = std::clamp(node_end, low[zid], high[zid]);
      // adjust_zone_range_for_zone_movable()
      if (zmp) {
        if (zid == ZONE_MOVABLE) {
          s = zmp;
          e = node_end;
        } else if (s < zmp && e > zmp) {
          e = zmp;
        } else if (s >= zmp) {
          s = e;
        }
      }
      if (s >= e) s = e = 0;
      Zone &zone = node.zones[static_cast<std::size_t>(zid)];
      zone.node = node.id;
      zone.idx = zid;
      zone.name = zone_type_name(zid);
      zone.zone_start_pfn = s;
      zone.spanned_pages = e - s;
      zone.present_pages = pages_in(mem, s, e);
      for (Pfn pb = s >> pageblock_order; s < e && pb <= (e - 1) >> pageblock_order; ++pb) {
        if (zone_by_pageblock_[pb] && zone_by_pageblock_[pb] != &zone)
          throw std::invalid_argument("zone boundary at pfn " + std::to_string(s) +
                                      " shares a 2 MiB pageblock with another zone: align node memory to 2 MiB");
        zone_by_pageblock_[pb] = &zone;
      }
    }
  }
  // memmap_init_range() marks a pageblock Movable when it initialises the
  // block's first pfn, which it does only for pfns in memory. A block that
  // starts in a hole (x86's pfn 0) keeps the zeroed usemap: Unmovable.
  std::vector<PfnRange> all_mem;
  for (const auto &nl : layout.nodes)
    for (const auto &r : pfn_ranges(nl.memory)) all_mem.push_back(r);
  for (const auto &node : nodes_)
    for (const auto &zone : node.zones)
      for (Pfn pb = zone.zone_start_pfn & ~(pageblock_nr_pages - 1); pb < zone.zone_end_pfn(); pb += pageblock_nr_pages)
        if (!pages_in(all_mem, pb, pb + 1)) frames_.set_pageblock_migratetype(pb, MIGRATE_UNMOVABLE);

  const int ncpu = nr_cpus();
  for (auto &node : nodes_)
    for (auto &zone : node.zones) zone.pcp.assign(static_cast<std::size_t>(ncpu), PerCpuPages{});
}

void PageAllocator::memblock_free_all(const MachineLayout &layout) {
  // for_each_free_mem_range() walks memory minus reserved in address order;
  // __free_pages_memory() frees maximal aligned chunks, capped at MAX_PAGE_ORDER.
  // Computed from the ranges, not by scanning frames: untouched frames stay free of host RSS.
  std::vector<PfnRange> ranges;
  for (const auto &nl : layout.nodes) {
    auto mem = pfn_ranges(nl.memory);
    for (const auto &r : subtract_ranges(mem, node_reserved(nl, mem, layout.reserve_memmap))) ranges.push_back(r);
  }
  std::sort(ranges.begin(), ranges.end(), [](const PfnRange &a, const PfnRange &b) { return a.start < b.start; });
  for (const auto &r : ranges) {
    for (Pfn start = r.start; start < r.end;) {
      unsigned order = start ? std::min<unsigned>(MAX_PAGE_ORDER, static_cast<unsigned>(std::countr_zero(start)))
                             : MAX_PAGE_ORDER;
      while (start + (1ull << order) > r.end) --order;
      Zone &zone = zone_of(start);
      zone.managed_pages += 1ul << order;  // __free_pages_core()
      free_one_page(0, zone, start, order, FPI_TO_TAIL);
      start += 1ull << order;
    }
  }
}

int PageAllocator::find_next_best_node(int node, std::vector<bool> &used, std::vector<int> &node_load) const {
  auto has_memory = [&](int n) { return nodes_[static_cast<std::size_t>(n)].node_present_pages != 0; };
  if (!used[static_cast<std::size_t>(node)] && has_memory(node)) {
    used[static_cast<std::size_t>(node)] = true;
    return node;
  }
  int best = -1, min_val = 0;
  for (int n = 0; n < nr_online_nodes(); ++n) {
    if (used[static_cast<std::size_t>(n)] || !has_memory(n)) continue;
    int val = node_distance(node, n) + (n < node);
    if (!nodes_[static_cast<std::size_t>(n)].cpus.empty()) val += 1;  // PENALTY_FOR_NODE_WITH_CPUS
    val = val * MAX_NUMNODES + node_load[static_cast<std::size_t>(n)];
    if (best < 0 || val < min_val) {
      min_val = val;
      best = n;
    }
  }
  if (best >= 0) used[static_cast<std::size_t>(best)] = true;
  return best;
}

void PageAllocator::build_all_zonelists() {
  std::vector<int> node_load(nodes_.size(), 0);
  auto populated_zones_of = [](Node &n, std::vector<Zone *> &out) {
    for (int zid = MAX_NR_ZONES - 1; zid >= 0; --zid)
      if (n.zones[static_cast<std::size_t>(zid)].populated()) out.push_back(&n.zones[static_cast<std::size_t>(zid)]);
  };
  for (auto &node : nodes_) {
    std::vector<bool> used(nodes_.size(), false);
    node.node_order.clear();
    int prev = node.id;
    for (int n; (n = find_next_best_node(node.id, used, node_load)) >= 0;) {
      // Penalise the first node of each distance tier so equals round-robin.
      if (node_distance(node.id, n) != node_distance(node.id, prev)) ++node_load[static_cast<std::size_t>(n)];
      node.node_order.push_back(n);
      prev = n;
    }
    node.zonelist_fallback.clear();
    for (int n : node.node_order) populated_zones_of(nodes_[static_cast<std::size_t>(n)], node.zonelist_fallback);
    node.zonelist_nofallback.clear();
    populated_zones_of(node, node.zonelist_nofallback);
  }
}

Zone &PageAllocator::zone_of(Pfn pfn) { return *zone_by_pageblock_[pfn >> pageblock_order]; }

const Zone *PageAllocator::pfn_zone(Pfn pfn) const {
  if (pfn >= frames_.end_pfn()) return nullptr;
  const Zone *z = zone_by_pageblock_[pfn >> pageblock_order];
  return (z && z->spans(pfn)) ? z : nullptr;
}

}  // namespace buddysim::model
