// The effective configuration: the validated Scenario printed back as a
// scenario with every default filled in and patterns expanded, keys in the
// order of scenario_keys.h. Parsing it gives the same Scenario again.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/scenario/scenario_parser.h"
#include "sim/scenario/units.h"

namespace buddysim::scenario {
namespace {

using nlohmann::ordered_json;
using units::format_duration;
using units::format_duration_ps;
using units::format_frequency;
using units::format_size;

ordered_json ranges_json(const std::vector<model::MemRange> &ranges) {
  ordered_json out = ordered_json::array();
  for (const auto &r : ranges) out.push_back({{"start", format_size(r.start)}, {"size", format_size(r.size)}});
  return out;
}

// Whole numbers print as integers ("3", not "3.0"), as people write them.
ordered_json number_json(double w) {
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (w == std::floor(w) && w < kExactIntegers) return static_cast<std::int64_t>(w);
  return w;
}

// Every DRAM parameter, the preset first (setting it resets the others).
ordered_json dram_json(const hw::DramConfig &d) {
  ordered_json out = ordered_json::object();
  for (const hw::DramParamInfo &p : hw::DramConfig::parameters()) {
    const std::string value = d.get(p.key);
    const bool integer = p.kind == hw::ParamKind::integer || p.kind == hw::ParamKind::power_of_two;
    out[std::string(p.key)] = integer ? ordered_json(std::stoll(value)) : ordered_json(value);
  }
  return out;
}

ordered_json hardware_json(const HardwareSpec &h) {
  constexpr std::uint64_t kHzPerMhz = 1'000'000;
  const hw::MemorySystemConfig &m = h.memory;
  const hw::CoherenceTimingConfig &c = m.coherence;
  return {{"cpu",
           {{"clock", format_frequency(h.cpu_clock_mhz * kHzPerMhz)},
            {"quantum", format_duration_ps(h.quantum_ps)},
            {"timing", h.exact ? "exact" : "loosely-timed"}}},
          {"cache",
           {{"size", format_size(m.directory.cache.size_bytes)},
            {"ways", m.directory.cache.ways},
            {"hit_cycles", c.private_hit_cycles}}},
          {"coherence",
           {{"directory_lookup_cycles", c.directory_lookup_cycles},
            {"same_socket_transfer", format_duration_ps(c.same_socket_transfer_ps)},
            {"cross_socket_transfer", format_duration_ps(c.cross_socket_transfer_ps)},
            {"same_socket_invalidation", format_duration_ps(c.same_socket_invalidation_ps)},
            {"cross_socket_invalidation", format_duration_ps(c.cross_socket_invalidation_ps)}}},
          {"interconnect",
           {{"hop_latency", format_duration_ps(m.interconnect.hop_ps)},
            {"link_bandwidth_gbps", number_json(m.interconnect.link_bandwidth_gbps)}}},
          {"memory_controller_path", format_duration_ps(m.controller_path_ps)},
          {"dram", dram_json(m.dram)}};
}

ordered_json machine_json(const model::MachineLayout &m, const HardwareSpec &h) {
  ordered_json nodes = ordered_json::array();
  for (const auto &n : m.nodes)
    nodes.push_back({{"memory", ranges_json(n.memory)}, {"reserved", ranges_json(n.reserved)}, {"cpus", n.nr_cpus}});
  return {{"nodes", nodes},
          {"distance", m.distance},
          {"llc_slice_per_cpu", format_size(m.llc_slice_bytes_per_cpu)},
          {"reserve_memmap", m.reserve_memmap},
          {"hardware", hardware_json(h)}};
}

ordered_json allocator_json(const model::AllocatorConfig &c) {
  return {{"pcp", c.pcp_enabled},
          {"percpu_pagelist_high_fraction", c.percpu_pagelist_high_fraction},
          {"min_free_kbytes", c.min_free_kbytes < 0 ? ordered_json("auto") : ordered_json(c.min_free_kbytes)},
          {"watermark_scale_factor", c.watermark_scale_factor},
          {"watermark_boost_factor", c.watermark_boost_factor},
          {"lowmem_reserve_ratio", c.lowmem_reserve_ratio},
          {"numa_stat", c.numa_stat},
          {"movablecore", format_size(c.movablecore_bytes)},
          {"defrag_mode", c.defrag_mode},
          {"thp_min_free_kbytes", c.thp_recommended_min_free_kbytes},
          {"debug_checks", c.debug_checks}};
}

ordered_json distribution_json(const Distribution &d) {
  switch (d.kind) {
    case Distribution::Kind::Fixed:
      return {{"dist", "fixed"}, {"value", format_duration(d.value_ns)}};
    case Distribution::Kind::Exponential:
      return {{"dist", "exponential"}, {"mean", format_duration(d.value_ns)}};
    case Distribution::Kind::Uniform:
      return {{"dist", "uniform"}, {"min", format_duration(d.value_ns)}, {"max", format_duration(d.max_ns)}};
    case Distribution::Kind::UntilPhaseEnd:
      return {{"dist", "phase_end"}};
    case Distribution::Kind::Forever:
      return {{"dist", "forever"}};
  }
  return {};
}

ordered_json class_json(const AllocClass &c) {
  ordered_json orders = ordered_json::object();
  for (std::size_t o = 0; o < c.order_weights.size(); ++o)
    if (c.order_weights[o] != 0) orders[std::to_string(o)] = number_json(c.order_weights[o]);
  return {{"name", c.name},
          {"weight", number_json(c.weight)},
          {"gfp", model::format_gfp_flags(c.gfp)},
          {"orders", orders},
          {"lifetime", distribution_json(c.lifetime)}};
}

std::string pages_size(std::uint64_t pages) { return format_size(pages * model::PAGE_SIZE); }

// The keys of the phase's kind, in the order of keys::kPhase.
void kind_json(const Phase &p, ordered_json &out) {
  if (p.kind == PhaseKind::Fragment) {
    out["of"] = p.fragment_of;
    out["keep_every"] = p.keep_every;
    return;
  }
  ordered_json classes = ordered_json::array();
  for (const auto &c : p.classes) classes.push_back(class_json(c));
  out["classes"] = classes;
  if (p.kind == PhaseKind::Fill)
    out["fill"] = pages_size(p.fill_pages);
  else
    out["target_live"] = pages_size(p.target_live_pages);
  if (p.kind != PhaseKind::Burst) return;
  out["burst_on"] = format_duration(p.burst_on_ns);
  out["burst_period"] = format_duration(p.burst_period_ns);
}

const char *kind_name(PhaseKind kind) {
  switch (kind) {
    case PhaseKind::Random:
      return "random";
    case PhaseKind::Fill:
      return "fill";
    case PhaseKind::Fragment:
      return "fragment";
    case PhaseKind::Burst:
      return "burst";
  }
  return "";
}

ordered_json phase_json(const Phase &p) {
  ordered_json out = {{"name", p.name},
                      {"kind", kind_name(p.kind)},
                      {"cpus", p.cpus},
                      {"start", format_duration(p.start_ns)},
                      {"duration", format_duration(p.duration_ns)},
                      {"interarrival", distribution_json(p.interarrival)}};
  kind_json(p, out);
  return out;
}

ordered_json workload_json(const WorkloadSpec &w) {
  if (w.trace) {
    const TraceSpec &t = *w.trace;
    return {{"trace",
             {{"format", t.format == TraceSpec::Format::Csv ? "csv" : "ftrace"},
              {"file", t.path.string()},
              {"policy", t.policy == TraceSpec::Policy::Strict ? "strict" : "lenient"}}}};
  }
  ordered_json phases = ordered_json::array();
  for (const auto &p : w.phases) phases.push_back(phase_json(p));
  return {{"phases", phases}};
}

// Pretty JSON that keeps small objects and arrays on one line (a range, a
// distribution, a CPU list), so the file reads like a hand-written scenario.
constexpr std::size_t kLineWidth = 100;

std::string inline_json(const ordered_json &v) {
  if (!v.is_structured()) return v.dump();
  std::string out;
  for (auto it = v.begin(); it != v.end(); ++it) {
    out += out.empty() ? "" : ", ";
    if (v.is_object()) out += ordered_json(it.key()).dump() + ": ";
    out += inline_json(*it);
  }
  return v.is_object() ? "{" + out + "}" : "[" + out + "]";
}

// A long array of numbers (a CPU list) as lines of numbers, not one per line.
bool scalar_array(const ordered_json &v) {
  return v.is_array() && std::none_of(v.begin(), v.end(), [](const ordered_json &e) { return e.is_structured(); });
}

void wrapped_scalars(const ordered_json &v, std::size_t indent, std::string &out) {
  const std::string pad(indent + 2, ' ');
  std::string line;
  out += "[\n";
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string item = it->dump() + (std::next(it) == v.end() ? "" : ",");
    if (!line.empty() && pad.size() + line.size() + 1 + item.size() > kLineWidth) {
      out += pad + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + item;
  }
  out += pad + line + "\n" + std::string(indent, ' ') + "]";
}

void pretty(const ordered_json &v, std::size_t indent, std::size_t column, std::string &out) {
  const std::string flat = inline_json(v);
  if (!v.is_structured() || column + flat.size() <= kLineWidth) {
    out += flat;
    return;
  }
  if (scalar_array(v)) return wrapped_scalars(v, indent, out);
  const std::string pad(indent + 2, ' ');
  out += v.is_object() ? "{\n" : "[\n";
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string key = v.is_object() ? ordered_json(it.key()).dump() + ": " : "";
    out += pad + key;
    pretty(*it, indent + 2, pad.size() + key.size(), out);
    out += std::next(it) == v.end() ? "\n" : ",\n";
  }
  out += std::string(indent, ' ') + (v.is_object() ? "}" : "]");
}

}  // namespace

ordered_json window_json(const TraceWindow &w, const char *cap_key) {
  return {{"start", format_duration(w.start_ns)}, {"duration", format_duration(w.duration_ns)}, {cap_key, w.max_events}};
}

ordered_json record_json(const RecordSpec &r) {
  ordered_json trace = {{"format", r.perfetto ? "perfetto" : "none"}};
  trace.update(window_json(r.trace, "max_events"));
  ordered_json vcd = false;
  if (r.vcd) {
    vcd = {{"signals", r.vcd_signals}};
    vcd.update(window_json(r.vcd_window, "max_changes"));
  }
  return {{"interval", format_duration(r.interval_ns)}, {"ops", r.ops}, {"trace", trace}, {"vcd", vcd}};
}

std::string effective_config_json(const Scenario &s) {
  const ordered_json doc = {{"name", s.name},
                            {"description", s.description},
                            {"seed", s.seed},
                            {"machine", machine_json(s.machine, s.hardware)},
                            {"allocator", allocator_json(s.allocator)},
                            {"workload", workload_json(s.workload)},
                            {"record", record_json(s.record)}};
  std::string out;
  pretty(doc, 0, 0, out);
  return out + "\n";
}

}  // namespace buddysim::scenario
