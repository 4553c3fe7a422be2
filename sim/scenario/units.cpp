// Sizes, durations and frequencies: a decimal number with an optional
// fraction, then a unit.
#include "sim/scenario/units.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace buddysim::scenario::units {
namespace {

struct Unit {
  std::string_view name;  // lower case, as compared
  std::uint64_t factor;
};

constexpr std::uint64_t KiB = 1ull << 10, MiB = 1ull << 20, GiB = 1ull << 30, TiB = 1ull << 40;
constexpr std::uint64_t US = 1000, MS = 1000 * US, S = 1000 * MS, MIN = 60 * S, H = 60 * MIN;

constexpr std::array<Unit, 10> kSizeUnits{{{"", 1},
                                           {"b", 1},
                                           {"k", KiB},
                                           {"kib", KiB},
                                           {"m", MiB},
                                           {"mib", MiB},
                                           {"g", GiB},
                                           {"gib", GiB},
                                           {"t", TiB},
                                           {"tib", TiB}}};
constexpr std::array<Unit, 7> kDurationUnits{
    {{"ns", 1}, {"us", US}, {"\u00b5s", US}, {"ms", MS}, {"s", S}, {"min", MIN}, {"h", H}}};
// The hardware's latencies need picoseconds: the same units counted in ps, and "ps".
constexpr std::uint64_t PS_PER_NS = 1000;
constexpr auto kDurationUnitsPs = [] {
  std::array<Unit, kDurationUnits.size() + 1> out{};
  out[0] = {"ps", 1};
  for (std::size_t i = 0; i < kDurationUnits.size(); ++i)
    out[i + 1] = {kDurationUnits[i].name, kDurationUnits[i].factor * PS_PER_NS};
  return out;
}();
constexpr std::uint64_t KHZ = 1000, MHZ = 1000 * KHZ, GHZ = 1000 * MHZ;
constexpr std::array<Unit, 4> kFrequencyUnits{{{"hz", 1}, {"khz", KHZ}, {"mhz", MHZ}, {"ghz", GHZ}}};

// Largest first, for formatting.
constexpr std::array<Unit, 4> kSizeNames{{{"TiB", TiB}, {"GiB", GiB}, {"MiB", MiB}, {"KiB", KiB}}};
constexpr std::array<Unit, 6> kDurationNames{{{"h", H}, {"min", MIN}, {"s", S}, {"ms", MS}, {"us", US}, {"ns", 1}}};
constexpr std::array<Unit, 4> kFrequencyNames{{{"GHz", GHZ}, {"MHz", MHZ}, {"kHz", KHZ}, {"Hz", 1}}};

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::uint64_t digits_value(std::string_view digits, int base) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec == std::errc::result_out_of_range) throw std::invalid_argument("too large");
  if (ec != std::errc() || end != digits.data() + digits.size()) throw std::invalid_argument("not a number");
  return v;
}

std::uint64_t checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw std::invalid_argument("too large");
  return r;
}

// A number split from its unit: "1.5", "GiB" for "1.5 GiB".
struct Quantity {
  std::string_view whole, fraction, unit;
};

Quantity split_quantity(std::string_view text) {
  Quantity q;
  const auto digit_end = [&](std::size_t from) {
    std::size_t i = from;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    return i;
  };
  std::size_t i = digit_end(0);
  q.whole = text.substr(0, i);
  if (i < text.size() && text[i] == '.') {
    const std::size_t f = digit_end(i + 1);
    q.fraction = text.substr(i + 1, f - i - 1);
    if (q.fraction.empty()) throw std::invalid_argument("not a number");
    i = f;
  }
  if (q.whole.empty()) throw std::invalid_argument("not a number");
  q.unit = trim(text.substr(i));
  return q;
}

// whole.fraction * factor, which must come out as an integer.
std::uint64_t scale(const Quantity &q, std::uint64_t factor, std::string_view what) {
  const std::uint64_t whole = checked_mul(digits_value(q.whole, 10), factor);
  if (q.fraction.empty()) return whole;
  if (q.fraction.size() > 18) throw std::invalid_argument("too many decimals");
  std::uint64_t denominator = 1;
  for (std::size_t i = 0; i < q.fraction.size(); ++i) denominator *= 10;
  // frac / denominator * factor, reduced first so that it cannot overflow
  // unless the result does.
  const std::uint64_t g = std::gcd(factor, denominator);
  const std::uint64_t numerator = digits_value(q.fraction, 10);
  if (numerator % (denominator / g) != 0) throw std::invalid_argument("not a whole number of " + std::string(what));
  std::uint64_t total = 0;
  if (__builtin_add_overflow(whole, checked_mul(numerator / (denominator / g), factor / g), &total))
    throw std::invalid_argument("too large");
  return total;
}

template <std::size_t N>
const Unit *find_unit(const std::array<Unit, N> &table, std::string_view unit) {
  const std::string key = lower(unit);
  const auto it = std::find_if(table.begin(), table.end(), [&](const Unit &u) { return u.name == key; });
  return it == table.end() ? nullptr : &*it;
}

// "KB" and friends: say why, and what to write instead.
[[noreturn]] void reject_size_unit(std::string_view unit) {
  const std::string key = lower(unit);
  if (key.size() == 2 && key[1] == 'b' && std::string_view("kmgt").find(key[0]) != std::string_view::npos) {
    const char prefix = static_cast<char>(std::toupper(static_cast<unsigned char>(key[0])));
    throw std::invalid_argument("\"" + std::string(unit) + "\" is ambiguous; write \"" + prefix +
                                "iB\" (sizes are binary)");
  }
  throw std::invalid_argument("unknown unit \"" + std::string(unit) + "\"; use B, KiB, MiB, GiB or TiB");
}

// A duration counted in the first unit of `table`; `units` lists the unit
// names for messages and `counted` names what the result counts.
template <std::size_t N>
std::uint64_t parse_duration(std::string_view text, const std::array<Unit, N> &table, const std::string &units,
                             std::string_view counted) {
  const Quantity q = split_quantity(trim(text));
  if (q.unit.empty()) {
    if (digits_value(q.whole, 10) == 0 && (q.fraction.empty() || digits_value(q.fraction, 10) == 0)) return 0;
    throw std::invalid_argument("a duration needs a unit: " + units);
  }
  const Unit *unit = find_unit(table, q.unit);
  if (!unit) throw std::invalid_argument("unknown unit \"" + std::string(q.unit) + "\"; use " + units);
  return scale(q, unit->factor, counted);
}

// The value in the largest unit of `names` that divides it exactly, if any.
template <std::size_t N>
std::optional<std::string> format_exact(std::uint64_t value, const std::array<Unit, N> &names) {
  for (const Unit &u : names)
    if (value && value % u.factor == 0) return std::to_string(value / u.factor) + std::string(u.name);
  return std::nullopt;
}

}  // namespace

std::uint64_t parse_size(std::string_view text) {
  text = trim(text);
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) return digits_value(text.substr(2), 16);
  const Quantity q = split_quantity(text);
  const Unit *unit = find_unit(kSizeUnits, q.unit);
  if (!unit) reject_size_unit(q.unit);
  return scale(q, unit->factor, "bytes");
}

std::uint64_t parse_duration_ns(std::string_view text) {
  return parse_duration(text, kDurationUnits, "ns, us, ms, s, min or h", "nanoseconds");
}

std::uint64_t parse_duration_ps(std::string_view text) {
  return parse_duration(text, kDurationUnitsPs, "ps, ns, us, ms, s, min or h", "picoseconds");
}

std::uint64_t parse_frequency_hz(std::string_view text) {
  const Quantity q = split_quantity(trim(text));
  const std::string units = "Hz, kHz, MHz or GHz";
  if (q.unit.empty()) throw std::invalid_argument("a frequency needs a unit: " + units);
  const Unit *unit = find_unit(kFrequencyUnits, q.unit);
  if (!unit) throw std::invalid_argument("unknown unit \"" + std::string(q.unit) + "\"; use " + units);
  return scale(q, unit->factor, "hertz");
}

std::string format_size(std::uint64_t bytes) { return format_exact(bytes, kSizeNames).value_or(std::to_string(bytes)); }

std::string format_duration(std::uint64_t ns) { return format_exact(ns, kDurationNames).value_or("0s"); }

std::string format_duration_ps(std::uint64_t ps) {
  if (ps == 0) return "0s";
  if (ps % PS_PER_NS == 0) return format_duration(ps / PS_PER_NS);
  std::string fraction = std::to_string(ps % PS_PER_NS + PS_PER_NS).substr(1);  // zero-padded to 3 digits
  fraction.erase(fraction.find_last_not_of('0') + 1);
  return std::to_string(ps / PS_PER_NS) + "." + fraction + "ns";
}

std::string format_frequency(std::uint64_t hz) { return format_exact(hz, kFrequencyNames).value_or("0Hz"); }

std::string format_hex(std::uint64_t value) {
  std::array<char, 20> buf{};
  const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, 16);
  return "0x" + std::string(buf.data(), end);
}

}  // namespace buddysim::scenario::units
