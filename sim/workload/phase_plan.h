// One workload phase prepared for its streams: where it ends, how an
// allocation picks its class and order, when a block is freed, and the
// clock that maps a stream's issuing time onto Burst's on-windows.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "sim/scenario/scenario.h"
#include "sim/workload/distribution.h"

namespace buddysim::workload {

// a + b, saturated: a lifetime that runs past 2^64 ns is "never".
inline std::uint64_t add_sat(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

class PhasePlan {
 public:
  // class_base: the Op::cls of the phase's first class.
  PhasePlan(const scenario::Phase &phase, std::uint32_t index, std::uint32_t class_base);

  const scenario::Phase &phase() const { return phase_; }
  std::uint32_t index() const { return index_; }
  std::uint64_t end_ns() const { return end_ns_; }

  struct Choice {
    std::uint32_t cls = 0;  // Op::cls
    unsigned order = 0;
    const scenario::AllocClass *spec = nullptr;
  };
  // A class by weight, then an order by that class's order weights.
  Choice pick(Rng &rng) const;

  // The wall-clock time at which a stream that has been issuing for
  // `active_ns` acts: the phase start plus active_ns, except that Burst
  // issues only in [k*period, k*period + on) after the start, so its
  // active time is laid out over those windows.
  std::uint64_t wall_time(std::uint64_t active_ns) const;

  // When a block of class `spec` allocated at `now` is freed (nullopt: never).
  std::optional<std::uint64_t> free_time(const scenario::AllocClass &spec, std::uint64_t now, Rng &rng) const;

 private:
  bool has_off_time() const;

  scenario::Phase phase_;
  std::uint32_t index_;
  std::uint32_t class_base_;
  std::uint64_t end_ns_;
  std::optional<WeightedPick> class_pick_;  // none for Fragment, which never allocates
  std::vector<WeightedPick> order_picks_;   // per class
};

// Throws scenario::ScenarioError, naming the JSON pointer of the phase, for
// what the generator cannot run: no usable class or order weights, orders
// beyond MAX_PAGE_ORDER, an inter-arrival time that is always 0 where it would
// issue endless operations at one instant, a Burst without on-time, a
// Fragment whose fragment_of is not an earlier Fill phase. Returns, for a
// Fragment, the index of its Fill phase.
std::optional<std::uint32_t> check_phase(const scenario::Scenario &scenario, std::uint32_t index);

}  // namespace buddysim::workload
