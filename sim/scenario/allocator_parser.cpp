// The "allocator" section: sysctls and boot options, with the ranges the
// kernel's own handlers accept (mm/page_alloc.c sysctl tables).
#include <array>
#include <climits>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"

namespace buddysim::scenario {
namespace {

// MIN_PERCPU_PAGELIST_HIGH_FRACTION: smaller fractions would let one CPU's
// pcp lists hold more than an eighth of a zone.
constexpr int kMinHighFraction = 8;

int parse_high_fraction(const JsonValue &v) {
  constexpr std::string_view what = "0 (auto-tuned) or an integer of at least 8";
  const auto fraction = static_cast<int>(v.integer(0, INT_MAX, what));
  if (fraction != 0 && fraction < kMinHighFraction) v.expected(what);
  return fraction;
}

int parse_min_free_kbytes(const JsonValue &v) {
  constexpr std::string_view what = "\"auto\" or a non-negative integer";
  if (!v.is_string()) return static_cast<int>(v.integer(0, INT_MAX, what));
  if (v.string(what) != "auto") v.expected(what);
  return -1;
}

std::array<int, model::MAX_NR_ZONES> parse_lowmem_reserve_ratio(const JsonValue &v) {
  std::array<int, model::MAX_NR_ZONES> ratio{};
  const auto cells = v.elements("integers, one per zone (DMA, DMA32, Normal, Movable)", ratio.size(), ratio.size());
  for (std::size_t z = 0; z < ratio.size(); ++z) ratio[z] = static_cast<int>(cells[z].integer(0, INT_MAX));
  return ratio;
}

void parse_sysctls(const JsonValue &v, model::AllocatorConfig &c) {
  if (auto x = v.get("percpu_pagelist_high_fraction")) c.percpu_pagelist_high_fraction = parse_high_fraction(*x);
  if (auto x = v.get("min_free_kbytes")) c.min_free_kbytes = parse_min_free_kbytes(*x);
  if (auto x = v.get("watermark_scale_factor")) c.watermark_scale_factor = static_cast<int>(x->integer(1, 3000));
  if (auto x = v.get("watermark_boost_factor")) c.watermark_boost_factor = static_cast<int>(x->integer(0, INT_MAX));
  if (auto x = v.get("lowmem_reserve_ratio")) c.lowmem_reserve_ratio = parse_lowmem_reserve_ratio(*x);
  if (auto x = v.get("numa_stat")) c.numa_stat = x->boolean();
  if (auto x = v.get("defrag_mode")) c.defrag_mode = x->boolean();
}

}  // namespace

model::AllocatorConfig parse_allocator(const JsonValue &v) {
  v.check_keys(keys::kAllocator, "an object of allocator settings");
  model::AllocatorConfig c;
  if (auto x = v.get("pcp")) c.pcp_enabled = x->boolean();
  parse_sysctls(v, c);
  if (auto x = v.get("movablecore")) c.movablecore_bytes = x->size_bytes();
  if (auto x = v.get("thp_min_free_kbytes")) c.thp_recommended_min_free_kbytes = x->boolean();
  if (auto x = v.get("debug_checks")) c.debug_checks = x->boolean();
  return c;
}

}  // namespace buddysim::scenario
