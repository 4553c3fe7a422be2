// Interconnect: links and routes from a SLIT matrix, per-hop latency and the
// per-link bandwidth queue (sim/hw/interconnect/interconnect.h).
#include "sim/hw/interconnect/interconnect.h"

#include <gtest/gtest.h>

#include <bit>
#include <stdexcept>
#include <vector>

namespace buddysim::hw {
namespace {

using Matrix = std::vector<std::vector<int>>;

// Easy numbers: 1 GB/s moves 1 byte per ns, a hop costs 100 ps.
InterconnectConfig simple(Matrix distance) {
  InterconnectConfig config;
  config.distance = std::move(distance);
  config.hop_ps = 100;
  config.link_bandwidth_gbps = 1.0;
  return config;
}

// Four nodes in a line, 0-1-2-3, SLIT 10 + 10 per hop.
Matrix chain4() {
  Matrix d(4, std::vector<int>(4));
  for (int a = 0; a < 4; ++a) {
    for (int b = 0; b < 4; ++b) d[a][b] = 10 + 10 * std::abs(a - b);
  }
  return d;
}

// Eight sockets as a cube (each linked to three), SLIT 21 per link beyond
// local: 10 / 21 / 31 / 41 by hop count, as twisted 8-socket BIOSes report.
Matrix cube8() {
  Matrix d(8, std::vector<int>(8));
  for (unsigned a = 0; a < 8; ++a) {
    for (unsigned b = 0; b < 8; ++b) {
      const int hops = std::popcount(a ^ b);
      d[a][b] = hops == 0 ? 10 : 11 + 10 * hops;
    }
  }
  return d;
}

TEST(Interconnect, TwoSocketsAreOneHopApart) {
  const Interconnect net(InterconnectConfig{Interconnect::uniform_distance(2)});
  EXPECT_EQ(net.hops(0, 1), 1);
  EXPECT_EQ(net.hops(1, 0), 1);
  EXPECT_EQ(net.hops(0, 0), 0);
  EXPECT_EQ(net.links().size(), 2u) << "one link per direction";
}

TEST(Interconnect, FourSocketFullMeshLinksEveryPair) {
  Matrix d(4, std::vector<int>(4, 21));
  for (int i = 0; i < 4; ++i) d[i][i] = 10;
  const Interconnect net(InterconnectConfig{d});
  EXPECT_EQ(net.links().size(), 12u);
  for (int a = 0; a < 4; ++a) {
    for (int b = 0; b < 4; ++b) EXPECT_EQ(net.hops(a, b), a == b ? 0 : 1);
  }
}

TEST(Interconnect, ChainRoutesThroughIntermediateNodes) {
  const Interconnect net(simple(chain4()));
  EXPECT_EQ(net.links().size(), 6u) << "only neighbours are linked";
  EXPECT_EQ(net.hops(0, 3), 3);
  EXPECT_EQ(net.route(0, 3), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(net.route(3, 1), (std::vector<int>{3, 2, 1}));
  EXPECT_EQ(net.link_index(0, 2), -1);
}

TEST(Interconnect, CubeHopsFollowDistancesAndTiesTakeLowestNode) {
  const Interconnect net(simple(cube8()));
  EXPECT_EQ(net.links().size(), 24u) << "8 nodes x 3 neighbours";
  EXPECT_EQ(net.hops(0, 1), 1);
  EXPECT_EQ(net.hops(0, 3), 2);
  EXPECT_EQ(net.hops(0, 7), 3);
  EXPECT_EQ(net.route(0, 3), (std::vector<int>{0, 1, 3})) << "via 1 or 2: the lower";
  EXPECT_EQ(net.route(0, 7), (std::vector<int>{0, 1, 3, 7}));
}

TEST(Interconnect, LatencyIsHopsTimesHopPlusSerialisation) {
  Interconnect net(simple(chain4()));
  EXPECT_EQ(net.transfer(0, 3, 0, 1000), 1000u + 3 * 100) << "a header-only message: 3 hops";
  EXPECT_EQ(net.unloaded_latency(0, 3, 64), 3u * (64'000 + 100)) << "store and forward: 64 ns per link";
  EXPECT_EQ(net.transfer(2, 2, 4096, 500), 500u) << "local: no link";
}

TEST(Interconnect, DefaultHopMakesRemoteReadFiftyNanosecondsSlower) {
  const Interconnect net(InterconnectConfig{Interconnect::uniform_distance(2)});
  // Request (header only) out, 64-byte line back: 131.1 - 81.3 = 49.8 ns.
  const Ps round_trip = net.unloaded_latency(0, 1, 0) + net.unloaded_latency(1, 0, 64);
  EXPECT_NEAR(static_cast<double>(round_trip), 49'800.0, 1.0);
  EXPECT_EQ(net.serialisation_ps(64), 3077u) << "64 B at 20.8 GB/s";
}

TEST(Interconnect, OverlappingTransfersQueueOnTheLink) {
  Interconnect net(simple(Interconnect::uniform_distance(2)));
  EXPECT_EQ(net.transfer(0, 1, 1000, 0), 1'000'000u + 100);
  EXPECT_EQ(net.transfer(0, 1, 1000, 0), 2'000'000u + 100) << "waits for the first 1 us";
  EXPECT_EQ(net.transfer(1, 0, 1000, 0), 1'000'000u + 100) << "the other direction is its own link";
  const LinkStats &s = net.link_stats(net.link_index(0, 1));
  EXPECT_EQ(s.transfers, 2u);
  EXPECT_EQ(s.bytes, 2000u);
  EXPECT_EQ(s.busy_ps, 2'000'000u);
  EXPECT_EQ(s.queue_delay_ps, 1'000'000u);
  EXPECT_EQ(s.max_queue_delay_ps, 1'000'000u);
}

TEST(Interconnect, SpacedTransfersDoNotQueue) {
  Interconnect net(simple(Interconnect::uniform_distance(2)));
  net.transfer(0, 1, 1000, 0);
  EXPECT_EQ(net.transfer(0, 1, 1000, 1'000'000), 2'000'000u + 100);
  EXPECT_EQ(net.link_stats(net.link_index(0, 1)).queue_delay_ps, 0u);
}

TEST(Interconnect, QueueingOnLaterLinkOfMultiHopRoute) {
  Interconnect net(simple(chain4()));
  net.transfer(1, 2, 1000, 0);  // occupies 1->2 until 1 us
  // 0->2 reaches link 1->2 at 1000 ns + 100 ps: already free, no wait.
  EXPECT_EQ(net.transfer(0, 2, 1000, 0), 2u * (1'000'000 + 100));
  // 1->2 is now busy until 3 us + 100 ps; the next 0->2 transfer crosses
  // 0->1 by 2 us + 100 ps and then waits for it.
  net.transfer(1, 2, 1000, 2'000'000);
  EXPECT_EQ(net.transfer(0, 2, 1000, 1'000'000), 3'000'100u + 1'000'000 + 100);
}

TEST(Interconnect, SaturatedLinkDeliversItsBandwidth) {
  Interconnect net(InterconnectConfig{Interconnect::uniform_distance(2)});
  constexpr int LINES = 100'000;
  Ps last = 0;
  for (int i = 0; i < LINES; ++i) last = net.transfer(0, 1, 64, 0);  // all offered at once
  const double seconds = static_cast<double>(last) * 1e-12;
  const double gbps = static_cast<double>(LINES) * 64 / seconds / 1e9;
  EXPECT_NEAR(gbps, 20.8, 0.01) << "the queue drains at the link bandwidth";
  const LinkStats &s = net.link_stats(net.link_index(0, 1));
  EXPECT_EQ(s.busy_ps, static_cast<Ps>(LINES) * 3077);
  EXPECT_EQ(s.max_queue_delay_ps, static_cast<Ps>(LINES - 1) * 3077);
}

TEST(Interconnect, RejectsMalformedDistanceMatrices) {
  EXPECT_THROW(Interconnect(InterconnectConfig{{}}), std::invalid_argument) << "no nodes";
  EXPECT_THROW(Interconnect(InterconnectConfig{{{10, 20}, {20}}}), std::invalid_argument) << "not square";
  EXPECT_THROW(Interconnect(InterconnectConfig{{{10, 20}, {20, 11}}}), std::invalid_argument) << "local not 10";
  EXPECT_THROW(Interconnect(InterconnectConfig{{{10, 10}, {20, 10}}}), std::invalid_argument) << "remote <= 10";
  EXPECT_THROW(Interconnect(InterconnectConfig{{{10, 255}, {20, 10}}}), std::invalid_argument) << "unreachable";
  InterconnectConfig zero_bw{Interconnect::uniform_distance(2)};
  zero_bw.link_bandwidth_gbps = 0;
  EXPECT_THROW(Interconnect{zero_bw}, std::invalid_argument);
  Interconnect net(InterconnectConfig{Interconnect::uniform_distance(2)});
  EXPECT_THROW(net.transfer(0, 2, 64, 0), std::out_of_range);
}

}  // namespace
}  // namespace buddysim::hw
