#include "sim/workload/phase_plan.h"

#include <string>

#include "model/types.h"
#include "sim/scenario/scenario_error.h"

namespace buddysim::workload {

using scenario::Distribution;
using scenario::PhaseKind;

PhasePlan::PhasePlan(const scenario::Phase &phase, std::uint32_t index, std::uint32_t class_base)
    : phase_(phase), index_(index), class_base_(class_base), end_ns_(add_sat(phase.start_ns, phase.duration_ns)) {
  if (phase_.kind == PhaseKind::Fragment) return;
  std::vector<double> class_weights;
  for (const scenario::AllocClass &c : phase_.classes) {
    class_weights.push_back(c.weight);
    order_picks_.emplace_back(c.order_weights);
  }
  class_pick_.emplace(class_weights);
}

PhasePlan::Choice PhasePlan::pick(Rng &rng) const {
  const std::size_t c = class_pick_->pick(rng);
  const auto order = static_cast<unsigned>(order_picks_[c].pick(rng));
  return Choice{class_base_ + static_cast<std::uint32_t>(c), order, &phase_.classes[c]};
}

bool PhasePlan::has_off_time() const {
  return phase_.kind == PhaseKind::Burst && phase_.burst_on_ns < phase_.burst_period_ns;
}

std::uint64_t PhasePlan::wall_time(std::uint64_t active_ns) const {
  if (!has_off_time()) return add_sat(phase_.start_ns, active_ns);
  const std::uint64_t window = active_ns / phase_.burst_on_ns;
  const std::uint64_t into = active_ns % phase_.burst_on_ns;
  if (window > (std::numeric_limits<std::uint64_t>::max() - into) / phase_.burst_period_ns) {
    return std::numeric_limits<std::uint64_t>::max();
  }
  return add_sat(phase_.start_ns, window * phase_.burst_period_ns + into);
}

std::optional<std::uint64_t> PhasePlan::free_time(const scenario::AllocClass &spec, std::uint64_t now, Rng &rng) const {
  switch (spec.lifetime.kind) {
    case Distribution::Kind::Fixed:
    case Distribution::Kind::Exponential:
    case Distribution::Kind::Uniform:
      return add_sat(now, sample_ns(spec.lifetime, rng));
    case Distribution::Kind::UntilPhaseEnd:
      return end_ns_;
    case Distribution::Kind::Forever:
      return std::nullopt;
  }
  return std::nullopt;
}

// ---- checks -----------------------------------------------------------------

namespace {

[[noreturn]] void fail(const scenario::Scenario &s, std::uint32_t index, const std::string &field,
                       const std::string &message) {
  std::string where = "/workload/phases/" + std::to_string(index) + field;
  if (!s.source.empty()) where = s.source.string() + ": " + where;
  throw scenario::ScenarioError(where, message);
}

void check_classes(const scenario::Scenario &s, std::uint32_t index) {
  const scenario::Phase &phase = s.workload.phases[index];
  std::vector<double> weights;
  for (std::size_t c = 0; c < phase.classes.size(); ++c) {
    const scenario::AllocClass &cls = phase.classes[c];
    const std::string field = "/classes/" + std::to_string(c);
    if (cls.order_weights.size() > model::NR_PAGE_ORDERS) {
      fail(s, index, field + "/order_weights",
           "expected weights for orders 0.." + std::to_string(model::MAX_PAGE_ORDER) + ", found " +
               std::to_string(cls.order_weights.size()) + " weights");
    }
    if (!usable_weights(cls.order_weights)) {
      fail(s, index, field + "/order_weights", "expected non-negative weights with at least one above 0");
    }
    weights.push_back(cls.weight);
  }
  if (!usable_weights(weights)) {
    fail(s, index, "/classes", "expected at least one class with a weight above 0 and no negative weight");
  }
}

std::uint32_t find_fill(const scenario::Scenario &s, std::uint32_t index) {
  const scenario::Phase &phase = s.workload.phases[index];
  for (std::uint32_t i = index; i-- > 0;) {
    const scenario::Phase &earlier = s.workload.phases[i];
    if (earlier.name == phase.fragment_of && earlier.kind == PhaseKind::Fill) return i;
  }
  fail(s, index, "/fragment_of", "expected the name of an earlier fill phase, found \"" + phase.fragment_of + "\"");
}

}  // namespace

std::optional<std::uint32_t> check_phase(const scenario::Scenario &s, std::uint32_t index) {
  const scenario::Phase &phase = s.workload.phases[index];
  if (phase.cpus.empty()) fail(s, index, "/cpus", "expected at least one CPU");
  if (phase.kind == PhaseKind::Fragment) return find_fill(s, index);
  check_classes(s, index);
  // Fragment runs out of blocks, but the others would issue operations at
  // one instant for ever (Fill with fill_pages and failing allocations too).
  if (always_zero(phase.interarrival)) {
    fail(s, index, "/interarrival", "expected an inter-arrival time that is not always 0 ns");
  }
  if (phase.kind == PhaseKind::Burst && phase.burst_on_ns == 0) {
    fail(s, index, "/burst_on_ns", "expected an on-time above 0 ns, found 0");
  }
  return std::nullopt;
}

}  // namespace buddysim::workload
