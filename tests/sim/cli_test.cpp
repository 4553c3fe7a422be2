// End-to-end tests of the buddysim command line: exit codes, messages, the
// results folder and determinism. Each runs the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_support.h"

namespace {

using namespace buddysim::test;
namespace fs = std::filesystem;

const std::string scenarios = BUDDYSIM_SCENARIOS;
// Keeps end-to-end runs short: the default's single phase lasts 0.2 simulated seconds.
const std::string short_default = "--set workload.phases[0].duration=200ms --set record.interval=100ms";

TEST(Cli, HelpPrintsUsageAndExitsZero) {
  const Outcome o = run_buddysim("--help");
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("usage: buddysim run"), std::string::npos) << o.out;
}

TEST(Cli, VersionNamesTheKernel) {
  const Outcome o = run_buddysim("--version");
  EXPECT_EQ(o.code, 0);
  EXPECT_NE(o.out.find("Linux 6.18"), std::string::npos) << o.out;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  const Outcome o = run_buddysim("frobnicate");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.out.find("unknown command 'frobnicate'"), std::string::npos) << o.out;
}

TEST(Cli, ValidateAcceptsEveryShippedScenario) {
  for (const auto &entry : fs::directory_iterator(scenarios)) {
    if (entry.path().extension() != ".json") continue;
    const Outcome o = run_buddysim("validate " + entry.path().string());
    EXPECT_EQ(o.code, 0) << entry.path() << ": " << o.out;
  }
}

TEST(Cli, BadScenarioExitsTwoNamingFileAndPointer) {
  const fs::path d = scratch("bad");
  std::ofstream(d / "bad.json") << R"({"name": "x", "machine": {"nodes": [{"cpus": "eight", "memory": "1GiB"}]}})";
  const Outcome o = run_buddysim("validate " + (d / "bad.json").string());
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.out.find("bad.json"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("/machine/nodes/0/cpus"), std::string::npos) << o.out;
}

TEST(Cli, RunWritesACompleteResultsFolder) {
  const fs::path d = scratch("run");
  const Outcome o = run_buddysim("run " + scenarios + "/default.json -o " + (d / "r").string() + " " + short_default);
  ASSERT_EQ(o.code, 0) << o.out;
  for (const char *f : {"config.json", "summary.json", "run-info.json", "timeseries.csv", "proc/buddyinfo",
                        "proc/pagetypeinfo", "proc/zoneinfo", "proc/vmstat", "proc/extfrag_index",
                        "proc/unusable_index", "proc/0001/buddyinfo"})
    EXPECT_TRUE(fs::exists(d / "r" / f)) << f;
  EXPECT_FALSE(fs::exists(d / ".r.partial"));
  EXPECT_NE(slurp(d / "r/proc/buddyinfo").find("Node 0, zone      DMA "), std::string::npos);
}

TEST(Cli, TimedRunRecordsLatencyLocksAndHardware) {
  const fs::path d = scratch("timed");
  const Outcome o = run_buddysim("run " + scenarios + "/default.json -q -o " + (d / "r").string() + " " + short_default +
                             " --set record.ops=true");
  ASSERT_EQ(o.code, 0) << o.out;
  const std::string lock_stat = slurp(d / "r/proc/lock_stat");
  EXPECT_EQ(lock_stat.rfind("lock_stat version 0.4\n", 0), 0u) << lock_stat;
  EXPECT_NE(lock_stat.find("&zone->lock"), std::string::npos) << lock_stat;
  const std::string summary = slurp(d / "r/summary.json");
  for (const char *key : {"\"latency_ns\"", "\"hardware\"", "\"locks\"", "\"dram\"", "\"row_hit_rate\"",
                          "\"spinning_ns\"", "\"interconnect\""})
    EXPECT_NE(summary.find(key), std::string::npos) << key;
  std::ifstream ops(d / "r/ops.csv");
  std::string header, row;
  std::getline(ops, header);
  std::getline(ops, row);
  EXPECT_EQ(header, "seq,time_ns,cpu,op,tag,order,gfp,pfn,result,path,latency_ns");
  EXPECT_NE(row.find(",ok,"), std::string::npos) << row;
  EXPECT_NE(row.back(), ',') << "a timed run gives every operation a latency: " << row;
}

TEST(Cli, TimedRunWritesBoundedPerfettoAndVcdTraces) {
  const fs::path d = scratch("traces");
  const Outcome o = run_buddysim("run " + scenarios + "/pcp-on-vs-off.json -q -o " + (d / "r").string() +
                                 " --set allocator.pcp=false --set 'workload.phases[0].duration=2ms'"
                                 " --set 'record.trace={\"format\": \"perfetto\", \"max_events\": 5000}'"
                                 " --set 'record.vcd={\"signals\": [\"lock_owner\", \"lock_queue\"]}'");
  ASSERT_EQ(o.code, 0) << o.out;
  const auto trace = nlohmann::json::parse(slurp(d / "r/trace.json"));
  std::size_t slices = 0, lock_slices = 0;
  for (const auto &e : trace["traceEvents"]) {
    slices += e["ph"] == "X";
    lock_slices += e["ph"] == "X" && e["cat"] == "lock";
  }
  EXPECT_GT(lock_slices, 0u) << "eight CPUs without pcp lists wait for and hold the zone lock";
  EXPECT_LE(slices, 5000u) << "max_events bounds the trace";
  EXPECT_GT(trace["otherData"]["events_dropped_at_cap"].get<unsigned long>(), 0u);
  const std::string vcd = slurp(d / "r/signals.vcd");
  EXPECT_NE(vcd.find("zone__lock_node0_Normal_owner"), std::string::npos);
  EXPECT_EQ(vcd.find("cpu0_state"), std::string::npos) << "only the signals asked for";
}

TEST(Cli, FunctionalRunRefusesTraces) {
  const Outcome o = run_buddysim("run " + scenarios + "/default.json -q --functional --set record.trace=perfetto -o " +
                                 (scratch("functional-trace") / "r").string());
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.out.find("record.trace and record.vcd need simulated time"), std::string::npos) << o.out;
}

TEST(Cli, FunctionalRunHasNoTimingFigures) {
  const fs::path d = scratch("functional");
  const Outcome o = run_buddysim("run " + scenarios + "/default.json -q --functional -o " + (d / "r").string() + " " +
                             short_default + " --set record.ops=true");
  ASSERT_EQ(o.code, 0) << o.out;
  EXPECT_FALSE(fs::exists(d / "r/proc/lock_stat"));
  EXPECT_EQ(slurp(d / "r/summary.json").find("\"latency_ns\""), std::string::npos);
  std::ifstream ops(d / "r/ops.csv");
  std::string row;
  std::getline(ops, row);
  std::getline(ops, row);
  EXPECT_EQ(row.back(), ',') << "no latency without the hardware model: " << row;
}

TEST(Cli, SameSeedGivesByteIdenticalResults) {
  const fs::path d = scratch("determinism");
  for (const char *name : {"a", "b"}) {
    const Outcome o = run_buddysim("run " + scenarios + "/default.json --quiet -o " + (d / name).string() + " " +
                               short_default + " --set record.ops=true");
    ASSERT_EQ(o.code, 0) << o.out;
  }
  for (const auto &entry : fs::recursive_directory_iterator(d / "a")) {
    if (!entry.is_regular_file() || entry.path().filename() == "run-info.json") continue;
    const fs::path other = d / "b" / fs::relative(entry.path(), d / "a");
    EXPECT_EQ(slurp(entry.path()), slurp(other)) << entry.path();
  }
}

TEST(Cli, DifferentSeedsGiveDifferentOperations) {
  const fs::path d = scratch("seeds");
  ASSERT_EQ(run_buddysim("run " + scenarios + "/default.json -q --seed 1 -o " + (d / "a").string() + " " + short_default +
                     " --set record.ops=true")
                .code,
            0);
  ASSERT_EQ(run_buddysim("run " + scenarios + "/default.json -q --seed 2 -o " + (d / "b").string() + " " + short_default +
                     " --set record.ops=true")
                .code,
            0);
  EXPECT_NE(slurp(d / "a/ops.csv"), slurp(d / "b/ops.csv"));
}

TEST(Cli, ShowConfigFillsDefaultsAndRoundTrips) {
  const fs::path d = scratch("show");
  const Outcome o = run_buddysim("show-config " + scenarios + "/numa-fallback.json");
  ASSERT_EQ(o.code, 0) << o.out;
  EXPECT_NE(o.out.find("\"watermark_scale_factor\""), std::string::npos) << o.out;
  std::ofstream(d / "effective.json") << o.out;
  EXPECT_EQ(run_buddysim("validate " + (d / "effective.json").string()).code, 0);
}

TEST(Cli, StrictTraceErrorExitsTwoWithFileAndLine) {
  const fs::path d = scratch("trace");
  std::ofstream(d / "t.csv") << "time_ns,cpu,op,order,gfp,tag\n0,0,alloc,0,GFP_KERNEL,1\n5,0,fry,0,,1\n";
  std::ofstream(d / "s.json") << R"({"name": "t", "machine": {"nodes": [{"cpus": 1, "memory": "256MiB"}]},
    "workload": {"trace": {"format": "csv", "file": "t.csv", "policy": "strict"}}})";
  const Outcome o = run_buddysim("run " + (d / "s.json").string() + " -q -o " + (d / "r").string());
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.out.find("t.csv:3"), std::string::npos) << o.out;
  EXPECT_FALSE(fs::exists(d / "r"));
  EXPECT_TRUE(fs::exists(d / ".r.partial/config.json")) << "what was written is kept, under a partial name";
  EXPECT_NE(o.out.find(".r.partial"), std::string::npos) << o.out;
}

TEST(Cli, TraceNamingAMissingCpuStopsATimedRunWithFileAndLine) {
  // The operation fails inside a simulated CPU's thread; the error still
  // reaches the command line with its place.
  const fs::path d = scratch("trace-cpu");
  std::ofstream(d / "t.csv") << "time_ns,cpu,op,order,gfp,tag\n0,0,alloc,0,GFP_KERNEL,1\n5,3,alloc,0,GFP_KERNEL,2\n";
  std::ofstream(d / "s.json") << R"({"name": "t", "machine": {"nodes": [{"cpus": 1, "memory": "256MiB"}]},
    "workload": {"trace": {"format": "csv", "file": "t.csv"}}})";
  const Outcome o = run_buddysim("run " + (d / "s.json").string() + " -q -o " + (d / "r").string());
  EXPECT_EQ(o.code, 2) << o.out;
  EXPECT_NE(o.out.find("t.csv:3"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("cpu 3 does not exist"), std::string::npos) << o.out;
}

TEST(Cli, DramModeRunsATraceAndWritesJson) {
  const fs::path d = scratch("dram");
  const Outcome o = run_buddysim("dram " + std::string(BUDDYSIM_TEST_DATA) + "/dram/small.trace -o " + (d / "o.json").string());
  ASSERT_EQ(o.code, 0) << o.out;
  const std::string json = slurp(d / "o.json");
  EXPECT_NE(json.find("\"row_hits\""), std::string::npos) << json;
}

TEST(Cli, DramModeRejectsAnUnknownParameter) {
  const Outcome o = run_buddysim("dram " + std::string(BUDDYSIM_TEST_DATA) + "/dram/small.trace --set dram.tRDC=3");
  EXPECT_EQ(o.code, 2);
  EXPECT_NE(o.out.find("did you mean dram.tRCD?"), std::string::npos) << o.out;
}

}  // namespace
