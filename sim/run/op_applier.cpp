#include "sim/run/op_applier.h"

#include "sim/scenario/scenario_error.h"

namespace buddysim::run {

OpApplier::OpApplier(const scenario::Scenario &scenario, model::PageAllocator &alloc, record::Recorder &recorder)
    : scenario_(scenario), alloc_(alloc), recorder_(recorder) {}

std::string OpApplier::where(const workload::Op &op) const {
  if (op.line && scenario_.workload.trace)
    return scenario_.workload.trace->path.string() + ":" + std::to_string(op.line);
  return scenario_.source.string();
}

void OpApplier::check_cpu(const workload::Op &op) const {
  if (op.cpu < 0 || op.cpu >= alloc_.nr_cpus())
    throw scenario::ScenarioError(where(op), "cpu " + std::to_string(op.cpu) + " does not exist: the machine has " +
                                                 std::to_string(alloc_.nr_cpus()) + " CPUs (0-" +
                                                 std::to_string(alloc_.nr_cpus() - 1) + ")");
}

Applied OpApplier::apply(workload::Op &op) {
  check_cpu(op);
  if (op.kind == workload::Op::Kind::Alloc) {
    const model::AllocResult res = alloc_.alloc_pages(op.cpu, op.gfp, op.order);
    recorder_.on_alloc(op, res);
    if (res.ok()) live_[op.tag] = LiveBlock{res.pfn, op.order};
    return {res, res.ok()};
  }
  const auto it = live_.find(op.tag);
  if (it == live_.end()) {
    // The allocation failed in the simulation (it may not have in the traced kernel).
    recorder_.on_free(op, false);
    return {};
  }
  op.order = it->second.order;
  if (auto bad = alloc_.free_pages(op.cpu, it->second.pfn, it->second.order))
    throw SimulationError("refused free of tag " + std::to_string(op.tag) + " at " + where(op) + "\n" + bad->report());
  recorder_.on_free(op, true);
  Applied freed{{}, true};
  freed.res.pfn = it->second.pfn;
  if (const model::Zone *z = alloc_.pfn_zone(freed.res.pfn)) {
    freed.res.nid = z->node;
    freed.res.zone = z->idx;
  }
  live_.erase(it);
  return freed;
}

}  // namespace buddysim::run
