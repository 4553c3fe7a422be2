// A memory request as the DRAM controller receives it, and what became of
// it: its outcome in the row buffer and the cycles of its commands.
#pragma once

#include <cstdint>

#include "sim/hw/dram/dram_address_map.h"
#include "sim/hw/dram/dram_config.h"

namespace buddysim::hw {

struct DramRequest {
  std::uint64_t addr = 0;
  bool is_write = false;
  Cycle arrival_cycle = 0;  // memory-clock cycle it reaches the controller
};

struct DramCompletion {
  static constexpr Cycle kNone = -1;  // a command the request did not need

  std::uint64_t id = 0;  // submission order, from 0
  DramRequest request;
  DramAddress where;
  RowOutcome outcome = RowOutcome::miss;
  Cycle decided_cycle = 0;        // when FR-FCFS picked it for the next column command
  Cycle precharge_cycle = kNone;  // PRE, conflicts only
  Cycle activate_cycle = kNone;   // ACT, misses and conflicts
  Cycle column_cycle = 0;         // RD or WR
  Cycle completion_cycle = 0;     // end of its data burst

  Cycle latency() const { return completion_cycle - request.arrival_cycle; }
};

}  // namespace buddysim::hw
