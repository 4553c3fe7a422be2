// Presets, the parameter table and validation. Preset values are copied from
// published simulator configurations (DRAMsim3 for DDR4; JEDEC JESD79-5
// formulas as transcribed by gem5 and Ramulator 2 for DDR5), each cited at
// its preset below and in docs/dram.md.
#include "sim/hw/dram/dram_config.h"

#include "model/spelling.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/hw/dram/dram_address_map.h"

namespace buddysim::hw {
namespace {

// ---- presets ---------------------------------------------------------------

constexpr std::array<std::string_view, 3> kPresetNames = {"DDR4-2400", "DDR4-3200", "DDR5-4800"};

// DRAMsim3 configs/DDR4_8Gb_x8_2400.ini (umd-memsys/DRAMsim3, commit
// 0eb63609d048613b68ad275359bab704d481d2bc): 8Gb x8 devices, 4 bank groups x
// 4 banks, 65536 rows x 1024 columns, BL8, a 64-bit channel of 16384 MB
// (two ranks of eight devices), address_mapping rochrababgco. tRC is not in
// the file: DRAMsim3 derives it as tRAS + tRP. tCK 0.83 ns there; 0.833 ns
// (2400 MT/s) here.
DramConfig ddr4_2400() {
  DramConfig c;
  c.preset = "DDR4-2400";
  c.tCK_ps = 833;
  c.CL = 17, c.CWL = 12, c.tRCD = 17, c.tRP = 17, c.tRAS = 39, c.tRC = 39 + 17;
  c.tCCD_S = 4, c.tCCD_L = 6, c.tRRD_S = 4, c.tRRD_L = 6, c.tFAW = 26;
  c.tWR = 18, c.tWTR_S = 3, c.tWTR_L = 9, c.tRTP = 9;
  c.tRFC = 420, c.tREFI = 9360, c.BL = 8;
  return c;
}

// DRAMsim3 configs/DDR4_8Gb_x8_3200.ini (umd-memsys/DRAMsim3, commits
// 0eb63609d048613b68ad275359bab704d481d2bc and 7bf30ed2fae993575ff8ca5df966a69fbdb90395):
// same organisation as DDR4-2400, tCK 0.63 ns there; 0.625 ns (3200 MT/s)
// here. tRC = tRAS + tRP as in DRAMsim3. These are DramConfig's defaults.
DramConfig ddr4_3200() { return DramConfig{}; }

// DDR5-4800B (JESD79-5 speed bin 40-39-39 at tCK 0.4167 ns), 16Gb x8
// devices: 8 bank groups x 4 banks, 65536 rows x 1024 columns, BL16.
// Cycle counts apply the JEDEC minimums as transcribed in gem5's
// src/python/gem5/components/memory/dram_interfaces/ddr5.py (tRAS 32 ns,
// tRRD_L and tCCD_L max(8nCK, 5 ns), tFAW max(32nCK, ...) for a 1 KB page,
// tWTR_S max(4nCK, 2.5 ns), tWTR_L max(16nCK, 10 ns), tRTP max(12nCK,
// 7.5 ns), tWR 30 ns, CWL = CL - 2) and the refresh tables of Ramulator 2's
// src/dram/impl/DDR5.cpp (CMU-SAFARI/ramulator2: tRFC1 295 ns for 16Gb,
// tREFI 3900 ns), rounded up at tCK = 0.41667 ns. tCK is stored as 416 ps
// (Ramulator 2's tCK_ps). One DIMM = two independent 32-bit subchannels,
// modelled as two channels.
DramConfig ddr5_4800() {
  DramConfig c;
  c.preset = "DDR5-4800";
  c.tCK_ps = 416;
  c.CL = 40, c.CWL = 38, c.tRCD = 39, c.tRP = 39, c.tRAS = 77, c.tRC = 77 + 39;
  c.tCCD_S = 8, c.tCCD_L = 12, c.tRRD_S = 8, c.tRRD_L = 12, c.tFAW = 32;
  c.tWR = 72, c.tWTR_S = 6, c.tWTR_L = 24, c.tRTP = 18;
  c.tRFC = 708, c.tREFI = 9360, c.BL = 16;
  c.channels = 2, c.ranks = 1, c.bankgroups = 8, c.banks_per_group = 4;
  c.rows = 65536, c.columns = 1024, c.device_width = 8, c.bus_width = 32;
  return c;
}

// ---- parameter table -------------------------------------------------------

constexpr std::int64_t kMaxTiming = 1000;         // generous for any DDR4/DDR5 bin
constexpr std::int64_t kMaxRefreshCycle = 10000;  // tRFC of 32Gb DDR5 at 8800 MT/s < 2000
constexpr std::int64_t kMaxRefreshInterval = 1000000;

struct Param {
  DramParamInfo info;
  std::uint32_t DramConfig::*field;  // null for the text-valued parameters
};

using K = ParamKind;
const std::array<Param, 31> kParams = {{
    {{"preset", K::preset, 0, 0, "", "preset to start from; resets every other parameter"}, nullptr},
    {{"tCK", K::integer, 100, 10000, "ps", "clock period"}, &DramConfig::tCK_ps},
    {{"CL", K::integer, 1, kMaxTiming, "cycles", "CAS latency: RD to first data"}, &DramConfig::CL},
    {{"CWL", K::integer, 1, kMaxTiming, "cycles", "CAS write latency: WR to first data"}, &DramConfig::CWL},
    {{"tRCD", K::integer, 1, kMaxTiming, "cycles", "ACT to RD/WR"}, &DramConfig::tRCD},
    {{"tRP", K::integer, 1, kMaxTiming, "cycles", "PRE to ACT"}, &DramConfig::tRP},
    {{"tRAS", K::integer, 1, kMaxTiming, "cycles", "ACT to PRE, same bank"}, &DramConfig::tRAS},
    {{"tRC", K::integer, 1, kMaxTiming, "cycles", "ACT to ACT, same bank"}, &DramConfig::tRC},
    {{"tCCD_S", K::integer, 1, kMaxTiming, "cycles", "CAS to CAS, other bank group"}, &DramConfig::tCCD_S},
    {{"tCCD_L", K::integer, 1, kMaxTiming, "cycles", "CAS to CAS, same bank group"}, &DramConfig::tCCD_L},
    {{"tRRD_S", K::integer, 1, kMaxTiming, "cycles", "ACT to ACT, other bank group"}, &DramConfig::tRRD_S},
    {{"tRRD_L", K::integer, 1, kMaxTiming, "cycles", "ACT to ACT, same bank group"}, &DramConfig::tRRD_L},
    {{"tFAW", K::integer, 1, kMaxTiming, "cycles", "four-activate window per rank"}, &DramConfig::tFAW},
    {{"tWR", K::integer, 1, kMaxTiming, "cycles", "write recovery: end of write data to PRE"}, &DramConfig::tWR},
    {{"tWTR_S", K::integer, 1, kMaxTiming, "cycles", "end of write data to RD, other bank group"}, &DramConfig::tWTR_S},
    {{"tWTR_L", K::integer, 1, kMaxTiming, "cycles", "end of write data to RD, same bank group"}, &DramConfig::tWTR_L},
    {{"tRTP", K::integer, 1, kMaxTiming, "cycles", "RD to PRE"}, &DramConfig::tRTP},
    {{"tRFC", K::integer, 1, kMaxRefreshCycle, "cycles", "refresh cycle time"}, &DramConfig::tRFC},
    {{"tREFI", K::integer, 0, kMaxRefreshInterval, "cycles", "refresh interval per rank (0: no refresh)"},
     &DramConfig::tREFI},
    {{"BL", K::power_of_two, 2, 32, "beats", "burst length"}, &DramConfig::BL},
    {{"channels", K::power_of_two, 1, 64, "", "channels (DDR5: 32-bit subchannels)"}, &DramConfig::channels},
    {{"ranks", K::power_of_two, 1, 16, "", "ranks per channel"}, &DramConfig::ranks},
    {{"bankgroups", K::power_of_two, 1, 16, "", "bank groups per rank"}, &DramConfig::bankgroups},
    {{"banks_per_group", K::power_of_two, 1, 16, "", "banks per bank group"}, &DramConfig::banks_per_group},
    {{"rows", K::power_of_two, 16, 1 << 22, "", "rows per bank"}, &DramConfig::rows},
    {{"columns", K::power_of_two, 16, 1 << 16, "", "columns per row"}, &DramConfig::columns},
    {{"device_width", K::power_of_two, 4, 64, "bits", "data bits per device"}, &DramConfig::device_width},
    {{"bus_width", K::power_of_two, 8, 512, "bits", "data bits per channel"}, &DramConfig::bus_width},
    {{"page_policy", K::page_policy, 0, 0, "", "open | closed (auto-precharge)"}, nullptr},
    {{"mapping", K::mapping, 0, 0, "", "address fields, most significant first"}, nullptr},
    {{"queue_size", K::integer, 1, 4096, "requests", "FR-FCFS window per channel"}, &DramConfig::queue_size},
}};

// ---- did you mean ----------------------------------------------------------

std::optional<std::string_view> closest_key(std::string_view key) {
  std::vector<std::string_view> keys;
  for (const Param &p : kParams) keys.push_back(p.info.key);
  return model::closest_match(key, keys);
}

// ---- lookup and checks -----------------------------------------------------

std::string_view strip_prefix(std::string_view key) {
  constexpr std::string_view kPrefix = "dram.";
  return key.starts_with(kPrefix) ? key.substr(kPrefix.size()) : key;
}

[[noreturn]] void unknown_key(std::string_view key) {
  std::string message = "dram." + std::string(key) + ": unknown parameter";
  if (const auto guess = closest_key(key)) {
    message += " (did you mean dram." + std::string(*guess) + "?)";
  } else {
    message += "; known parameters:";
    for (const Param &p : kParams) message += " " + std::string(p.info.key);
  }
  throw std::invalid_argument(message);
}

const Param &find_param(std::string_view key) {
  for (const Param &p : kParams)
    if (p.info.key == key) return p;
  unknown_key(key);
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

[[noreturn]] void out_of_range(const DramParamInfo &info, const std::string &found) {
  const char *what = info.kind == K::power_of_two ? "a power of two" : "an integer";
  throw std::invalid_argument("dram." + std::string(info.key) + ": expected " + what + " from " +
                              std::to_string(info.min) + " to " + std::to_string(info.max) + ", found " + found);
}

void check_integer(const DramParamInfo &info, std::int64_t value) {
  const bool in_range = value >= info.min && value <= info.max;
  const bool shape_ok =
      info.kind != K::power_of_two || (value > 0 && std::has_single_bit(static_cast<std::uint64_t>(value)));
  if (!in_range || !shape_ok) out_of_range(info, std::to_string(value));
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::string preset_list() {
  std::string list;
  for (std::size_t i = 0; i < kPresetNames.size(); ++i)
    list += (i == 0 ? "" : i + 1 == kPresetNames.size() ? " or " : ", ") + std::string(kPresetNames[i]);
  return list;
}

}  // namespace

const char *to_string(RowOutcome outcome) {
  switch (outcome) {
    case RowOutcome::hit:
      return "hit";
    case RowOutcome::miss:
      return "miss";
    case RowOutcome::conflict:
      return "conflict";
  }
  return "?";
}

const char *to_string(PagePolicy policy) { return policy == PagePolicy::open ? "open" : "closed"; }

DramConfig DramConfig::from_preset(std::string_view name) {
  if (name == "DDR4-2400") return ddr4_2400();
  if (name == "DDR4-3200") return ddr4_3200();
  if (name == "DDR5-4800") return ddr5_4800();
  throw std::invalid_argument("dram.preset: expected " + preset_list() + ", found " + quoted(name));
}

std::span<const std::string_view> DramConfig::preset_names() { return kPresetNames; }

std::span<const DramParamInfo> DramConfig::parameters() {
  static const std::array<DramParamInfo, kParams.size()> infos = [] {
    std::array<DramParamInfo, kParams.size()> out{};
    std::transform(kParams.begin(), kParams.end(), out.begin(), [](const Param &p) { return p.info; });
    return out;
  }();
  return infos;
}

void DramConfig::set_integer(std::string_view key, std::int64_t value) {
  key = strip_prefix(key);
  const Param &p = find_param(key);
  if (!p.field) return set(key, std::string_view(std::to_string(value)));
  check_integer(p.info, value);
  this->*p.field = static_cast<std::uint32_t>(value);
}

void DramConfig::set(std::string_view key, std::string_view value) {
  key = strip_prefix(key);
  const Param &p = find_param(key);
  switch (p.info.kind) {
    case K::integer:
    case K::power_of_two:
      if (const auto number = parse_integer(value)) return set_integer(key, *number);
      out_of_range(p.info, quoted(value));
    case K::page_policy:
      if (value != "open" && value != "closed")
        throw std::invalid_argument("dram.page_policy: expected open or closed, found " + quoted(value));
      page_policy = value == "open" ? PagePolicy::open : PagePolicy::closed;
      return;
    case K::mapping:
      DramAddressMap::parse(value);
      mapping = std::string(value);
      return;
    case K::preset:
      *this = from_preset(value);
      return;
  }
}

std::string DramConfig::get(std::string_view key) const {
  const Param &p = find_param(strip_prefix(key));
  if (p.field) return std::to_string(this->*p.field);
  switch (p.info.kind) {
    case K::page_policy:
      return to_string(page_policy);
    case K::mapping:
      return mapping;
    default:
      return preset;
  }
}

void DramConfig::validate() const {
  // Fields are public, so re-check each one as set() would.
  for (const Param &p : kParams)
    if (p.field) check_integer(p.info, this->*p.field);
  DramAddressMap::parse(mapping);
  if (columns < BL)
    throw std::invalid_argument("dram.columns: expected at least BL (" + std::to_string(BL) + "), found " +
                                std::to_string(columns));
  if (bus_width < device_width)
    throw std::invalid_argument("dram.bus_width: expected at least device_width (" + std::to_string(device_width) +
                                "), found " + std::to_string(bus_width));
  // A refresh must end before the next is due, or refreshes would queue up
  // for ever.
  if (tREFI != 0 && tREFI <= tRFC)
    throw std::invalid_argument("dram.tREFI: expected 0 (no refresh) or more than tRFC (" + std::to_string(tRFC) +
                                "), found " + std::to_string(tREFI));
  // Shifts by 64 are undefined; real memories need well under 48 bits.
  constexpr unsigned kMaxAddressBits = 63;
  const unsigned bits = DramAddressMap(*this).total_bits();
  if (bits > kMaxAddressBits)
    throw std::invalid_argument("dram: the structure needs " + std::to_string(bits) +
                                " address bits, expected at most " + std::to_string(kMaxAddressBits));
}

double DramConfig::peak_bandwidth_gbps() const {
  constexpr double kBeatsPerClock = 2.0;        // double data rate
  constexpr double kGBpsPerBytePerPs = 1000.0;  // 1 B/ps = 1e12 B/s = 1000 GB/s (decimal)
  return channels * (bus_width / 8.0) * kBeatsPerClock / tCK_ps * kGBpsPerBytePerPs;
}

Cycle DramConfig::idle_latency(RowOutcome outcome, bool is_write) const {
  const Cycle column = static_cast<Cycle>(is_write ? CWL : CL) + burst_cycles();
  switch (outcome) {
    case RowOutcome::hit:
      return column;
    case RowOutcome::miss:
      return tRCD + column;
    case RowOutcome::conflict:
      return tRP + tRCD + column;
  }
  return column;
}

}  // namespace buddysim::hw
