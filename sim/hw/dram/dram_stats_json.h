// DRAM figures as JSON, shared by `buddysim dram` and the timed run's
// summary.json so both name and compute them the same way.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/hw/dram/dram_config.h"
#include "sim/hw/dram/dram_stats.h"

namespace buddysim::hw {

// One channel's (or a total's) counters and averages over `cycles` of
// simulated time.
nlohmann::ordered_json dram_stats_json(const DramChannelStats &s, const DramConfig &config, Cycle cycles);
// Every parameter by name, numbers as numbers.
nlohmann::ordered_json dram_config_json(const DramConfig &config);

}  // namespace buddysim::hw
