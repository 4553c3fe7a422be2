// The NUMA interconnect: nodes joined by directed links derived from the
// ACPI SLIT distance matrix, a fixed latency per hop, and a bandwidth with a
// FIFO queue per link, so heavy remote traffic waits for busy links.
//
// Topology. Node a has a direct link to node b unless some third node k is
// strictly nearer to both ends (d(a,k) < d(a,b) and d(k,b) < d(a,b)): in a
// SLIT, distance grows with the number of hops, so such a k lies between a
// and b. A full mesh (2-4 sockets, 10/21) therefore links every pair; a ring
// or a twisted 8-socket layout (10/21/31) links only the 21 pairs. Routes
// are the fewest links, ties broken by the smaller sum of link distances,
// then by the lowest numbered node before the destination (deterministic).
// Every link costs the same hop_ps whatever its distance: distances decide
// the shape of the network, the calibrated hop decides its speed.
//
// Timing. A transfer of N bytes that reaches a link at time t starts at
// max(t, link free), occupies the link for N / bandwidth (serialisation),
// and arrives at the next node hop_ps later; multi-hop routes repeat this
// per link (store and forward). Links are FIFO in call order: in loosely
// timed runs a call with an earlier timestamp than the previous one on the
// same link still queues behind it (the error is bounded by the quantum).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/hw/cache/line.h"

namespace buddysim::hw {

struct InterconnectConfig {
  // Intel UPI at 10.4 GT/s x 16 data bits: 20.8 GB/s per link and direction
  // (Intel, "Intel Xeon Processor Scalable Family Technical Overview",
  // D. Mulnix, 2017). For k parallel links between two sockets, give k x 20.8.
  static constexpr double DEFAULT_LINK_BANDWIDTH_GBPS = 20.8;
  // Intel MLC idle latency, Xeon Platinum 8180, 2 sockets: 81.3 ns local,
  // 131.1 ns remote (FD.io CSIT report, "Pre-Test Server Calibration",
  // Xeon Skylake testbed s5-t22-sut1).
  static constexpr Ps CALIBRATION_LOCAL_PS = 81'300;
  static constexpr Ps CALIBRATION_REMOTE_PS = 131'100;
  // A remote read crosses one link twice: a header-only request (no
  // serialisation charged) and the 64-byte line back (3 077 ps at the
  // default bandwidth). So 49 800 = 2 x hop + 3 077, hop = 23 361 ps.
  static constexpr Ps LINE_SERIALISATION_PS =
      static_cast<Ps>(static_cast<double>(LINE_BYTES) * 1000.0 / DEFAULT_LINK_BANDWIDTH_GBPS + 0.5);
  static constexpr Ps DEFAULT_HOP_PS = (CALIBRATION_REMOTE_PS - CALIBRATION_LOCAL_PS - LINE_SERIALISATION_PS) / 2;

  std::vector<std::vector<int>> distance;                    // SLIT, nodes x nodes; required
  Ps hop_ps = DEFAULT_HOP_PS;                                // one way, per link
  double link_bandwidth_gbps = DEFAULT_LINK_BANDWIDTH_GBPS;  // per directed link
};

struct LinkStats {
  std::uint64_t transfers = 0;
  std::uint64_t bytes = 0;
  Ps busy_ps = 0;             // time spent serialising data
  Ps queue_delay_ps = 0;      // total time transfers waited for the link
  Ps max_queue_delay_ps = 0;  // longest single wait
};

struct Link {
  int src;
  int dst;
};

class Interconnect {
 public:
  // Linux include/linux/topology.h (LOCAL_DISTANCE, REMOTE_DISTANCE) and the
  // ACPI SLIT range (255 means unreachable, which a route cannot use).
  static constexpr int LOCAL_DISTANCE = 10;
  static constexpr int REMOTE_DISTANCE = 20;
  static constexpr int MAX_DISTANCE = 254;
  // Routes for every pair are precomputed in O(nodes^3).
  static constexpr int MAX_NODES = 256;

  // 10 on the diagonal, 20 elsewhere: Linux's default without a SLIT.
  static std::vector<std::vector<int>> uniform_distance(int nodes);

  // Throws std::invalid_argument naming the field on a bad configuration.
  explicit Interconnect(const InterconnectConfig &config);

  // Sends bytes from src to dst, entering the first link at `at`; returns
  // the arrival time. A local transfer (src == dst) arrives at `at`.
  Ps transfer(int src_node, int dst_node, std::uint32_t bytes, Ps at);
  // What transfer() would return minus `at` on idle links: subtract it from
  // an arrival to get the queueing delay.
  Ps unloaded_latency(int src_node, int dst_node, std::uint32_t bytes) const;
  Ps serialisation_ps(std::uint32_t bytes) const;

  int nr_nodes() const { return nodes_; }
  int hops(int src_node, int dst_node) const;
  std::vector<int> route(int src_node, int dst_node) const;  // nodes visited, src first
  int link_index(int src_node, int dst_node) const;          // direct link, or -1
  const std::vector<Link> &links() const { return links_; }
  const LinkStats &link_stats(int link) const { return stats_[static_cast<std::size_t>(link)]; }
  const InterconnectConfig &config() const { return config_; }

 private:
  void build_links();
  void build_routes();
  std::vector<int> shortest_path_tree(int src) const;
  std::size_t pair(int src, int dst) const { return static_cast<std::size_t>(src * nodes_ + dst); }
  void check_node(int node) const;

  InterconnectConfig config_;
  int nodes_;
  double ps_per_byte_;
  std::vector<Link> links_;
  std::vector<int> link_of_pair_;         // nodes x nodes -> link index or -1
  std::vector<std::size_t> route_begin_;  // nodes x nodes + 1 offsets into route_links_
  std::vector<int> route_links_;          // link indices of every route, concatenated
  std::vector<Ps> link_free_;             // when each link finishes its last transfer
  std::vector<LinkStats> stats_;
};

}  // namespace buddysim::hw
