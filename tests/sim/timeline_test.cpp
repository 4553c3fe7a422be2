// The two trace renderers on a hand-made timeline: Perfetto trace events
// with the structure the trace viewers require (metadata, nested slices per
// track, counters), and a VCD whose signals change when the slices say.
#include "sim/record/timeline.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace buddysim::record {
namespace {

constexpr TimePs NS = 1000;

// cpu0 allocates from 0 to 100 ns and holds the zone lock 10-50 ns; cpu1
// allocates from 20 to 120 ns, waits for the lock 25-50 ns and holds it
// 50-90 ns. Free pages: 500 at 100 ns, 499 at 120 ns.
Timeline sample(scenario::TraceWindow window = {}) {
  Timeline t(window, 2, {"node0/Normal"});
  OpSlice a;
  a.cpu = 0, a.start = 0, a.end = 100 * NS, a.pfn = 4096, a.path = 1;
  t.op(a);
  t.lock(0, "&zone->lock node0/Normal", true, false, 10 * NS, 50 * NS);
  OpSlice b = a;
  b.cpu = 1, b.start = 20 * NS, b.end = 120 * NS, b.due_ns = 15, b.pfn = 4097;
  t.op(b);
  t.lock(1, "&zone->lock node0/Normal", true, true, 25 * NS, 50 * NS);
  t.lock(1, "&zone->lock node0/Normal", true, false, 50 * NS, 90 * NS);
  t.free_pages(0, 500, 100 * NS);
  t.free_pages(0, 499, 120 * NS);
  return t;
}

TEST(PerfettoTrace, HasTheStructureTraceViewersRequire) {
  const auto doc = nlohmann::json::parse(render_perfetto(sample(), "s"));
  ASSERT_TRUE(doc["traceEvents"].is_array());
  EXPECT_EQ(doc["displayTimeUnit"], "ns");
  std::map<int, std::vector<std::pair<double, double>>> open;  // per track: stack of (start, end)
  int threads = 0, slices = 0, counters = 0;
  double last_start = -1;
  for (const auto &e : doc["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("name")) << e;
    const std::string ph = e["ph"];
    if (ph == "M") {
      threads += e["name"] == "thread_name";
      EXPECT_TRUE(e["args"]["name"].is_string()) << e;
    } else if (ph == "X") {
      ++slices;
      const double ts = e["ts"], dur = e["dur"];
      ASSERT_GE(dur, 0) << e;
      EXPECT_GE(ts, last_start) << "slices sorted by start";
      last_start = ts;
      auto &stack = open[e["tid"].get<int>()];
      while (!stack.empty() && stack.back().second <= ts) stack.pop_back();
      if (!stack.empty()) {
        EXPECT_LE(ts + dur, stack.back().second) << "slices on one track must nest: " << e;
      }
      stack.emplace_back(ts, ts + dur);
    } else {
      ASSERT_EQ(ph, "C") << e;
      ++counters;
      EXPECT_TRUE(e["args"].is_object() && !e["args"].empty()) << e;
    }
  }
  EXPECT_EQ(threads, 2);
  EXPECT_EQ(slices, 5);
  EXPECT_EQ(counters, 4) << "two free-page samples, the lock's waiters going to 1 and back to 0";
}

TEST(PerfettoTrace, SlicesCarryTheOperationsArguments) {
  const auto doc = nlohmann::json::parse(render_perfetto(sample(), "s"));
  bool found = false;
  for (const auto &e : doc["traceEvents"]) {
    if (e["ph"] != "X" || e["name"] != "alloc" || e["tid"] != 1) continue;
    found = true;
    EXPECT_EQ(e["ts"], 0.02);
    EXPECT_EQ(e["dur"], 0.1);
    EXPECT_EQ(e["args"]["pfn"], 4097);
    EXPECT_EQ(e["args"]["path"], "pcp_hit");
    EXPECT_EQ(e["args"]["latency_ns"], 105) << "from when it was due (15 ns) to its return (120 ns)";
  }
  EXPECT_TRUE(found);
}

TEST(PerfettoTrace, WindowAndCapBoundWhatIsKept) {
  scenario::TraceWindow w;
  w.start_ns = 60, w.duration_ns = 100, w.max_events = 3;
  const Timeline t = sample(w);
  // In the window: both allocations, cpu1's hold (50-90 ns) and both counter
  // samples; cpu0's hold and cpu1's wait ended before 60 ns. The cap keeps 3.
  EXPECT_EQ(t.kept(), 3u);
  EXPECT_EQ(t.dropped(), 2u);
  const auto doc = nlohmann::json::parse(render_perfetto(t, "s"));
  EXPECT_EQ(doc["otherData"]["events_dropped_at_cap"], 2);
}

TEST(VcdTrace, SignalsChangeWhenTheSlicesSay) {
  const std::string vcd = render_vcd(sample(), {"cpu_state", "lock_owner", "lock_queue", "free_pages"});
  EXPECT_NE(vcd.find("$timescale 1ps $end"), std::string::npos);
  for (const char *var : {"$var wire 2 ! cpu0_state $end", "$var wire 2 \" cpu1_state $end",
                          "$var wire 16 # zone__lock_node0_Normal_owner $end",
                          "$var wire 16 $ zone__lock_node0_Normal_waiters $end",
                          "$var wire 64 % node0_Normal_free_pages $end"})
    EXPECT_NE(vcd.find(var), std::string::npos) << var << "\n" << vcd;
  // cpu1: busy at 20 ns, spinning 25-50 ns, busy again, idle at 120 ns.
  const std::string expected_tail =
      "#20000\nb1 \"\n#25000\nb10 \"\nb1 $\n#50000\nb1 \"\nb1 #\nb0 $\n#90000\nbx #\n#100000\nb0 !\nb111110100 %\n"
      "#120000\nb0 \"\nb111110011 %\n";
  EXPECT_NE(vcd.find(expected_tail), std::string::npos) << vcd;
  EXPECT_NE(vcd.find("#0\n$dumpvars\n"), std::string::npos) << vcd;
}

TEST(VcdTrace, StopsAtItsCap) {
  // Two of the seven events kept (cpu0's allocation and lock hold) give four changes.
  scenario::TraceWindow w;
  w.max_events = 2;
  const std::string vcd = render_vcd(sample(w), {"cpu_state", "lock_owner"});
  EXPECT_NE(vcd.find("#10000\nb0 #\n$comment stopped after max_changes = 2 value changes $end"), std::string::npos)
      << vcd;
  EXPECT_NE(vcd.find("$comment 5 events after the cap were not recorded $end"), std::string::npos) << vcd;
}

}  // namespace
}  // namespace buddysim::record
