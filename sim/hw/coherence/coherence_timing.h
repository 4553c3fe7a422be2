// Prices an AccessResult (directory.h) in picoseconds from named parameters.
// Defaults describe the reference machine of issue 4: a 2-socket Intel Xeon
// Platinum 8180 (Skylake-SP) class server; docs/hardware-memory.md gives the
// source of every figure.
//
// What is and is not included:
//  - Hit: the private cache's load-to-use latency.
//  - Upgrade: a round trip to the directory, or, when other sharers must be
//    invalidated, the invalidation round trip to the farthest of them (sent
//    in parallel, so the farthest decides).
//  - Transfer*: the published core-to-core hand-off time, end to end
//    (request, snoop, data back), so the caller adds nothing; a write also
//    waits for the farthest invalidation acknowledgement.
//  - Memory: only the on-die directory/LLC lookup that finds no cached copy.
//    The caller adds interconnect hops and DRAM time for the home node.
//  - Writebacks are posted (the caller may charge DRAM/link occupancy).
#pragma once

#include <cstdint>

#include "sim/hw/cache/line.h"
#include "sim/hw/coherence/directory.h"

namespace buddysim::hw {

struct CoherenceTimingConfig {
  // Intel Xeon Platinum 8180: 2.5 GHz base clock (Intel ARK).
  static constexpr std::uint32_t DEFAULT_CPU_CLOCK_MHZ = 2500;
  // Skylake(-SP) L1D load-to-use: 4 cycles (AnandTech, Skylake-X review p.4).
  static constexpr std::uint32_t DEFAULT_PRIVATE_HIT_CYCLES = 4;
  // Skylake-SP L3 latency: 77 cycles (same table): the trip to the LLC slice
  // whose snoop filter plays the directory.
  static constexpr std::uint32_t DEFAULT_DIRECTORY_LOOKUP_CYCLES = 77;
  // nviennot/core-to-core-latency, CAS ping-pong (round trip / 2), Intel
  // same socket: 44 ns Broadwell, 47-48 ns Cascade Lake, 51 ns Ice Lake.
  static constexpr Ps DEFAULT_SAME_SOCKET_TRANSFER_PS = 45 * PS_PER_NS;
  // Same source, Intel dual socket: 108 ns (Ice Lake) .. 136 ns (Cascade Lake).
  static constexpr Ps DEFAULT_CROSS_SOCKET_TRANSFER_PS = 120 * PS_PER_NS;
  // An invalidation takes the same path as a hand-off (request to the holder,
  // acknowledgement back) minus the data payload, so the same figures.
  static constexpr Ps DEFAULT_SAME_SOCKET_INVALIDATION_PS = DEFAULT_SAME_SOCKET_TRANSFER_PS;
  static constexpr Ps DEFAULT_CROSS_SOCKET_INVALIDATION_PS = DEFAULT_CROSS_SOCKET_TRANSFER_PS;

  std::uint32_t cpu_clock_mhz = DEFAULT_CPU_CLOCK_MHZ;
  std::uint32_t private_hit_cycles = DEFAULT_PRIVATE_HIT_CYCLES;
  std::uint32_t directory_lookup_cycles = DEFAULT_DIRECTORY_LOOKUP_CYCLES;
  Ps same_socket_transfer_ps = DEFAULT_SAME_SOCKET_TRANSFER_PS;
  Ps cross_socket_transfer_ps = DEFAULT_CROSS_SOCKET_TRANSFER_PS;
  Ps same_socket_invalidation_ps = DEFAULT_SAME_SOCKET_INVALIDATION_PS;
  Ps cross_socket_invalidation_ps = DEFAULT_CROSS_SOCKET_INVALIDATION_PS;
};

class CoherenceTiming {
 public:
  // Throws std::invalid_argument if the clock is zero.
  explicit CoherenceTiming(const CoherenceTimingConfig &config);

  Ps latency(const AccessResult &result) const {
    return result.kind == AccessKind::Hit ? private_hit_ps_ : miss_latency(result);
  }

  Ps cycles_to_ps(std::uint64_t cycles) const;
  Ps private_hit_ps() const { return private_hit_ps_; }
  Ps directory_lookup_ps() const { return directory_lookup_ps_; }
  const CoherenceTimingConfig &config() const { return config_; }

 private:
  Ps miss_latency(const AccessResult &result) const;
  Ps invalidation_ps(const AccessResult &result) const;

  CoherenceTimingConfig config_;
  Ps private_hit_ps_;
  Ps directory_lookup_ps_;
};

}  // namespace buddysim::hw
