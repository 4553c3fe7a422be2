// The CONFIG_DEBUG_VM-like checker: walks every list and frame and verifies
// the allocator's invariants. Slow by design; switched on for tests and
// debugging (AllocatorConfig::debug_checks).
#include <sstream>
#include <stdexcept>
#include <vector>

#include "model/page_alloc.h"

namespace buddysim::model {
namespace {

class Problems {
 public:
  template <typename... Args>
  void add(const Args &...args) {
    if (count_++ < 20) {
      ((out_ << args), ...);
      out_ << '\n';
    }
  }
  std::string str() const {
    std::string s = out_.str();
    if (count_ > 20) s += "... and " + std::to_string(count_ - 20) + " more\n";
    return s;
  }

 private:
  std::ostringstream out_;
  int count_ = 0;
};

}  // namespace

void PageAllocator::debug_check(const char *after) const {
  if (!config_.debug_checks) return;
  std::string problems = check_invariants();
  if (!problems.empty()) throw std::logic_error(std::string("allocator invariant broken after ") + after + ":\n" + problems);
}

std::string PageAllocator::check_invariants() const {
  Problems p;
  std::vector<bool> covered(frames_.end_pfn(), false);
  auto cover = [&](const Zone &z, Pfn head, unsigned order, const char *what) {
    for (Pfn q = head; q < head + (1ull << order); ++q) {
      if (q >= frames_.end_pfn() || !z.spans(q)) {
        p.add(what, " block at pfn ", head, " order ", order, " leaves zone ", z.name);
        return;
      }
      if (covered[q]) {
        p.add(what, " block at pfn ", head, " order ", order, " overlaps another block at pfn ", q);
        return;
      }
      if (frames_[q].state == FrameState::Reserved) p.add(what, " block at pfn ", head, " covers reserved pfn ", q);
      covered[q] = true;
    }
  };
  for (const auto &node : nodes_) {
    for (const auto &z : node.zones) {
      if (!z.populated()) continue;
      long free_pages = 0, on_lists = 0, free_cma = 0, free_blocks = 0, free_highatomic = 0, pcp_pages = 0, allocated = 0;
      for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
        unsigned long blocks = 0;
        for (int mt = 0; mt < MIGRATE_TYPES; ++mt) {
          const FrameList &list = z.free_area[o].free_list[static_cast<std::size_t>(mt)];
          std::uint32_t n = 0;
          for (std::uint32_t q = list.head, prev = NIL; q != NIL; prev = q, q = frames_[q].next, ++n) {
            const Frame &f = frames_[q];
            if (f.prev != prev) p.add("free list ", z.name, " order ", o, " type ", mt, ": broken back link at pfn ", q);
            if (f.state != FrameState::Buddy || f.order != o)
              p.add("pfn ", q, " on free list order ", o, " is not a free head of that order");
            if (q & ((1u << o) - 1)) p.add("pfn ", q, " misaligned for order ", o);
            if (frames_.pageblock_migratetype(q) != mt)
              p.add("pfn ", q, " on ", migratetype_name(mt), " list but its pageblock is ",
                    migratetype_name(frames_.pageblock_migratetype(q)));
            cover(z, q, o, "free");
            on_lists += 1l << o;
            if (mt != MIGRATE_ISOLATE) {
              free_pages += 1l << o;
              if (o >= pageblock_order) free_blocks += 1l << o;
            }
            if (mt == MIGRATE_CMA) free_cma += 1l << o;
            if (mt == MIGRATE_HIGHATOMIC) free_highatomic += 1l << o;
            if (n > frames_.end_pfn()) {
              p.add("free list cycle in zone ", z.name);
              break;
            }
          }
          if (n != list.count) p.add("free list count ", list.count, " but ", n, " entries (", z.name, " order ", o, ")");
          blocks += n;
        }
        if (blocks != z.free_area[o].nr_free)
          p.add("zone ", z.name, " order ", o, ": nr_free ", z.free_area[o].nr_free, " but ", blocks, " blocks on lists");
      }
      if (zone_page_state_snapshot(z, NR_FREE_PAGES) != free_pages)
        p.add("zone ", z.name, ": NR_FREE_PAGES ", zone_page_state_snapshot(z, NR_FREE_PAGES), " but lists hold ", free_pages);
      if (zone_page_state_snapshot(z, NR_FREE_PAGES_BLOCKS) != free_blocks)
        p.add("zone ", z.name, ": NR_FREE_PAGES_BLOCKS mismatch");
      if (zone_page_state_snapshot(z, NR_FREE_CMA_PAGES) != free_cma) p.add("zone ", z.name, ": NR_FREE_CMA_PAGES mismatch");
      if (z.nr_free_highatomic != free_highatomic)
        p.add("zone ", z.name, ": nr_free_highatomic ", z.nr_free_highatomic, " but lists hold ", free_highatomic);
      for (std::size_t cpu = 0; cpu < z.pcp.size(); ++cpu) {
        const PerCpuPages &pcp = z.pcp[cpu];
        long count = 0;
        for (int pi = 0; pi < NR_PCP_LISTS; ++pi) {
          const unsigned o = pindex_to_order(pi);
          std::uint32_t n = 0;
          for (std::uint32_t q = pcp.lists[static_cast<std::size_t>(pi)].head; q != NIL; q = frames_[q].next, ++n) {
            if (frames_[q].state != FrameState::Pcp || frames_[q].order != o)
              p.add("pfn ", q, " on cpu ", cpu, " pcp list ", pi, " is not a pcp head of order ", o);
            cover(z, q, o, "pcp");
            count += 1l << o;
            if (n > frames_.end_pfn()) break;
          }
          if (n != pcp.lists[static_cast<std::size_t>(pi)].count) p.add("pcp list count mismatch, cpu ", cpu);
        }
        if (count != pcp.count) p.add("cpu ", cpu, " zone ", z.name, ": pcp->count ", pcp.count, " but lists hold ", count);
        pcp_pages += count;
      }
      unsigned long highatomic_blocks = 0;
      for (Pfn q = z.zone_start_pfn; q < z.zone_end_pfn(); ++q) {
        if ((q & (pageblock_nr_pages - 1)) == 0 || q == z.zone_start_pfn) {
          const int mt = frames_.pageblock_migratetype(q);
          if (mt >= MIGRATE_TYPES) p.add("pageblock at pfn ", q, " has invalid type ", mt);
          if (mt == MIGRATE_HIGHATOMIC && (q & (pageblock_nr_pages - 1)) == 0) ++highatomic_blocks;
        }
        const Frame &f = frames_[q];
        if (f.state == FrameState::Allocated) {
          cover(z, q, f.order, "allocated");
          allocated += 1l << f.order;
        }
      }
      if (highatomic_blocks * pageblock_nr_pages != z.nr_reserved_highatomic)
        p.add("zone ", z.name, ": nr_reserved_highatomic ", z.nr_reserved_highatomic, " but ", highatomic_blocks,
              " highatomic pageblocks");
      if (static_cast<unsigned long>(on_lists + pcp_pages + allocated) != z.managed_pages)
        p.add("zone ", z.name, ": free ", on_lists, " + pcp ", pcp_pages, " + allocated ", allocated,
              " != managed ", z.managed_pages);
    }
  }
  return p.str();
}

}  // namespace buddysim::model
