// Exponential variates by the ziggurat method (Marsaglia and Tsang, "The
// Ziggurat Method for Generating Random Variables", JSS 2000): 256 layers of
// equal area under exp(-x). One engine number picks a layer (low 8 bits) and
// a point across it (top 53 bits); about 99% of points fall inside the part
// of the layer that lies wholly under the curve and are returned as they
// are, with no logarithm. The rest are checked against the curve (one exp)
// or, in the base layer, continue into the tail.
#pragma once

#include "sim/workload/rng.h"

namespace buddysim::workload {

// A sample of the exponential distribution with mean 1.
double standard_exponential(Rng &rng);

}  // namespace buddysim::workload
