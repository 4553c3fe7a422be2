// GFP ("get free pages") allocation flags as Linux 6.18 defines them on x86-64,
// plus what the allocator reads from them: the zone (gfp_zone), the
// migratetype (gfp_migratetype), and the text form that ftrace and printk use
// ("GFP_KERNEL|__GFP_ZERO"), in both directions.
//
// The bit values come from include/linux/gfp_types.h. The kernel numbers the
// bits with an enum, so the top bits depend on the kernel config. We assume
// an x86-64 defconfig-like build:
//   - no CONFIG_KASAN_HW_TAGS, so SKIP_ZERO and SKIP_KASAN are 0;
//   - no CONFIG_LOCKDEP, so NOLOCKDEP is 0;
//   - CONFIG_SLAB_OBJ_EXT=y (MEMCG selects it), so NO_OBJ_EXT is bit 24.
// The last bit is therefore 24 and __GFP_BITS_SHIFT is 25.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "model/types.h"

namespace buddysim::model {

using gfp_t = std::uint32_t;

namespace gfp {

// Single bits, named after the kernel's __GFP_* without the "__GFP_" prefix.
// The zone modifiers are the four low bits; they pick the highest usable zone.
inline constexpr gfp_t DMA = 0x1u;
inline constexpr gfp_t HIGHMEM = 0x2u;
inline constexpr gfp_t DMA32 = 0x4u;
inline constexpr gfp_t MOVABLE = 0x8u;  // also a mobility hint
inline constexpr gfp_t RECLAIMABLE = 0x10u;
inline constexpr gfp_t HIGH = 0x20u;
inline constexpr gfp_t IO = 0x40u;
inline constexpr gfp_t FS = 0x80u;
inline constexpr gfp_t ZERO = 0x100u;
// 0x200 is unused (it was __GFP_ATOMIC until the kernel dropped that flag).
inline constexpr gfp_t DIRECT_RECLAIM = 0x400u;
inline constexpr gfp_t KSWAPD_RECLAIM = 0x800u;
inline constexpr gfp_t WRITE = 0x1000u;
inline constexpr gfp_t NOWARN = 0x2000u;
inline constexpr gfp_t RETRY_MAYFAIL = 0x4000u;
inline constexpr gfp_t NOFAIL = 0x8000u;
inline constexpr gfp_t NORETRY = 0x10000u;
inline constexpr gfp_t MEMALLOC = 0x20000u;
inline constexpr gfp_t COMP = 0x40000u;
inline constexpr gfp_t NOMEMALLOC = 0x80000u;
inline constexpr gfp_t HARDWALL = 0x100000u;
inline constexpr gfp_t THISNODE = 0x200000u;
inline constexpr gfp_t ACCOUNT = 0x400000u;
inline constexpr gfp_t ZEROTAGS = 0x800000u;
inline constexpr gfp_t NO_OBJ_EXT = 0x1000000u;
// Compiled out in the configuration above; kept so compounds read like the kernel.
inline constexpr gfp_t SKIP_ZERO = 0u;
inline constexpr gfp_t SKIP_KASAN = 0u;
inline constexpr gfp_t NOLOCKDEP = 0u;

inline constexpr unsigned BITS_SHIFT = 25;
inline constexpr gfp_t BITS_MASK = (1u << BITS_SHIFT) - 1;
inline constexpr gfp_t ZONEMASK = DMA | HIGHMEM | DMA32 | MOVABLE;
inline constexpr gfp_t MOBILITY_MASK = RECLAIMABLE | MOVABLE;  // kernel: GFP_MOVABLE_MASK
inline constexpr gfp_t RECLAIM = DIRECT_RECLAIM | KSWAPD_RECLAIM;

// Compounds, named after the kernel's GFP_* without the "GFP_" prefix.
// GFP_DMA and GFP_DMA32 are the bits DMA and DMA32 above.
inline constexpr gfp_t ATOMIC = HIGH | KSWAPD_RECLAIM;
inline constexpr gfp_t KERNEL = RECLAIM | IO | FS;
inline constexpr gfp_t KERNEL_ACCOUNT = KERNEL | ACCOUNT;
inline constexpr gfp_t NOWAIT = KSWAPD_RECLAIM | NOWARN;  // older kernels: KSWAPD_RECLAIM only
inline constexpr gfp_t NOIO = RECLAIM;
inline constexpr gfp_t NOFS = RECLAIM | IO;
inline constexpr gfp_t USER = RECLAIM | IO | FS | HARDWALL;
inline constexpr gfp_t HIGHUSER = USER | HIGHMEM;
inline constexpr gfp_t HIGHUSER_MOVABLE = HIGHUSER | MOVABLE | SKIP_KASAN;
inline constexpr gfp_t TRANSHUGE_LIGHT = (HIGHUSER_MOVABLE | COMP | NOMEMALLOC | NOWARN) & ~RECLAIM;
inline constexpr gfp_t TRANSHUGE = TRANSHUGE_LIGHT | DIRECT_RECLAIM;

}  // namespace gfp

// True when every bit of `bits` is set in `flags`.
constexpr bool gfp_has(gfp_t flags, gfp_t bits) { return (flags & bits) == bits; }

// The caller may sleep in direct reclaim.
constexpr bool gfpflags_allow_blocking(gfp_t flags) { return (flags & gfp::DIRECT_RECLAIM) != 0; }

// Only alloc_pages_nolock() passes neither reclaim bit; it must not spin on locks.
constexpr bool gfpflags_allow_spinning(gfp_t flags) { return (flags & gfp::RECLAIM) != 0; }

// Compaction may need IO to migrate pages (assumes CONFIG_COMPACTION=y).
constexpr bool gfp_compaction_allowed(gfp_t flags) { return (flags & gfp::IO) != 0; }

// Highest zone the request may use (GFP_ZONE_TABLE for x86-64: no ZONE_HIGHMEM,
// so HIGHMEM means NORMAL, and only MOVABLE|HIGHMEM reaches ZONE_MOVABLE).
// Throws std::invalid_argument for the combinations GFP_ZONE_BAD rejects.
ZoneType gfp_zone(gfp_t flags);

// Free-list type for the request: (flags & (RECLAIMABLE|MOVABLE)) >> 3.
// Both bits together are invalid and throw std::invalid_argument. Callers that
// model page_group_by_mobility_disabled must map the result to UNMOVABLE.
MigrateType gfp_migratetype(gfp_t flags);

// One entry of the ftrace name table (include/trace/events/mmflags.h).
struct GfpFlagName {
  gfp_t mask;
  std::string_view name;
};

// The table in the kernel's matching order: compounds first, then single bits.
std::span<const GfpFlagName> gfp_flag_names();

// The text show_gfp_flags() prints in trace output (and %pGg in printk):
// "none" for 0; otherwise table entries whose bits are all still set, joined
// by '|', each consuming its bits; leftover bits last as lowercase "0x..".
std::string format_gfp_flags(gfp_t flags);

// Inverse of format_gfp_flags, in any order: "GFP_KERNEL|__GFP_ZERO", "none",
// "0x100cca", "GFP_KERNEL|0x2000". Spaces around '|' are allowed. Unknown or
// malformed tokens throw std::invalid_argument naming the token and, for
// unknown names, the closest known one.
gfp_t parse_gfp_flags(std::string_view text);

}  // namespace buddysim::model
