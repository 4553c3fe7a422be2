#include "sim/record/recorder.h"

#include <bit>
#include <cstdio>

#include "model/procfs.h"
#include "sim/record/hardware_report.h"

namespace buddysim::record {

using model::Zone;

namespace {

std::string three_decimals(int index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%s%d.%03d", index < 0 ? "-" : "", (index < 0 ? -index : index) / 1000,
                (index < 0 ? -index : index) % 1000);
  return buf;
}

}  // namespace

Recorder::Recorder(const scenario::Scenario &scenario, const model::PageAllocator &alloc, ResultsDir &dir)
    : scenario_(scenario), alloc_(alloc), dir_(dir) {
  if (scenario_.record.ops) {
    ops_ = dir_.open("ops.csv");
    ops_ << "seq,time_ns,cpu,op,tag,order,gfp,pfn,result,path,latency_ns\n";
  }
  timeseries_ = dir_.open("timeseries.csv");
  timeseries_ << "time_ns,node,zone,free_pages,failures";
  for (const char *col : {"nr_free", "unusable", "extfrag"})
    for (unsigned o = 0; o < model::NR_PAGE_ORDERS; ++o) timeseries_ << ',' << col << '_' << o;
  timeseries_ << '\n';
}

void Recorder::on_alloc(const workload::Op &op, const model::AllocResult &res) {
  OrderCounts &oc = by_order_[op.order];
  if (op.cls >= by_class_.size()) by_class_.resize(op.cls + 1);
  ClassCounts &cc = by_class_[op.cls];
  cc.gfp = op.gfp;
  ++oc.allocs;
  ++cc.allocs;
  if (res.ok()) {
    cc.pages += 1ul << op.order;
    live_pages_ += 1ul << op.order;
  } else {
    ++oc.failures;
    ++cc.failures;
    ++failures_;
  }
  for (std::size_t bit = 0; bit < PATH_NAMES.size(); ++bit)
    if (res.path & (1u << bit)) ++paths_[bit];
  ++seq_;
}

namespace {

// The costliest path an allocation took decides its latency group.
std::size_t costliest_path(std::uint16_t path) {
  static constexpr std::uint16_t ORDER[] = {model::PATH_FAILED, model::PATH_FALLBACK_NODE, model::PATH_FALLBACK_ZONE,
                                            model::PATH_STEAL,  model::PATH_CLAIM,         model::PATH_HIGHATOMIC,
                                            model::PATH_BUDDY,  model::PATH_PCP_REFILL,    model::PATH_PCP_HIT};
  for (std::uint16_t bit : ORDER)
    if (path & bit) return static_cast<std::size_t>(std::countr_zero(bit));
  return static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(model::PATH_BUDDY)));
}

void add_at(std::vector<LatencyHistogram> &v, int index, std::uint64_t ns) {
  if (index < 0) return;
  if (static_cast<std::size_t>(index) >= v.size()) v.resize(static_cast<std::size_t>(index) + 1);
  v[static_cast<std::size_t>(index)].add(ns);
}

}  // namespace

void Recorder::on_complete(const workload::Op &op, const model::AllocResult &res, bool ok,
                           std::optional<std::uint64_t> latency_ns) {
  if (latency_ns) add_latency(op, res, *latency_ns);
  if (!ops_.is_open()) return;
  const bool alloc = op.kind == workload::Op::Kind::Alloc;
  ops_ << ++logged_ << ',' << op.time_ns << ',' << op.cpu << ',' << (alloc ? "alloc" : "free") << ',' << op.tag
       << ',' << op.order << ',' << (op.gfp ? model::format_gfp_flags(op.gfp) : "") << ',';
  if (ok) ops_ << res.pfn;
  ops_ << ',' << (ok ? "ok" : "fail") << ',';
  if (alloc) ops_ << path_names(res.path);
  ops_ << ',';
  if (latency_ns) ops_ << *latency_ns;
  ops_ << '\n';
}

void Recorder::add_latency(const workload::Op &op, const model::AllocResult &res, std::uint64_t ns) {
  timed_ = true;
  if (op.kind == workload::Op::Kind::Alloc) {
    latency_.alloc.add(ns);
    latency_.alloc_by_order[op.order].add(ns);
    latency_.alloc_by_path[costliest_path(res.path)].add(ns);
  } else {
    latency_.free.add(ns);
    latency_.free_by_order[op.order].add(ns);
  }
  add_at(latency_.by_cpu, op.cpu, ns);
  add_at(latency_.by_node, res.nid, ns);
}

void Recorder::on_free(const workload::Op &op, bool matched) {
  if (matched) {
    ++by_order_[op.order].frees;
    live_pages_ -= 1ul << op.order;
  } else {
    ++unmatched_frees_;
  }
  ++seq_;
}

void Recorder::timeseries_row(std::uint64_t time_ns) {
  for (const auto &node : alloc_.nodes()) {
    for (const Zone &z : node.zones) {
      if (!z.populated()) continue;
      timeseries_ << time_ns << ',' << node.id << ',' << z.name << ','
                  << alloc_.zone_page_state_snapshot(z, model::NR_FREE_PAGES) << ',' << failures_;
      for (unsigned o = 0; o < model::NR_PAGE_ORDERS; ++o) timeseries_ << ',' << z.free_area[o].nr_free;
      for (unsigned o = 0; o < model::NR_PAGE_ORDERS; ++o)
        timeseries_ << ',' << three_decimals(model::unusable_free_index(o, model::fill_contig_page_info(z, o)));
      for (unsigned o = 0; o < model::NR_PAGE_ORDERS; ++o)
        timeseries_ << ',' << three_decimals(model::fragmentation_index(o, model::fill_contig_page_info(z, o)));
      timeseries_ << '\n';
    }
  }
}

void Recorder::sample(std::uint64_t time_ns) {
  timeseries_row(time_ns);
  if (scenario_.record.interval_ns) {
    char folder[32];
    std::snprintf(folder, sizeof folder, "proc/%04u", ++snapshots_);
    write_proc(folder);
  }
}

void Recorder::write_proc(const std::string &folder) const {
  dir_.write(folder + "/buddyinfo", model::render_buddyinfo(alloc_));
  dir_.write(folder + "/pagetypeinfo", model::render_pagetypeinfo(alloc_));
  dir_.write(folder + "/zoneinfo", model::render_zoneinfo(alloc_));
  dir_.write(folder + "/vmstat", model::render_vmstat(alloc_));
  dir_.write(folder + "/extfrag_index", model::render_extfrag_index(alloc_));
  dir_.write(folder + "/unusable_index", model::render_unusable_index(alloc_));
}

void Recorder::finish(std::uint64_t end_ns, const std::vector<std::string> &class_names,
                      const std::vector<workload::OpSource::Issue> &issues, const HardwareReport *hardware) {
  timeseries_row(end_ns);
  write_proc("proc");
  if (hardware) {
    dir_.write("proc/lock_stat", hardware->lock_stat);
    for (const auto &[name, text] : hardware->files) dir_.write(name, text);
  }
  if (ops_.is_open()) ops_.close();
  timeseries_.close();
  dir_.write("summary.json", summary_json(end_ns, class_names, issues, hardware));
}

}  // namespace buddysim::record
