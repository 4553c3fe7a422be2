#include "sim/workload/exponential.h"

#include <array>
#include <cmath>

namespace buddysim::workload {
namespace {

constexpr unsigned LAYERS = 256;
constexpr double TAIL_START = 7.69711747013104972;       // R: where the base layer's rectangle ends
constexpr double LAYER_AREA = 0.0039496598225815571993;  // V: of every layer, the base with its tail

struct Ziggurat {
  // edge[i]: the right edge of layer i (decreasing; edge[LAYERS] = 0), except
  // edge[0], the width a rectangle of the base layer's area would have, so a
  // point of the base layer past TAIL_START stands for the tail.
  std::array<double, LAYERS + 1> edge{};
  std::array<double, LAYERS + 1> height{};  // exp(-edge[i]): the curve at each edge
};

Ziggurat build() {
  Ziggurat z;
  z.edge[0] = LAYER_AREA / std::exp(-TAIL_START);
  z.edge[1] = TAIL_START;
  // Each layer spans [0, edge[i]) and rises from the curve at edge[i] by
  // LAYER_AREA / edge[i]; the next edge is where the curve reaches that height.
  for (unsigned i = 1; i + 1 < LAYERS; ++i) z.edge[i + 1] = -std::log(std::exp(-z.edge[i]) + LAYER_AREA / z.edge[i]);
  z.edge[LAYERS] = 0;
  for (unsigned i = 0; i <= LAYERS; ++i) z.height[i] = std::exp(-z.edge[i]);
  return z;
}

}  // namespace

double standard_exponential(Rng &rng) {
  static const Ziggurat z = build();
  double base = 0;
  while (true) {
    const std::uint64_t bits = rng();
    const unsigned layer = static_cast<unsigned>(bits & (LAYERS - 1));
    const double x = unit_interval(bits) * z.edge[layer];
    if (x < z.edge[layer + 1]) return base + x;
    if (layer == 0) {
      // The tail beyond TAIL_START is itself exponential (memoryless): shift
      // and draw again.
      base += TAIL_START;
      continue;
    }
    // Between the edges the layer pokes out of the curve: keep the point if a
    // uniform height within the layer falls under exp(-x).
    const double y = z.height[layer] + (z.height[layer + 1] - z.height[layer]) * uniform01(rng);
    if (y < std::exp(-x)) return base + x;
  }
}

}  // namespace buddysim::workload
