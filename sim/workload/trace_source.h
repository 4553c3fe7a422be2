// Replay of recorded traces: the compact CSV format and ftrace kmem text.
#pragma once

#include <memory>

#include "sim/scenario/scenario.h"
#include "sim/workload/op_source.h"

namespace buddysim::workload {

std::unique_ptr<OpSource> make_trace_source(const scenario::TraceSpec &trace);

}  // namespace buddysim::workload
