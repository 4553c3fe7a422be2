// Bad scenarios and the exact message each must produce.
#include <gtest/gtest.h>

#include "tests/sim/scenario_test_support.h"

namespace buddysim::scenario {
namespace {

using namespace testing_support;

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
      {"HardwareUnknownKey",
       with_hardware(R"({"cpu": {"clok": "2GHz"}})"),
       {},
       "bad.json: /machine/hardware/cpu/clok: unknown key \"clok\"; did you mean \"clock\"?"},
      {"HardwareClockTooFast",
       with_hardware(R"({"cpu": {"clock": "20GHz"}})"),
       {},
       "bad.json: /machine/hardware/cpu/clock: expected a frequency from 100MHz to 10GHz, found \"20GHz\""},
      {"HardwareClockWithoutUnit",
       with_hardware(R"({"cpu": {"clock": 2500}})"),
       {},
       "bad.json: /machine/hardware/cpu/clock: expected a frequency such as \"2.5GHz\" or \"2500MHz\", found 2500: a "
       "frequency needs a unit: Hz, kHz, MHz or GHz"},
      {"HardwareZeroQuantum",
       with_hardware(R"({"cpu": {"quantum": "0us"}})"),
       {},
       "bad.json: /machine/hardware/cpu/quantum: expected a duration from 1ns to 1ms, found \"0us\""},
      {"HardwareBadTimingMode",
       with_hardware(R"({"cpu": {"timing": "exactly"}})"),
       {},
       "bad.json: /machine/hardware/cpu/timing: expected \"loosely-timed\" or \"exact\", found \"exactly\"; did you "
       "mean \"exact\"?"},
      {"HardwareCacheSizeNotWaysTimesPowerOfTwo",
       with_hardware(R"({"cache": {"size": "1000KiB"}})"),
       {},
       "bad.json: /machine/hardware/cache/size: expected a size of ways (16) x 64 bytes x a power of two (the sets), "
       "such as \"512KiB\" or \"1MiB\", found \"1000KiB\""},
      {"HardwareCacheWaysBreakDefaultSize",
       with_hardware(R"({"cache": {"ways": 12}})"),
       {},
       "bad.json: /machine/hardware/cache/ways: the default size 1MiB does not fit 12 ways; give a \"size\" of ways "
       "(12) x 64 bytes x a power of two (the sets), such as \"768KiB\" or \"1536KiB\""},
      {"HardwareTransferTooLong",
       with_hardware(R"({"coherence": {"cross_socket_transfer": "120us"}})"),
       {},
       "bad.json: /machine/hardware/coherence/cross_socket_transfer: expected a duration above 0 and below 10us, "
       "found \"120us\""},
      {"HardwareDramUnknownParameter",
       with_hardware(R"({"dram": {"tRDC": 20}})"),
       {},
       "bad.json: /machine/hardware/dram/tRDC: unknown key \"tRDC\"; did you mean \"tRCD\"?"},
      {"HardwareDramValueOutOfRange",
       with_hardware(R"({"dram": {"tRCD": 0}})"),
       {},
       "bad.json: /machine/hardware/dram/tRCD: expected an integer from 1 to 1000, found 0"},
      {"HardwareDramNotAPowerOfTwo",
       with_hardware(R"({"dram": {"channels": 3}})"),
       {},
       "bad.json: /machine/hardware/dram/channels: expected a power of two from 1 to 64, found 3"},
      {"HardwareDramIntegerAsText",
       with_hardware(R"({"dram": {"tRCD": "22"}})"),
       {},
       "bad.json: /machine/hardware/dram/tRCD: expected an integer from 1 to 1000, found \"22\""},
      {"HardwareDramBadPreset",
       with_hardware(R"({"dram": {"preset": "DDR6"}})"),
       {},
       "bad.json: /machine/hardware/dram/preset: expected DDR4-2400, DDR4-3200 or DDR5-4800, found \"DDR6\""},
      {"HardwareDramInconsistentWithGivenKey",
       with_hardware(R"({"dram": {"tREFI": 500}})"),
       {},
       "bad.json: /machine/hardware/dram/tREFI: expected 0 (no refresh) or more than tRFC (560), found 500"},
      {"HardwareDramInconsistentWithPreset",
       with_hardware(R"({"dram": {"preset": "DDR5-4800", "tRFC": 9500}})"),
       {},
       "bad.json: /machine/hardware/dram: tREFI (from preset DDR5-4800): expected 0 (no refresh) or more than tRFC "
       "(9500), found 9360"},
      {"HardwareSetQuantumTooLong",
       kMinimal,
       {"machine.hardware.cpu.quantum=2ms"},
       "bad.json (--set machine.hardware.cpu.quantum=2ms): /machine/hardware/cpu/quantum: expected a duration from "
       "1ns to 1ms, found \"2ms\""},
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
      {"TraceFormatMisspelt",
       kMinimal,
       {"record.trace=perfeto"},
       "bad.json (--set record.trace=perfeto): /record/trace: expected \"perfetto\" or \"none\", found \"perfeto\"; "
       "did you mean \"perfetto\"?"},
      {"TraceWithoutFormat",
       kMinimal,
       {"record.trace={\"duration\": \"1ms\"}"},
       "bad.json (--set record.trace={\"duration\": \"1ms\"}): /record/trace/format: required key is missing; "
       "expected \"perfetto\" or \"none\""},
      {"TraceZeroEvents",
       kMinimal,
       {"record.trace={\"format\": \"perfetto\", \"max_events\": 0}"},
       "bad.json (--set record.trace={\"format\": \"perfetto\", \"max_events\": 0}): /record/trace/max_events: "
       "expected an integer from 1 to 100000000, found 0"},
      {"VcdUnknownSignal",
       kMinimal,
       {"record.vcd={\"signals\": [\"lock_queue\", \"lock_ownr\"]}"},
       "bad.json (--set record.vcd={\"signals\": [\"lock_queue\", \"lock_ownr\"]}): /record/vcd/signals/1: "
       "expected \"cpu_state\", \"lock_owner\", \"lock_queue\" or \"free_pages\", found \"lock_ownr\"; did you "
       "mean \"lock_owner\"?"},
      {"VcdSignalTwice",
       kMinimal,
       {"record.vcd={\"signals\": [\"free_pages\", \"free_pages\"]}"},
       "bad.json (--set record.vcd={\"signals\": [\"free_pages\", \"free_pages\"]}): /record/vcd/signals/1: names "
       "a signal twice"},
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

}  // namespace
}  // namespace buddysim::scenario
