// machine.hardware: defaults, values, the DRAM preset order, overrides and
// the effective configuration.
#include <gtest/gtest.h>

#include "tests/sim/scenario_test_support.h"

namespace buddysim::scenario {
namespace {

using namespace testing_support;

constexpr hw::Ps NS = hw::PS_PER_NS;

// Every DRAM parameter, compared by name (DramConfig has no operator==).
void expect_same_dram(const hw::DramConfig &a, const hw::DramConfig &b) {
  for (const hw::DramParamInfo &p : hw::DramConfig::parameters()) EXPECT_EQ(a.get(p.key), b.get(p.key)) << p.key;
}

TEST(HardwareScenario, DefaultsAreTheHardwareModelsOwn) {
  const HardwareSpec h = parse(kMinimal).hardware;
  const hw::MemorySystemConfig model;
  EXPECT_EQ(h.cpu_clock_mhz, hw::CoherenceTimingConfig::DEFAULT_CPU_CLOCK_MHZ);
  EXPECT_EQ(h.quantum_ps, 1'000'000u);
  EXPECT_FALSE(h.exact);
  EXPECT_EQ(h.memory.coherence.cpu_clock_mhz, h.cpu_clock_mhz);
  EXPECT_EQ(h.memory.coherence.private_hit_cycles, model.coherence.private_hit_cycles);
  EXPECT_EQ(h.memory.coherence.directory_lookup_cycles, model.coherence.directory_lookup_cycles);
  EXPECT_EQ(h.memory.coherence.cross_socket_transfer_ps, model.coherence.cross_socket_transfer_ps);
  EXPECT_EQ(h.memory.directory.cache.size_bytes, model.directory.cache.size_bytes);
  EXPECT_EQ(h.memory.directory.cache.ways, model.directory.cache.ways);
  EXPECT_EQ(h.memory.interconnect.hop_ps, model.interconnect.hop_ps);
  EXPECT_EQ(h.memory.interconnect.link_bandwidth_gbps, model.interconnect.link_bandwidth_gbps);
  EXPECT_EQ(h.memory.controller_path_ps, model.controller_path_ps);
  expect_same_dram(h.memory.dram, model.dram);
  // Filled in by the timed runner from the machine.
  EXPECT_TRUE(h.memory.directory.cpu_socket.empty());
  EXPECT_TRUE(h.memory.interconnect.distance.empty());
}

TEST(HardwareScenario, EveryKeyParses) {
  const HardwareSpec h = parse(with_hardware(R"({
      "cpu": {"clock": "3.2GHz", "quantum": "250ns", "timing": "exact"},
      "cache": {"size": "2MiB", "ways": 8, "hit_cycles": 5},
      "coherence": {"directory_lookup_cycles": 60, "same_socket_transfer": "40.5ns",
                    "cross_socket_transfer": "0.11us", "same_socket_invalidation": "30ns",
                    "cross_socket_invalidation": "90000ps"},
      "interconnect": {"hop_latency": "23.361ns", "link_bandwidth_gbps": 41.6},
      "memory_controller_path": "0",
      "dram": {"tRCD": 24, "page_policy": "closed", "mapping": "ro,ra,ba,bg,ch,co", "channels": 2}})"))
                             .hardware;
  EXPECT_EQ(h.cpu_clock_mhz, 3200u);
  EXPECT_EQ(h.memory.coherence.cpu_clock_mhz, 3200u);
  EXPECT_EQ(h.quantum_ps, 250 * NS);
  EXPECT_TRUE(h.exact);
  EXPECT_EQ(h.memory.directory.cache.size_bytes, 2 * MiB);
  EXPECT_EQ(h.memory.directory.cache.ways, 8u);
  EXPECT_EQ(h.memory.coherence.private_hit_cycles, 5u);
  EXPECT_EQ(h.memory.coherence.directory_lookup_cycles, 60u);
  EXPECT_EQ(h.memory.coherence.same_socket_transfer_ps, 40'500u);
  EXPECT_EQ(h.memory.coherence.cross_socket_transfer_ps, 110 * NS);
  EXPECT_EQ(h.memory.coherence.same_socket_invalidation_ps, 30 * NS);
  EXPECT_EQ(h.memory.coherence.cross_socket_invalidation_ps, 90 * NS);
  EXPECT_EQ(h.memory.interconnect.hop_ps, 23'361u);
  EXPECT_EQ(h.memory.interconnect.link_bandwidth_gbps, 41.6);
  EXPECT_EQ(h.memory.controller_path_ps, 0u);
  EXPECT_EQ(h.memory.dram.preset, "DDR4-3200");
  EXPECT_EQ(h.memory.dram.tRCD, 24u);
  EXPECT_EQ(h.memory.dram.page_policy, hw::PagePolicy::closed);
  EXPECT_EQ(h.memory.dram.mapping, "ro,ra,ba,bg,ch,co");
  EXPECT_EQ(h.memory.dram.channels, 2u);
}

// "preset" resets every parameter, so it must apply first wherever it is written.
TEST(HardwareScenario, DramPresetAppliesBeforeOtherParameters) {
  const hw::DramConfig d =
      parse(with_hardware(R"({"dram": {"tRCD": 45, "preset": "DDR5-4800"}})")).hardware.memory.dram;
  EXPECT_EQ(d.preset, "DDR5-4800");
  EXPECT_EQ(d.tRCD, 45u);
  EXPECT_EQ(d.BL, hw::DramConfig::from_preset("DDR5-4800").BL);
}

TEST(HardwareScenario, OverridesSetHardwareKeys) {
  const HardwareSpec h =
      parse(kMinimal, {"machine.hardware.dram.preset=DDR5-4800", "machine.hardware.cpu.quantum=100ns",
                       "machine.hardware.cpu.timing=exact", "machine.hardware.dram.tRCD=40",
                       "machine.hardware.coherence.cross_socket_transfer=130ns"})
          .hardware;
  EXPECT_EQ(h.memory.dram.preset, "DDR5-4800");
  EXPECT_EQ(h.memory.dram.tRCD, 40u);
  EXPECT_EQ(h.quantum_ps, 100 * NS);
  EXPECT_TRUE(h.exact);
  EXPECT_EQ(h.memory.coherence.cross_socket_transfer_ps, 130 * NS);
}

TEST(HardwareScenario, EffectiveConfigPrintsEveryValueAndReparsesToTheSameSpec) {
  const Scenario s = parse(with_hardware(R"({"cpu": {"clock": "2.4GHz", "quantum": "1.5us"},
      "coherence": {"same_socket_transfer": "40.5ns"}, "interconnect": {"link_bandwidth_gbps": 20},
      "dram": {"preset": "DDR4-2400", "tREFI": 0, "page_policy": "closed"}})"));
  const std::string text = effective_config_json(s);
  EXPECT_NE(text.find(R"("cpu": {"clock": "2400MHz", "quantum": "1500ns", "timing": "loosely-timed"})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("same_socket_transfer": "40.5ns")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("link_bandwidth_gbps": 20})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("memory_controller_path": "20.5ns")"), std::string::npos) << text;
  for (const hw::DramParamInfo &p : hw::DramConfig::parameters())
    EXPECT_NE(text.find("\"" + std::string(p.key) + "\": "), std::string::npos) << p.key;

  const HardwareSpec a = s.hardware, b = parse_scenario_text(text, s.source).hardware;
  EXPECT_EQ(effective_config_json(parse_scenario_text(text, s.source)), text);
  EXPECT_EQ(b.cpu_clock_mhz, a.cpu_clock_mhz);
  EXPECT_EQ(b.quantum_ps, a.quantum_ps);
  EXPECT_EQ(b.exact, a.exact);
  EXPECT_EQ(b.memory.coherence.same_socket_transfer_ps, a.memory.coherence.same_socket_transfer_ps);
  EXPECT_EQ(b.memory.interconnect.hop_ps, a.memory.interconnect.hop_ps);
  EXPECT_EQ(b.memory.interconnect.link_bandwidth_gbps, a.memory.interconnect.link_bandwidth_gbps);
  expect_same_dram(b.memory.dram, a.memory.dram);
  EXPECT_EQ(b.memory.dram.preset, "DDR4-2400");
  EXPECT_EQ(b.memory.dram.tREFI, 0u);
}

}  // namespace
}  // namespace buddysim::scenario
