// `buddysim dram TRACE [--set dram.KEY=VALUE]... [-o OUT.json]`: runs a
// DRAMsim3-format request trace through one node's memory (the DDR4-3200
// preset unless --set dram.preset=... says otherwise) and writes JSON
// statistics (latencies, bandwidth, row hits/misses/conflicts, queueing
// delay), so the model can be compared with other DRAM simulators on the
// same trace. Format and fields: docs/dram.md.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sim/hw/dram/dram_config.h"
#include "sim/hw/dram/dram_stats.h"

namespace buddysim::hw {

// args: everything after "dram". Returns 0 on success, 2 on bad input or
// usage (message on `err`), 1 when the output cannot be written. The JSON
// goes to OUT.json, or to `out` without -o.
int run_dram_command(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

// Builds the configuration from --set values ("dram.KEY=VALUE"): a preset
// first, wherever it appears, then the others in order. Throws
// std::invalid_argument naming the key.
DramConfig dram_config_from_sets(const std::vector<std::string> &sets);

struct DramTraceRun {
  DramConfig config;
  DramStats stats;
  double host_seconds = 0;
};

// Streams the trace at `path` through a controller built from `config`.
// Throws std::invalid_argument for an unreadable file or a bad line.
DramTraceRun run_dram_trace(const DramConfig &config, const std::string &path);

}  // namespace buddysim::hw
