// Sizing done once memory is freed: min_free_kbytes, watermarks,
// lowmem_reserve, vmstat thresholds and pcp batch/high
// (init_per_zone_wmark_min and zone_pcp_update in mm/page_alloc.c).
#include <algorithm>
#include <bit>
#include <cmath>

#include "model/page_alloc.h"

namespace buddysim::model {
namespace {

constexpr unsigned long SWAP_CLUSTER_MAX = 32;
constexpr int MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8;

unsigned long int_sqrt(unsigned long x) {
  auto r = static_cast<unsigned long>(std::sqrt(static_cast<long double>(x)));
  while (r * r > x) --r;
  while ((r + 1) * (r + 1) <= x) ++r;
  return r;
}

int fls(unsigned long x) { return x ? 64 - std::countl_zero(x) : 0; }

unsigned long rounddown_pow_of_two(unsigned long x) { return x ? 1ul << (fls(x) - 1) : 0; }

int zone_batchsize(const Zone &zone) {
  // About 0.1% of the zone or 1 MiB, whichever is smaller, clamped to 2^n - 1.
  long batch = static_cast<long>(std::min<unsigned long>(zone.managed_pages >> 10, (1ul << 20) / PAGE_SIZE));
  batch /= 4;
  if (batch < 1) batch = 1;
  return static_cast<int>(rounddown_pow_of_two(static_cast<unsigned long>(batch + batch / 2)) - 1);
}

}  // namespace

unsigned long PageAllocator::nr_free_zone_pages(int highest_zoneidx) const {
  // Pages above the high watermark in node 0's zonelist (the boot CPU's node).
  unsigned long sum = 0;
  for (const Zone *z : nodes_.front().zonelist_fallback) {
    if (z->idx > highest_zoneidx) continue;
    unsigned long high = z->high_wmark_pages();
    if (z->managed_pages > high) sum += z->managed_pages - high;
  }
  return sum;
}

void PageAllocator::init_per_zone_wmark_min() {
  if (config_.min_free_kbytes >= 0) {
    min_free_kbytes_ = config_.min_free_kbytes;
  } else {
    unsigned long lowmem_kbytes = nr_free_zone_pages(ZONE_NORMAL) * (PAGE_SIZE >> 10);
    min_free_kbytes_ = static_cast<int>(std::clamp<unsigned long>(int_sqrt(lowmem_kbytes * 16), 128, 262144));
  }
  setup_per_zone_wmarks();
  refresh_zone_stat_thresholds();
  setup_per_zone_lowmem_reserve();
  if (config_.thp_recommended_min_free_kbytes) {
    // khugepaged's set_recommended_min_free_kbytes(): room for 2 + 3*3
    // pageblocks per kernel zone, at most 5% of lowmem.
    unsigned long nr_zones = 0;
    for (const auto &node : nodes_)
      for (const auto &z : node.zones) nr_zones += z.populated() && z.idx <= ZONE_NORMAL;
    unsigned long recommended = pageblock_nr_pages * nr_zones * 2 +
                                pageblock_nr_pages * nr_zones * MIGRATE_PCPTYPES * MIGRATE_PCPTYPES;
    recommended = std::min(recommended, nr_free_zone_pages(ZONE_NORMAL) / 20);
    recommended <<= (PAGE_SHIFT - 10);
    if (config_.min_free_kbytes < 0 && recommended > static_cast<unsigned long>(min_free_kbytes_)) {
      min_free_kbytes_ = static_cast<int>(recommended);
      setup_per_zone_wmarks();
    }
  }
}

void PageAllocator::setup_per_zone_wmarks() {
  const unsigned long pages_min = static_cast<unsigned long>(min_free_kbytes_) >> (PAGE_SHIFT - 10);
  unsigned long lowmem_pages = 0;
  for (const auto &node : nodes_)
    for (const auto &z : node.zones)
      if (z.idx != ZONE_MOVABLE) lowmem_pages += z.managed_pages;
  for (auto &node : nodes_) {
    for (auto &z : node.zones) {
      unsigned long tmp = lowmem_pages ? pages_min * z.managed_pages / lowmem_pages : 0;
      if (z.idx == ZONE_MOVABLE)
        z._watermark[WMARK_MIN] = std::clamp(z.managed_pages / 1024, SWAP_CLUSTER_MAX, 128ul);
      else
        z._watermark[WMARK_MIN] = tmp;
      // kswapd distances: a quarter of min, or watermark_scale_factor of the zone.
      unsigned long delta = std::max(tmp >> 2, z.managed_pages * static_cast<unsigned long>(config_.watermark_scale_factor) / 10000);
      z.watermark_boost = 0;
      z._watermark[WMARK_LOW] = z._watermark[WMARK_MIN] + delta;
      z._watermark[WMARK_HIGH] = z._watermark[WMARK_LOW] + delta;
      z._watermark[WMARK_PROMO] = z._watermark[WMARK_HIGH] + delta;
    }
  }
  for (auto &node : nodes_)
    for (auto &z : node.zones)
      if (z.populated()) zone_set_pageset_high_and_batch(z);
}

void PageAllocator::setup_per_zone_lowmem_reserve() {
  for (auto &node : nodes_) {
    for (int i = 0; i < MAX_NR_ZONES - 1; ++i) {
      Zone &zone = node.zones[static_cast<std::size_t>(i)];
      int ratio = config_.lowmem_reserve_ratio[static_cast<std::size_t>(i)];
      bool clear = ratio < 1 || !zone.managed_pages;
      unsigned long managed = 0;
      for (int j = i + 1; j < MAX_NR_ZONES; ++j) {
        managed += node.zones[static_cast<std::size_t>(j)].managed_pages;
        zone.lowmem_reserve[static_cast<std::size_t>(j)] = clear ? 0 : static_cast<long>(managed / static_cast<unsigned long>(ratio));
      }
    }
  }
}

void PageAllocator::refresh_zone_stat_thresholds() {
  // calculate_normal_threshold(): grows with log2 of CPUs and of zone size.
  const int cpus = nr_cpus();
  for (auto &node : nodes_) {
    for (auto &z : node.zones) {
      if (!z.populated()) continue;
      unsigned long mem = z.managed_pages >> (27 - PAGE_SHIFT);
      int threshold = std::min(125, 2 * fls(static_cast<unsigned long>(cpus)) * (1 + fls(mem)));
      for (auto &pcp : z.pcp) pcp.stat_threshold = threshold;
    }
  }
}

void PageAllocator::zone_set_pageset_high_and_batch(Zone &zone) {
  const int batch = std::max(1, zone_batchsize(zone));
  const Node &node = nodes_[static_cast<std::size_t>(zone.node)];
  int nr_split_cpus = static_cast<int>(node.cpus.size());
  if (!nr_split_cpus) nr_split_cpus = nr_cpus();
  auto zone_highsize = [&](int fraction) {
    unsigned long total = fraction ? zone.managed_pages / static_cast<unsigned long>(fraction) : zone.low_wmark_pages();
    return std::max(static_cast<int>(total / static_cast<unsigned long>(nr_split_cpus)), batch << 2);
  };
  int high_min, high_max;
  if (config_.percpu_pagelist_high_fraction) {
    high_min = high_max = zone_highsize(config_.percpu_pagelist_high_fraction);
  } else {
    high_min = zone_highsize(0);
    high_max = zone_highsize(MIN_PERCPU_PAGELIST_HIGH_FRACTION);
  }
  zone.pageset_high_min = high_min;
  zone.pageset_high_max = high_max;
  zone.pageset_batch = batch;
  const bool free_high_batch = (llc_slice_bytes_per_cpu_ >> PAGE_SHIFT) > 3ull * static_cast<unsigned>(batch);
  for (auto &pcp : zone.pcp) {
    pcp.batch = batch;
    pcp.high_min = high_min;
    pcp.high_max = high_max;
    pcp.flags = static_cast<std::uint8_t>(free_high_batch ? (pcp.flags | PCPF_FREE_HIGH_BATCH)
                                                          : (pcp.flags & ~PCPF_FREE_HIGH_BATCH));
  }
}

}  // namespace buddysim::model
