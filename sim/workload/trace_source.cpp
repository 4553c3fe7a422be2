#include "sim/workload/trace_source.h"

#include "sim/workload/csv_trace.h"
#include "sim/workload/ftrace_trace.h"

namespace buddysim::workload {

std::unique_ptr<OpSource> make_trace_source(const scenario::TraceSpec &trace) {
  switch (trace.format) {
    case scenario::TraceSpec::Format::Csv:
      return std::make_unique<CsvTrace>(trace);
    case scenario::TraceSpec::Format::Ftrace:
      return std::make_unique<FtraceTrace>(trace);
  }
  return nullptr;  // unreachable: the switch covers every format (-Wswitch)
}

}  // namespace buddysim::workload
