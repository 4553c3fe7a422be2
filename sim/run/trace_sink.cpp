#include "sim/run/trace_sink.h"

#include "sim/hw/lock/lock_table.h"

namespace buddysim::run {

namespace {

std::string lock_name(const model::LockId &id) {
  return std::string(hw::lock_class_name(id)) + " " + hw::lock_instance_name(id);
}

}  // namespace

TraceSink::TraceSink(const scenario::Scenario &scenario, const model::PageAllocator &alloc)
    : scenario_(scenario), alloc_(alloc) {
  std::vector<std::string> zones;
  for (const auto &node : alloc.nodes())
    for (const model::Zone &z : node.zones)
      if (z.populated()) {
        zone_index_[{node.id, z.idx}] = static_cast<std::uint32_t>(zones.size());
        zones.push_back("node" + std::to_string(node.id) + "/" + z.name);
      }
  if (scenario.record.perfetto) perfetto_.emplace(scenario.record.trace, alloc.nr_cpus(), zones);
  if (scenario.record.vcd) vcd_.emplace(scenario.record.vcd_window, alloc.nr_cpus(), zones);
}

template <typename Each>
void TraceSink::each(Each &&f) {
  if (perfetto_) f(*perfetto_);
  if (vcd_) f(*vcd_);
}

void TraceSink::op(int cpu, const workload::Op *op, const Applied *applied, hw::Ps start, hw::Ps end) {
  record::OpSlice s;
  s.cpu = cpu, s.start = start, s.end = end;
  if (!op) {
    s.kind = record::OpSlice::Kind::Vmstat;
    each([&](record::Timeline &t) { t.op(s); });
    return;
  }
  s.kind = op->kind == workload::Op::Kind::Alloc ? record::OpSlice::Kind::Alloc : record::OpSlice::Kind::Free;
  s.ok = applied->ok, s.order = op->order, s.gfp = op->gfp, s.due_ns = op->time_ns;
  s.path = applied->res.path, s.pfn = applied->res.pfn;
  each([&](record::Timeline &t) { t.op(s); });
  if (!applied->ok) return;
  const auto it = zone_index_.find({applied->res.nid, applied->res.zone});
  if (it == zone_index_.end()) return;
  const model::Zone &z = alloc_.nodes()[static_cast<std::size_t>(applied->res.nid)]
                             .zones[static_cast<std::size_t>(applied->res.zone)];
  const auto pages = static_cast<std::uint64_t>(alloc_.zone_page_state_snapshot(z, model::NR_FREE_PAGES));
  each([&](record::Timeline &t) { t.free_pages(it->second, pages, end); });
}

void TraceSink::lock_wait(int cpu, const model::LockId &id, hw::Ps asked, hw::Ps granted) {
  const std::string name = lock_name(id);
  each([&](record::Timeline &t) { t.lock(cpu, name, true, true, asked, granted); });
}

void TraceSink::lock_hold(int cpu, const model::LockId &id, bool shared, hw::Ps granted, hw::Ps released) {
  const std::string name = lock_name(id);
  each([&](record::Timeline &t) { t.lock(cpu, name, shared, false, granted, released); });
}

std::vector<std::pair<std::string, std::string>> TraceSink::files() const {
  std::vector<std::pair<std::string, std::string>> out;
  if (perfetto_) out.emplace_back("trace.json", record::render_perfetto(*perfetto_, scenario_.name));
  if (vcd_) out.emplace_back("signals.vcd", record::render_vcd(*vcd_, scenario_.record.vcd_signals));
  return out;
}

}  // namespace buddysim::run
