// What a timed run adds to its results: the lock_stat file and the
// hardware's figures for summary.json (locks, DRAM channels, interconnect
// links, CPUs). Built by sim/run/hardware_report.cpp, which knows the
// hardware; the recorder only writes it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace buddysim::record {

struct HardwareReport {
  std::string lock_stat;          // proc/lock_stat, the kernel's layout
  nlohmann::ordered_json summary;  // summary.json "hardware"
};

}  // namespace buddysim::record
