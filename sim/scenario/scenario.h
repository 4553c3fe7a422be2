// A validated scenario: the machine, the allocator settings, the workload and
// what to record. Produced by parse_scenario() (scenario_parser.h) from JSON;
// every field here has been range-checked, every default filled in.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/gfp.h"
#include "model/machine_layout.h"
#include "sim/hw/memory/memory_system.h"  // plain C++, no SystemC

namespace buddysim::scenario {

// A random duration (lifetimes, inter-arrival times), in nanoseconds.
struct Distribution {
  enum class Kind {
    Fixed,          // always value_ns
    Exponential,    // mean value_ns
    Uniform,        // uniform in [value_ns, max_ns]
    UntilPhaseEnd,  // lifetimes only: freed when the phase ends
    Forever,        // lifetimes only: never freed
  };
  Kind kind = Kind::Fixed;
  std::uint64_t value_ns = 0;
  std::uint64_t max_ns = 0;
};

// One class of allocations: a GFP mask, an order mix and a lifetime.
struct AllocClass {
  std::string name;  // reported per class in summary.json
  double weight = 1;
  model::gfp_t gfp = model::gfp::KERNEL;
  std::vector<double> order_weights;  // index = order (0..10); sums to > 0
  Distribution lifetime;
};

enum class PhaseKind {
  Random,    // allocations drawn from classes at the inter-arrival rate
  Fill,      // allocate (no frees) until fill_pages are live, or until the first failure if 0
  Fragment,  // free the blocks a Fill phase allocated, keeping every keep_every-th one
  Burst,     // like Random, but active only burst_on_ns out of every burst_period_ns
};

struct Phase {
  std::string name;
  PhaseKind kind = PhaseKind::Random;
  std::vector<int> cpus;          // CPUs running this phase, each with its own stream; never empty
  std::uint64_t start_ns = 0;     // from the start of the workload
  std::uint64_t duration_ns = 0;  // > 0; Fill and Fragment may finish earlier
  Distribution interarrival;      // per CPU, between consecutive operations of that CPU
  std::vector<AllocClass> classes;
  std::uint64_t target_live_pages = 0;  // Random/Burst: above this live set a CPU frees its oldest block first
  std::uint64_t fill_pages = 0;         // Fill
  std::string fragment_of;              // Fragment: the name of an earlier Fill phase
  unsigned keep_every = 2;              // Fragment: 2 frees every other block
  std::uint64_t burst_on_ns = 0;        // Burst
  std::uint64_t burst_period_ns = 0;    // Burst
};

struct TraceSpec {
  enum class Format { Csv, Ftrace };
  // strict: the first bad line stops the run (exit 2); lenient: count, report, skip.
  enum class Policy { Strict, Lenient };
  Format format = Format::Csv;
  std::filesystem::path path;  // resolved against the scenario's folder
  Policy policy = Policy::Strict;
};

struct WorkloadSpec {
  std::vector<Phase> phases;       // generators; empty when a trace is replayed
  std::optional<TraceSpec> trace;  // exclusive with phases
};

// Which part of a timed run a trace covers, and how much of it at most, so a
// long run cannot fill the disk.
struct TraceWindow {
  // About 45 MB of trace JSON: what chrome://tracing still opens comfortably.
  static constexpr std::uint64_t DEFAULT_MAX_EVENTS = 250'000;
  std::uint64_t start_ns = 0;
  std::uint64_t duration_ns = 0;  // 0 = to the end of the run
  std::uint64_t max_events = DEFAULT_MAX_EVENTS;
};

// Signals a VCD file can carry, in the order they are declared in it.
inline constexpr std::array<std::string_view, 4> VCD_SIGNALS = {"cpu_state", "lock_owner", "lock_queue",
                                                                "free_pages"};

struct RecordSpec {
  std::uint64_t interval_ns = 0;  // timeseries rows and numbered /proc snapshots; 0 = end only
  bool ops = false;               // write ops.csv
  bool perfetto = false;          // write trace.json (Chrome/Perfetto trace events)
  TraceWindow trace;
  bool vcd = false;  // write signals.vcd
  std::vector<std::string> vcd_signals;  // a subset of VCD_SIGNALS, in that order
  TraceWindow vcd_window;
};

// The simulated hardware of timed runs ("machine.hardware"). Every default is
// the hardware model's own (sim/hw/**, sources in docs/hardware*.md).
struct HardwareSpec {
  std::uint32_t cpu_clock_mhz = hw::CoherenceTimingConfig::DEFAULT_CPU_CLOCK_MHZ;
  std::uint64_t quantum_ps = 1'000'000;  // tlm_quantumkeeper global quantum (1 us)
  bool exact = false;                    // synchronise on every memory access
  // memory.coherence.cpu_clock_mhz equals cpu_clock_mhz. directory.cpu_socket
  // and interconnect.distance are left empty: the timed runner fills them
  // from the machine.
  hw::MemorySystemConfig memory;
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  std::filesystem::path source;  // the scenario file, for messages and relative paths
  model::MachineLayout machine;
  HardwareSpec hardware;  // from machine.hardware
  model::AllocatorConfig allocator;
  WorkloadSpec workload;
  RecordSpec record;
};

}  // namespace buddysim::scenario
