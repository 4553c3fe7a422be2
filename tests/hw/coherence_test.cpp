// Directory (MESI kept by a directory over per-CPU private caches) and its
// latency model CoherenceTiming (sim/hw/coherence/).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

#include "sim/hw/coherence/coherence_timing.h"
#include "sim/hw/coherence/directory.h"
#include "sim/hw/coherence/line_table.h"

namespace buddysim::hw {
namespace {

constexpr bool READ = false;
constexpr bool WRITE = true;
constexpr Line LOCK = 0x1234;  // a lock word's line, home node 0

// Two sockets of two CPUs: CPUs 0, 1 on socket 0; CPUs 2, 3 on socket 1.
Directory two_by_two(PrivateCacheConfig cache = {}) { return Directory(DirectoryConfig{{0, 0, 1, 1}, cache}); }

// One set of two ways: the third distinct line evicts.
constexpr PrivateCacheConfig TINY_CACHE{2 * LINE_BYTES, 2};

TEST(Directory, ReadMissFetchesFromLocalMemoryAndGrantsExclusive) {
  Directory dir = two_by_two();
  const AccessResult r = dir.access(0, LOCK, 0, READ);
  EXPECT_EQ(r.kind, AccessKind::Memory);
  EXPECT_FALSE(r.remote_memory);
  EXPECT_EQ(r.before, LineState::Invalid);
  EXPECT_EQ(r.after, LineState::Exclusive);
  EXPECT_EQ(dir.owner(LOCK), 0);
  EXPECT_EQ(dir.stats(0).memory_local, 1u);
}

TEST(Directory, ReadMissOfLineHomedOnOtherNodeIsRemote) {
  Directory dir = two_by_two();
  const AccessResult r = dir.access(0, LOCK, 1, READ);
  EXPECT_EQ(r.kind, AccessKind::Memory);
  EXPECT_TRUE(r.remote_memory);
  EXPECT_EQ(dir.stats(0).memory_remote, 1u);
  EXPECT_TRUE(dir.access(2, LOCK + 1, 1, READ).kind == AccessKind::Memory &&
              !dir.access(2, LOCK + 2, 1, READ).remote_memory)
      << "socket 1's CPUs are local to node 1";
}

TEST(Directory, SecondReadHits) {
  Directory dir = two_by_two();
  dir.access(0, LOCK, 0, READ);
  const AccessResult r = dir.access(0, LOCK, 0, READ);
  EXPECT_EQ(r.kind, AccessKind::Hit);
  EXPECT_EQ(dir.stats(0).hits, 1u);
  EXPECT_EQ(dir.stats(0).accesses, 2u);
}

TEST(Directory, WriteToOwnExclusiveLineIsSilentHit) {
  Directory dir = two_by_two();
  dir.access(0, LOCK, 0, READ);
  const AccessResult r = dir.access(0, LOCK, 0, WRITE);
  EXPECT_EQ(r.kind, AccessKind::Hit);
  EXPECT_EQ(r.before, LineState::Exclusive);
  EXPECT_EQ(r.after, LineState::Modified);
  EXPECT_EQ(r.invalidations, 0u);
}

TEST(Directory, WriteByCpuInSameSocketIsSameSocketTransferAndInvalidation) {
  Directory dir = two_by_two();
  dir.access(0, LOCK, 0, WRITE);
  const AccessResult r = dir.access(1, LOCK, 0, WRITE);
  EXPECT_EQ(r.kind, AccessKind::TransferSameSocket);
  EXPECT_EQ(r.supplier, 0);
  EXPECT_EQ(r.invalidations, 1u) << "CPU 0's copy";
  EXPECT_EQ(r.cross_socket_invalidations, 0u);
  EXPECT_EQ(r.before, LineState::Modified);
  EXPECT_EQ(r.after, LineState::Modified);
  EXPECT_EQ(dir.owner(LOCK), 1);
  EXPECT_FALSE(dir.holds(0, LOCK));
  EXPECT_EQ(dir.stats(0).invalidations_received, 1u);
}

TEST(Directory, WriteByCpuInOtherSocketIsCrossSocketTransfer) {
  Directory dir = two_by_two();
  dir.access(0, LOCK, 0, READ);
  const AccessResult r = dir.access(2, LOCK, 0, WRITE);
  EXPECT_EQ(r.kind, AccessKind::TransferCrossSocket);
  EXPECT_EQ(r.supplier, 0);
  EXPECT_EQ(r.invalidations, 1u);
  EXPECT_EQ(r.cross_socket_invalidations, 1u);
  EXPECT_EQ(dir.holders(LOCK), std::vector<int>{2});
}

TEST(Directory, ReadOfModifiedLineSharesItAndKeepsItDirty) {
  Directory dir(DirectoryConfig{{0, 0, 1, 1}, TINY_CACHE});
  dir.access(0, LOCK, 1, WRITE);
  const AccessResult r = dir.access(1, LOCK, 1, READ);
  EXPECT_EQ(r.kind, AccessKind::TransferSameSocket);
  EXPECT_EQ(r.after, LineState::Shared);
  EXPECT_EQ(dir.holders(LOCK), (std::vector<int>{0, 1}));
  EXPECT_EQ(r.invalidations, 0u) << "a read invalidates nothing";
  // Both copies leave; the last one must write the dirty line back to node 1.
  dir.access(0, 100, 0, READ);
  dir.access(0, 101, 0, READ);
  dir.access(1, 100, 0, READ);
  const AccessResult last = dir.access(1, 101, 0, READ);
  ASSERT_TRUE(last.writeback.has_value());
  EXPECT_EQ(last.writeback->line, LOCK);
  EXPECT_EQ(last.writeback->home_node, 1);
}

TEST(Directory, LockLinePingPongBetweenSocketsIsCrossSocketTransferEachTime) {
  Directory dir = two_by_two();
  EXPECT_EQ(dir.access(0, LOCK, 0, WRITE).kind, AccessKind::Memory);
  for (int round = 0; round < 10; ++round) {
    const int cpu = round % 2 == 0 ? 2 : 0;
    const AccessResult r = dir.access(cpu, LOCK, 0, WRITE);
    EXPECT_EQ(r.kind, AccessKind::TransferCrossSocket) << "round " << round;
    EXPECT_EQ(r.cross_socket_invalidations, 1u) << "round " << round;
  }
  EXPECT_EQ(dir.stats(2).transfers_cross_socket, 5u);
  EXPECT_EQ(dir.stats(0).transfers_cross_socket, 5u);
  EXPECT_EQ(dir.total_stats().cross_socket_invalidations_sent, 10u);
}

TEST(Directory, WriterHoldingSharedCopyUpgradesAndInvalidatesAllOtherReaders) {
  Directory dir = two_by_two();
  for (int cpu = 0; cpu < 4; ++cpu) dir.access(cpu, LOCK, 0, READ);
  ASSERT_EQ(dir.state(LOCK), LineState::Shared);
  const AccessResult r = dir.access(1, LOCK, 0, WRITE);
  EXPECT_EQ(r.kind, AccessKind::Upgrade);
  EXPECT_EQ(r.invalidations, 3u) << "CPUs 0, 2 and 3";
  EXPECT_EQ(r.cross_socket_invalidations, 2u) << "CPUs 2 and 3";
  EXPECT_EQ(dir.holders(LOCK), std::vector<int>{1});
  EXPECT_EQ(dir.state(LOCK), LineState::Modified);
  EXPECT_EQ(dir.stats(1).upgrades, 1u);
}

TEST(Directory, WriterWithoutCopyGetsLineFromSameSocketSharerAndInvalidatesAll) {
  Directory dir = two_by_two();
  for (int cpu : {2, 3, 0}) dir.access(cpu, LOCK, 0, READ);
  const AccessResult r = dir.access(1, LOCK, 0, WRITE);
  EXPECT_EQ(r.kind, AccessKind::TransferSameSocket) << "CPU 0 shares socket 0 with the writer";
  EXPECT_EQ(r.supplier, 0);
  EXPECT_EQ(r.invalidations, 3u);
  EXPECT_EQ(r.cross_socket_invalidations, 2u);
  EXPECT_EQ(dir.holders(LOCK), std::vector<int>{1});
}

TEST(Directory, SoleSharerWriteIsUpgradeWithoutInvalidations) {
  Directory dir(DirectoryConfig{{0, 0, 1, 1}, TINY_CACHE});
  dir.access(0, LOCK, 0, READ);
  dir.access(1, LOCK, 0, READ);  // Shared by 0 and 1
  dir.access(0, 100, 0, READ);
  dir.access(0, 101, 0, READ);  // CPU 0 evicts LOCK
  ASSERT_EQ(dir.holders(LOCK), std::vector<int>{1});
  const AccessResult r = dir.access(1, LOCK, 0, WRITE);
  EXPECT_EQ(r.kind, AccessKind::Upgrade);
  EXPECT_EQ(r.invalidations, 0u);
}

TEST(Directory, InvalidatedCopyMissesAgain) {
  Directory dir = two_by_two();
  dir.access(0, LOCK, 0, READ);
  dir.access(1, LOCK, 0, WRITE);
  const AccessResult r = dir.access(0, LOCK, 0, READ);
  EXPECT_EQ(r.kind, AccessKind::TransferSameSocket);
  EXPECT_EQ(r.supplier, 1);
}

TEST(Directory, EvictionFromSmallCacheDropsCpuFromDirectory) {
  Directory dir(DirectoryConfig{{0, 0, 1, 1}, TINY_CACHE});
  dir.access(0, 10, 0, READ);
  dir.access(0, 11, 0, READ);
  const AccessResult r = dir.access(0, 12, 0, READ);
  ASSERT_TRUE(r.evicted.has_value());
  EXPECT_EQ(*r.evicted, 10u);
  EXPECT_FALSE(r.writeback.has_value()) << "line 10 was clean";
  EXPECT_EQ(dir.state(10), LineState::Invalid);
  EXPECT_TRUE(dir.holders(10).empty());
  EXPECT_EQ(dir.tracked_lines(), 2u);
  EXPECT_EQ(dir.stats(0).evictions, 1u);
  EXPECT_EQ(dir.access(1, 10, 0, READ).kind, AccessKind::Memory) << "no cache has line 10 any more";
}

TEST(Directory, EvictingOneSharerKeepsTheOthers) {
  Directory dir(DirectoryConfig{{0, 0, 1, 1}, TINY_CACHE});
  dir.access(0, LOCK, 0, READ);
  dir.access(2, LOCK, 0, READ);
  dir.access(0, 100, 0, READ);
  dir.access(0, 101, 0, READ);
  EXPECT_EQ(dir.holders(LOCK), std::vector<int>{2});
  EXPECT_EQ(dir.state(LOCK), LineState::Shared);
}

TEST(Directory, DirtyEvictionReportsWritebackToHomeNode) {
  Directory dir(DirectoryConfig{{0, 0, 1, 1}, TINY_CACHE});
  dir.access(0, LOCK, 1, WRITE);
  dir.access(0, 100, 0, READ);
  const AccessResult r = dir.access(0, 101, 0, READ);
  ASSERT_TRUE(r.writeback.has_value());
  EXPECT_EQ(r.writeback->line, LOCK);
  EXPECT_EQ(r.writeback->home_node, 1);
  EXPECT_EQ(dir.stats(0).writebacks, 1u);
}

TEST(Directory, SharerSetsBeyond64CpusUseThePool) {
  std::vector<int> sockets(130);
  for (std::size_t cpu = 0; cpu < sockets.size(); ++cpu) sockets[cpu] = cpu < 65 ? 0 : 1;
  Directory dir(DirectoryConfig{sockets, {}});
  for (int round = 0; round < 3; ++round) {  // the second and third rounds reuse released blocks
    for (int cpu = 0; cpu < 130; ++cpu) dir.access(cpu, LOCK, 0, READ);
    ASSERT_EQ(dir.holders(LOCK).size(), 130u);
    const AccessResult r = dir.access(129, LOCK, 0, WRITE);
    EXPECT_EQ(r.kind, AccessKind::Upgrade);
    EXPECT_EQ(r.invalidations, 129u);
    EXPECT_EQ(r.cross_socket_invalidations, 65u) << "CPUs 0..64 are on the other socket";
    EXPECT_EQ(dir.holders(LOCK), std::vector<int>{129});
  }
}

TEST(Directory, RejectsBadConfigurationAndArguments) {
  EXPECT_THROW(Directory(DirectoryConfig{{}, {}}), std::invalid_argument);
  EXPECT_THROW(Directory(DirectoryConfig{std::vector<int>(1025, 0), {}}), std::invalid_argument);
  EXPECT_THROW(Directory(DirectoryConfig{{0, -1}, {}}), std::invalid_argument);
  const Line below_hole = (Line{1} << (LineRecord::LINE_BITS - 1)) - 4;  // last canonical lines of the low half
  EXPECT_THROW(Directory(DirectoryConfig{{0}, {}, below_hole, 8}), std::invalid_argument) << "runs into the hole";
  EXPECT_THROW(Directory(DirectoryConfig{{0}, {}, ~Line{0} - 2, 8}), std::invalid_argument) << "wraps";
  EXPECT_NO_THROW(Directory(DirectoryConfig{{0}, {}, below_hole, 4}));
  Directory dir = two_by_two();
  EXPECT_THROW(dir.access(4, LOCK, 0, READ), std::out_of_range);
  EXPECT_THROW(dir.access(0, LOCK, -1, READ), std::out_of_range);
  EXPECT_THROW(dir.access(0, ~Line{0}, 0, READ), std::out_of_range);
  EXPECT_THROW(dir.access(0, line_of(0x0100000000000000ull), 0, READ), std::out_of_range) << "not canonical";
}

// Random traffic on tiny caches: the directory must list exactly the CPUs
// whose caches hold each line, each cache must hold it in the record's
// state, and the state must agree with the number of holders.
// Half the lines in the indexed range changes nothing.
class DirectoryTraffic : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(DirectoryTraffic, StaysExactUnderRandomTrafficWithEvictions) {
  constexpr int CPUS = 8;
  constexpr Line LINES = 64;
  Directory dir(DirectoryConfig{{0, 0, 0, 0, 1, 1, 1, 1}, PrivateCacheConfig{4 * 2 * LINE_BYTES, 2}, 16, GetParam()});
  std::mt19937_64 rng(42);
  for (int step = 0; step < 20000; ++step) {
    const int cpu = static_cast<int>(rng() % CPUS);
    dir.access(cpu, rng() % LINES, static_cast<int>(rng() % 2), rng() % 3 == 0);
    for (Line line = 0; line < LINES; ++line) {
      std::vector<int> cached;
      for (int c = 0; c < CPUS; ++c) {
        if (dir.cache(c).contains(line)) cached.push_back(c);
      }
      ASSERT_EQ(dir.holders(line), cached) << "step " << step << " line " << line;
      const LineState s = dir.state(line);
      ASSERT_EQ(s == LineState::Invalid, cached.empty()) << "step " << step;
      if (cached.size() > 1) {
        ASSERT_EQ(s, LineState::Shared) << "step " << step;
      }
      for (int c : cached) ASSERT_EQ(dir.cache(c).state(line), s) << "step " << step << " cpu " << c;
    }
  }
  const CoherenceStats total = dir.total_stats();
  EXPECT_EQ(total.accesses, 20000u);
  EXPECT_EQ(total.hits + total.upgrades + total.transfers_same_socket + total.transfers_cross_socket +
                total.memory_local + total.memory_remote,
            total.accesses);
  EXPECT_EQ(total.invalidations_sent, total.invalidations_received);
}

INSTANTIATE_TEST_SUITE_P(Directory, DirectoryTraffic, ::testing::Values(0, 32));

// The directory's hash table: many records, growth, and deletions that must
// leave every remaining record reachable (backward-shift deletion); with an
// indexed range, lines in it and on both sides of it.
void expect_matches_reference_set(LineTable &table) {
  std::vector<bool> present(20000, false);
  std::mt19937_64 rng(7);
  for (int step = 0; step < 200000; ++step) {
    const Line line = rng() % present.size();
    if (present[line]) {
      table.erase(line);
    } else {
      LineRecord &record = table.insert(line);
      record.set_home_node(static_cast<int>(line % 1000));
      record.holders = line * 3;
    }
    present[line] = !present[line];
  }
  std::size_t expected = 0;
  for (Line line = 0; line < present.size(); ++line) {
    const LineRecord *record = table.find(line);
    ASSERT_EQ(record != nullptr, present[line]) << "line " << line;
    if (record != nullptr) {
      EXPECT_EQ(record->line(), line);
      EXPECT_EQ(record->home_node(), static_cast<int>(line % 1000)) << "record moved intact";
      EXPECT_EQ(record->holders, line * 3) << "record moved intact";
      ++expected;
    }
  }
  EXPECT_EQ(table.size(), expected);
}

TEST(LineTable, MatchesReferenceSetUnderRandomInsertAndErase) {
  LineTable hashed;
  expect_matches_reference_set(hashed);
  LineTable indexed(/*dense_first=*/5000, /*dense_lines=*/10000);
  expect_matches_reference_set(indexed);
}

// Records keep the line, home node, dirty mark and state in one word: each
// field must survive changes to the others, for kernel and user addresses.
TEST(LineRecord, FieldsShareAWordWithoutDisturbingEachOther) {
  for (const std::uint64_t addr : {0xffffea0000000040ull, 0xff00000000000000ull, 0x0000000000001000ull,
                                   0x00ffffffffffffc0ull}) {
    const Line line = line_of(addr);
    ASSERT_TRUE(LineRecord::storable(line)) << std::hex << addr;
    LineTable table;
    LineRecord &record = table.insert(line);
    record.set_home_node(1023);
    record.set_dirty(true);
    record.set_state(LineState::Modified);
    record.set_home_node(5);
    EXPECT_EQ(record.line(), line);
    EXPECT_EQ(record.home_node(), 5);
    EXPECT_TRUE(record.dirty());
    EXPECT_EQ(record.state(), LineState::Modified);
    record.set_dirty(false);
    record.set_state(LineState::Exclusive);
    EXPECT_EQ(record.line(), line);
    EXPECT_EQ(record.home_node(), 5);
    EXPECT_FALSE(record.dirty());
    EXPECT_EQ(table.find(line), &record);
  }
  EXPECT_FALSE(LineRecord::storable(line_of(0x0100000000000000ull))) << "bits 56..63 differ";
  EXPECT_FALSE(LineRecord::storable(line_of(0xfe00000000000000ull))) << "bits 56..63 differ";
  EXPECT_FALSE(LineRecord::storable(~Line{0})) << "wider than an address's line";
}

// --- CoherenceTiming -------------------------------------------------------

AccessResult result_of(AccessKind kind, std::uint32_t invalidations = 0, std::uint32_t cross = 0) {
  AccessResult r;
  r.kind = kind;
  r.invalidations = invalidations;
  r.cross_socket_invalidations = cross;
  return r;
}

TEST(CoherenceTiming, DefaultsMatchPublishedFigures) {
  const CoherenceTiming t(CoherenceTimingConfig{});
  EXPECT_EQ(t.latency(result_of(AccessKind::Hit)), 1600u) << "4 cycles at 2.5 GHz";
  EXPECT_EQ(t.latency(result_of(AccessKind::TransferSameSocket, 1)), 45'000u);
  EXPECT_EQ(t.latency(result_of(AccessKind::TransferCrossSocket, 1, 1)), 120'000u);
  EXPECT_EQ(t.latency(result_of(AccessKind::Memory)), 30'800u) << "77 cycles at 2.5 GHz";
}

TEST(CoherenceTiming, FarthestInvalidationDecidesWrites) {
  const CoherenceTiming t(CoherenceTimingConfig{});
  EXPECT_EQ(t.latency(result_of(AccessKind::Upgrade)), 30'800u) << "directory round trip only";
  EXPECT_EQ(t.latency(result_of(AccessKind::Upgrade, 3)), 45'000u);
  EXPECT_EQ(t.latency(result_of(AccessKind::Upgrade, 3, 2)), 120'000u);
  EXPECT_EQ(t.latency(result_of(AccessKind::TransferSameSocket, 3, 2)), 120'000u)
      << "same-socket data, but copies in the other socket must acknowledge";
}

TEST(CoherenceTiming, CyclesFollowTheClock) {
  CoherenceTimingConfig config;
  config.cpu_clock_mhz = 3000;
  const CoherenceTiming t(config);
  EXPECT_EQ(t.private_hit_ps(), 1333u) << "4 cycles at 3 GHz, rounded";
  EXPECT_EQ(t.cycles_to_ps(3), 1000u);
  config.cpu_clock_mhz = 0;
  EXPECT_THROW(CoherenceTiming{config}, std::invalid_argument);
}

TEST(CoherenceTiming, PricesDirectoryOutcomesEndToEnd) {
  Directory dir = two_by_two();
  const CoherenceTiming t(CoherenceTimingConfig{});
  EXPECT_EQ(t.latency(dir.access(0, LOCK, 0, WRITE)), 30'800u) << "miss: directory lookup, DRAM is the caller's";
  EXPECT_EQ(t.latency(dir.access(0, LOCK, 0, WRITE)), 1'600u);
  EXPECT_EQ(t.latency(dir.access(1, LOCK, 0, WRITE)), 45'000u);
  EXPECT_EQ(t.latency(dir.access(3, LOCK, 0, WRITE)), 120'000u);
}

}  // namespace
}  // namespace buddysim::hw
