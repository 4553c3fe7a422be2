// /proc/buddyinfo, /proc/pagetypeinfo and debugfs extfrag/*: the free-list
// views of mm/vmstat.c (frag_show, pagetypeinfo_show, unusable_show,
// extfrag_show). Formats are the kernel's seq_printf() formats, so field
// widths, the trailing space before each newline and the ">" overflow marker
// come out exactly as on a real machine.
#include "model/procfs.h"

#include <array>
#include <cstdarg>
#include <cstdio>

namespace buddysim::model {

namespace procfs_detail {

void appendf(std::string &out, const char *fmt, ...) {
  std::array<char, 256> buf;
  va_list ap;
  va_start(ap, fmt);
  const int n = std::vsnprintf(buf.data(), buf.size(), fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (static_cast<std::size_t>(n) < buf.size()) {
    out.append(buf.data(), static_cast<std::size_t>(n));
    return;
  }
  // Longer than the stack buffer: format again straight into the string.
  const std::size_t old = out.size();
  out.resize(old + static_cast<std::size_t>(n) + 1);
  va_start(ap, fmt);
  std::vsnprintf(out.data() + old, static_cast<std::size_t>(n) + 1, fmt, ap);
  va_end(ap);
  out.resize(old + static_cast<std::size_t>(n));
}

}  // namespace procfs_detail

using procfs_detail::appendf;

namespace {

// pagetypeinfo stops walking a free list here: the kernel holds zone->lock
// while it counts, so it caps the walk and prints ">" in front of the cap.
constexpr unsigned long FREE_LIST_WALK_CAP = 100000;

// node_state(nid, N_MEMORY): the node has at least one populated zone.
bool node_has_memory(const Node &node) {
  for (const Zone &zone : node.zones)
    if (zone.populated()) return true;
  return false;
}

// walk_zones_in_node(..., assert_populated = true, ...)
template <typename Fn>
void for_each_populated_zone_in(const Node &node, Fn &&fn) {
  for (const Zone &zone : node.zones)
    if (zone.populated()) fn(zone);
}

void frag_show_print(std::string &out, const Node &node, const Zone &zone) {
  appendf(out, "Node %d, zone %8s ", node.id, zone.name);
  for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) appendf(out, "%6lu ", zone.free_area[order].nr_free);
  out += '\n';
}

void pagetypeinfo_showfree_print(std::string &out, const Node &node, const Zone &zone) {
  for (int mt = 0; mt < MIGRATE_TYPES; ++mt) {
    appendf(out, "Node %4d, zone %8s, type %12s ", node.id, zone.name, migratetype_name(mt));
    for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) {
      const unsigned long blocks = zone.free_area[order].free_list[static_cast<std::size_t>(mt)].count;
      const bool overflow = blocks >= FREE_LIST_WALK_CAP;
      appendf(out, "%s%6lu ", overflow ? ">" : "", overflow ? FREE_LIST_WALK_CAP : blocks);
    }
    out += '\n';
  }
}

void pagetypeinfo_showfree(std::string &out, const Node &node) {
  appendf(out, "%-43s ", "Free pages count per migrate type at order");
  for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) appendf(out, "%6d ", static_cast<int>(order));
  out += '\n';
  for_each_populated_zone_in(node, [&](const Zone &zone) { pagetypeinfo_showfree_print(out, node, zone); });
}

// Counts one pfn per pageblock stride from zone_start_pfn, as the kernel
// does: the stride starts at the zone's first pfn, not at a pageblock
// boundary, and pfns that belong to no zone or another zone are skipped.
void pagetypeinfo_showblockcount_print(std::string &out, const PageAllocator &alloc, const Node &node,
                                       const Zone &zone) {
  std::array<unsigned long, MIGRATE_TYPES> count{};
  for (Pfn pfn = zone.zone_start_pfn; pfn < zone.zone_end_pfn(); pfn += pageblock_nr_pages) {
    if (alloc.pfn_zone(pfn) != &zone) continue;
    const int mt = alloc.frames().pageblock_migratetype(pfn);
    if (mt < MIGRATE_TYPES) ++count[static_cast<std::size_t>(mt)];
  }
  appendf(out, "Node %d, zone %8s ", node.id, zone.name);
  for (unsigned long c : count) appendf(out, "%12lu ", c);
  out += '\n';
}

void pagetypeinfo_showblockcount(std::string &out, const PageAllocator &alloc, const Node &node) {
  appendf(out, "\n%-23s", "Number of blocks type ");
  for (int mt = 0; mt < MIGRATE_TYPES; ++mt) appendf(out, "%12s ", migratetype_name(mt));
  out += '\n';
  for_each_populated_zone_in(node,
                             [&](const Zone &zone) { pagetypeinfo_showblockcount_print(out, alloc, node, zone); });
}

// unusable_show_print / extfrag_show_print share this shape.
template <typename IndexFn, typename FormatFn>
void index_show_print(std::string &out, const Node &node, const Zone &zone, IndexFn index_of, FormatFn format) {
  appendf(out, "Node %d, zone %8s ", node.id, zone.name);
  for (unsigned order = 0; order < NR_PAGE_ORDERS; ++order) {
    out += format(index_of(order, fill_contig_page_info(zone, order)));
    out += ' ';
  }
  out += '\n';
}

}  // namespace

std::string render_buddyinfo(const PageAllocator &alloc) {
  std::string out;
  for (const Node &node : alloc.nodes())
    for_each_populated_zone_in(node, [&](const Zone &zone) { frag_show_print(out, node, zone); });
  return out;
}

// One full report per node with memory, header included (pagetypeinfo_show
// is the per-node seq_file show callback).
std::string render_pagetypeinfo(const PageAllocator &alloc) {
  std::string out;
  for (const Node &node : alloc.nodes()) {
    if (!node_has_memory(node)) continue;
    appendf(out, "Page block order: %d\n", static_cast<int>(pageblock_order));
    appendf(out, "Pages per block:  %lu\n", pageblock_nr_pages);
    out += '\n';
    pagetypeinfo_showfree(out, node);
    pagetypeinfo_showblockcount(out, alloc, node);
  }
  return out;
}

ContigPageInfo fill_contig_page_info(const Zone &zone, unsigned order) {
  ContigPageInfo info;
  for (unsigned o = 0; o < NR_PAGE_ORDERS; ++o) {
    const unsigned long blocks = zone.free_area[o].nr_free;
    info.free_blocks_total += blocks;
    info.free_pages += blocks << o;
    if (o >= order) info.free_blocks_suitable += blocks << (o - order);
  }
  return info;
}

int unusable_free_index(unsigned order, const ContigPageInfo &info) {
  if (info.free_pages == 0) return 1000;
  const unsigned long unusable = info.free_pages - (info.free_blocks_suitable << order);
  return static_cast<int>(unusable * 1000ul / info.free_pages);
}

int fragmentation_index(unsigned order, const ContigPageInfo &info) {
  if (order > MAX_PAGE_ORDER || info.free_blocks_total == 0) return 0;
  if (info.free_blocks_suitable) return -1000;  // the request would not fail
  const unsigned long requested = 1ul << order;
  const unsigned long scaled = (1000ul + info.free_pages * 1000ul / requested) / info.free_blocks_total;
  return 1000 - static_cast<int>(scaled);
}

std::string format_unusable_index(int index) {
  std::string out;
  appendf(out, "%d.%03d", index / 1000, index % 1000);
  return out;
}

std::string format_extfrag_index(int index) {
  std::string out;
  appendf(out, "%2d.%03d", index / 1000, index % 1000);
  return out;
}

std::string render_unusable_index(const PageAllocator &alloc) {
  std::string out;
  for (const Node &node : alloc.nodes()) {
    if (!node_has_memory(node)) continue;
    for_each_populated_zone_in(
        node, [&](const Zone &zone) { index_show_print(out, node, zone, unusable_free_index, format_unusable_index); });
  }
  return out;
}

std::string render_extfrag_index(const PageAllocator &alloc) {
  std::string out;
  for (const Node &node : alloc.nodes())
    for_each_populated_zone_in(
        node, [&](const Zone &zone) { index_show_print(out, node, zone, fragmentation_index, format_extfrag_index); });
  return out;
}

}  // namespace buddysim::model
