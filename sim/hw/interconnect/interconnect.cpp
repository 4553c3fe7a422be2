#include "sim/hw/interconnect/interconnect.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace buddysim::hw {
namespace {

std::string cell(std::size_t row, std::size_t col) {
  return "interconnect.distance[" + std::to_string(row) + "][" + std::to_string(col) + "]";
}

void check_row(const std::vector<int> &row, std::size_t r, std::size_t n) {
  if (row.size() != n) {
    throw std::invalid_argument("interconnect.distance[" + std::to_string(r) + "]: expected " + std::to_string(n) +
                                " entries (a square matrix), found " + std::to_string(row.size()));
  }
  for (std::size_t c = 0; c < n; ++c) {
    const int d = row[c];
    if (r == c && d != Interconnect::LOCAL_DISTANCE) {
      throw std::invalid_argument(cell(r, c) + ": expected 10 (local), found " + std::to_string(d));
    }
    if (r != c && (d <= Interconnect::LOCAL_DISTANCE || d > Interconnect::MAX_DISTANCE)) {
      throw std::invalid_argument(cell(r, c) + ": expected 11..254 (remote), found " + std::to_string(d));
    }
  }
}

const InterconnectConfig &checked(const InterconnectConfig &config) {
  const std::size_t n = config.distance.size();
  if (n == 0 || n > static_cast<std::size_t>(Interconnect::MAX_NODES)) {
    throw std::invalid_argument("interconnect.distance: expected 1.." + std::to_string(Interconnect::MAX_NODES) +
                                " nodes, found " + std::to_string(n));
  }
  for (std::size_t r = 0; r < n; ++r) check_row(config.distance[r], r, n);
  if (!(config.link_bandwidth_gbps > 0) || !std::isfinite(config.link_bandwidth_gbps)) {
    throw std::invalid_argument("interconnect.link_bandwidth_gbps: expected a positive number, found " +
                                std::to_string(config.link_bandwidth_gbps));
  }
  return config;
}

}  // namespace

std::vector<std::vector<int>> Interconnect::uniform_distance(int nodes) {
  const auto n = static_cast<std::size_t>(std::max(nodes, 0));
  std::vector<std::vector<int>> d(n, std::vector<int>(n, REMOTE_DISTANCE));
  for (std::size_t i = 0; i < n; ++i) d[i][i] = LOCAL_DISTANCE;
  return d;
}

Interconnect::Interconnect(const InterconnectConfig &config)
    : config_(checked(config)),
      nodes_(static_cast<int>(config.distance.size())),
      ps_per_byte_(1000.0 / config.link_bandwidth_gbps) {
  build_links();
  build_routes();
}

// a -> b is a link unless a third node is strictly nearer to both ends.
void Interconnect::build_links() {
  const auto &d = config_.distance;
  link_of_pair_.assign(static_cast<std::size_t>(nodes_ * nodes_), -1);
  for (int a = 0; a < nodes_; ++a) {
    for (int b = 0; b < nodes_; ++b) {
      if (a == b) continue;
      const int dab = d[a][b];
      bool between = false;
      for (int k = 0; k < nodes_ && !between; ++k) between = k != a && k != b && d[a][k] < dab && d[k][b] < dab;
      if (between) continue;
      link_of_pair_[pair(a, b)] = static_cast<int>(links_.size());
      links_.push_back(Link{a, b});
    }
  }
  link_free_.assign(links_.size(), 0);
  stats_.assign(links_.size(), LinkStats{});
}

// Breadth-first by hop count; within a layer each node keeps the
// predecessor with the smallest distance sum, lowest number on ties.
std::vector<int> Interconnect::shortest_path_tree(int src) const {
  const auto &d = config_.distance;
  std::vector<int> pred(static_cast<std::size_t>(nodes_), -1);
  std::vector<long> cost(static_cast<std::size_t>(nodes_), std::numeric_limits<long>::max());
  cost[static_cast<std::size_t>(src)] = 0;
  std::vector<int> frontier{src};
  while (!frontier.empty()) {
    std::vector<int> next;
    for (int v = 0; v < nodes_; ++v) {
      if (v == src || pred[static_cast<std::size_t>(v)] >= 0) continue;
      for (int u : frontier) {  // ascending: strict < keeps the lowest on ties
        const long c = cost[static_cast<std::size_t>(u)] + d[u][v];
        if (link_index(u, v) >= 0 && c < cost[static_cast<std::size_t>(v)]) {
          cost[static_cast<std::size_t>(v)] = c;
          pred[static_cast<std::size_t>(v)] = u;
        }
      }
      if (pred[static_cast<std::size_t>(v)] >= 0) next.push_back(v);
    }
    frontier = std::move(next);
  }
  return pred;
}

void Interconnect::build_routes() {
  route_begin_.assign(1, 0);
  for (int src = 0; src < nodes_; ++src) {
    const std::vector<int> pred = shortest_path_tree(src);
    for (int dst = 0; dst < nodes_; ++dst) {
      const std::size_t begin = route_links_.size();
      for (int v = dst; v != src; v = pred[static_cast<std::size_t>(v)]) {
        route_links_.push_back(link_index(pred[static_cast<std::size_t>(v)], v));
      }
      std::reverse(route_links_.begin() + static_cast<std::ptrdiff_t>(begin), route_links_.end());
      route_begin_.push_back(route_links_.size());
    }
  }
}

void Interconnect::check_node(int node) const {
  if (node < 0 || node >= nodes_) {
    throw std::out_of_range("Interconnect: node " + std::to_string(node) + " not in 0.." + std::to_string(nodes_ - 1));
  }
}

int Interconnect::link_index(int src_node, int dst_node) const {
  check_node(src_node);
  check_node(dst_node);
  return link_of_pair_[pair(src_node, dst_node)];
}

int Interconnect::hops(int src_node, int dst_node) const {
  check_node(src_node);
  check_node(dst_node);
  const std::size_t p = pair(src_node, dst_node);
  return static_cast<int>(route_begin_[p + 1] - route_begin_[p]);
}

std::vector<int> Interconnect::route(int src_node, int dst_node) const {
  check_node(src_node);
  check_node(dst_node);
  std::vector<int> nodes{src_node};
  const std::size_t p = pair(src_node, dst_node);
  for (std::size_t i = route_begin_[p]; i < route_begin_[p + 1]; ++i) {
    nodes.push_back(links_[static_cast<std::size_t>(route_links_[i])].dst);
  }
  return nodes;
}

Ps Interconnect::serialisation_ps(std::uint32_t bytes) const {
  return static_cast<Ps>(std::llround(static_cast<double>(bytes) * ps_per_byte_));
}

Ps Interconnect::unloaded_latency(int src_node, int dst_node, std::uint32_t bytes) const {
  return static_cast<Ps>(hops(src_node, dst_node)) * (serialisation_ps(bytes) + config_.hop_ps);
}

Ps Interconnect::transfer(int src_node, int dst_node, std::uint32_t bytes, Ps at) {
  check_node(src_node);
  check_node(dst_node);
  const Ps busy = serialisation_ps(bytes);
  const std::size_t p = pair(src_node, dst_node);
  Ps t = at;
  for (std::size_t i = route_begin_[p]; i < route_begin_[p + 1]; ++i) {
    const auto link = static_cast<std::size_t>(route_links_[i]);
    const Ps start = std::max(t, link_free_[link]);
    link_free_[link] = start + busy;
    LinkStats &s = stats_[link];
    ++s.transfers;
    s.bytes += bytes;
    s.busy_ps += busy;
    s.queue_delay_ps += start - t;
    s.max_queue_delay_ps = std::max(s.max_queue_delay_ps, start - t);
    t = start + busy + config_.hop_ps;
  }
  return t;
}

}  // namespace buddysim::hw
