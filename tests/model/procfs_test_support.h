// Helpers shared by the /proc renderer tests: reading the real kernel
// samples in tests/data/proc/, comparing layouts line by line with numbers
// masked, and small machines in known states.
//
// Samples (all excerpts of public text; trailing spaces survive only where
// the publisher kept them):
//  - buddyinfo_x86_cma.txt, pagetypeinfo_x86_cma.txt: GitHub Markdown notes
//    on Linux memory ("buddy & node & zone"), x86-64 host
//    backend-shared-stag-0, 8 CPUs, CONFIG_CMA=y (six migrate types).
//  - pagetypeinfo_x86_trailing.txt: GitHub Markdown notes on the buddy
//    allocator, `sudo cat /proc/pagetypeinfo` on an Ubuntu VMware guest
//    (CONFIG_CMA off: five types); the kernel's trailing spaces are intact.
//  - buddyinfo_2node_wide.txt, unusable_index_2node.txt: blog post "Memory
//    fragmentation" (Iceberg, 2020-07-23), two-node x86-64 server.
//  - extfrag_index_x86.txt: Lin Feng, "[PATCH] mm: vmstat.c: make
//    extfrag_index show more pretty", linux-mm, 2021-10-19, message-id
//    <20211019103241.134797-1-linf@wangsu.com>: the "after this patch" output
//    of the "%2d.%03d " format that 6.18 still uses.
//  - zoneinfo_6x_node0.txt: GitHub Markdown kernel notes ("Zone在机器上的查看"),
//    node 0 of a two-node arm64 guest running a 6.7..6.14 kernel (it has the
//    promo and high_min/high_max lines, not yet nr_free_pages_blocks).
//  - vmstat_6.19_fedora.txt: /proc/vmstat embedded in the arfshl/pd-andronix
//    void-cli installer, captured on Fedora 43, 6.19.13-200.fc43.x86_64.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "model/page_alloc.h"
#include "model/procfs.h"

namespace buddysim::model::procfs_testing {

using Lines = std::vector<std::string>;

// ---- text helpers -----------------------------------------------------------

inline std::string read_sample(const std::string &name) {
  std::ifstream in(std::string(BUDDYSIM_TEST_DATA) + "/proc/" + name);
  EXPECT_TRUE(in.good()) << "missing sample " << name;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Lines without their '\n'; a final newline does not add an empty line.
inline Lines lines_of(const std::string &text) {
  Lines out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline std::string rstrip(std::string s) {
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

inline Lines tokens(const std::string &line) {
  std::istringstream in(line);
  Lines out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

// Column just past each whitespace-separated token: equal vectors mean the
// same field widths and right alignment whatever the values are.
inline std::vector<std::size_t> token_ends(const std::string &line) {
  std::vector<std::size_t> ends;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] != ' ' && (i + 1 == line.size() || line[i + 1] == ' ')) ends.push_back(i + 1);
  return ends;
}

// Every run of digits becomes "N": left-aligned "key value" lines then compare
// equal exactly when prefixes, padding and separators are the kernel's.
inline std::string mask_numbers(const std::string &line) {
  std::string out;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) {
      out += line[i];
      continue;
    }
    out += 'N';
    while (i + 1 < line.size() && std::isdigit(static_cast<unsigned char>(line[i + 1]))) ++i;
  }
  return out;
}

// First `n` tokens joined by one space: "Node 0, zone DMA32".
inline std::string head_tokens(const std::string &line, std::size_t n) {
  const Lines t = tokens(line);
  std::string out;
  for (std::size_t i = 0; i < std::min(n, t.size()); ++i) out += (i ? " " : "") + t[i];
  return out;
}

// zoneinfo split into one block of lines per "Node N, zone X" header.
inline std::map<std::string, Lines> zone_sections(const Lines &lines) {
  std::map<std::string, Lines> out;
  std::string key;
  for (const std::string &line : lines) {
    if (line.rfind("Node ", 0) == 0) key = head_tokens(line, 4);
    out[key].push_back(line);
  }
  return out;
}

inline bool is_stat_line(const std::string &line) {
  return line.size() > 6 && line.compare(0, 6, "      ") == 0 && std::islower(static_cast<unsigned char>(line[6]));
}

inline std::string stat_name(const std::string &line) { return tokens(line).front(); }

// Stat lines keyed by name; the sample and the model differ in config and
// version, so comparisons use the names both print.
inline std::map<std::string, std::string> stat_lines(const Lines &section) {
  std::map<std::string, std::string> out;
  for (const std::string &line : section)
    if (is_stat_line(line)) out[stat_name(line)] = line;
  return out;
}

// The section's shape: stat runs collapse to "<stats>", only the first
// cpu block of the pagesets is kept, numbers are masked.
inline Lines section_shape(const Lines &section) {
  Lines out;
  bool seen_threshold = false;
  for (const std::string &line : section) {
    if (line.rfind("  node_unreclaimable", 0) == 0) seen_threshold = false;
    if (seen_threshold) continue;
    if (line.rfind("  vm stats threshold", 0) == 0) seen_threshold = true;
    const std::string shape = is_stat_line(line) ? "<stats>" : mask_numbers(line);
    if (out.empty() || out.back() != shape || shape != "<stats>") out.push_back(shape);
  }
  return out;
}

// Lines of `section` from the first starting with `from` to the first
// starting with `to`, both included.
inline Lines slice(const Lines &section, const std::string &from, const std::string &to) {
  Lines out;
  bool in = false;
  for (const std::string &line : section) {
    if (line.rfind(from, 0) == 0) in = true;
    if (in) out.push_back(line);
    if (in && line.rfind(to, 0) == 0) break;
  }
  return out;
}

inline Lines masked(const Lines &lines) {
  Lines out;
  for (const std::string &line : lines) out.push_back(mask_numbers(line));
  return out;
}

// ---- machines -------------------------------------------------------------

inline constexpr std::uint64_t MiB = 1ull << 20;
inline constexpr std::uint64_t GiB = 1ull << 30;

// A small x86-64 PC: low memory below 640 KiB, RAM up to the 3 GiB PCI hole
// and 1 GiB above 4 GiB, so DMA, DMA32 and Normal are all populated as on
// the sample machines. A second node, if asked for, has Normal memory only.
inline MachineLayout pc_layout(int nr_nodes = 1) {
  MachineLayout layout;
  NodeLayout n0;
  n0.nr_cpus = 2;
  n0.memory = {{0x1000, 0x9f000 - 0x1000}, {MiB, 3 * GiB - MiB}, {4 * GiB, GiB}};
  n0.reserved = {{0, MiB}};
  layout.nodes = {n0};
  if (nr_nodes > 1) {
    NodeLayout n1;
    n1.nr_cpus = 2;
    n1.memory = {{5 * GiB, GiB}};
    layout.nodes.push_back(n1);
  }
  return layout;
}

// The 1 GiB machine of the brief: DMA and DMA32 only.
inline MachineLayout small_layout() {
  MachineLayout layout;
  NodeLayout n0;
  n0.nr_cpus = 2;
  n0.memory = {{0x1000, 0x9f000 - 0x1000}, {MiB, GiB - MiB}};
  n0.reserved = {{0, MiB}};
  layout.nodes = {n0};
  return layout;
}

// Some traffic so that counters and pagesets are not all zero.
inline void touch_allocator(PageAllocator &alloc) {
  std::vector<std::pair<Pfn, unsigned>> blocks;
  for (unsigned i = 0; i < 64; ++i) {
    const AllocResult r = alloc.alloc_pages(static_cast<int>(i % 2), gfp::KERNEL, i % 4);
    if (r.ok()) blocks.emplace_back(r.pfn, i % 4);
  }
  for (std::size_t i = 0; i < blocks.size(); i += 2) alloc.free_pages(0, blocks[i].first, blocks[i].second);
}

// Allocates every order-0 page it can get, then frees every even pfn: the
// odd buddies stay allocated, so the freed pages cannot merge and DMA32's
// Movable order-0 list grows past pagetypeinfo's walk cap.
inline void fragment_order0(PageAllocator &alloc) {
  std::vector<Pfn> pfns;
  for (;;) {
    const AllocResult r = alloc.alloc_pages(0, gfp::HIGHUSER_MOVABLE | gfp::NOWARN, 0);
    if (!r.ok()) break;
    pfns.push_back(r.pfn);
  }
  for (Pfn pfn : pfns)
    if (pfn % 2 == 0) alloc.free_pages(0, pfn, 0);
  alloc.drain_all_pages();
}

// fragment_order0(), then every block above order 0 handed out as well (high
// orders first), so that no zone can satisfy any order > 0 and the
// fragmentation index of those orders is defined (>= 0).
inline void leave_only_order0(PageAllocator &alloc) {
  fragment_order0(alloc);
  const gfp_t gfp = gfp::HIGHUSER_MOVABLE | gfp::NOWARN | gfp::NORETRY;
  for (unsigned order = MAX_PAGE_ORDER; order >= 1; --order)
    while (alloc.alloc_pages(0, gfp, order).ok()) {
    }
  alloc.drain_all_pages();
}

inline const Zone &zone_named(const PageAllocator &alloc, int nid, int zid) {
  return alloc.nodes()[static_cast<std::size_t>(nid)].zones[static_cast<std::size_t>(zid)];
}

}  // namespace buddysim::model::procfs_testing
