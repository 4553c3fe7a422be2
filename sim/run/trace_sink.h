// The traces a scenario asks of a timed run (record.trace, record.vcd):
// fed with operation slices and free-page counts by the runner and with
// lock waits and holds by the CPUs, rendered into the results folder's
// trace.json and signals.vcd at the end.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/page_alloc.h"
#include "sim/hw/cpu/cpu.h"
#include "sim/record/timeline.h"
#include "sim/run/op_applier.h"
#include "sim/scenario/scenario.h"

namespace buddysim::run {

class TraceSink final : public hw::LockObserver {
 public:
  TraceSink(const scenario::Scenario &scenario, const model::PageAllocator &alloc);
  // True when the scenario asks for no trace: the runner need not make one.
  static bool wanted(const scenario::Scenario &scenario) { return scenario.record.perfetto || scenario.record.vcd; }

  // An operation (or, with `op` null, a vmstat_update) ran on `cpu` from
  // start to end; an operation's zone is sampled for its free pages.
  void op(int cpu, const workload::Op *op, const Applied *applied, hw::Ps start, hw::Ps end);
  void lock_wait(int cpu, const model::LockId &id, hw::Ps asked, hw::Ps granted) override;
  void lock_hold(int cpu, const model::LockId &id, bool shared, hw::Ps granted, hw::Ps released) override;

  // {file name, contents} for each trace asked for.
  std::vector<std::pair<std::string, std::string>> files() const;

 private:
  template <typename Each>
  void each(Each &&f);

  const scenario::Scenario &scenario_;
  const model::PageAllocator &alloc_;
  std::map<std::pair<int, int>, std::uint32_t> zone_index_;  // (node, zone) -> timeline zone
  std::optional<record::Timeline> perfetto_, vcd_;
};

}  // namespace buddysim::run
