#include "sim/hw/dram/dram_stats_json.h"

#include <string>

namespace buddysim::hw {

using Json = nlohmann::ordered_json;

Json dram_stats_json(const DramChannelStats &s, const DramConfig &config, Cycle cycles) {
  return {
      {"requests", s.requests()},
      {"reads", s.reads},
      {"writes", s.writes},
      {"avg_read_latency_cycles", s.avg_read_latency()},
      {"avg_read_latency_ns", config.ns(s.avg_read_latency())},
      {"avg_write_latency_cycles", s.avg_write_latency()},
      {"avg_write_latency_ns", config.ns(s.avg_write_latency())},
      {"bandwidth_gbps", s.bandwidth_gbps(config, cycles)},
      {"row_hits", s.row_hits},
      {"row_misses", s.row_misses},
      {"row_conflicts", s.row_conflicts},
      {"row_hit_rate", s.row_hit_rate()},
      {"avg_queue_delay_cycles", s.avg_queue_delay()},
      {"avg_queue_delay_ns", config.ns(s.avg_queue_delay())},
      {"refreshes", s.refreshes},
  };
}

Json dram_config_json(const DramConfig &config) {
  Json j = Json::object();
  for (const DramParamInfo &p : DramConfig::parameters()) {
    const std::string value = config.get(p.key);
    const bool numeric = p.kind == ParamKind::integer || p.kind == ParamKind::power_of_two;
    j[std::string(p.key)] = numeric ? Json(std::stoll(value)) : Json(value);
  }
  return j;
}

}  // namespace buddysim::hw
