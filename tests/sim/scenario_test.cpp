// Good scenarios: the structs they give, patterns, relative trace paths
// and --set overrides.
#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/sim/scenario_test_support.h"

namespace buddysim::scenario {
namespace {

using namespace testing_support;

// ---------------------------------------------------------------------------
// Good scenarios.

TEST(GoodScenario, MinimalGetsEveryDefault) {
  const Scenario s = parse(kMinimal);
  EXPECT_EQ(s.name, "minimal");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.description, "");
  ASSERT_EQ(s.machine.nodes.size(), 1u);
  EXPECT_EQ(s.machine.nodes[0].nr_cpus, 2);
  EXPECT_EQ(s.machine.distance, (std::vector<std::vector<int>>{{10}}));
  EXPECT_EQ(s.machine.llc_slice_bytes_per_cpu, 2 * MiB);
  EXPECT_TRUE(s.machine.reserve_memmap);
  const model::AllocatorConfig defaults;
  EXPECT_EQ(s.allocator.min_free_kbytes, defaults.min_free_kbytes);
  EXPECT_EQ(s.allocator.lowmem_reserve_ratio, defaults.lowmem_reserve_ratio);
  EXPECT_EQ(s.record.interval_ns, 0u);
  EXPECT_FALSE(s.record.ops);
}

TEST(GoodScenario, LoneSizeOnLowestNodeGetsX86Layout) {
  const Scenario s = parse(with_machine(R"({"nodes": [{"memory": "4GiB"}]})"));
  const auto &n = s.machine.nodes[0];
  ASSERT_EQ(n.memory.size(), 3u);
  EXPECT_EQ(n.memory[0].start, 0x1000u);
  EXPECT_EQ(n.memory[0].end(), 0x9f000u);
  EXPECT_EQ(n.memory[1].start, 1 * MiB);
  EXPECT_EQ(n.memory[1].end(), 3 * GiB);
  EXPECT_EQ(n.memory[2].start, 4 * GiB);
  EXPECT_EQ(n.memory[2].end(), 5 * GiB);
  ASSERT_EQ(n.reserved.size(), 2u);
  EXPECT_EQ(n.reserved[0].end(), 1 * MiB);
  EXPECT_EQ(n.reserved[1].start, 16 * MiB);
  EXPECT_EQ(n.nr_cpus, 1);
}

TEST(GoodScenario, LoneSizeOnLaterNodeFollowsAtNext2MiB) {
  const Scenario s =
      parse(with_machine(R"({"nodes": [{"memory": [{"start": "4GiB", "size": "1025MiB"}]}, {"memory": "1GiB"}]})"));
  ASSERT_EQ(s.machine.nodes[1].memory.size(), 1u);
  EXPECT_EQ(s.machine.nodes[1].memory[0].start, 4 * GiB + 1026 * MiB);
  EXPECT_EQ(s.machine.nodes[1].memory[0].size, 1 * GiB);
  EXPECT_TRUE(s.machine.nodes[1].reserved.empty());
}

TEST(GoodScenario, CpusExpandToExplicitLists) {
  const Scenario s = parse(R"({"machine": {"nodes": [{"memory": "1GiB", "cpus": 2}, {"memory": "1GiB", "cpus": 3}]},
      "workload": {"phases": [{"name": "a"}, {"name": "b", "cpus": {"node": 1}}, {"name": "c", "cpus": [4, 0]}]}})");
  EXPECT_EQ(s.workload.phases[0].cpus, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(s.workload.phases[1].cpus, (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(s.workload.phases[2].cpus, (std::vector<int>{4, 0}));
}

TEST(GoodScenario, PhaseDefaults) {
  const Scenario s = parse(with_phases("[{}]"));
  const Phase &p = s.workload.phases[0];
  EXPECT_EQ(p.name, "phase0");
  EXPECT_EQ(p.kind, PhaseKind::Random);
  EXPECT_EQ(p.start_ns, 0u);
  EXPECT_EQ(p.duration_ns, 10 * S);
  EXPECT_EQ(p.interarrival.kind, Distribution::Kind::Exponential);
  EXPECT_EQ(p.interarrival.value_ns, 10 * US);
  ASSERT_EQ(p.classes.size(), 1u);
  EXPECT_EQ(p.classes[0].name, "GFP_KERNEL");
  EXPECT_EQ(p.classes[0].gfp, model::gfp::KERNEL);
  EXPECT_EQ(p.classes[0].order_weights, (std::vector<double>{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(p.classes[0].lifetime.kind, Distribution::Kind::Exponential);
  EXPECT_EQ(p.classes[0].lifetime.value_ns, 10 * MS);
  EXPECT_EQ(p.target_live_pages, 0u);
}

TEST(GoodScenario, PhasesRunOneAfterAnotherUnlessGivenAStart) {
  const Scenario s =
      parse(with_phases(R"([{"duration": "2s"}, {"duration": "3s"}, {"start": "1s"}, {"duration": "1ms"}])"));
  const auto &p = s.workload.phases;
  EXPECT_EQ(p[1].start_ns, 2 * S);
  EXPECT_EQ(p[2].start_ns, 1 * S);
  EXPECT_EQ(p[3].start_ns, 11 * S);
}

TEST(GoodScenario, ClassFieldsParse) {
  const Scenario s = parse(with_phases(R"([{"classes": [
      {"name": "thp", "weight": 2.5, "gfp": "GFP_TRANSHUGE", "orders": 9, "lifetime": "phase_end"},
      {"gfp": "0x100cca", "orders": {"0": 3, "3": 1},
       "lifetime": {"dist": "uniform", "min": "1.5ms", "max": "2ms"}}]}])"));
  const auto &c = s.workload.phases[0].classes;
  EXPECT_EQ(c[0].name, "thp");
  EXPECT_EQ(c[0].weight, 2.5);
  EXPECT_EQ(c[0].gfp, model::gfp::TRANSHUGE);
  EXPECT_EQ(c[0].order_weights[9], 1);
  EXPECT_EQ(c[0].lifetime.kind, Distribution::Kind::UntilPhaseEnd);
  EXPECT_EQ(c[1].name, "GFP_HIGHUSER_MOVABLE");
  EXPECT_EQ(c[1].order_weights[0], 3);
  EXPECT_EQ(c[1].order_weights[3], 1);
  EXPECT_EQ(c[1].lifetime.kind, Distribution::Kind::Uniform);
  EXPECT_EQ(c[1].lifetime.value_ns, 1500 * US);
  EXPECT_EQ(c[1].lifetime.max_ns, 2 * MS);
}

TEST(GoodScenario, FragmentDefaultsToItsFillsCpus) {
  const Scenario s =
      parse(with_phases(R"([{"name": "f", "kind": "fill", "cpus": [1], "fill": "64MiB", "duration": "1s"},
                                           {"kind": "fragment", "of": "f"}])"));
  const Phase &fill = s.workload.phases[0], &frag = s.workload.phases[1];
  EXPECT_EQ(fill.fill_pages, 64 * MiB / model::PAGE_SIZE);
  EXPECT_EQ(fill.classes[0].lifetime.kind, Distribution::Kind::Forever);
  EXPECT_EQ(frag.fragment_of, "f");
  EXPECT_EQ(frag.cpus, (std::vector<int>{1}));
  EXPECT_EQ(frag.keep_every, 2u);
  EXPECT_EQ(frag.start_ns, 1 * S);
}

TEST(GoodScenario, BurstDefaults) {
  const Scenario s = parse(with_phases(R"([{"kind": "burst", "target_live": "8MiB"}])"));
  const Phase &p = s.workload.phases[0];
  EXPECT_EQ(p.burst_on_ns, 1 * MS);
  EXPECT_EQ(p.burst_period_ns, 10 * MS);
  EXPECT_EQ(p.target_live_pages, 2048u);
}

TEST(GoodScenario, AllocatorSettingsParse) {
  const Scenario s = parse(kMinimal, {R"(allocator={"pcp": false, "percpu_pagelist_high_fraction": 8,
      "min_free_kbytes": 4096, "watermark_scale_factor": 100, "watermark_boost_factor": 0,
      "lowmem_reserve_ratio": [1, 2, 3, 4], "numa_stat": false, "movablecore": "256MiB", "defrag_mode": true,
      "thp_min_free_kbytes": true, "debug_checks": true})"});
  const model::AllocatorConfig &a = s.allocator;
  EXPECT_FALSE(a.pcp_enabled);
  EXPECT_EQ(a.percpu_pagelist_high_fraction, 8);
  EXPECT_EQ(a.min_free_kbytes, 4096);
  EXPECT_EQ(a.watermark_scale_factor, 100);
  EXPECT_EQ(a.watermark_boost_factor, 0);
  EXPECT_EQ(a.lowmem_reserve_ratio, (std::array<int, 4>{1, 2, 3, 4}));
  EXPECT_FALSE(a.numa_stat);
  EXPECT_EQ(a.movablecore_bytes, 256 * MiB);
  EXPECT_TRUE(a.defrag_mode);
  EXPECT_TRUE(a.thp_recommended_min_free_kbytes);
  EXPECT_TRUE(a.debug_checks);
}

TEST(Patterns, FillFragmentSplitsItsDuration) {
  const Scenario s = parse(with_phases(R"([{"pattern": "fill-fragment", "size": "256MiB", "duration": "4s"}])"));
  const auto &p = s.workload.phases;
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].name, "fill-fragment/fill");
  EXPECT_EQ(p[0].kind, PhaseKind::Fill);
  EXPECT_EQ(p[0].fill_pages, 65536u);
  EXPECT_EQ(p[0].duration_ns, 2 * S);
  EXPECT_EQ(p[1].kind, PhaseKind::Fragment);
  EXPECT_EQ(p[1].fragment_of, "fill-fragment/fill");
  EXPECT_EQ(p[1].start_ns, 2 * S);
  EXPECT_EQ(p[1].keep_every, 2u);
}

TEST(Patterns, ThpAfterFragmentationEndsWithOrder9Attempts) {
  const Scenario s = parse(with_phases(R"([{"pattern": "thp-after-fragmentation", "name": "t"}])"));
  const auto &p = s.workload.phases;
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[2].name, "t/thp");
  EXPECT_EQ(p[2].start_ns, 5 * S);
  EXPECT_EQ(p[2].classes[0].gfp, model::gfp::TRANSHUGE);
  EXPECT_EQ(p[2].classes[0].order_weights[9], 1);
}

TEST(Patterns, SteadyChurnKeepsHalfOfMemoryLiveByDefault) {
  const Scenario s = parse(R"({"machine": {"nodes": [{"memory": [{"start": "4GiB", "size": "1GiB"}]}]},
                                "workload": {"phases": [{"pattern": "steady-churn"}]}})");
  EXPECT_EQ(s.workload.phases[0].target_live_pages, 512 * MiB / model::PAGE_SIZE);
  EXPECT_EQ(s.workload.phases[0].name, "steady-churn");
}

TEST(Patterns, EachPatternFollowsThePreviousEntry) {
  const Scenario s = parse(with_phases(
      R"([{"duration": "1s"}, {"pattern": "atomic-burst", "duration": "2s"}, {"pattern": "migratetype-mixing"},
          {"pattern": "exhaustion", "cpus": [1]}])"));
  const auto &p = s.workload.phases;
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[1].kind, PhaseKind::Burst);
  EXPECT_EQ(p[1].start_ns, 1 * S);
  EXPECT_EQ(p[2].classes.size(), 3u);
  EXPECT_EQ(p[2].start_ns, 3 * S);
  EXPECT_EQ(p[3].kind, PhaseKind::Fill);
  EXPECT_EQ(p[3].fill_pages, 0u);
  EXPECT_EQ(p[3].cpus, (std::vector<int>{1}));
}

// A scenario and a trace in a fresh folder, removed afterwards.
class TraceFolder : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("buddysim-scenario-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "traces");
    std::ofstream(dir_ / "traces" / "t.csv") << "time_ns,cpu,op,order,gfp,tag\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(TraceFolder, RelativeTracePathResolvesAgainstTheScenarioFolder) {
  const std::string text = R"({"machine": {"nodes": [{"memory": "1GiB"}]},
      "workload": {"trace": {"format": "ftrace", "file": "traces/t.csv", "policy": "lenient"}}})";
  const Scenario s = parse_scenario_text(text, dir_ / "x.json");
  ASSERT_TRUE(s.workload.trace.has_value());
  EXPECT_TRUE(s.workload.phases.empty());
  EXPECT_EQ(s.workload.trace->path, fs::absolute(dir_ / "traces" / "t.csv").lexically_normal());
  EXPECT_EQ(s.workload.trace->format, TraceSpec::Format::Ftrace);
  EXPECT_EQ(s.workload.trace->policy, TraceSpec::Policy::Lenient);
  // The effective configuration names the file absolutely, so it reads the same anywhere.
  const Scenario again = parse_scenario_text(effective_config_json(s), "elsewhere/config.json");
  EXPECT_EQ(again.workload.trace->path, s.workload.trace->path);
}

// ---------------------------------------------------------------------------
// Overrides.

TEST(Overrides, CreateMissingSections) {
  const Scenario s = parse(kMinimal, {"allocator.pcp=false", "record.interval=1s"});
  EXPECT_FALSE(s.allocator.pcp_enabled);
  EXPECT_EQ(s.record.interval_ns, 1 * S);
}

TEST(Overrides, IndexIntoArrays) {
  const Scenario s =
      parse(with_machine(R"({"nodes": [{"memory": "1GiB"}, {"memory": "1GiB"}]})"), {"machine.nodes[1].cpus=8"});
  EXPECT_EQ(s.machine.nodes[1].nr_cpus, 8);
}

TEST(Overrides, ValueIsJsonWhenItParsesElseAString) {
  const Scenario s = parse(
      kMinimal, {"name=run-2", "seed=7", "description=\"quoted\"", R"(workload.phases[0].classes=[{"orders": 2}])"});
  EXPECT_EQ(s.name, "run-2");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.description, "quoted");
  EXPECT_EQ(s.workload.phases[0].classes[0].order_weights[2], 1);
}

TEST(Overrides, LaterOverridesWin) { EXPECT_EQ(parse(kMinimal, {"seed=3", "seed=4"}).seed, 4u); }

}  // namespace
}  // namespace buddysim::scenario
