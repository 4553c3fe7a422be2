// One node's DRAM: the address map and one DramChannel per channel. Plain
// C++ (no SystemC): the SystemC Dram module and `buddysim dram` both drive
// it. Event-driven: cost is per request, not per memory clock.
//
// Use: submit requests in non-decreasing arrival order, then advance(until)
// to make every scheduling decision due at or before `until`. A decision at
// cycle t sees the requests that arrived by t, so call advance(until) only
// once no request arriving at or before `until` is still to be submitted
// (`buddysim dram` calls advance(arrival - 1) before each submit).
// Completions carry the cycle each request's data burst ends. drain()
// finishes everything. The scheduling model is described in dram_channel.h
// and docs/dram.md.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/hw/dram/dram_address_map.h"
#include "sim/hw/dram/dram_channel.h"
#include "sim/hw/dram/dram_config.h"
#include "sim/hw/dram/dram_request.h"
#include "sim/hw/dram/dram_stats.h"

namespace buddysim::hw {

class DramController {
 public:
  using Request = DramRequest;
  using Completion = DramCompletion;
  static constexpr Cycle kNever = DramChannel::kNever;

  // Validates `config` (std::invalid_argument naming the parameter).
  explicit DramController(DramConfig config);

  // Queues a request and returns its id (0, 1, 2, ...). Throws
  // std::invalid_argument for a negative or decreasing arrival cycle.
  std::uint64_t submit(const Request &request);
  // Makes every decision due at or before `until` (every request arriving
  // by then must have been submitted); appends the requests served to
  // `completed` unless it is null. Returns how many were served.
  std::size_t advance(Cycle until, std::vector<Completion> *completed = nullptr);
  // Serves every queued request.
  std::size_t drain(std::vector<Completion> *completed = nullptr) { return advance(kNever, completed); }
  // The earliest cycle at which advance() has a decision to make, kNever
  // when nothing is queued: a SystemC wrapper schedules its next wake-up here.
  Cycle next_decision_cycle() const;
  std::size_t pending() const;

  // What a request to `addr` would find in its bank now, and the latency it
  // would see on an idle channel: the single-request query for models that
  // charge a latency without queueing.
  RowOutcome classify(std::uint64_t addr) const;
  Cycle idle_latency(RowOutcome outcome, bool is_write) const { return config_.idle_latency(outcome, is_write); }

  DramAddress decode(std::uint64_t addr) const { return map_.decode(addr); }
  const DramAddressMap &address_map() const { return map_; }
  const DramConfig &config() const { return config_; }
  DramStats stats() const;

 private:
  DramConfig config_;
  DramAddressMap map_;
  std::vector<DramChannel> channels_;
  std::uint64_t next_id_ = 0;
  Cycle last_arrival_ = 0;
};

}  // namespace buddysim::hw
