#include "sim/hw/coherence/coherence_timing.h"

#include <algorithm>
#include <stdexcept>

namespace buddysim::hw {
namespace {

constexpr std::uint64_t PS_PER_MHZ_CYCLE = 1'000'000;  // one cycle at 1 MHz, in ps

const CoherenceTimingConfig &checked(const CoherenceTimingConfig &config) {
  if (config.cpu_clock_mhz == 0) throw std::invalid_argument("coherence.cpu_clock_mhz: expected > 0, found 0");
  return config;
}

}  // namespace

CoherenceTiming::CoherenceTiming(const CoherenceTimingConfig &config)
    : config_(checked(config)),
      private_hit_ps_(cycles_to_ps(config.private_hit_cycles)),
      directory_lookup_ps_(cycles_to_ps(config.directory_lookup_cycles)) {}

// Rounded to the nearest picosecond: 2500 MHz gives exactly 400 ps a cycle.
Ps CoherenceTiming::cycles_to_ps(std::uint64_t cycles) const {
  const std::uint64_t mhz = config_.cpu_clock_mhz;
  return (cycles * PS_PER_MHZ_CYCLE + mhz / 2) / mhz;
}

// Invalidations go out in parallel: the farthest acknowledgement decides.
Ps CoherenceTiming::invalidation_ps(const AccessResult &result) const {
  if (result.cross_socket_invalidations > 0) return config_.cross_socket_invalidation_ps;
  if (result.invalidations > 0) return config_.same_socket_invalidation_ps;
  return 0;
}

Ps CoherenceTiming::miss_latency(const AccessResult &result) const {
  switch (result.kind) {
    case AccessKind::Hit:  // latency() answers these itself
      return private_hit_ps_;
    case AccessKind::Upgrade:
      return std::max(directory_lookup_ps_, invalidation_ps(result));
    case AccessKind::TransferSameSocket:
      return std::max(config_.same_socket_transfer_ps, invalidation_ps(result));
    case AccessKind::TransferCrossSocket:
      return std::max(config_.cross_socket_transfer_ps, invalidation_ps(result));
    case AccessKind::Memory:
      return directory_lookup_ps_;
  }
  return 0;
}

}  // namespace buddysim::hw
