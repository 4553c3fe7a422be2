#include "sim/hw/dram/dram_stats.h"

#include <algorithm>

namespace buddysim::hw {

double DramChannelStats::bandwidth_gbps(const DramConfig &config, Cycle cycles) const {
  if (cycles <= 0) return 0.0;
  constexpr double kGBpsPerBytePerPs = 1000.0;  // 1 B/ps = 1e12 B/s = 1000 GB/s (decimal)
  const double bytes = static_cast<double>(requests()) * config.burst_bytes();
  return bytes / (static_cast<double>(cycles) * config.tCK_ps) * kGBpsPerBytePerPs;
}

void DramChannelStats::add(const DramChannelStats &other) {
  reads += other.reads;
  writes += other.writes;
  row_hits += other.row_hits;
  row_misses += other.row_misses;
  row_conflicts += other.row_conflicts;
  refreshes += other.refreshes;
  read_latency_sum += other.read_latency_sum;
  write_latency_sum += other.write_latency_sum;
  queue_delay_sum += other.queue_delay_sum;
  last_completion = std::max(last_completion, other.last_completion);
}

DramChannelStats DramStats::total() const {
  DramChannelStats sum;
  for (const DramChannelStats &c : channels) sum.add(c);
  return sum;
}

}  // namespace buddysim::hw
