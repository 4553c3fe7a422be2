// The simulation's current time, read without a call into libsystemc:
// sc_time_stamp() looks the simulation context up out of line on every call,
// while the context's own time_stamp() is inline and the context never
// changes once the model is built. Operations read the time several times
// each, so the call showed in profiles.
#pragma once

#include <systemc>

#include "sim/hw/cache/line.h"

namespace buddysim::hw {

class SimClock {
 public:
  SimClock() : context_(sc_core::sc_get_curr_simcontext()) {}
  const sc_core::sc_time &now() const { return context_->time_stamp(); }
  Ps now_ps() const { return now().value(); }

 private:
  const sc_core::sc_simcontext *context_;
};

}  // namespace buddysim::hw
