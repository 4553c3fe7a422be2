// Tests for model/gfp: bit and compound values against Linux 6.18's
// include/linux/gfp_types.h, gfp_zone against GFP_ZONE_TABLE/GFP_ZONE_BAD in
// include/linux/gfp.h, and the text form against the ftrace table in
// include/trace/events/mmflags.h, checked with strings copied from real
// kernel output.
#include "model/gfp.h"

#include <gtest/gtest.h>

#include <iterator>
#include <stdexcept>
#include <string>

namespace buddysim::model {
namespace {

// Message of the std::invalid_argument that `fn` throws ("" if none).
template <typename Fn>
std::string error_of(Fn fn) {
  try {
    fn();
  } catch (const std::invalid_argument &e) {
    return e.what();
  }
  return "";
}

// ---- values ---------------------------------------------------------------

TEST(GfpBits, SingleBitsMatchKernelEnumOrder) {
  // One bit each, in ___GFP_*_BIT enum order, with 0x200 unused.
  const gfp_t bits[] = {gfp::DMA,
                        gfp::HIGHMEM,
                        gfp::DMA32,
                        gfp::MOVABLE,
                        gfp::RECLAIMABLE,
                        gfp::HIGH,
                        gfp::IO,
                        gfp::FS,
                        gfp::ZERO,
                        0,
                        gfp::DIRECT_RECLAIM,
                        gfp::KSWAPD_RECLAIM,
                        gfp::WRITE,
                        gfp::NOWARN,
                        gfp::RETRY_MAYFAIL,
                        gfp::NOFAIL,
                        gfp::NORETRY,
                        gfp::MEMALLOC,
                        gfp::COMP,
                        gfp::NOMEMALLOC,
                        gfp::HARDWALL,
                        gfp::THISNODE,
                        gfp::ACCOUNT,
                        gfp::ZEROTAGS,
                        gfp::NO_OBJ_EXT};
  for (unsigned bit = 0; bit < std::size(bits); ++bit) {
    if (bit == 9) continue;  // ___GFP_UNUSED_BIT
    EXPECT_EQ(bits[bit], 1u << bit) << "bit " << bit;
  }
  EXPECT_EQ(gfp::BITS_SHIFT, std::size(bits));
}

TEST(GfpBits, ConfigDependentBitsAreCompiledOut) {
  EXPECT_EQ(gfp::SKIP_ZERO, 0u);
  EXPECT_EQ(gfp::SKIP_KASAN, 0u);
  EXPECT_EQ(gfp::NOLOCKDEP, 0u);
  EXPECT_EQ(gfp::BITS_MASK, 0x1ffffffu);
}

TEST(GfpBits, MasksMatchKernel) {
  EXPECT_EQ(gfp::ZONEMASK, 0xfu);
  EXPECT_EQ(gfp::MOBILITY_MASK, 0x18u);
  EXPECT_EQ(gfp::RECLAIM, 0xc00u);
}

TEST(GfpCompounds, ValuesMatchKernel) {
  EXPECT_EQ(gfp::ATOMIC, 0x820u);
  EXPECT_EQ(gfp::KERNEL, 0xcc0u);
  EXPECT_EQ(gfp::KERNEL_ACCOUNT, 0x400cc0u);
  EXPECT_EQ(gfp::NOWAIT, 0x2800u);
  EXPECT_EQ(gfp::NOIO, 0xc00u);
  EXPECT_EQ(gfp::NOFS, 0xc40u);
  EXPECT_EQ(gfp::USER, 0x100cc0u);
  EXPECT_EQ(gfp::DMA, 0x1u);
  EXPECT_EQ(gfp::DMA32, 0x4u);
  EXPECT_EQ(gfp::HIGHUSER, 0x100cc2u);
  EXPECT_EQ(gfp::HIGHUSER_MOVABLE, 0x100ccau);
  EXPECT_EQ(gfp::TRANSHUGE_LIGHT, 0x1c20cau);
  EXPECT_EQ(gfp::TRANSHUGE, 0x1c24cau);
}

TEST(GfpCompounds, TranshugeLightCannotReclaim) {
  EXPECT_EQ(gfp::TRANSHUGE_LIGHT & gfp::RECLAIM, 0u);
  EXPECT_TRUE(gfpflags_allow_blocking(gfp::TRANSHUGE));
  EXPECT_FALSE(gfpflags_allow_blocking(gfp::TRANSHUGE_LIGHT));
}

TEST(GfpHelpers, HasRequiresAllBits) {
  EXPECT_TRUE(gfp_has(gfp::KERNEL, gfp::IO | gfp::FS));
  EXPECT_FALSE(gfp_has(gfp::NOFS, gfp::IO | gfp::FS));
  EXPECT_TRUE(gfp_has(gfp::ATOMIC, 0));
}

TEST(GfpHelpers, BlockingSpinningAndCompaction) {
  EXPECT_TRUE(gfpflags_allow_blocking(gfp::KERNEL));
  EXPECT_FALSE(gfpflags_allow_blocking(gfp::ATOMIC));
  EXPECT_FALSE(gfpflags_allow_blocking(gfp::NOWAIT));
  EXPECT_TRUE(gfpflags_allow_spinning(gfp::NOWAIT));
  EXPECT_FALSE(gfpflags_allow_spinning(0));  // alloc_pages_nolock()
  EXPECT_TRUE(gfp_compaction_allowed(gfp::NOFS));
  EXPECT_FALSE(gfp_compaction_allowed(gfp::NOIO));
}

// ---- gfp_zone -------------------------------------------------------------

TEST(GfpZone, NoModifierIsNormal) { EXPECT_EQ(gfp_zone(0), ZONE_NORMAL); }

TEST(GfpZone, DmaIsDma) { EXPECT_EQ(gfp_zone(gfp::DMA), ZONE_DMA); }

TEST(GfpZone, HighmemIsNormalWithoutHighmemZone) { EXPECT_EQ(gfp_zone(gfp::HIGHMEM), ZONE_NORMAL); }

TEST(GfpZone, Dma32IsDma32) { EXPECT_EQ(gfp_zone(gfp::DMA32), ZONE_DMA32); }

TEST(GfpZone, MovableAloneIsNormal) { EXPECT_EQ(gfp_zone(gfp::MOVABLE), ZONE_NORMAL); }

TEST(GfpZone, MovableDmaIsDma) { EXPECT_EQ(gfp_zone(gfp::MOVABLE | gfp::DMA), ZONE_DMA); }

TEST(GfpZone, MovableHighmemIsMovable) {
  EXPECT_EQ(gfp_zone(gfp::MOVABLE | gfp::HIGHMEM), ZONE_MOVABLE);
}

TEST(GfpZone, MovableDma32IsDma32) { EXPECT_EQ(gfp_zone(gfp::MOVABLE | gfp::DMA32), ZONE_DMA32); }

TEST(GfpZone, BadCombinationsThrow) {
  // GFP_ZONE_BAD: every combination with two or more of DMA, DMA32, HIGHMEM.
  for (gfp_t bits : {0x3u, 0x5u, 0x6u, 0x7u, 0xbu, 0xdu, 0xeu, 0xfu}) {
    EXPECT_THROW(gfp_zone(bits), std::invalid_argument) << "zone bits 0x" << std::hex << bits;
  }
}

TEST(GfpZone, ExactlyEightCombinationsAreValid) {
  int valid = 0;
  for (gfp_t bits = 0; bits < 16; ++bits) {
    try {
      gfp_zone(bits);
      ++valid;
    } catch (const std::invalid_argument &) {
    }
  }
  EXPECT_EQ(valid, 8);
}

TEST(GfpZone, IgnoresNonZoneBits) {
  EXPECT_EQ(gfp_zone(gfp::KERNEL), ZONE_NORMAL);
  EXPECT_EQ(gfp_zone(gfp::USER | gfp::DMA32), ZONE_DMA32);
  EXPECT_EQ(gfp_zone(gfp::HIGHUSER), ZONE_NORMAL);
  EXPECT_EQ(gfp_zone(gfp::HIGHUSER_MOVABLE), ZONE_MOVABLE);
  EXPECT_EQ(gfp_zone(gfp::TRANSHUGE), ZONE_MOVABLE);
}

TEST(GfpZone, ErrorNamesTheFlags) {
  const std::string message = error_of([] { gfp_zone(gfp::KERNEL | gfp::DMA | gfp::DMA32); });
  EXPECT_NE(message.find("__GFP_DMA|__GFP_DMA32"), std::string::npos) << message;
  EXPECT_NE(message.find("0xcc5"), std::string::npos) << message;
}

// ---- gfp_migratetype ------------------------------------------------------

TEST(GfpMigratetype, NoMobilityBitIsUnmovable) {
  EXPECT_EQ(gfp_migratetype(gfp::KERNEL), MIGRATE_UNMOVABLE);
}

TEST(GfpMigratetype, MovableIsMovable) {
  EXPECT_EQ(gfp_migratetype(gfp::HIGHUSER_MOVABLE), MIGRATE_MOVABLE);
}

TEST(GfpMigratetype, ReclaimableIsReclaimable) {
  EXPECT_EQ(gfp_migratetype(gfp::KERNEL | gfp::RECLAIMABLE), MIGRATE_RECLAIMABLE);
}

TEST(GfpMigratetype, BothMobilityBitsThrow) {
  const std::string message =
      error_of([] { gfp_migratetype(gfp::KERNEL | gfp::MOVABLE | gfp::RECLAIMABLE); });
  EXPECT_NE(message.find("__GFP_MOVABLE|__GFP_RECLAIMABLE"), std::string::npos) << message;
}

// ---- format_gfp_flags -----------------------------------------------------

TEST(GfpFormat, ZeroIsNone) { EXPECT_EQ(format_gfp_flags(0), "none"); }

TEST(GfpFormat, CompoundsPrintByName) {
  EXPECT_EQ(format_gfp_flags(gfp::KERNEL), "GFP_KERNEL");
  EXPECT_EQ(format_gfp_flags(gfp::TRANSHUGE), "GFP_TRANSHUGE");
  EXPECT_EQ(format_gfp_flags(gfp::TRANSHUGE_LIGHT), "GFP_TRANSHUGE_LIGHT");
  EXPECT_EQ(format_gfp_flags(gfp::KERNEL_ACCOUNT), "GFP_KERNEL_ACCOUNT");
  EXPECT_EQ(format_gfp_flags(gfp::NOWAIT), "GFP_NOWAIT");
  EXPECT_EQ(format_gfp_flags(gfp::DMA32), "GFP_DMA32");
}

TEST(GfpFormat, ReclaimPairPrintsAsNoio) {
  // GFP_NOIO == __GFP_RECLAIM and comes first in the table.
  EXPECT_EQ(format_gfp_flags(gfp::RECLAIM), "GFP_NOIO");
}

TEST(GfpFormat, SingleBitsPrintWithDoubleUnderscore) {
  EXPECT_EQ(format_gfp_flags(gfp::DIRECT_RECLAIM), "__GFP_DIRECT_RECLAIM");
  EXPECT_EQ(format_gfp_flags(gfp::MOVABLE), "__GFP_MOVABLE");
  EXPECT_EQ(format_gfp_flags(gfp::NO_OBJ_EXT), "__GFP_NO_OBJ_EXT");
}

TEST(GfpFormat, TableOrderDecidesOverlaps) {
  // GFP_ATOMIC is tried before GFP_NOIO, so it takes KSWAPD_RECLAIM.
  EXPECT_EQ(format_gfp_flags(gfp::HIGH | gfp::RECLAIM), "GFP_ATOMIC|__GFP_DIRECT_RECLAIM");
  // GFP_NOIO is tried before GFP_NOWAIT, which then lacks KSWAPD_RECLAIM.
  EXPECT_EQ(format_gfp_flags(gfp::RECLAIM | gfp::NOWARN), "GFP_NOIO|__GFP_NOWARN");
}

TEST(GfpFormat, LeftoverBitsPrintAsHexAfterNames) {
  EXPECT_EQ(format_gfp_flags(gfp::KERNEL | 0x200u), "GFP_KERNEL|0x200");
  EXPECT_EQ(format_gfp_flags(gfp::KERNEL | 0x80000000u | 0x200u), "GFP_KERNEL|0x80000200");
}

TEST(GfpFormat, OnlyLeftoverBitsPrintWithoutSeparator) {
  EXPECT_EQ(format_gfp_flags(0x200u), "0x200");
  EXPECT_EQ(format_gfp_flags(0xfe000000u), "0xfe000000");
}

// Real kernel text that 6.18 prints the same way. Where two single bits are
// printed, the source kernel is from early 2025 on (~6.14+), when the table
// started listing single bits in bit order. printk's %pGg uses the same table
// (mm/debug.c gfpflag_names) and the same matching rule (lib/vsprintf.c
// format_flags), so "mode:0x..(...)" and "gfp_mask=0x..(...)" lines pair a
// real value with its real text.
TEST(GfpFormat, MatchesRealTraceOfHighuserMovableComp) {
  // Steven Rostedt, "tracing: gfp: Fix the GFP enum values shown for user
  // space tracing tools" (Jan 2025): the same mm_page_alloc event printed
  // "gfp_flags=0x140cca" while broken and, fixed,
  // "mm_page_alloc: page=0xffffffff981685f3 pfn=0x122233 order=0 migratetype=1
  //  gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP".
  EXPECT_EQ(format_gfp_flags(0x140cca), "GFP_HIGHUSER_MOVABLE|__GFP_COMP");
}

TEST(GfpFormat, MatchesRealKernelZeroComp) {
  // smb client kvzalloc patch (2026), xfstests generic/013 on a
  // __alloc_frozen_pages_noprof kernel: "fsstress: page allocation failure:
  // order:8, mode:0x40dc0(GFP_KERNEL|__GFP_ZERO|__GFP_COMP)".
  EXPECT_EQ(format_gfp_flags(0x40dc0), "GFP_KERNEL|__GFP_ZERO|__GFP_COMP");
}

TEST(GfpFormat, MatchesRealHighuserMovableZeroComp) {
  // syzbot page_owner reports: "page last allocated via order 0, migratetype
  // Movable, gfp_mask 0x140dca(GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP)".
  EXPECT_EQ(format_gfp_flags(0x140dca), "GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP");
}

TEST(GfpFormat, MatchesRealKernelAccountZeroComp) {
  // LKP OOM report on 6.15.0-rc6-00281-g780138b12381: "run invoked
  // oom-killer: gfp_mask=0x440dc0(GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP)".
  EXPECT_EQ(format_gfp_flags(0x440dc0), "GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP");
}

TEST(GfpFormat, MatchesRealNofsHighZeroCompNomemalloc) {
  // 6.19.11-1-cachyos-deckify: "chrome: page allocation failure: order:0,
  // mode:0xc0d60(GFP_NOFS|__GFP_HIGH|__GFP_ZERO|__GFP_COMP|__GFP_NOMEMALLOC)".
  EXPECT_EQ(format_gfp_flags(0xc0d60),
            "GFP_NOFS|__GFP_HIGH|__GFP_ZERO|__GFP_COMP|__GFP_NOMEMALLOC");
}

TEST(GfpFormat, MatchesRealKernelHighZeroCompNomemalloc) {
  // firelzrd/lru_marie issue #6, 7.1.5 kernel: "mprime: page allocation
  // failure: order:0, mode:0xc0de0(GFP_KERNEL|__GFP_HIGH|__GFP_ZERO|
  // __GFP_COMP|__GFP_NOMEMALLOC)".
  EXPECT_EQ(format_gfp_flags(0xc0de0),
            "GFP_KERNEL|__GFP_HIGH|__GFP_ZERO|__GFP_COMP|__GFP_NOMEMALLOC");
}

TEST(GfpFormat, MatchesRealNowaitHighmemIoFsZero) {
  // syzbot ci on bpf-next (Feb 2026), vmalloc'ed thread stack: "gfp_mask
  // 0x29c2(GFP_NOWAIT|__GFP_HIGHMEM|__GFP_IO|__GFP_FS|__GFP_ZERO)". Needs the
  // current GFP_NOWAIT, which includes __GFP_NOWARN.
  EXPECT_EQ(format_gfp_flags(0x29c2), "GFP_NOWAIT|__GFP_HIGHMEM|__GFP_IO|__GFP_FS|__GFP_ZERO");
}

TEST(GfpFormat, MatchesRealNowaitNoretryCompThisnode) {
  // syzbot page_owner report: "gfp_mask
  // 0x252800(GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP|__GFP_THISNODE)".
  EXPECT_EQ(format_gfp_flags(0x252800), "GFP_NOWAIT|__GFP_NORETRY|__GFP_COMP|__GFP_THISNODE");
}

TEST(GfpFormat, MatchesRealHighuserMovableWrite) {
  // MGLRU dirty-page OOM patch: "dd invoked oom-killer:
  // gfp_mask=0x101cca(GFP_HIGHUSER_MOVABLE|__GFP_WRITE)".
  EXPECT_EQ(format_gfp_flags(0x101cca), "GFP_HIGHUSER_MOVABLE|__GFP_WRITE");
}

TEST(GfpFormat, MatchesRealAtomic) {
  // jcmvbkbc/linux-xtensa issue #17, 6.8.0: "page allocation failure:
  // order:0, mode:0x820(GFP_ATOMIC)" (after __GFP_ATOMIC was dropped).
  EXPECT_EQ(format_gfp_flags(0x820), "GFP_ATOMIC");
}

// Older kernels listed the single bits by hand (COMP before ZERO, RECLAIMABLE
// near the end) and had GFP_NOWAIT == __GFP_KSWAPD_RECLAIM. Their strings
// still parse to the same bits, but 6.18 prints some of them differently.
TEST(GfpFormat, OlderKernelOrderDiffers) {
  // spdk/spdk issue #1252, 5.4.19: "mode:0x40dc0(GFP_KERNEL|__GFP_COMP|__GFP_ZERO)";
  // Linux 5.8-rc7 mm_page_alloc (modprobe xfs, order=6) printed the same text.
  const char *old_text = "GFP_KERNEL|__GFP_COMP|__GFP_ZERO";
  EXPECT_EQ(parse_gfp_flags(old_text), 0x40dc0u);
  EXPECT_EQ(format_gfp_flags(0x40dc0), "GFP_KERNEL|__GFP_ZERO|__GFP_COMP");
}

TEST(GfpFormat, OlderKernelMmPageAllocLinesReorder) {
  // Michal Hocko on linux-mm, 2019-09-09, "lot of MemAvailable but falling
  // cache and raising PSI": uniq'ed mm_page_alloc gfp_flags= from a ~4.19 box.
  EXPECT_EQ(format_gfp_flags(
                parse_gfp_flags("GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|__GFP_ZERO")),
            "GFP_KERNEL|__GFP_ZERO|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP");
  EXPECT_EQ(format_gfp_flags(parse_gfp_flags("__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|"
                                             "__GFP_COMP|__GFP_NOMEMALLOC|__GFP_RECLAIMABLE")),
            "__GFP_RECLAIMABLE|__GFP_IO|__GFP_FS|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP|"
            "__GFP_NOMEMALLOC");
}

TEST(GfpFormat, OlderKernelMmPageAllocLinesUnchanged) {
  // Real mm_page_alloc gfp_flags= values whose text 6.18 prints identically:
  // the 2019 linux-mm trace above, a 5.8-rc7 trace (GFP_KERNEL|__GFP_COMP),
  // a 4.4 arm64 trace (GFP_HIGHUSER_MOVABLE), and the examples in a
  // page-allocation flame-graph script (GFP_HIGHUSER_MOVABLE|__GFP_ZERO from
  // ftrace, GFP_KERNEL_ACCOUNT|__GFP_ZERO from trace-cmd).
  for (const char *text :
       {"GFP_KERNEL_ACCOUNT|__GFP_ZERO", "GFP_TRANSHUGE", "GFP_TRANSHUGE|__GFP_THISNODE",
        "GFP_TRANSHUGE_LIGHT|__GFP_THISNODE", "GFP_ATOMIC|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
        "__GFP_IO|__GFP_NOWARN|__GFP_RETRY_MAYFAIL|__GFP_NORETRY|__GFP_COMP|"
        "__GFP_NOMEMALLOC",
        "GFP_KERNEL|__GFP_COMP", "GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER_MOVABLE|__GFP_ZERO"}) {
    EXPECT_EQ(format_gfp_flags(parse_gfp_flags(text)), text);
  }
}

TEST(GfpFormat, OlderNowaitAbsorbsExplicitNowarn) {
  // syzbot page_owner report from a kernel whose GFP_NOWAIT lacked NOWARN:
  // "gfp_mask 0x192800(GFP_NOWAIT|__GFP_NOWARN|__GFP_NORETRY|__GFP_NOMEMALLOC|
  // __GFP_HARDWALL)". The bits are the same today; the text is shorter.
  const char *old_text = "GFP_NOWAIT|__GFP_NOWARN|__GFP_NORETRY|__GFP_NOMEMALLOC|__GFP_HARDWALL";
  EXPECT_EQ(parse_gfp_flags(old_text), 0x192800u);
  EXPECT_EQ(format_gfp_flags(0x192800), "GFP_NOWAIT|__GFP_NORETRY|__GFP_NOMEMALLOC|__GFP_HARDWALL");
}

// ---- parse_gfp_flags ------------------------------------------------------

TEST(GfpParse, NoneIsZero) { EXPECT_EQ(parse_gfp_flags("none"), 0u); }

TEST(GfpParse, SingleNames) {
  EXPECT_EQ(parse_gfp_flags("GFP_KERNEL"), gfp::KERNEL);
  EXPECT_EQ(parse_gfp_flags("__GFP_ZERO"), gfp::ZERO);
  EXPECT_EQ(parse_gfp_flags("__GFP_RECLAIM"), gfp::RECLAIM);
  EXPECT_EQ(parse_gfp_flags("__GFP_DMA32"), gfp::DMA32);
}

TEST(GfpParse, EveryTableNameParsesToItsMask) {
  for (const GfpFlagName &entry : gfp_flag_names()) {
    EXPECT_EQ(parse_gfp_flags(entry.name), entry.mask) << entry.name;
  }
}

TEST(GfpParse, CombinedNames) {
  EXPECT_EQ(parse_gfp_flags("GFP_KERNEL|__GFP_ZERO"), 0xdc0u);
  EXPECT_EQ(parse_gfp_flags("__GFP_ZERO|GFP_KERNEL"), 0xdc0u);
}

TEST(GfpParse, HexValues) {
  EXPECT_EQ(parse_gfp_flags("0xcc0"), 0xcc0u);
  EXPECT_EQ(parse_gfp_flags("0x100cca"), gfp::HIGHUSER_MOVABLE);
  EXPECT_EQ(parse_gfp_flags("0X100CCA"), gfp::HIGHUSER_MOVABLE);
  EXPECT_EQ(parse_gfp_flags("0xffffffff"), 0xffffffffu);
}

TEST(GfpParse, NamesMixedWithHex) {
  EXPECT_EQ(parse_gfp_flags("GFP_KERNEL|0x2000"), gfp::KERNEL | gfp::NOWARN);
}

TEST(GfpParse, WhitespaceAroundBarsIsIgnored) {
  EXPECT_EQ(parse_gfp_flags("  GFP_KERNEL | __GFP_ZERO\t|0x200 "), 0xfc0u);
}

TEST(GfpParse, RoundTripsEveryBitPattern) {
  // Every single bit, every pair of low bits, and assorted multi-bit values.
  for (unsigned bit = 0; bit < 32; ++bit) {
    const gfp_t flags = 1u << bit;
    EXPECT_EQ(parse_gfp_flags(format_gfp_flags(flags)), flags) << format_gfp_flags(flags);
  }
  for (gfp_t a = 0; a < 0x1000; ++a) {
    EXPECT_EQ(parse_gfp_flags(format_gfp_flags(a)), a) << format_gfp_flags(a);
  }
  gfp_t x = 0x12345678u;
  for (int i = 0; i < 5000; ++i) {
    x = x * 1664525u + 1013904223u;  // LCG: deterministic spread of patterns
    EXPECT_EQ(parse_gfp_flags(format_gfp_flags(x)), x) << format_gfp_flags(x);
  }
}

TEST(GfpParse, RoundTripsCompoundsWithExtras) {
  for (const GfpFlagName &entry : gfp_flag_names()) {
    for (gfp_t extra : {0u, gfp::ZERO, gfp::COMP, gfp::THISNODE | gfp::NOWARN, 0x200u}) {
      const gfp_t flags = entry.mask | extra;
      EXPECT_EQ(parse_gfp_flags(format_gfp_flags(flags)), flags) << format_gfp_flags(flags);
    }
  }
}

TEST(GfpParse, UnknownNameSuggestsClosest) {
  EXPECT_EQ(error_of([] { parse_gfp_flags("GFP_KERNAL"); }),
            "unknown GFP flag 'GFP_KERNAL' (did you mean 'GFP_KERNEL'?)");
}

TEST(GfpParse, SuggestionIgnoresCaseAndPrefix) {
  EXPECT_NE(error_of([] { parse_gfp_flags("gfp_kernel"); }).find("did you mean 'GFP_KERNEL'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_gfp_flags("GFP_ZERO"); }).find("did you mean '__GFP_ZERO'"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse_gfp_flags("__GFP_KERNEL"); }).find("did you mean 'GFP_KERNEL'"),
            std::string::npos);
}

TEST(GfpParse, BadTokenInsideListIsNamed) {
  EXPECT_EQ(error_of([] { parse_gfp_flags("GFP_KERNEL|__GFP_ZER0"); }),
            "unknown GFP flag '__GFP_ZER0' (did you mean '__GFP_ZERO'?)");
}

TEST(GfpParse, RetiredFlagsAreUnknown) {
  // Names only older kernels printed; their bits no longer exist.
  for (const char *old_name : {"__GFP_ATOMIC", "__GFP_COLD", "__GFP_NOTRACK", "GFP_TEMPORARY"}) {
    EXPECT_THROW(parse_gfp_flags(old_name), std::invalid_argument) << old_name;
  }
}

TEST(GfpParse, EmptyInputThrows) {
  EXPECT_THROW(parse_gfp_flags(""), std::invalid_argument);
  EXPECT_THROW(parse_gfp_flags("   "), std::invalid_argument);
}

TEST(GfpParse, EmptyTokenThrows) {
  EXPECT_THROW(parse_gfp_flags("GFP_KERNEL|"), std::invalid_argument);
  EXPECT_THROW(parse_gfp_flags("|GFP_KERNEL"), std::invalid_argument);
  EXPECT_THROW(parse_gfp_flags("GFP_KERNEL||__GFP_ZERO"), std::invalid_argument);
}

TEST(GfpParse, NoneMustStandAlone) {
  EXPECT_THROW(parse_gfp_flags("none|GFP_KERNEL"), std::invalid_argument);
}

TEST(GfpParse, MalformedHexThrows) {
  for (const char *bad : {"0x", "0xg", "0x12z", "0x-1", "0x+1"}) {
    EXPECT_THROW(parse_gfp_flags(bad), std::invalid_argument) << bad;
  }
}

TEST(GfpParse, HexWiderThan32BitsThrows) {
  const std::string message = error_of([] { parse_gfp_flags("0x100000000"); });
  EXPECT_NE(message.find("0x100000000"), std::string::npos) << message;
}

}  // namespace
}  // namespace buddysim::model
