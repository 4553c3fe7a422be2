// Instruction work the allocator reports through Hooks::work(), in core
// cycles, excluding memory access time (the timing model adds that per
// touch, private-cache hits included). Calibrated so that a warm order-0
// alloc+free through the pcp costs 115 cycles or so in all: 77 cycles of work
// here plus about nine private-cache hits of 4 cycles. page_bench01 measured
// 115 cycles (Tosatti 2023, 2.5 GHz) to 158 cycles / 39.6 ns (Brouer 2017);
// see ../shared/reference/linux-page-allocator.md section 9.
#pragma once

#include <cstdint>

namespace buddysim::model::cost {

inline constexpr std::uint32_t ALLOC_ENTRY = 25;      // gfp checks, prepare_alloc_pages, zonelist start
inline constexpr std::uint32_t ZONE_CHECK = 8;        // one zone_watermark_fast evaluation
inline constexpr std::uint32_t PCP_LIST_OP = 6;       // list add/del on a pcp list plus counters
inline constexpr std::uint32_t PREP_NEW_PAGE = 8;     // post_alloc_hook and compound setup
inline constexpr std::uint32_t FREE_ENTRY = 20;       // free_pages_prepare, pageblock type lookup
inline constexpr std::uint32_t BUDDY_STEP = 8;        // one order of a split, merge or list search
inline constexpr std::uint32_t PAGEBLOCK_SCAN = 512;  // walk of a pageblock's struct pages
inline constexpr std::uint32_t STAT_UPDATE = 4;       // pgalloc/numa counter updates

}  // namespace buddysim::model::cost
