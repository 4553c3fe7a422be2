// Timed mode: the hardware model adds time without changing what the
// allocator decides (one CPU), and CPUs contend for the zone lock. Each TEST
// elaborates SystemC once (ctest runs every TEST in its own process).
#include "sim/run/timed_runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>

#include "model/procfs.h"
#include "sim/record/recorder.h"
#include "sim/run/functional_runner.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/workload/generator.h"

namespace buddysim::run {
namespace {

namespace fs = std::filesystem;

fs::path scratch(const std::string &name) {
  return fs::temp_directory_path() / ("buddysim-timed-" + name + "-" + std::to_string(getpid()));
}

// One node of 512 MiB; `cpus` CPUs churn order-0 and order-2 pages.
scenario::Scenario churn(int cpus, bool pcp, const std::string &interarrival,
                         const std::vector<std::string> &sets = {}) {
  return scenario::parse_scenario_text(
      R"({"name": "timed", "seed": 7,
          "machine": {"nodes": [{"cpus": )" +
          std::to_string(cpus) + R"(, "memory": [{"start": "4GiB", "size": "512MiB"}]}], "reserve_memmap": false},
          "allocator": {"pcp": )" +
          (pcp ? "true" : "false") + R"(},
          "workload": {"phases": [{"kind": "random", "cpus": "all", "duration": "3ms",
            "interarrival": {"dist": "exponential", "mean": ")" +
          interarrival + R"("},
            "classes": [{"name": "k", "gfp": "GFP_KERNEL|__GFP_COMP", "orders": {"0": 3, "2": 1},
                         "lifetime": {"dist": "exponential", "mean": "500us"}}]}]}})",
      "timed.json", sets);
}

struct FinalState {
  std::string buddyinfo, pagetypeinfo, vmstat;
};

FinalState state_of(const model::PageAllocator &a) {
  return {model::render_buddyinfo(a), model::render_pagetypeinfo(a), model::render_vmstat(a)};
}

TEST(TimedRunner, OneCpuEndsInTheSameStateWithAndWithoutTheHardwareModel) {
  // Operations 20 us apart: the CPU is never busy when the next one is due,
  // so timing changes when things happen, not what the allocator decides.
  const scenario::Scenario s = churn(1, true, "20us");
  model::PageAllocator functional(s.machine, s.allocator);
  model::PageAllocator timed(s.machine, s.allocator);
  {
    record::ResultsDir dir(scratch("functional"));
    record::Recorder rec(s, functional, dir);
    auto source = workload::make_generator(s);
    FunctionalRunner(s, functional, *source, rec).run();
  }
  std::uint64_t end_ns;
  {
    record::ResultsDir dir(scratch("timed"));
    record::Recorder rec(s, timed, dir);
    auto source = workload::make_generator(s);
    TimedRunner runner(s, timed, *source, rec);
    end_ns = runner.run();
    EXPECT_GT(runner.cpu(0).stats().busy, sc_core::SC_ZERO_TIME);
  }
  const FinalState f = state_of(functional), t = state_of(timed);
  EXPECT_EQ(f.buddyinfo, t.buddyinfo);
  EXPECT_EQ(f.pagetypeinfo, t.pagetypeinfo);
  EXPECT_EQ(f.vmstat, t.vmstat);
  EXPECT_GE(end_ns, 2'900'000u) << "the run lasts about the workload's 3 ms";
  EXPECT_TRUE(timed.check_invariants().empty());
}

TEST(TimedRunner, CpusWithoutPcpListsContendForTheZoneLock) {
  // Eight CPUs allocating every 200 ns on average through the zone lock.
  const scenario::Scenario s = churn(8, false, "200ns");
  model::PageAllocator alloc(s.machine, s.allocator);
  record::ResultsDir dir(scratch("contention"));
  record::Recorder rec(s, alloc, dir);
  auto source = workload::make_generator(s);
  TimedRunner runner(s, alloc, *source, rec);
  runner.run();
  unsigned long contentions = 0, acquisitions = 0;
  for (const auto &lock : runner.locks().snapshot()) {
    if (lock.class_name != "&zone->lock") continue;
    contentions += lock.stats.waittime.nr;
    acquisitions += lock.stats.holdtime.nr;
  }
  EXPECT_GT(acquisitions, 10'000u);
  EXPECT_GT(contentions, 0u) << "eight CPUs must sometimes find the zone lock taken";
  EXPECT_TRUE(alloc.check_invariants().empty());
}

// A timed run of s whose results folder is committed at `out`.
void run_into(const scenario::Scenario &s, const fs::path &out) {
  model::PageAllocator alloc(s.machine, s.allocator);
  record::ResultsDir dir(out);
  record::Recorder rec(s, alloc, dir);
  auto source = workload::make_generator(s);
  TimedRunner(s, alloc, *source, rec).run();
  dir.commit();
}

// Operations run on whichever thread is free, and a CPU blocked on the zone
// lock gets the work handed to it meanwhile when it is done: per CPU, work
// must still run one item at a time, each no earlier than it was due.
TEST(TimedRunner, EachCpuRunsItsWorkInTurnAndNeverEarly) {
  const scenario::Scenario s = churn(8, false, "200ns",
                                     {"workload.phases[0].duration=1ms",
                                      "record.trace={\"format\": \"perfetto\", \"max_events\": 1000000}"});
  const fs::path out = scratch("in-turn");
  run_into(s, out);
  std::ifstream in(out / "trace.json");
  const auto trace = nlohmann::json::parse(in);
  std::map<int, std::vector<std::pair<double, double>>> slices;  // CPU -> (start, end) in us
  std::vector<std::pair<int, std::pair<double, double>>> waits;  // (CPU, (start, end)) of zone-lock waits
  std::size_t ops = 0;
  for (const auto &e : trace["traceEvents"]) {
    if (e["ph"] != "X" || e["pid"] != 0) continue;
    const double start = e["ts"].get<double>(), end = start + e["dur"].get<double>();
    if (e["cat"] == "lock") {
      if (e["name"].get<std::string>().rfind("wait ", 0) == 0) waits.push_back({e["tid"].get<int>(), {start, end}});
      continue;
    }
    slices[e["tid"].get<int>()].emplace_back(start, end);
    if (e["args"].contains("due_ns")) {
      ++ops;
      EXPECT_GE(start * 1000 + 1e-3, e["args"]["due_ns"].get<double>()) << "started before it was due";
    }
  }
  EXPECT_GT(ops, 3'000u);
  ASSERT_GT(waits.size(), 100u) << "eight CPUs without pcp lists wait for the zone lock";
  ASSERT_EQ(slices.size(), 8u);
  for (auto &[cpu, list] : slices) {
    std::sort(list.begin(), list.end());
    for (std::size_t i = 1; i < list.size(); ++i)
      ASSERT_GE(list[i].first + 1e-6, list[i - 1].second) << "cpu " << cpu << ": two operations overlap";
  }
  // While one CPU waits, the others go on: some start an operation inside
  // another CPU's wait.
  std::size_t overlapped = 0;
  for (const auto &[cpu, wait] : waits) {
    for (const auto &[other, list] : slices) {
      if (other == cpu) continue;
      const auto first = std::lower_bound(list.begin(), list.end(), std::make_pair(wait.first, 0.0));
      overlapped += first != list.end() && first->first < wait.second;
    }
  }
  EXPECT_GT(overlapped, waits.size()) << "operations of other CPUs started during waits";
}

TEST(TimedRunner, IntervalSamplesSeeAConsistentAllocator) {
  // Eight busy CPUs: at every sample some are mid-operation. The runner
  // drains them first, and debug_checks verifies the whole allocator there.
  const scenario::Scenario s = churn(8, true, "300ns", {"record.interval=1ms", "allocator.debug_checks=true"});
  const fs::path out = scratch("samples");
  run_into(s, out);
  for (const char *f : {"proc/0001/buddyinfo", "proc/0002/zoneinfo", "proc/lock_stat"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  std::ifstream ts(out / "timeseries.csv");
  std::string line;
  std::vector<std::string> times;
  while (std::getline(ts, line)) times.push_back(line.substr(0, line.find(',')));
  ASSERT_GE(times.size(), 4u);
  EXPECT_EQ(times[1], "1000000") << "rows carry the sample's due time";
  EXPECT_EQ(times[2], "2000000");
}

TEST(TimedRunner, SummaryCarriesLatencyPercentiles) {
  const scenario::Scenario s = churn(2, true, "5us");
  const fs::path out = scratch("latency");
  run_into(s, out);
  std::ifstream in(out / "summary.json");
  const std::string summary((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char *key : {"\"latency_ns\"", "\"alloc_by_path\"", "\"pcp_hit\"", "\"p99.9\"", "\"by_cpu\""})
    EXPECT_NE(summary.find(key), std::string::npos) << key;
}

}  // namespace
}  // namespace buddysim::run
