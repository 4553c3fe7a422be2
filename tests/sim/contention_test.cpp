// many-cpu-contention on the hardware model, end to end through the command
// line: zone-lock waiting grows with the number of CPUs, and the per-CPU
// page lists cut it. Shortened runs of the shipped scenario; each run is its
// own process (SystemC elaborates once per process).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_support.h"

namespace {

using namespace buddysim::test;

struct ZoneLock {
  unsigned long acquisitions = 0, contentions = 0;
  double wait_ns = 0;
};

// The scenario with `cpus` CPUs on each of its two nodes.
ZoneLock run(const std::string &name, int cpus, bool pcp, const std::string &duration) {
  const fs::path out = scratch("contention") / name;
  const std::string n = std::to_string(cpus);
  const Outcome o = run_buddysim("run " + std::string(BUDDYSIM_SCENARIOS) + "/many-cpu-contention.json -q -o " +
                             out.string() + " --set workload.phases[0].duration=" + duration +
                             " --set record.interval=0 --set machine.nodes[0].cpus=" + n +
                             " --set machine.nodes[1].cpus=" + n + " --set allocator.pcp=" + (pcp ? "true" : "false"));
  EXPECT_EQ(o.code, 0) << o.out;
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  for (const auto &c : summary["hardware"]["locks"]["classes"])
    if (c["class"] == "&zone->lock")
      return {c["acquisitions"].get<unsigned long>(), c["contentions"].get<unsigned long>(),
              c["waittime_ns"]["total"].get<double>()};
  ADD_FAILURE() << "no &zone->lock in " << out;
  return {};
}

TEST(ContentionScenario, ZoneLockWaitGrowsWithTheNumberOfCpus) {
  const ZoneLock few = run("2x2", 2, true, "50ms"), some = run("2x8", 8, true, "50ms"),
                 many = run("2x32", 32, true, "50ms");
  EXPECT_LT(few.contentions, some.contentions);
  EXPECT_LT(some.contentions, many.contentions);
  EXPECT_LT(few.wait_ns, some.wait_ns);
  EXPECT_LT(some.wait_ns * 4, many.wait_ns) << "four times the CPUs queue behind each other's pcp refills";
}

TEST(ContentionScenario, PcpListsCutZoneLockWait) {
  const ZoneLock on = run("pcp-on", 8, true, "100ms"), off = run("pcp-off", 8, false, "100ms");
  EXPECT_LT(on.acquisitions * 50, off.acquisitions) << "only refills and drains take the zone lock";
  EXPECT_LT(on.contentions * 50, off.contentions);
  EXPECT_LT(on.wait_ns * 2, off.wait_ns);
}

}  // namespace
