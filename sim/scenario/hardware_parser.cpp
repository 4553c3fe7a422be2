// The "machine.hardware" section: the CPUs' clock and timing mode, the
// private cache, the coherence and interconnect latencies, the path to the
// memory controller and the DRAM. Every key defaults to the hardware model's
// own default (sim/hw/**). DRAM parameters go through hw::DramConfig's
// set-by-name, so a scenario accepts the names, values and checks that
// `buddysim dram` does.
#include <algorithm>
#include <array>
#include <bit>
#include <optional>
#include <stdexcept>
#include <utility>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"
#include "sim/scenario/units.h"

namespace buddysim::scenario {
namespace {

using namespace std::string_view_literals;

constexpr std::uint64_t kHzPerMhz = 1'000'000;
constexpr std::uint64_t kMinClockHz = 100 * kHzPerMhz, kMaxClockHz = 10'000 * kHzPerMhz;
constexpr hw::Ps kMinQuantumPs = hw::PS_PER_NS, kMaxQuantumPs = 1'000'000 * hw::PS_PER_NS;  // 1 ns .. 1 ms
// Two orders of magnitude above any on-chip or socket-to-socket latency: a
// larger value is a unit typo ("45us" for "45ns").
constexpr hw::Ps kMaxLatencyPs = 10'000 * hw::PS_PER_NS;  // 10 us
constexpr std::int64_t kMaxCycles = 1000;
// Each CPU's cache takes size / 8 bytes of host memory, with up to 1024 CPUs.
constexpr std::uint64_t kMaxCacheBytes = 256ull << 20;
constexpr std::string_view kBandwidthWhat = "a number from 0.1 to 100000 (GB/s per link and direction)";
constexpr std::array kTimingModes{"loosely-timed"sv, "exact"sv};

// A latency below 10 us; above 0 unless `zero_ok`.
hw::Ps latency(const JsonValue &v, bool zero_ok) {
  const hw::Ps ps = v.duration_ps();
  if ((!zero_ok && ps == 0) || ps >= kMaxLatencyPs)
    v.expected(zero_ok ? "a duration below 10us" : "a duration above 0 and below 10us");
  return ps;
}

std::uint32_t cycles(const JsonValue &v) { return static_cast<std::uint32_t>(v.integer(1, kMaxCycles)); }

void parse_cpu(const JsonValue &v, HardwareSpec &h) {
  v.check_keys(keys::kHardwareCpu, "an object such as {\"clock\": \"2.5GHz\", \"quantum\": \"1us\"}");
  if (auto c = v.get("clock")) {
    const std::uint64_t hz = c->frequency_hz();
    if (hz < kMinClockHz || hz > kMaxClockHz) c->expected("a frequency from 100MHz to 10GHz");
    if (hz % kHzPerMhz) c->expected("a whole number of MHz");
    h.cpu_clock_mhz = static_cast<std::uint32_t>(hz / kHzPerMhz);
  }
  if (auto q = v.get("quantum")) {
    h.quantum_ps = q->duration_ps();
    if (h.quantum_ps < kMinQuantumPs || h.quantum_ps > kMaxQuantumPs) q->expected("a duration from 1ns to 1ms");
  }
  if (auto t = v.get("timing")) h.exact = t->choice(kTimingModes) == "exact";
}

// PrivateCache's rule: size = ways x 64 bytes x a power of two (the sets).
// Empty when the geometry keeps it, else what to write instead.
std::optional<std::string> cache_geometry_fix(const hw::PrivateCacheConfig &c) {
  const std::uint64_t set_bytes = hw::LINE_BYTES * c.ways;
  const std::uint64_t sets = c.size_bytes / set_bytes;
  if (c.size_bytes % set_bytes == 0 && std::has_single_bit(sets)) return std::nullopt;
  const std::uint64_t below = set_bytes * std::bit_floor(std::max<std::uint64_t>(sets, 1));
  return "ways (" + std::to_string(c.ways) + ") x 64 bytes x a power of two (the sets), such as \"" +
         units::format_size(below) + "\" or \"" + units::format_size(2 * below) + "\"";
}

void parse_cache(const JsonValue &v, hw::MemorySystemConfig &m) {
  v.check_keys(keys::kHardwareCache, "an object such as {\"size\": \"1MiB\", \"ways\": 16}");
  hw::PrivateCacheConfig &cache = m.directory.cache;
  const auto ways = v.get("ways");
  if (ways) cache.ways = static_cast<std::uint32_t>(ways->integer(1, hw::PrivateCache::MAX_WAYS));
  const auto size = v.get("size");
  if (size) {
    cache.size_bytes = size->size_bytes();
    if (cache.size_bytes > kMaxCacheBytes) size->expected("a size of at most 256MiB");
  }
  if (const auto fix = cache_geometry_fix(cache)) {
    if (size) size->expected("a size of " + *fix);
    ways->fail("the default size " + units::format_size(cache.size_bytes) + " does not fit " +
               std::to_string(cache.ways) + " ways; give a \"size\" of " + *fix);
  }
  if (auto hit = v.get("hit_cycles")) m.coherence.private_hit_cycles = cycles(*hit);
}

void parse_coherence(const JsonValue &v, hw::CoherenceTimingConfig &c) {
  v.check_keys(keys::kHardwareCoherence, "an object such as {\"same_socket_transfer\": \"45ns\"}");
  if (auto d = v.get("directory_lookup_cycles")) c.directory_lookup_cycles = cycles(*d);
  using Field = hw::Ps hw::CoherenceTimingConfig::*;
  constexpr std::array<std::pair<std::string_view, Field>, 4> kLatencies{{
      {"same_socket_transfer", &hw::CoherenceTimingConfig::same_socket_transfer_ps},
      {"cross_socket_transfer", &hw::CoherenceTimingConfig::cross_socket_transfer_ps},
      {"same_socket_invalidation", &hw::CoherenceTimingConfig::same_socket_invalidation_ps},
      {"cross_socket_invalidation", &hw::CoherenceTimingConfig::cross_socket_invalidation_ps},
  }};
  for (const auto &[key, field] : kLatencies)
    if (auto l = v.get(key)) c.*field = latency(*l, false);
}

void parse_interconnect(const JsonValue &v, hw::InterconnectConfig &ic) {
  v.check_keys(keys::kHardwareInterconnect, "an object such as {\"hop_latency\": \"23.361ns\"}");
  if (auto hop = v.get("hop_latency")) ic.hop_ps = latency(*hop, false);
  if (auto bw = v.get("link_bandwidth_gbps")) ic.link_bandwidth_gbps = bw->number(0.1, 100'000, kBandwidthWhat);
}

// ---- dram --------------------------------------------------------------------

const std::vector<std::string_view> &dram_keys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> out;
    for (const hw::DramParamInfo &p : hw::DramConfig::parameters()) out.push_back(p.key);
    return out;
  }();
  return keys;
}

const hw::DramParamInfo &dram_param(std::string_view key) {
  const auto params = hw::DramConfig::parameters();
  return *std::find_if(params.begin(), params.end(), [&](const hw::DramParamInfo &p) { return p.key == key; });
}

// DramConfig's messages read "dram.<key>: <what>" or "dram: <what>". The
// JSON pointer names the key, so only <what> is kept; a key the scenario did
// not give (a value from the preset) is named in the message instead.
[[noreturn]] void dram_error(const JsonValue &dram, const hw::DramConfig &c, const std::invalid_argument &e) {
  constexpr std::string_view kKeyPrefix = "dram.", kSeparator = ": ";
  std::string_view text = e.what(), key;
  const std::size_t separator = text.find(kSeparator);
  if (separator != std::string_view::npos) {
    if (text.starts_with(kKeyPrefix)) key = text.substr(kKeyPrefix.size(), separator - kKeyPrefix.size());
    if (!key.empty() || text.substr(0, separator) == "dram") text.remove_prefix(separator + kSeparator.size());
  }
  if (!key.empty() && dram.has(key)) dram.child(key).fail(std::string(text));
  if (!key.empty()) dram.fail(std::string(key) + " (from preset " + c.preset + "): " + std::string(text));
  dram.fail(std::string(text));
}

// Integer parameters take JSON integers, the others strings; DramConfig::set()
// checks the value (it reads integers from text, hence the dump).
void set_dram(const JsonValue &dram, const std::string &key, hw::DramConfig &c) {
  const JsonValue v = dram.child(key);
  const hw::DramParamInfo &p = dram_param(key);
  const bool integer = p.kind == hw::ParamKind::integer || p.kind == hw::ParamKind::power_of_two;
  if (integer && !v.is_integer())
    v.expected((p.kind == hw::ParamKind::integer ? "an integer from " : "a power of two from ") +
               std::to_string(p.min) + " to " + std::to_string(p.max));
  if (!integer && !v.is_string()) v.expected("a string such as \"" + c.get(key) + "\"");
  try {
    c.set(key, std::string_view(integer ? v.found() : v.string("")));
  } catch (const std::invalid_argument &e) {
    dram_error(dram, c, e);
  }
}

hw::DramConfig parse_dram(const JsonValue &v) {
  v.check_keys(dram_keys(), "an object of DRAM parameters such as {\"preset\": \"DDR5-4800\", \"tRCD\": 40}");
  hw::DramConfig c;
  // A preset resets every other parameter, so it goes first whatever the key order.
  if (v.has("preset")) set_dram(v, "preset", c);
  for (const std::string &key : v.keys())
    if (key != "preset") set_dram(v, key, c);
  try {
    c.validate();  // the relations between parameters (tREFI > tRFC, columns >= BL, ...)
  } catch (const std::invalid_argument &e) {
    dram_error(v, c, e);
  }
  return c;
}

}  // namespace

HardwareSpec parse_hardware(const JsonValue &v) {
  v.check_keys(keys::kHardware,
               "an object such as {\"cpu\": {\"clock\": \"2.5GHz\"}, \"dram\": {\"preset\": \"DDR4-3200\"}}");
  HardwareSpec h;
  if (auto c = v.get("cpu")) parse_cpu(*c, h);
  h.memory.coherence.cpu_clock_mhz = h.cpu_clock_mhz;
  if (auto c = v.get("cache")) parse_cache(*c, h.memory);
  if (auto c = v.get("coherence")) parse_coherence(*c, h.memory.coherence);
  if (auto i = v.get("interconnect")) parse_interconnect(*i, h.memory.interconnect);
  if (auto p = v.get("memory_controller_path")) h.memory.controller_path_ps = latency(*p, true);
  if (auto d = v.get("dram")) h.memory.dram = parse_dram(*d);
  return h;
}

}  // namespace buddysim::scenario
