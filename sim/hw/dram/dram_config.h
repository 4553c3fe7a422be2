// DRAM configuration: DDR timing parameters by their JEDEC names (counted in
// memory-clock cycles, tCK in picoseconds), the structure of one node's
// memory, the page policy, the address mapping and the controller's queue.
// Presets DDR4-2400, DDR4-3200 and DDR5-4800 come from published
// JEDEC-derived simulator configurations (sources in dram_config.cpp and
// docs/dram.md). Every parameter can be set by name; a bad value or an
// unknown name raises std::invalid_argument naming "dram.<key>", the allowed
// values and what was found.
#pragma once

#include <concepts>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace buddysim::hw {

// Memory-clock cycles. Signed so that "long ago" sentinels plus a timing
// constraint stay in the past without wrapping.
using Cycle = std::int64_t;

enum class PagePolicy {
  open,    // a row stays open after an access until a conflict or refresh closes it
  closed,  // every access auto-precharges (RDA/WRA): no row hits, no conflicts
};

// What a request finds in its bank when the scheduler picks it.
enum class RowOutcome {
  hit,       // its row is open: column access only
  miss,      // the bank is closed: activate, then column access
  conflict,  // another row is open: precharge, activate, column access
};

const char *to_string(RowOutcome outcome);
const char *to_string(PagePolicy policy);

// How a parameter's value is checked and shown.
enum class ParamKind {
  integer,       // any integer in [min, max]
  power_of_two,  // a power of two in [min, max] (address fields are bit fields)
  page_policy,   // open | closed
  mapping,       // field order, most significant first
  preset,        // a preset name; setting it resets every other parameter
};

struct DramParamInfo {
  std::string_view key;
  ParamKind kind;
  std::int64_t min;
  std::int64_t max;
  std::string_view unit;         // "cycles", "ps", "" ...
  std::string_view description;  // one line, for docs and --help
};

struct DramConfig {
  // Name of the preset the values started from (parameters set afterwards
  // are not reflected here; the full values are).
  std::string preset = "DDR4-3200";

  // Timing, in memory-clock cycles unless noted.
  std::uint32_t tCK_ps = 625;   // clock period in picoseconds; data rate = 2 / tCK
  std::uint32_t CL = 22;        // RD to first data
  std::uint32_t CWL = 16;       // WR to first data
  std::uint32_t tRCD = 22;      // ACT to RD/WR
  std::uint32_t tRP = 22;       // PRE to ACT (same bank)
  std::uint32_t tRAS = 52;      // ACT to PRE (same bank)
  std::uint32_t tRC = 74;       // ACT to ACT (same bank)
  std::uint32_t tCCD_S = 4;     // CAS to CAS, different bank group
  std::uint32_t tCCD_L = 8;     // CAS to CAS, same bank group
  std::uint32_t tRRD_S = 4;     // ACT to ACT, different bank group (same rank)
  std::uint32_t tRRD_L = 8;     // ACT to ACT, same bank group
  std::uint32_t tFAW = 34;      // window holding at most four ACTs per rank
  std::uint32_t tWR = 24;       // end of write data to PRE (write recovery)
  std::uint32_t tWTR_S = 4;     // end of write data to RD, different bank group
  std::uint32_t tWTR_L = 12;    // end of write data to RD, same bank group
  std::uint32_t tRTP = 12;      // RD to PRE
  std::uint32_t tRFC = 560;     // REF to next command (all banks of the rank)
  std::uint32_t tREFI = 12480;  // REF interval per rank; 0 disables refresh
  std::uint32_t BL = 8;         // burst length in beats; a burst holds the bus BL/2 cycles

  // Structure of one node's memory.
  std::uint32_t channels = 1;         // independent buses (DDR5: subchannels)
  std::uint32_t ranks = 2;            // ranks per channel
  std::uint32_t bankgroups = 4;       // bank groups per rank
  std::uint32_t banks_per_group = 4;  // banks per bank group
  std::uint32_t rows = 65536;         // rows per bank
  std::uint32_t columns = 1024;       // columns per row (device columns)
  std::uint32_t device_width = 8;     // bits per device (x4, x8, x16)
  std::uint32_t bus_width = 64;       // data bits per channel

  PagePolicy page_policy = PagePolicy::open;
  // Address fields from the most significant bits down; the offset inside a
  // burst (bus_width / 8 * BL bytes) sits below the last field.
  std::string mapping = "ro,ch,ra,ba,bg,co";
  std::uint32_t queue_size = 32;  // FR-FCFS window per channel (requests)

  // A preset by name ("DDR4-2400", "DDR4-3200", "DDR5-4800"); throws
  // std::invalid_argument for any other name.
  static DramConfig from_preset(std::string_view name);
  static std::span<const std::string_view> preset_names();
  static std::span<const DramParamInfo> parameters();

  // Sets a parameter by name ("tRCD", "channels", "mapping", "page_policy",
  // "preset"; a leading "dram." is accepted). Throws std::invalid_argument
  // with "dram.<key>: expected ..., found ..." or an unknown-key message with
  // a did-you-mean.
  template <std::integral T>
  void set(std::string_view key, T value) {
    set_integer(key, static_cast<std::int64_t>(value));
  }
  void set(std::string_view key, std::string_view value);
  void set(std::string_view key, const char *value) { set(key, std::string_view(value)); }
  // The value of a parameter as text (the form set() accepts).
  std::string get(std::string_view key) const;

  // Checks every value as set() would (fields are public) and the relations
  // set() cannot check one at a time: columns >= BL, bus_width >=
  // device_width, tREFI 0 or more than tRFC, address fields within 63 bits.
  void validate() const;

  // Derived figures.
  std::uint32_t burst_cycles() const { return BL / 2; }  // double data rate
  std::uint32_t burst_bytes() const { return bus_width / 8 * BL; }
  std::uint32_t banks_per_rank() const { return bankgroups * banks_per_group; }
  double ns(double cycles) const { return cycles * tCK_ps / kPsPerNs; }
  // bus_width / 8 bytes per beat, two beats per clock.
  double peak_bandwidth_gbps() const;
  // Latency of a lone request on an idle channel, from arrival to the end of
  // its data burst: CL (CWL for writes) + BL/2, plus tRCD for a miss, plus
  // tRP + tRCD for a conflict.
  Cycle idle_latency(RowOutcome outcome, bool is_write) const;

  static constexpr double kPsPerNs = 1000.0;

 private:
  void set_integer(std::string_view key, std::int64_t value);
};

}  // namespace buddysim::hw
