// What happened when in a timed run, kept for the two traces a scenario may
// ask for (record.trace: Perfetto trace events; record.vcd: a VCD file):
// operation slices per CPU, lock waits and holds, and free-page counts per
// zone. CPUs run loosely timed, so events arrive roughly but not exactly in
// time order; a Timeline keeps those inside its window, up to its cap, and
// the renderers sort them. Times are picoseconds of simulated time.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/gfp.h"
#include "sim/scenario/scenario.h"

namespace buddysim::record {

using TimePs = std::uint64_t;

struct OpSlice {
  enum class Kind : std::uint8_t { Alloc, Free, Vmstat };
  Kind kind = Kind::Alloc;
  bool ok = true;
  int cpu = 0;
  unsigned order = 0;
  std::uint16_t path = 0;  // model::AllocPath bits
  model::gfp_t gfp = 0;
  std::uint64_t pfn = 0;
  std::uint64_t due_ns = 0;  // when the workload asked for it
  TimePs start = 0, end = 0;
};

struct LockSlice {
  bool wait = false;    // waiting for the lock, else holding it
  bool shared = false;  // a lock other CPUs take (zone locks), not a CPU's own pcp lock
  int cpu = 0;
  std::uint32_t lock = 0;  // index into lock_names()
  TimePs start = 0, end = 0;
};

struct CounterSample {
  std::uint32_t zone = 0;  // index into zone_names()
  std::uint64_t pages = 0;
  TimePs at = 0;
};

class Timeline {
 public:
  Timeline(const scenario::TraceWindow &window, int nr_cpus, std::vector<std::string> zone_names);

  void op(const OpSlice &s);
  void lock(int cpu, const std::string &name, bool shared, bool wait, TimePs start, TimePs end);
  void free_pages(std::uint32_t zone, std::uint64_t pages, TimePs at);

  // Kept events, sorted by start (then longer first, so slices nest), then
  // by CPU; counters by time.
  std::vector<OpSlice> ops() const;
  std::vector<LockSlice> locks() const;
  std::vector<CounterSample> counters() const;
  const std::vector<std::string> &lock_names() const { return lock_names_; }
  const std::vector<std::string> &zone_names() const { return zone_names_; }
  int nr_cpus() const { return nr_cpus_; }
  const scenario::TraceWindow &window() const { return window_; }
  std::uint64_t kept() const { return kept_; }
  // Events left out because the cap was reached (those outside the window are not counted).
  std::uint64_t dropped() const { return dropped_; }

 private:
  bool keep(TimePs start, TimePs end);

  scenario::TraceWindow window_;
  int nr_cpus_;
  std::vector<std::string> zone_names_;
  std::vector<std::string> lock_names_;
  std::map<std::string, std::uint32_t> lock_index_;
  std::vector<OpSlice> ops_;
  std::vector<LockSlice> locks_;
  std::vector<CounterSample> counters_;
  std::uint64_t kept_ = 0, dropped_ = 0;
};

// trace.json: Chrome/Perfetto trace-event JSON (opens in ui.perfetto.dev and
// chrome://tracing). One track per CPU with operations, lock waits and holds
// as nested slices; counters for free pages per zone and waiters per shared
// lock.
std::string render_perfetto(const Timeline &t, const std::string &scenario_name);

// signals.vcd for GTKWave: the chosen signals of VCD_SIGNALS, timescale 1 ps.
std::string render_vcd(const Timeline &t, const std::vector<std::string> &signals);

}  // namespace buddysim::record
