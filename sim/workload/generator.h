// Seeded, reproducible workload generators: per-CPU streams built from the
// scenario's phases.
#pragma once

#include <memory>

#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::workload {

std::unique_ptr<OpSource> make_generator(const scenario::Scenario &scenario);

}  // namespace buddysim::workload
