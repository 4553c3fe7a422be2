// The hardware's figures at the end of a timed run, for the results folder:
// /proc/lock_stat and summary.json's "hardware" section (docs/results.md).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/hw/cpu/cpu.h"
#include "sim/hw/lock/lock_table.h"
#include "sim/hw/memory/memory_system.h"
#include "sim/record/hardware_report.h"

namespace buddysim::run {

// end_ns: the simulated length of the run, the base of utilisations and
// bandwidths.
record::HardwareReport make_hardware_report(const hw::MemorySystem &memory, const hw::LockTable &locks,
                                            const std::vector<const hw::Cpu *> &cpus, std::uint64_t end_ns);

}  // namespace buddysim::run
