// The "machine" section: nodes (memory, reserved ranges, CPUs), the NUMA
// distance matrix and the two layout parameters, plus the cross-node rules
// the allocator model relies on (no overlapping memory, no two nodes in one
// pageblock).
#include <algorithm>
#include <array>
#include <climits>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"
#include "sim/scenario/units.h"

namespace buddysim::scenario {
namespace {

constexpr std::uint64_t MiB = 1ull << 20, GiB = 1ull << 30, TiB = 1ull << 40;
constexpr std::uint64_t kPageblockBytes = model::PAGE_SIZE << model::pageblock_order;
// x86-64 with 4-level paging addresses 46 bits (MAX_PHYSMEM_BITS); the frame
// table spans every pfn up to the highest, so a typo like "1PiB" must stop here.
constexpr std::uint64_t kMaxAddress = 64 * TiB;
constexpr int kMaxCpusPerNode = 1024;

// The x86 layout a lone size gets on the lowest node: e820 usable RAM from
// page 1 up to the EBDA (page 0 is trimmed), then from 1 MiB up to a PCI
// hole at 3..4 GiB and on above it; the first MiB and a 32 MiB kernel image
// at 16 MiB (CONFIG_PHYSICAL_START) are reserved, as 5.13+ kernels reserve
// all memory below 1 MiB.
constexpr model::MemRange kLowRam{0x1000, 0x9f000 - 0x1000};
constexpr std::uint64_t kHoleStart = 3 * GiB, kHoleEnd = 4 * GiB;
constexpr std::uint64_t kX86MinimumSize = 64 * MiB;
constexpr std::array<model::MemRange, 2> kX86Reserved{{{0, MiB}, {16 * MiB, 32 * MiB}}};

// A memory range with where it came from, for messages.
struct Placed {
  model::MemRange range;
  JsonValue origin;
  std::size_t ordinal;  // document order
};

std::string describe(const model::MemRange &r) {
  return "[" + units::format_hex(r.start) + ", " + units::format_hex(r.end()) + ")";
}

std::uint64_t page_multiple(const JsonValue &v) {
  const std::uint64_t bytes = v.size_bytes();
  if (bytes % model::PAGE_SIZE) v.expected("a multiple of 4KiB (the page size)");
  return bytes;
}

std::uint64_t positive_page_multiple(const JsonValue &v) {
  const std::uint64_t bytes = page_multiple(v);
  if (!bytes) v.expected("a size above 0");
  return bytes;
}

// Memory ranges must be whole pages; reserved ranges may be any bytes (the
// allocator rounds them out to pages, as memblock_reserve() does).
model::MemRange parse_range(const JsonValue &v, bool whole_pages) {
  v.check_keys(keys::kRange, "a range such as {\"start\": \"4GiB\", \"size\": \"1GiB\"}");
  const JsonValue start = v.required("start", "an address such as \"4GiB\" or \"0x100000\"");
  const JsonValue size = v.required("size", "a size such as \"1GiB\"");
  model::MemRange r{whole_pages ? page_multiple(start) : start.size_bytes(),
                    whole_pages ? positive_page_multiple(size) : size.size_bytes()};
  if (!r.size) size.expected("a size above 0");
  if (r.start >= kMaxAddress || r.size > kMaxAddress - r.start)
    v.fail("the range ends above 64TiB, the limit of x86-64's 46-bit physical addresses");
  return r;
}

std::vector<model::MemRange> parse_ranges(const JsonValue &v, bool whole_pages) {
  std::vector<model::MemRange> out;
  for (const JsonValue &r : v.elements("{\"start\", \"size\"} ranges", 0, SIZE_MAX))
    out.push_back(parse_range(r, whole_pages));
  return out;
}

std::uint64_t highest_end(const std::vector<model::NodeLayout> &nodes) {
  std::uint64_t end = 0;
  for (const auto &n : nodes)
    for (const auto &r : n.memory) end = std::max(end, r.end());
  return end;
}

std::vector<model::MemRange> x86_layout(std::uint64_t bytes) {
  std::vector<model::MemRange> out{kLowRam, {MiB, std::min(bytes, kHoleStart) - MiB}};
  if (bytes > kHoleStart) out.push_back({kHoleEnd, bytes - kHoleStart});
  return out;
}

// "memory": "4GiB": the x86 layout on the lowest node, else one range placed
// at the next 2 MiB boundary after the memory of the nodes before it.
void place_memory(const JsonValue &v, const std::vector<model::NodeLayout> &before, model::NodeLayout &node) {
  const std::uint64_t bytes = positive_page_multiple(v);
  const std::uint64_t start = highest_end(before);
  if (start == 0) {
    if (bytes < kX86MinimumSize)
      v.expected("a size of at least 64MiB",
                 " (the lowest node gets the x86 layout: the first MiB and a "
                 "32 MiB kernel image at 16 MiB are reserved)");
    node.memory = x86_layout(bytes);
    node.reserved.assign(kX86Reserved.begin(), kX86Reserved.end());
    return;
  }
  const std::uint64_t aligned = (start + kPageblockBytes - 1) / kPageblockBytes * kPageblockBytes;
  if (bytes > kMaxAddress - aligned)
    v.fail("placed at " + units::format_hex(aligned) +
           ", the memory ends above 64TiB, the limit of x86-64's "
           "46-bit physical addresses");
  node.memory = {{aligned, bytes}};
}

model::NodeLayout parse_node(const JsonValue &v, const std::vector<model::NodeLayout> &before) {
  v.check_keys(keys::kNode, "a node such as {\"memory\": \"4GiB\", \"cpus\": 4}");
  model::NodeLayout node;
  const JsonValue memory = v.required("memory", "a size such as \"4GiB\" or an array of {\"start\", \"size\"} ranges");
  if (memory.is_array())
    node.memory = parse_ranges(memory, true);
  else
    place_memory(memory, before, node);
  if (auto r = v.get("reserved")) node.reserved = parse_ranges(*r, false);
  node.nr_cpus = 1;
  if (auto c = v.get("cpus")) node.nr_cpus = static_cast<int>(c->integer(0, kMaxCpusPerNode));
  return node;
}

// Where each memory range came from: the range itself, or the node's
// "memory" size that was placed.
std::vector<Placed> placed_ranges(const model::MachineLayout &m, const std::vector<JsonValue> &nodes) {
  std::vector<Placed> out;
  for (std::size_t n = 0; n < m.nodes.size(); ++n) {
    const JsonValue memory = nodes[n].child("memory");
    const std::vector<JsonValue> items = memory.is_array() ? memory.elements("", 0, SIZE_MAX) : std::vector{memory};
    const auto &ranges = m.nodes[n].memory;
    for (std::size_t i = 0; i < ranges.size(); ++i)
      out.push_back({ranges[i], items[std::min(i, items.size() - 1)], out.size()});
  }
  return out;
}

void check_overlaps(std::vector<Placed> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Placed &a, const Placed &b) { return a.range.start < b.range.start; });
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    const Placed &a = ranges[i - 1], &b = ranges[i];
    if (b.range.start >= a.range.end()) continue;
    const Placed &later = a.ordinal > b.ordinal ? a : b, &earlier = a.ordinal > b.ordinal ? b : a;
    later.origin.fail("memory " + describe(later.range) + " overlaps " + describe(earlier.range) + " at " +
                      earlier.origin.pointer());
  }
}

// Zones are laid out per node between the node's lowest and highest address;
// the model needs every pageblock in one zone, so node spans may neither
// interleave nor meet inside a 2 MiB pageblock.
void check_node_spans(const model::MachineLayout &m, const std::vector<JsonValue> &nodes) {
  struct Span {
    model::MemRange span;
    std::size_t node;
  };
  std::vector<Span> spans;
  for (std::size_t n = 0; n < m.nodes.size(); ++n) {
    const auto &mem = m.nodes[n].memory;
    if (mem.empty()) continue;
    std::uint64_t lo = mem.front().start, hi = 0;
    for (const auto &r : mem) lo = std::min(lo, r.start), hi = std::max(hi, r.end());
    spans.push_back({{lo, hi - lo}, n});
  }
  std::sort(spans.begin(), spans.end(), [](const Span &a, const Span &b) { return a.span.start < b.span.start; });
  for (std::size_t i = 1; i < spans.size(); ++i) {
    const Span &a = spans[i - 1], &b = spans[i];
    const JsonValue where = nodes[std::max(a.node, b.node)].child("memory");
    const std::string na = "node " + std::to_string(a.node), nb = "node " + std::to_string(b.node);
    if (b.span.start < a.span.end())
      where.fail(nb + "'s memory " + describe(b.span) + " lies inside " + na + "'s span " + describe(a.span) +
                 "; nodes may not interleave");
    if (b.span.start / kPageblockBytes == (a.span.end() - 1) / kPageblockBytes)
      where.fail(nb + "'s memory starts at " + units::format_hex(b.span.start) + ", inside the 2 MiB pageblock where " +
                 na + "'s ends (" + units::format_hex(a.span.end()) + "); align the boundary to 2 MiB");
  }
}

void check_cpus(const model::MachineLayout &m, const JsonValue &nodes) {
  int total = 0;
  for (const auto &n : m.nodes) total += n.nr_cpus;
  if (!total) nodes.fail("the machine has no CPUs; give at least one node \"cpus\"");
}

std::vector<std::vector<int>> default_distance(std::size_t n) {
  std::vector<std::vector<int>> d(n, std::vector<int>(n, 20));
  for (std::size_t i = 0; i < n; ++i) d[i][i] = 10;
  return d;
}

// SLIT rules as numa_set_distance() enforces them, plus symmetry.
std::vector<std::vector<int>> parse_distance(const JsonValue &v, std::size_t n) {
  std::vector<std::vector<int>> d(n, std::vector<int>(n));
  std::vector<std::vector<JsonValue>> cells;
  for (const JsonValue &row : v.elements("rows, one per node", n, n))
    cells.push_back(row.elements("distances, one per node", n, n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      d[i][j] =
          static_cast<int>(i == j ? cells[i][j].integer(10, 10, "10 (a node's distance to itself)")
                                  : cells[i][j].integer(11, 254, "an integer from 11 to 254 (a remote distance)"));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (d[i][j] != d[j][i])
        cells[i][j].expected(std::to_string(d[j][i]) + ", the same as " + cells[j][i].pointer() +
                             " (distances are symmetric)");
  return d;
}

}  // namespace

model::MachineLayout parse_machine(const JsonValue &v) {
  v.check_keys(keys::kMachine, "an object with \"nodes\"");
  model::MachineLayout m;
  const JsonValue nodes_value = v.required("nodes", "an array of nodes");
  const std::vector<JsonValue> nodes = nodes_value.elements("nodes", 1, model::MAX_NUMNODES);
  for (const JsonValue &n : nodes) m.nodes.push_back(parse_node(n, m.nodes));
  check_cpus(m, nodes_value);
  check_overlaps(placed_ranges(m, nodes));
  check_node_spans(m, nodes);
  const auto distance = v.get("distance");
  m.distance = distance ? parse_distance(*distance, m.nodes.size()) : default_distance(m.nodes.size());
  if (auto llc = v.get("llc_slice_per_cpu")) {
    m.llc_slice_bytes_per_cpu = llc->size_bytes();
    if (!m.llc_slice_bytes_per_cpu) llc->expected("a size above 0");
  }
  if (auto r = v.get("reserve_memmap")) m.reserve_memmap = r->boolean();
  return m;
}

}  // namespace buddysim::scenario
