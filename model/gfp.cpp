#include "model/gfp.h"

#include "model/spelling.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <vector>

namespace buddysim::model {

// The compound values the kernel documents; a typo above would change traces.
static_assert(gfp::KERNEL == 0xcc0u && gfp::ATOMIC == 0x820u && gfp::NOWAIT == 0x2800u);
static_assert(gfp::USER == 0x100cc0u && gfp::HIGHUSER_MOVABLE == 0x100ccau);
static_assert(gfp::TRANSHUGE_LIGHT == 0x1c20cau && gfp::TRANSHUGE == 0x1c24cau);
// gfp_migratetype relies on the mobility bits lining up with the enum.
static_assert(gfp::MOVABLE >> 3 == MIGRATE_MOVABLE && gfp::RECLAIMABLE >> 3 == MIGRATE_RECLAIMABLE);

namespace {

using namespace std::string_view_literals;

// Order matters: the first entry whose bits are all present wins and consumes
// them, so compounds with more bits come first. GFP_NOIO equals __GFP_RECLAIM
// and comes first, so "__GFP_RECLAIM" never appears in output; the same holds
// for GFP_DMA/__GFP_DMA and GFP_DMA32/__GFP_DMA32.
constexpr std::array<GfpFlagName, 38> kNames{{
    {gfp::TRANSHUGE, "GFP_TRANSHUGE"sv},
    {gfp::TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"sv},
    {gfp::HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"sv},
    {gfp::HIGHUSER, "GFP_HIGHUSER"sv},
    {gfp::USER, "GFP_USER"sv},
    {gfp::KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"sv},
    {gfp::KERNEL, "GFP_KERNEL"sv},
    {gfp::NOFS, "GFP_NOFS"sv},
    {gfp::ATOMIC, "GFP_ATOMIC"sv},
    {gfp::NOIO, "GFP_NOIO"sv},
    {gfp::NOWAIT, "GFP_NOWAIT"sv},
    {gfp::DMA, "GFP_DMA"sv},
    {gfp::DMA32, "GFP_DMA32"sv},
    {gfp::RECLAIM, "__GFP_RECLAIM"sv},
    // Single bits in bit order (since early 2025, ~6.14; before, a hand-written list).
    {gfp::DMA, "__GFP_DMA"sv},
    {gfp::HIGHMEM, "__GFP_HIGHMEM"sv},
    {gfp::DMA32, "__GFP_DMA32"sv},
    {gfp::MOVABLE, "__GFP_MOVABLE"sv},
    {gfp::RECLAIMABLE, "__GFP_RECLAIMABLE"sv},
    {gfp::HIGH, "__GFP_HIGH"sv},
    {gfp::IO, "__GFP_IO"sv},
    {gfp::FS, "__GFP_FS"sv},
    {gfp::ZERO, "__GFP_ZERO"sv},
    {gfp::DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"sv},
    {gfp::KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"sv},
    {gfp::WRITE, "__GFP_WRITE"sv},
    {gfp::NOWARN, "__GFP_NOWARN"sv},
    {gfp::RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"sv},
    {gfp::NOFAIL, "__GFP_NOFAIL"sv},
    {gfp::NORETRY, "__GFP_NORETRY"sv},
    {gfp::MEMALLOC, "__GFP_MEMALLOC"sv},
    {gfp::COMP, "__GFP_COMP"sv},
    {gfp::NOMEMALLOC, "__GFP_NOMEMALLOC"sv},
    {gfp::HARDWALL, "__GFP_HARDWALL"sv},
    {gfp::THISNODE, "__GFP_THISNODE"sv},
    {gfp::ACCOUNT, "__GFP_ACCOUNT"sv},
    {gfp::ZEROTAGS, "__GFP_ZEROTAGS"sv},
    {gfp::NO_OBJ_EXT, "__GFP_NO_OBJ_EXT"sv},  // present with CONFIG_SLAB_OBJ_EXT
}};

// A zero mask would match every value and print a name for nothing.
static_assert(std::none_of(kNames.begin(), kNames.end(),
                           [](const GfpFlagName &e) { return e.mask == 0; }));

std::string to_hex(gfp_t value) {
  std::array<char, 2 + 8> buf{'0', 'x'};
  const auto result = std::to_chars(buf.data() + 2, buf.data() + buf.size(), value, 16);
  return std::string(buf.data(), result.ptr);
}

// Names of the zone modifier bits set in `flags`, for error messages.
std::string zone_bit_names(gfp_t flags) {
  std::string out;
  for (const GfpFlagName &e : kNames) {
    if (e.name.starts_with("__GFP_") && (e.mask & gfp::ZONEMASK) != 0 && (flags & e.mask) != 0) {
      out += out.empty() ? "" : "|";
      out += e.name;
    }
  }
  return out;
}

std::string describe(gfp_t flags) {
  return "gfp_flags=" + to_hex(flags) + " (" + format_gfp_flags(flags) + ")";
}

std::string_view trim(std::string_view s) {
  constexpr std::string_view space = " \t\r\n";
  const auto first = s.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(space) - first + 1);
}

std::string_view without_prefix(std::string_view name) {
  for (std::string_view prefix : {"__GFP_"sv, "GFP_"sv}) {
    if (name.starts_with(prefix)) return name.substr(prefix.size());
  }
  return name;
}

// Closest known name; also compares without the GFP_/__GFP_ prefix so that
// "KERNEL" or "GFP_ZERO" lead to "GFP_KERNEL" and "__GFP_ZERO".
std::string_view closest_name(std::string_view token) {
  std::string upper(token);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  });
  std::string_view best = kNames.front().name;
  std::size_t best_distance = SIZE_MAX;
  for (const GfpFlagName &e : kNames) {
    const std::size_t d = std::min(osa_distance(upper, e.name),
                                   osa_distance(without_prefix(upper), without_prefix(e.name)));
    if (d < best_distance) {
      best = e.name;
      best_distance = d;
    }
  }
  return best;
}

gfp_t parse_hex(std::string_view token) {
  const std::string_view digits = token.substr(2);
  gfp_t value = 0;
  const auto [end, error] =
      std::from_chars(digits.data(), digits.data() + digits.size(), value, 16);
  if (digits.empty() || error == std::errc::invalid_argument ||
      end != digits.data() + digits.size()) {
    throw std::invalid_argument("malformed hex GFP value '" + std::string(token) + "'");
  }
  if (error == std::errc::result_out_of_range) {
    throw std::invalid_argument("GFP value '" + std::string(token) + "' does not fit in 32 bits");
  }
  return value;
}

gfp_t parse_token(std::string_view token, std::string_view text) {
  if (token.empty()) {
    throw std::invalid_argument("empty GFP flag in '" + std::string(text) + "'");
  }
  if (token == "none") {
    throw std::invalid_argument("'none' cannot be combined with other GFP flags in '" +
                                std::string(text) + "'");
  }
  if (token.starts_with("0x") || token.starts_with("0X")) return parse_hex(token);
  for (const GfpFlagName &e : kNames) {
    if (e.name == token) return e.mask;
  }
  throw std::invalid_argument("unknown GFP flag '" + std::string(token) + "' (did you mean '" +
                              std::string(closest_name(token)) + "'?)");
}

}  // namespace

ZoneType gfp_zone(gfp_t flags) {
  using namespace gfp;
  switch (flags & ZONEMASK) {
    case 0:
    case HIGHMEM:  // no ZONE_HIGHMEM on 64-bit
    case MOVABLE:  // movable alone stays in NORMAL; ZONE_MOVABLE needs HIGHMEM too
      return ZONE_NORMAL;
    case DMA:
    case MOVABLE | DMA:
      return ZONE_DMA;
    case DMA32:
    case MOVABLE | DMA32:
      return ZONE_DMA32;
    case MOVABLE | HIGHMEM:
      return ZONE_MOVABLE;
    default:  // two or more of DMA, DMA32, HIGHMEM
      throw std::invalid_argument(
          "invalid GFP zone modifiers " + zone_bit_names(flags) + " in " + describe(flags) +
          ": at most one of __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM may be set");
  }
}

MigrateType gfp_migratetype(gfp_t flags) {
  if (gfp_has(flags, gfp::MOBILITY_MASK)) {
    throw std::invalid_argument("invalid GFP mobility in " + describe(flags) +
                                ": __GFP_MOVABLE and __GFP_RECLAIMABLE are mutually exclusive");
  }
  return static_cast<MigrateType>((flags & gfp::MOBILITY_MASK) >> 3);
}

std::span<const GfpFlagName> gfp_flag_names() { return kNames; }

std::string format_gfp_flags(gfp_t flags) {
  if (flags == 0) return "none";
  std::string out;
  for (const GfpFlagName &e : kNames) {
    if (flags == 0) break;
    if ((flags & e.mask) != e.mask) continue;
    flags &= ~e.mask;
    out += out.empty() ? "" : "|";
    out += e.name;
  }
  if (flags != 0) {
    out += out.empty() ? "" : "|";
    out += to_hex(flags);
  }
  return out;
}

gfp_t parse_gfp_flags(std::string_view text) {
  const std::string_view whole = trim(text);
  if (whole.empty()) throw std::invalid_argument("empty GFP flag string");
  if (whole == "none") return 0;
  gfp_t flags = 0;
  std::size_t start = 0;
  for (;;) {
    const std::size_t bar = whole.find('|', start);
    flags |= parse_token(trim(whole.substr(start, bar - start)), whole);
    if (bar == std::string_view::npos) return flags;
    start = bar + 1;
  }
}

}  // namespace buddysim::model
