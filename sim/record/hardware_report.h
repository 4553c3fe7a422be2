// What a timed run adds to its results: the lock_stat file, the
// hardware's figures for summary.json (locks, DRAM channels, interconnect
// links, CPUs) and the traces the scenario asked for. Built by sim/run/hardware_report.cpp, which knows the
// hardware; the recorder only writes it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace buddysim::record {

struct HardwareReport {
  std::string lock_stat;          // proc/lock_stat, the kernel's layout
  nlohmann::ordered_json summary;  // summary.json "hardware"
  // Other files by name in the results folder: trace.json, signals.vcd.
  std::vector<std::pair<std::string, std::string>> files;
};

}  // namespace buddysim::record
