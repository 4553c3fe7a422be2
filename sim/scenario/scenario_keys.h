// The keys the parser accepts in each kind of JSON object, in the order the
// effective configuration prints them. One table per object kind, named like
// the kind's definition in docs/scenario.schema.json ($defs), so a test can
// check that the schema and the parser agree key for key.
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace buddysim::scenario::keys {

using namespace std::string_view_literals;

// "$schema" lets editors find docs/scenario.schema.json; it is not printed back.
inline constexpr std::array kScenario{"$schema"sv, "name"sv,      "description"sv, "seed"sv,
                                      "machine"sv, "allocator"sv, "workload"sv,    "record"sv};
inline constexpr std::array kMachine{"nodes"sv, "distance"sv, "llc_slice_per_cpu"sv, "reserve_memmap"sv, "hardware"sv};
inline constexpr std::array kNode{"memory"sv, "reserved"sv, "cpus"sv};
inline constexpr std::array kRange{"start"sv, "size"sv};
// machine.hardware. Its "dram" object takes the DRAM parameter names of
// hw::DramConfig::parameters() ($defs/hardware_dram), so it has no table here.
inline constexpr std::array kHardware{"cpu"sv, "cache"sv, "coherence"sv, "interconnect"sv, "memory_controller_path"sv,
                                      "dram"sv};
inline constexpr std::array kHardwareCpu{"clock"sv, "quantum"sv, "timing"sv};
inline constexpr std::array kHardwareCache{"size"sv, "ways"sv, "hit_cycles"sv};
inline constexpr std::array kHardwareCoherence{"directory_lookup_cycles"sv, "same_socket_transfer"sv,
                                               "cross_socket_transfer"sv, "same_socket_invalidation"sv,
                                               "cross_socket_invalidation"sv};
inline constexpr std::array kHardwareInterconnect{"hop_latency"sv, "link_bandwidth_gbps"sv};
inline constexpr std::array kAllocator{"pcp"sv,
                                       "percpu_pagelist_high_fraction"sv,
                                       "min_free_kbytes"sv,
                                       "watermark_scale_factor"sv,
                                       "watermark_boost_factor"sv,
                                       "lowmem_reserve_ratio"sv,
                                       "numa_stat"sv,
                                       "movablecore"sv,
                                       "defrag_mode"sv,
                                       "thp_min_free_kbytes"sv,
                                       "debug_checks"sv};
inline constexpr std::array kWorkload{"trace"sv, "phases"sv};
inline constexpr std::array kTrace{"format"sv, "file"sv, "policy"sv};
// Every phase key; which ones a phase may use depends on its kind (below).
inline constexpr std::array kPhase{"name"sv,         "kind"sv,     "cpus"sv,        "start"sv, "duration"sv,
                                   "interarrival"sv, "classes"sv,  "target_live"sv, "fill"sv,  "of"sv,
                                   "keep_every"sv,   "burst_on"sv, "burst_period"sv};
inline constexpr std::array kPattern{"pattern"sv, "name"sv, "cpus"sv, "start"sv, "duration"sv, "size"sv};
inline constexpr std::array kAllocClass{"name"sv, "weight"sv, "gfp"sv, "orders"sv, "lifetime"sv};
inline constexpr std::array kCpusNode{"node"sv};
inline constexpr std::array kDistFixed{"dist"sv, "value"sv};
inline constexpr std::array kDistExponential{"dist"sv, "mean"sv};
inline constexpr std::array kDistUniform{"dist"sv, "min"sv, "max"sv};
inline constexpr std::array kDistPhaseEnd{"dist"sv};
inline constexpr std::array kDistForever{"dist"sv};
inline constexpr std::array kRecord{"interval"sv, "ops"sv, "trace"sv, "vcd"sv};
inline constexpr std::array kRecordTrace{"format"sv, "start"sv, "duration"sv, "max_events"sv};
inline constexpr std::array kRecordVcd{"signals"sv, "start"sv, "duration"sv, "max_changes"sv};

// Keys a phase of each kind may use beyond the common ones (name, kind, cpus,
// start, duration, interarrival).
inline constexpr std::array kRandomOnly{"classes"sv, "target_live"sv};
inline constexpr std::array kBurstOnly{"classes"sv, "target_live"sv, "burst_on"sv, "burst_period"sv};
inline constexpr std::array kFillOnly{"classes"sv, "fill"sv};
inline constexpr std::array kFragmentOnly{"of"sv, "keep_every"sv};

struct KeyTable {
  std::string_view name;  // the $defs name in docs/scenario.schema.json
  std::span<const std::string_view> keys;
};

inline constexpr std::array kAllTables{KeyTable{"scenario", kScenario},
                                       KeyTable{"machine", kMachine},
                                       KeyTable{"node", kNode},
                                       KeyTable{"range", kRange},
                                       KeyTable{"hardware", kHardware},
                                       KeyTable{"hardware_cpu", kHardwareCpu},
                                       KeyTable{"hardware_cache", kHardwareCache},
                                       KeyTable{"hardware_coherence", kHardwareCoherence},
                                       KeyTable{"hardware_interconnect", kHardwareInterconnect},
                                       KeyTable{"allocator", kAllocator},
                                       KeyTable{"workload", kWorkload},
                                       KeyTable{"trace", kTrace},
                                       KeyTable{"phase", kPhase},
                                       KeyTable{"pattern", kPattern},
                                       KeyTable{"alloc_class", kAllocClass},
                                       KeyTable{"cpus_node", kCpusNode},
                                       KeyTable{"dist_fixed", kDistFixed},
                                       KeyTable{"dist_exponential", kDistExponential},
                                       KeyTable{"dist_uniform", kDistUniform},
                                       KeyTable{"dist_phase_end", kDistPhaseEnd},
                                       KeyTable{"dist_forever", kDistForever},
                                       KeyTable{"record", kRecord},
                                       KeyTable{"record_trace", kRecordTrace},
                                       KeyTable{"record_vcd", kRecordVcd}};

}  // namespace buddysim::scenario::keys
