// The parsers of the scenario's sections, one file each (internal to
// sim/scenario). Each takes a JsonValue, checks every key and value, fills
// in defaults and returns the validated part of the Scenario.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario.h"

namespace buddysim::scenario {

model::MachineLayout parse_machine(const JsonValue &v);      // machine_parser.cpp
HardwareSpec parse_hardware(const JsonValue &v);             // hardware_parser.cpp: machine.hardware
model::AllocatorConfig parse_allocator(const JsonValue &v);  // allocator_parser.cpp
// workload_parser.cpp; `source` is the scenario file, for relative trace paths.
WorkloadSpec parse_workload(const JsonValue &v, const model::MachineLayout &machine,
                            const std::filesystem::path &source);

// What a phase or pattern needs to know while it is parsed.
struct PhaseContext {
  const model::MachineLayout &machine;
  std::uint64_t memory_pages;         // all nodes' memory ranges, for pattern defaults
  const std::vector<Phase> &earlier;  // phases before this entry, for fragment "of"
  std::uint64_t default_start_ns;     // where the previous entry ended
  std::size_t index;                  // position in /workload/phases, for default names
};

// phase_parser.cpp
Phase parse_phase(const JsonValue &v, const PhaseContext &ctx);
std::vector<int> parse_cpus(const JsonValue &v, const model::MachineLayout &machine);
std::vector<int> all_cpus(const model::MachineLayout &machine);
std::uint64_t parse_pages(const JsonValue &v);  // a size that must be whole pages

// record_parser.cpp
RecordSpec parse_record(const JsonValue &v);

// pattern_parser.cpp: a {"pattern": ...} entry as the phases it stands for.
std::vector<Phase> expand_pattern(const JsonValue &v, const PhaseContext &ctx);

}  // namespace buddysim::scenario
