#include "sim/run/op_applier.h"

#include "sim/scenario/scenario_error.h"

namespace buddysim::run {

OpApplier::OpApplier(const scenario::Scenario &scenario, model::PageAllocator &alloc, record::Recorder &recorder,
                     bool track_blocks)
    : scenario_(scenario), alloc_(alloc), recorder_(recorder), track_blocks_(track_blocks) {}

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
    if (track_blocks_ && res.ok()) live_[op.tag] = LiveBlock{res.pfn, op.order};
    return {res, res.ok()};
  }
  LiveBlock block{op.pfn, op.order};
  if (track_blocks_) {
    const auto it = live_.find(op.tag);
    if (it == live_.end()) {
      // The allocation failed in the simulation (it may not have in the traced kernel).
      recorder_.on_free(op, false);
      return {};
    }
    block = it->second;
    live_.erase(it);
  }
  op.order = block.order;
  if (auto bad = alloc_.free_pages(op.cpu, block.pfn, block.order))
    throw SimulationError("refused free of tag " + std::to_string(op.tag) + " at " + where(op) + "\n" + bad->report());
  recorder_.on_free(op, true);
  Applied freed{{}, true};
  freed.res.pfn = block.pfn;
  if (const model::Zone *z = alloc_.pfn_zone(freed.res.pfn)) {
    freed.res.nid = z->node;
    freed.res.zone = z->idx;
  }
  return freed;
}

}  // namespace buddysim::run
