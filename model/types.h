// Basic constants and enumerations shared by the whole allocator model.
// Values follow x86-64 Linux 6.18 (include/linux/mmzone.h, pageblock-flags.h).
#pragma once

#include <cstdint>

namespace buddysim::model {

using Pfn = std::uint64_t;
using NodeId = int;
using CpuId = int;

inline constexpr unsigned PAGE_SHIFT = 12;
inline constexpr std::uint64_t PAGE_SIZE = 1ull << PAGE_SHIFT;
inline constexpr unsigned MAX_PAGE_ORDER = 10;
inline constexpr unsigned NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;
inline constexpr unsigned PAGE_ALLOC_COSTLY_ORDER = 3;
inline constexpr unsigned pageblock_order = 9;
inline constexpr unsigned long pageblock_nr_pages = 1ul << pageblock_order;
inline constexpr unsigned HPAGE_PMD_ORDER = 9;
inline constexpr int MAX_NUMNODES = 1024;

// Migrate types; the order matters (mergeable types are < MIGRATE_PCPTYPES).
enum MigrateType : std::uint8_t {
  MIGRATE_UNMOVABLE,
  MIGRATE_MOVABLE,
  MIGRATE_RECLAIMABLE,
  MIGRATE_HIGHATOMIC,
  MIGRATE_CMA,
  MIGRATE_ISOLATE,
  MIGRATE_TYPES
};
inline constexpr int MIGRATE_PCPTYPES = 3;

inline constexpr bool is_migrate_highatomic(int mt) { return mt == MIGRATE_HIGHATOMIC; }
inline constexpr bool migratetype_is_mergeable(int mt) { return mt < MIGRATE_PCPTYPES; }

const char *migratetype_name(int mt);

// Zone types as configured on x86-64 (no HIGHMEM, no DEVICE).
enum ZoneType : std::uint8_t { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, MAX_NR_ZONES };

const char *zone_type_name(int zt);

}  // namespace buddysim::model
