// How a runner reports its progress to the command line's display.
#pragma once

#include <cstdint>
#include <functional>

namespace buddysim::run {

using Progress = std::function<void(std::uint64_t simulated_ns, unsigned long operations)>;

}  // namespace buddysim::run
