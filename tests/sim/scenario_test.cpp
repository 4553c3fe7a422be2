// Scenario parsing: exact messages for bad input, the structs good input
// gives, units, overrides, the effective configuration, and agreement
// between the parser, the shipped scenarios, docs/scenario.md and the schema.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "sim/scenario/scenario_error.h"
#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/scenario/units.h"

namespace buddysim::scenario {
namespace {

namespace fs = std::filesystem;
using model::gfp_t;

constexpr std::uint64_t KiB = 1ull << 10, MiB = 1ull << 20, GiB = 1ull << 30;
constexpr std::uint64_t US = 1000, MS = 1000 * US, S = 1000 * MS;

// The smallest complete scenario: one 1 GiB node with two CPUs, one phase.
constexpr const char *kMinimal =
    R"({"machine": {"nodes": [{"memory": "1GiB", "cpus": 2}]}, "workload": {"phases": [{"duration": "1s"}]}})";

Scenario parse(const std::string &text, const std::vector<std::string> &sets = {}) {
  return parse_scenario_text(text, "tests/minimal.json", sets);
}

std::string error_of(const std::string &text, const std::vector<std::string> &sets = {}) {
  try {
    parse_scenario_text(text, "bad.json", sets);
  } catch (const ScenarioError &e) {
    return e.what();
  }
  return "(no error)";
}

// A scenario with a one-node machine and the given phases.
std::string with_phases(const std::string &phases) {
  return R"({"machine": {"nodes": [{"memory": "1GiB", "cpus": 2}]}, "workload": {"phases": )" + phases + "}}";
}

// A scenario with the given machine and one default phase.
std::string with_machine(const std::string &machine) {
  return R"({"machine": )" + machine + R"(, "workload": {"phases": [{}]}})";
}

std::string read_file(const fs::path &path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---------------------------------------------------------------------------
// Bad scenarios and the exact message each must produce.

struct BadCase {
  const char *name;
  std::string json;
  std::vector<std::string> sets;
  std::string message;
};

// Keeps ctest's test names readable: gtest would otherwise print the bytes.
void PrintTo(const BadCase &c, std::ostream *os) { *os << c.name; }

const std::vector<BadCase> &bad_cases() {
  static const std::vector<BadCase> cases{
      {"SyntaxErrorHasLineAndColumn",
       "{\n  \"seed\": 1,\n  \"name\": \"x\"\n  \"machine\": {}\n}",
       {},
       "bad.json:4:11: invalid JSON: syntax error while parsing object - unexpected string literal; expected '}'"},
      {"TrailingCommaInArray",
       "{\"machine\":\n  [1, 2,\n   ]}",
       {},
       "bad.json:3:4: invalid JSON: syntax error while parsing value - unexpected ']'; expected '[', '{', or a "
       "literal"},
      {"TruncatedJson",
       R"({"machine": {"nodes": [)",
       {},
       "bad.json:1:24: invalid JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', "
       "or a literal"},
      {"DuplicateKey",
       R"({"seed": 1, "seed": 2})",
       {},
       "bad.json: /seed: duplicate key; JSON keeps only the last value, so remove one"},
      {"UnknownTopLevelKey",
       R"({"machin": {}})",
       {},
       "bad.json: /machin: unknown key \"machin\"; did you mean \"machine\"?"},
      {"UnknownNestedKey",
       with_machine(R"({"nodes": [{"memory": "1GiB", "cpu": 2}]})"),
       {},
       "bad.json: /machine/nodes/0/cpu: unknown key \"cpu\"; did you mean \"cpus\"?"},
      {"UnknownKeyListsKnownOnes",
       with_machine(R"({"nodes": [{"memory": [{"begin": 0, "size": "1GiB"}]}]})"),
       {},
       "bad.json: /machine/nodes/0/memory/0/begin: unknown key \"begin\"; expected \"start\" or \"size\""},
      {"MissingRequiredKey",
       R"({"workload": {"phases": [{}]}})",
       {},
       "bad.json: /machine: required key is missing; expected an object with \"nodes\""},
      {"WrongTypeCpus",
       with_machine(R"({"nodes": [{"memory": "1GiB"}, {"memory": "1GiB", "cpus": "eight"}]})"),
       {},
       "bad.json: /machine/nodes/1/cpus: expected an integer from 0 to 1024, found \"eight\""},
      {"WrongTypeBoolean",
       R"({"allocator": {"pcp": "yes"}})",
       {},
       "bad.json: /allocator/pcp: expected true or false, found \"yes\""},
      {"OutOfRangeScaleFactor",
       R"({"allocator": {"watermark_scale_factor": 5000}})",
       {},
       "bad.json: /allocator/watermark_scale_factor: expected an integer from 1 to 3000, found 5000"},
      {"HighFractionBelowEight",
       R"({"allocator": {"percpu_pagelist_high_fraction": 4}})",
       {},
       "bad.json: /allocator/percpu_pagelist_high_fraction: expected 0 (auto-tuned) or an integer of at least 8, "
       "found 4"},
      {"MinFreeKbytesWord",
       R"({"allocator": {"min_free_kbytes": "lots"}})",
       {},
       "bad.json: /allocator/min_free_kbytes: expected \"auto\" or a non-negative integer, found \"lots\""},
      {"LowmemReserveRatioLength",
       R"({"allocator": {"lowmem_reserve_ratio": [256, 256, 32]}})",
       {},
       "bad.json: /allocator/lowmem_reserve_ratio: expected an array of 4 integers, one per zone (DMA, DMA32, "
       "Normal, Movable), found [256,256,32]"},
      {"AmbiguousSizeUnit",
       with_machine(R"({"nodes": [{"memory": "16GB"}]})"),
       {},
       "bad.json: /machine/nodes/0/memory: expected a size such as \"512MiB\" or a number of bytes, found \"16GB\": "
       "\"GB\" is ambiguous; write \"GiB\" (sizes are binary)"},
      {"UnknownSizeUnit",
       with_machine(R"({"nodes": [{"memory": "4GX"}]})"),
       {},
       "bad.json: /machine/nodes/0/memory: expected a size such as \"512MiB\" or a number of bytes, found \"4GX\": "
       "unknown unit \"GX\"; use B, KiB, MiB, GiB or TiB"},
      {"MemoryNotWholePages",
       with_machine(R"({"nodes": [{"memory": [{"start": "0x1001", "size": "1GiB"}]}]})"),
       {},
       "bad.json: /machine/nodes/0/memory/0/start: expected a multiple of 4KiB (the page size), found \"0x1001\""},
      {"X86LayoutTooSmall",
       with_machine(R"({"nodes": [{"memory": "32MiB"}]})"),
       {},
       "bad.json: /machine/nodes/0/memory: expected a size of at least 64MiB, found \"32MiB\" (the lowest node gets "
       "the x86 layout: the first MiB and a 32 MiB kernel image at 16 MiB are reserved)"},
      {"MemoryAbove64TiB",
       with_machine(R"({"nodes": [{"memory": [{"start": "60TiB", "size": "8TiB"}]}]})"),
       {},
       "bad.json: /machine/nodes/0/memory/0: the range ends above 64TiB, the limit of x86-64's 46-bit physical "
       "addresses"},
      {"OverlappingMemory",
       with_machine(R"({"nodes": [{"memory": [{"start": "4GiB", "size": "2GiB"}]},
                                  {"memory": [{"start": "5GiB", "size": "2GiB"}]}]})"),
       {},
       "bad.json: /machine/nodes/1/memory/0: memory [0x140000000, 0x1c0000000) overlaps [0x100000000, 0x180000000) "
       "at /machine/nodes/0/memory/0"},
      {"NodesShareAPageblock",
       with_machine(R"({"nodes": [{"memory": [{"start": "4GiB", "size": "1025MiB"}]},
                                  {"memory": [{"start": "5121MiB", "size": "1GiB"}]}]})"),
       {},
       "bad.json: /machine/nodes/1/memory: node 1's memory starts at 0x140100000, inside the 2 MiB pageblock where "
       "node 0's ends (0x140100000); align the boundary to 2 MiB"},
      {"NodesInterleave",
       with_machine(R"({"nodes": [{"memory": [{"start": "4GiB", "size": "1GiB"}, {"start": "8GiB", "size": "1GiB"}]},
                                  {"memory": [{"start": "6GiB", "size": "1GiB"}]}]})"),
       {},
       "bad.json: /machine/nodes/1/memory: node 1's memory [0x180000000, 0x1c0000000) lies inside node 0's span "
       "[0x100000000, 0x240000000); nodes may not interleave"},
      {"NoCpus",
       with_machine(R"({"nodes": [{"memory": "1GiB", "cpus": 0}]})"),
       {},
       "bad.json: /machine/nodes: the machine has no CPUs; give at least one node \"cpus\""},
      {"DistanceNotSymmetric",
       with_machine(R"({"nodes": [{"memory": "1GiB"}, {"memory": "1GiB"}], "distance": [[10, 20], [21, 10]]})"),
       {},
       "bad.json: /machine/distance/1/0: expected 20, the same as /machine/distance/0/1 (distances are symmetric), "
       "found 21"},
      {"DistanceDiagonal",
       with_machine(R"({"nodes": [{"memory": "1GiB"}, {"memory": "1GiB"}], "distance": [[10, 20], [20, 11]]})"),
       {},
       "bad.json: /machine/distance/1/1: expected 10 (a node's distance to itself), found 11"},
      {"DurationWithoutUnit",
       with_phases(R"([{"duration": 10}])"),
       {},
       "bad.json: /workload/phases/0/duration: expected a duration such as \"5ms\", found 10: a duration needs a "
       "unit: ns, us, ms, s, min or h"},
      {"DurationUnknownUnit",
       with_phases(R"([{"duration": "5sec"}])"),
       {},
       "bad.json: /workload/phases/0/duration: expected a duration such as \"5ms\", found \"5sec\": unknown unit "
       "\"sec\"; use ns, us, ms, s, min or h"},
      {"ZeroDuration",
       with_phases(R"([{"duration": "0s"}])"),
       {},
       "bad.json: /workload/phases/0/duration: expected a duration above 0, found \"0s\""},
      {"BadGfpName",
       with_phases(R"([{"classes": [{"gfp": "GFP_KERNAL"}]}])"),
       {},
       "bad.json: /workload/phases/0/classes/0/gfp: expected GFP flags such as \"GFP_KERNEL|__GFP_ZERO\" or \"0xcc0\", "
       "found \"GFP_KERNAL\": unknown GFP flag 'GFP_KERNAL' (did you mean 'GFP_KERNEL'?)"},
      {"BadDistributionName",
       with_phases(R"([{"interarrival": {"dist": "normal", "mean": "1ms"}}])"),
       {},
       "bad.json: /workload/phases/0/interarrival/dist: expected \"fixed\", \"exponential\", \"uniform\", "
       "\"phase_end\" or \"forever\", found \"normal\""},
      {"DistributionKeyOfAnotherKind",
       with_phases(R"([{"interarrival": {"dist": "exponential", "value": "1ms"}}])"),
       {},
       "bad.json: /workload/phases/0/interarrival/value: unknown key \"value\"; expected \"dist\" or \"mean\""},
      {"InterarrivalForever",
       with_phases(R"([{"interarrival": "forever"}])"),
       {},
       "bad.json: /workload/phases/0/interarrival: expected \"fixed\", \"exponential\" or \"uniform\" (an "
       "inter-arrival time is a duration), found \"forever\""},
      {"UniformMaxBelowMin",
       with_phases(R"([{"classes": [{"lifetime": {"dist": "uniform", "min": "5ms", "max": "1ms"}}]}])"),
       {},
       "bad.json: /workload/phases/0/classes/0/lifetime/max: expected a duration of at least min (5ms), found "
       "\"1ms\""},
      {"OrderOutOfRange",
       with_phases(R"([{"classes": [{"orders": {"0": 1, "11": 1}}]}])"),
       {},
       "bad.json: /workload/phases/0/classes/0/orders/11: unknown order \"11\"; expected \"0\" to \"10\""},
      {"FillLifetimeMustBeForever",
       with_phases(R"([{"kind": "fill", "classes": [{"lifetime": "1ms"}]}])"),
       {},
       "bad.json: /workload/phases/0/classes/0/lifetime: expected \"forever\" (a fill phase never frees; a fragment "
       "phase frees its blocks), found \"1ms\""},
      {"PhaseKindTypo",
       with_phases(R"([{"kind": "rnadom"}])"),
       {},
       "bad.json: /workload/phases/0/kind: expected \"random\", \"fill\", \"fragment\" or \"burst\", found "
       "\"rnadom\"; did you mean \"random\"?"},
      {"KeyOfAnotherKind",
       with_phases(R"([{"kind": "random", "of": "fill"}])"),
       {},
       "bad.json: /workload/phases/0/of: \"of\" does not apply to a random phase; it is for fragment phases"},
      {"FragmentOfUnknownPhase",
       with_phases(R"([{"name": "fill", "kind": "fill"}, {"kind": "fragment", "of": "fil"}])"),
       {},
       "bad.json: /workload/phases/1/of: expected the name of an earlier fill phase, found \"fil\"; did you mean "
       "\"fill\"?"},
      {"FragmentOfRandomPhase",
       with_phases(R"([{"name": "churn"}, {"kind": "fragment", "of": "churn"}])"),
       {},
       "bad.json: /workload/phases/1/of: expected the name of an earlier fill phase, found \"churn\" (\"churn\" is a "
       "random phase)"},
      {"FragmentBeforeFillEnds",
       with_phases(R"([{"name": "fill", "kind": "fill", "duration": "5s"},
                        {"kind": "fragment", "of": "fill", "start": "4s"}])"),
       {},
       "bad.json: /workload/phases/1/start: a fragment phase must start after its fill phase \"fill\" ends at 5s; "
       "this one starts at 4s"},
      {"DuplicatePhaseName",
       with_phases(R"([{"name": "a"}, {"name": "a"}])"),
       {},
       "bad.json: /workload/phases/1/name: phase name \"a\" is already used by /workload/phases/0; give each phase "
       "its own \"name\""},
      {"BurstPeriodShorterThanOn",
       with_phases(R"([{"kind": "burst", "burst_on": "2ms", "burst_period": "1ms"}])"),
       {},
       "bad.json: /workload/phases/0/burst_period: expected a duration of at least burst_on (2ms), found \"1ms\""},
      {"PatternTypo",
       with_phases(R"([{"pattern": "steady-chrun"}])"),
       {},
       "bad.json: /workload/phases/0/pattern: expected \"steady-churn\", \"fill-fragment\", "
       "\"thp-after-fragmentation\", \"atomic-burst\", \"migratetype-mixing\" or \"exhaustion\", found "
       "\"steady-chrun\"; did you mean \"steady-churn\"?"},
      {"CpuIdOutOfRange",
       with_phases(R"([{"cpus": [0, 2]}])"),
       {},
       "bad.json: /workload/phases/0/cpus/1: expected a CPU id from 0 to 1 (the machine has 2 CPUs), found 2"},
      {"CpusOfMissingNode",
       with_phases(R"([{"cpus": {"node": 3}}])"),
       {},
       "bad.json: /workload/phases/0/cpus/node: expected a node id from 0 to 0 (the machine has 1 node), found 3"},
      {"CpusOfNodeWithoutCpus",
       R"({"machine": {"nodes": [{"memory": "1GiB"}, {"memory": "1GiB", "cpus": 0}]},
           "workload": {"phases": [{"cpus": {"node": 1}}]}})",
       {},
       "bad.json: /workload/phases/0/cpus/node: node 1 has no CPUs"},
      {"TraceAndPhasesBoth",
       R"({"machine": {"nodes": [{"memory": "1GiB"}]}, "workload": {"trace": {"file": "t.csv"}, "phases": [{}]}})",
       {},
       "bad.json: /workload: \"trace\" and \"phases\" exclude each other: replay a trace or generate phases"},
      {"MissingTraceFile",
       R"({"machine": {"nodes": [{"memory": "1GiB"}]}, "workload": {"trace": {"file": "traces/missing.csv"}}})",
       {},
       "bad.json: /workload/trace/file: expected an existing trace file, found \"traces/missing.csv\" (there is no "
       "file traces/missing.csv)"},
      {"BadScenarioName",
       R"({"name": "my run"})",
       {},
       "bad.json: /name: expected a name of letters, digits, '.', '_' and '-' (it names the results folder), found "
       "\"my run\""},
      {"SetWithoutValue",
       kMinimal,
       {"allocator.pcp"},
       "--set allocator.pcp: expected key.path=value, e.g. machine.nodes[1].cpus=8"},
      {"SetIndexOutOfRange",
       kMinimal,
       {"machine.nodes[1].cpus=8"},
       "--set machine.nodes[1].cpus=8: index 1 is out of range: machine.nodes has 1 element"},
      {"SetThroughAScalar",
       kMinimal,
       {"machine.nodes[0].cpus.count=8"},
       "--set machine.nodes[0].cpus.count=8: machine.nodes[0].cpus is a number, not an object"},
      {"SetKeyOnAnArray",
       kMinimal,
       {"machine.nodes.cpus=8"},
       "--set machine.nodes.cpus=8: machine.nodes is an array; index it like machine.nodes[0]"},
      {"SetBadValue",
       kMinimal,
       {"machine.nodes[0].cpus=eight"},
       "bad.json (--set machine.nodes[0].cpus=eight): /machine/nodes/0/cpus: expected an integer from 0 to 1024, "
       "found \"eight\""},
      {"SetMisspeltSection",
       kMinimal,
       {"allocater.pcp=false"},
       "bad.json (--set allocater.pcp=false): /allocater: unknown key \"allocater\"; did you mean \"allocator\"?"},
      {"SetUnknownKey",
       kMinimal,
       {"allocator.pcpp=false"},
       "bad.json (--set allocator.pcpp=false): /allocator/pcpp: unknown key \"pcpp\"; did you mean \"pcp\"?"},
  };
  return cases;
}

class BadScenario : public testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, GivesExactMessage) {
  const BadCase &c = GetParam();
  EXPECT_EQ(error_of(c.json, c.sets), c.message) << c.json;
}

INSTANTIATE_TEST_SUITE_P(Table, BadScenario, testing::ValuesIn(bad_cases()),
                         [](const testing::TestParamInfo<BadCase> &param) { return std::string(param.param.name); });

TEST(BadScenario, ErrorCarriesWhereAndMessageApart) {
  try {
    parse_scenario_text(R"({"allocator": {"pcp": 1}})", "bad.json");
    FAIL() << "no error";
  } catch (const ScenarioError &e) {
    EXPECT_EQ(e.where(), "bad.json: /allocator/pcp");
    EXPECT_EQ(e.message(), "expected true or false, found 1");
  }
}

TEST(BadScenario, MissingFileNamesIt) {
  try {
    parse_scenario_file("/nonexistent/x.json");
    FAIL() << "no error";
  } catch (const ScenarioError &e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/x.json: cannot open the scenario: No such file or directory");
  }
}

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

// ---------------------------------------------------------------------------
// Units.

TEST(Units, SizesParse) {
  EXPECT_EQ(units::parse_size("16GiB"), 16 * GiB);
  EXPECT_EQ(units::parse_size("4KiB"), 4 * KiB);
  EXPECT_EQ(units::parse_size("512M"), 512 * MiB);
  EXPECT_EQ(units::parse_size("2TiB"), 2ull << 40);
  EXPECT_EQ(units::parse_size("1.5GiB"), 1536 * MiB);
  EXPECT_EQ(units::parse_size("1 gib"), 1 * GiB);
  EXPECT_EQ(units::parse_size("4096"), 4096u);
  EXPECT_EQ(units::parse_size("100B"), 100u);
  EXPECT_EQ(units::parse_size("0x9f000"), 0x9f000u);
}

TEST(Units, SizesRejectWithAReason) {
  const auto reason = [](std::string_view text) {
    try {
      units::parse_size(text);
    } catch (const std::invalid_argument &e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(reason("16MB"), "\"MB\" is ambiguous; write \"MiB\" (sizes are binary)");
  EXPECT_EQ(reason("1.3B"), "not a whole number of bytes");
  EXPECT_EQ(reason("GiB"), "not a number");
  EXPECT_EQ(reason("-1"), "not a number");
  EXPECT_EQ(reason("20000000TiB"), "too large");
  EXPECT_EQ(reason("0xfg"), "not a number");
}

TEST(Units, DurationsParse) {
  EXPECT_EQ(units::parse_duration_ns("10s"), 10 * S);
  EXPECT_EQ(units::parse_duration_ns("5ms"), 5 * MS);
  EXPECT_EQ(units::parse_duration_ns("250us"), 250 * US);
  EXPECT_EQ(units::parse_duration_ns("100ns"), 100u);
  EXPECT_EQ(units::parse_duration_ns("1.5s"), 1500 * MS);
  EXPECT_EQ(units::parse_duration_ns("2min"), 120 * S);
  EXPECT_EQ(units::parse_duration_ns("0"), 0u);
  EXPECT_THROW(units::parse_duration_ns("1.5ns"), std::invalid_argument);
  EXPECT_THROW(units::parse_duration_ns("7"), std::invalid_argument);
}

TEST(Units, FormatRoundTrips) {
  for (std::uint64_t bytes :
       std::vector<std::uint64_t>{0, 1, 4095, 4096, 0x9e000, 3071 * MiB, 16 * GiB, 3ull << 40, 1536 * MiB})
    EXPECT_EQ(units::parse_size(units::format_size(bytes)), bytes) << units::format_size(bytes);
  for (std::uint64_t ns : std::vector<std::uint64_t>{0, 1, 999, 1500 * US, 1500 * MS, 10 * S, 90 * S, 7200 * S})
    EXPECT_EQ(units::parse_duration_ns(units::format_duration(ns)), ns) << units::format_duration(ns);
  EXPECT_EQ(units::format_size(0x9e000), "632KiB");
  EXPECT_EQ(units::format_size(4097), "4097");
  EXPECT_EQ(units::format_duration(1500 * MS), "1500ms");
  EXPECT_EQ(units::format_duration(90 * S), "90s");
  EXPECT_EQ(units::format_hex(0x9f000), "0x9f000");
}

// ---------------------------------------------------------------------------
// The effective configuration, shipped scenarios, docs and schema.

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(BUDDYSIM_SCENARIOS))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

const fs::path kDocs = fs::path(BUDDYSIM_SCENARIOS) / ".." / "docs";

TEST(EffectiveConfig, ShippedScenariosParse) {
  for (const fs::path &file : shipped_scenarios()) EXPECT_NO_THROW(parse_scenario_file(file)) << file;
}

void expect_round_trip(const Scenario &s, const std::string &label) {
  const std::string first = effective_config_json(s);
  const Scenario again = parse_scenario_text(first, s.source);
  EXPECT_EQ(effective_config_json(again), first) << label;
  EXPECT_EQ(again.workload.phases.size(), s.workload.phases.size()) << label;
}

TEST(EffectiveConfig, RoundTripsShippedScenarios) {
  for (const fs::path &file : shipped_scenarios()) expect_round_trip(parse_scenario_file(file), file.string());
}

TEST(EffectiveConfig, RoundTripsPatternsAndEveryKind) {
  const Scenario s = parse(with_phases(R"([
      {"pattern": "thp-after-fragmentation", "size": "128MiB"}, {"pattern": "atomic-burst"},
      {"pattern": "steady-churn", "size": "100MiB", "cpus": [1]}, {"pattern": "migratetype-mixing"},
      {"pattern": "exhaustion"}, {"pattern": "fill-fragment", "name": "ff"},
      {"kind": "burst", "interarrival": {"dist": "uniform", "min": "1us", "max": "3us"},
       "classes": [{"weight": 0.3, "orders": {"0": 0.25, "10": 1e-3}, "lifetime": "1.5ms"}]}])"),
                           {"allocator.min_free_kbytes=1234", "machine.reserve_memmap=false", "record.ops=true"});
  expect_round_trip(s, "patterns");
  EXPECT_EQ(parse_scenario_text(effective_config_json(s), s.source).workload.phases.back().classes[0].weight, 0.3);
}

TEST(EffectiveConfig, PrintsExpandedDefaults) {
  const std::string text = effective_config_json(parse(kMinimal));
  EXPECT_NE(text.find(R"("min_free_kbytes": "auto")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"start": "1MiB", "size": "1023MiB"})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("interarrival": {"dist": "exponential", "mean": "10us"})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("cpus": [0, 1])"), std::string::npos) << text;
}

// Every ```json block in docs/scenario.md is a complete scenario (fragments
// use ```jsonc), so the examples cannot drift from the parser.
TEST(Docs, JsonExamplesParse) {
  const std::string doc = read_file(kDocs / "scenario.md");
  const std::string open = "```json\n", close = "```";
  int count = 0;
  for (std::size_t at = doc.find(open); at != std::string::npos; at = doc.find(open, at + 1), ++count) {
    const std::size_t begin = at + open.size(), end = doc.find(close, begin);
    ASSERT_NE(end, std::string::npos) << "unterminated ```json block";
    const std::string example = doc.substr(begin, end - begin);
    EXPECT_NO_THROW(parse_scenario_text(example, kDocs / "example.json")) << example;
  }
  EXPECT_GE(count, 3);
}

// The schema's $defs, each listing the properties of one kind of object,
// must match the parser's key tables name for name and key for key. No
// level may escape the check: outside $defs no object declares properties,
// and inside a def, nested "properties" (the if/then rules per phase kind)
// only constrain keys the def itself declares.
void collect_properties(const nlohmann::json &node, std::vector<const nlohmann::json *> &out) {
  if (!node.is_structured()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (node.is_object() && it.key() == "properties") out.push_back(&*it);
    collect_properties(*it, out);
  }
}

std::set<std::string> key_set(const nlohmann::json &properties) {
  std::set<std::string> out;
  for (const auto &[key, v] : properties.items()) out.insert(key);
  return out;
}

const keys::KeyTable *parser_table(std::string_view name) {
  for (const keys::KeyTable &t : keys::kAllTables)
    if (t.name == name) return &t;
  return nullptr;
}

TEST(Schema, PropertiesEqualParserKeysAtEveryLevel) {
  const nlohmann::json schema = nlohmann::json::parse(read_file(kDocs / "scenario.schema.json"));
  EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema.value("$ref", ""), "#/$defs/scenario");
  std::set<std::string> schema_defs, parser_defs;
  for (const auto &[name, def] : schema.at("$defs").items()) {
    if (!def.contains("properties")) continue;
    schema_defs.insert(name);
    const keys::KeyTable *table = parser_table(name);
    ASSERT_NE(table, nullptr) << "schema $defs/" << name << " has no parser key table";
    const std::set<std::string> declared = key_set(def.at("properties"));
    EXPECT_EQ(declared, std::set<std::string>(table->keys.begin(), table->keys.end())) << "$defs/" << name;
    EXPECT_EQ(def.value("additionalProperties", true), false) << "$defs/" << name;
    nlohmann::json rules = def;
    rules.erase("properties");
    std::vector<const nlohmann::json *> nested;
    collect_properties(rules, nested);
    for (const nlohmann::json *p : nested)
      for (const std::string &key : key_set(*p)) EXPECT_TRUE(declared.count(key)) << "$defs/" << name << ": " << key;
  }
  for (const keys::KeyTable &t : keys::kAllTables) parser_defs.insert(std::string(t.name));
  EXPECT_EQ(schema_defs, parser_defs);
  nlohmann::json outside = schema;
  outside.erase("$defs");
  std::vector<const nlohmann::json *> stray;
  collect_properties(outside, stray);
  EXPECT_TRUE(stray.empty());
}

}  // namespace
}  // namespace buddysim::scenario
