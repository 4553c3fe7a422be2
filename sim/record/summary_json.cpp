// summary.json: the run's headline figures (documented in docs/results.md).
#include <nlohmann/json.hpp>

#include "sim/record/hardware_report.h"
#include "sim/record/recorder.h"

namespace buddysim::record {

using nlohmann::ordered_json;

namespace {

ordered_json zones_json(const model::PageAllocator &alloc) {
  ordered_json zones = ordered_json::array();
  for (const auto &node : alloc.nodes()) {
    for (const auto &z : node.zones) {
      if (!z.populated()) continue;
      ordered_json nr_free = ordered_json::array();
      for (const auto &area : z.free_area) nr_free.push_back(area.nr_free);
      zones.push_back({{"node", node.id},
                       {"zone", z.name},
                       {"managed_pages", z.managed_pages},
                       {"free_pages", alloc.zone_page_state_snapshot(z, model::NR_FREE_PAGES)},
                       {"nr_free", nr_free},
                       {"watermark_boost", z.watermark_boost},
                       {"nr_reserved_highatomic", z.nr_reserved_highatomic}});
    }
  }
  return zones;
}

ordered_json histogram_json(const LatencyHistogram &h) {
  return {{"count", h.count()},
          {"mean", h.mean()},
          {"p50", h.percentile(5000)},
          {"p90", h.percentile(9000)},
          {"p99", h.percentile(9900)},
          {"p99.9", h.percentile(9990)},
          {"max", h.max()}};
}

template <typename Histograms>
ordered_json indexed_json(const Histograms &hs, const char *key) {
  ordered_json out = ordered_json::array();
  for (std::size_t i = 0; i < hs.size(); ++i) {
    if (!hs[i].count()) continue;
    ordered_json row = {{key, i}};
    row.update(histogram_json(hs[i]));
    out.push_back(row);
  }
  return out;
}

}  // namespace

std::string Recorder::summary_json(std::uint64_t end_ns, const std::vector<std::string> &class_names,
                                   const std::vector<workload::OpSource::Issue> &issues,
                                   const HardwareReport *hardware) const {
  ordered_json s;
  s["scenario"] = scenario_.name;
  s["seed"] = scenario_.seed;
  s["simulated_ns"] = end_ns;
  unsigned long allocs = 0, frees = 0;
  ordered_json orders = ordered_json::array();
  for (unsigned o = 0; o < model::NR_PAGE_ORDERS; ++o) {
    const OrderCounts &c = by_order_[o];
    allocs += c.allocs;
    frees += c.frees;
    if (c.allocs || c.frees)
      orders.push_back({{"order", o}, {"allocs", c.allocs}, {"failures", c.failures}, {"frees", c.frees}});
  }
  s["operations"] = {{"total", seq_},
                     {"allocs", allocs},
                     {"failures", failures_},
                     {"frees", frees},
                     {"skipped_frees", unmatched_frees_}};
  s["by_order"] = orders;
  ordered_json classes = ordered_json::array();
  for (std::size_t i = 0; i < class_names.size(); ++i) {
    const ClassCounts c = i < by_class_.size() ? by_class_[i] : ClassCounts{};
    classes.push_back({{"class", class_names[i]},
                       {"gfp", c.allocs ? model::format_gfp_flags(c.gfp) : ""},
                       {"allocs", c.allocs},
                       {"failures", c.failures},
                       {"pages_allocated", c.pages}});
  }
  s["by_class"] = classes;
  ordered_json paths;
  for (std::size_t i = 0; i < PATH_NAMES.size(); ++i) paths[PATH_NAMES[i]] = paths_[i];
  s["alloc_paths"] = paths;
  s["live_pages_at_end"] = live_pages_;
  s["zones"] = zones_json(alloc_);
  const auto &ev = alloc_.events();
  s["events"] = {{"pgalloc_dma", ev[model::PGALLOC_DMA]},
                 {"pgalloc_dma32", ev[model::PGALLOC_DMA32]},
                 {"pgalloc_normal", ev[model::PGALLOC_NORMAL]},
                 {"pgalloc_movable", ev[model::PGALLOC_MOVABLE]},
                 {"pgfree", ev[model::PGFREE]},
                 {"kswapd_wakeups", ev[model::KSWAPD_WAKEUPS]},
                 {"alloc_failures", ev[model::ALLOC_FAILURES]}};
  ordered_json iss = ordered_json::array();
  for (const auto &i : issues) iss.push_back({{"kind", i.kind}, {"count", i.count}, {"first", i.first_where}});
  s["input_issues"] = iss;
  if (timed_) {
    ordered_json by_path;
    for (std::size_t i = 0; i < PATH_NAMES.size(); ++i)
      if (latency_.alloc_by_path[i].count()) by_path[PATH_NAMES[i]] = histogram_json(latency_.alloc_by_path[i]);
    s["latency_ns"] = {{"alloc", histogram_json(latency_.alloc)},
                       {"free", histogram_json(latency_.free)},
                       {"alloc_by_order", indexed_json(latency_.alloc_by_order, "order")},
                       {"free_by_order", indexed_json(latency_.free_by_order, "order")},
                       {"alloc_by_path", by_path},
                       {"by_cpu", indexed_json(latency_.by_cpu, "cpu")},
                       {"by_node", indexed_json(latency_.by_node, "node")}};
  }
  if (hardware) s["hardware"] = hardware->summary;
  return s.dump(2) + "\n";
}

}  // namespace buddysim::record
