// Instruction work the allocator reports through Hooks::work(), in core
// cycles, excluding memory stalls (the timing model adds those per touch).
// Calibrated so that an order-0 alloc+free through a warm pcp costs about
// 115-160 cycles in total, the range page_bench01 measured on real machines
// (Brouer 2017: 158 cycles; Tosatti 2023: 115 cycles), see
// ../shared/reference/linux-page-allocator.md section 9.
#pragma once

#include <cstdint>

namespace buddysim::model::cost {

inline constexpr std::uint32_t ALLOC_ENTRY = 40;     // gfp checks, prepare_alloc_pages, zonelist start
inline constexpr std::uint32_t ZONE_CHECK = 12;      // one zone_watermark_fast evaluation
inline constexpr std::uint32_t PCP_LIST_OP = 10;     // list add/del on a pcp list plus counters
inline constexpr std::uint32_t PREP_NEW_PAGE = 15;   // post_alloc_hook and compound setup
inline constexpr std::uint32_t FREE_ENTRY = 35;      // free_pages_prepare, pageblock type lookup
inline constexpr std::uint32_t BUDDY_STEP = 8;       // one order of a split, merge or list search
inline constexpr std::uint32_t PAGEBLOCK_SCAN = 512; // walk of a pageblock's struct pages
inline constexpr std::uint32_t STAT_UPDATE = 6;      // pgalloc/numa counter updates

}  // namespace buddysim::model::cost
