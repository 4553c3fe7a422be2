// Counters of one DRAM channel and their derived averages. A request's
// queueing delay is its latency minus the idle latency of its own outcome
// (DramConfig::idle_latency): the time it lost to other requests, refresh
// and timing constraints of other banks, so a lone request has none.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/hw/dram/dram_config.h"

namespace buddysim::hw {

struct DramChannelStats {
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t row_hits = 0;
  std::uint64_t row_misses = 0;
  std::uint64_t row_conflicts = 0;
  std::uint64_t refreshes = 0;
  std::uint64_t read_latency_sum = 0;   // cycles, arrival to end of data
  std::uint64_t write_latency_sum = 0;  // cycles, arrival to end of write data
  std::uint64_t queue_delay_sum = 0;    // cycles
  Cycle last_completion = 0;            // latest end of data burst

  std::uint64_t requests() const { return reads + writes; }
  double avg_read_latency() const { return ratio(read_latency_sum, reads); }
  double avg_write_latency() const { return ratio(write_latency_sum, writes); }
  double avg_queue_delay() const { return ratio(queue_delay_sum, requests()); }
  double row_hit_rate() const { return ratio(row_hits, requests()); }
  // Bytes moved over `cycles` of simulated time, in decimal GB/s.
  double bandwidth_gbps(const DramConfig &config, Cycle cycles) const;

  void add(const DramChannelStats &other);

 private:
  static double ratio(std::uint64_t sum, std::uint64_t count) {
    return count == 0 ? 0.0 : static_cast<double>(sum) / static_cast<double>(count);
  }
};

struct DramStats {
  std::vector<DramChannelStats> channels;

  DramChannelStats total() const;
  // Simulated time: cycle 0 to the end of the last data burst.
  Cycle simulated_cycles() const { return total().last_completion; }
};

}  // namespace buddysim::hw
