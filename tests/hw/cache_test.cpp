// PrivateCache: set-associative geometry, true LRU replacement, eviction
// victims and invalidation (sim/hw/cache/private_cache.h).
#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/hw/cache/private_cache.h"

namespace buddysim::hw {
namespace {

// One set of four ways: every line competes for the same set.
PrivateCache one_set_four_ways() { return PrivateCache(PrivateCacheConfig{4 * LINE_BYTES, 4}); }

TEST(PrivateCache, DefaultGeometryIsSkylakeSpL2) {
  const PrivateCache cache(PrivateCacheConfig{});
  EXPECT_EQ(cache.ways(), 16u);
  EXPECT_EQ(cache.sets(), 1024u) << "1 MiB / (16 ways x 64 B)";
  EXPECT_EQ(cache.capacity_lines(), 16384u);
  EXPECT_EQ(cache.occupied_lines(), 0u);
}

TEST(PrivateCache, RejectsGeometryThatIsNotWaysTimesLineTimesPowerOfTwo) {
  EXPECT_THROW(PrivateCache(PrivateCacheConfig{4096, 0}), std::invalid_argument) << "zero ways";
  EXPECT_THROW(PrivateCache(PrivateCacheConfig{4096, 65}), std::invalid_argument) << "more than MAX_WAYS";
  EXPECT_THROW(PrivateCache(PrivateCacheConfig{0, 4}), std::invalid_argument) << "zero size";
  EXPECT_THROW(PrivateCache(PrivateCacheConfig{1000, 4}), std::invalid_argument) << "not a multiple of 4 x 64";
  EXPECT_THROW(PrivateCache(PrivateCacheConfig{3 * 4 * 64, 4}), std::invalid_argument) << "3 sets";
  EXPECT_NO_THROW(PrivateCache(PrivateCacheConfig{48 * 1024, 12})) << "Ice Lake L1D: 48 KiB, 12-way, 64 sets";
}

TEST(PrivateCache, MissesUntilInsertedThenHits) {
  PrivateCache cache = one_set_four_ways();
  EXPECT_FALSE(cache.lookup(7));
  EXPECT_FALSE(cache.insert(7).has_value()) << "an empty way takes the line";
  EXPECT_TRUE(cache.lookup(7));
  EXPECT_TRUE(cache.contains(7));
  EXPECT_EQ(cache.occupied_lines(), 1u);
}

TEST(PrivateCache, FullSetEvictsLeastRecentlyInserted) {
  PrivateCache cache = one_set_four_ways();
  for (Line line = 0; line < 4; ++line) EXPECT_FALSE(cache.insert(line).has_value());
  const std::optional<Line> victim = cache.insert(4);
  ASSERT_TRUE(victim.has_value());
  EXPECT_EQ(*victim, 0u) << "line 0 was used longest ago";
  EXPECT_FALSE(cache.contains(0));
  EXPECT_TRUE(cache.contains(4));
}

TEST(PrivateCache, LookupHitMakesLineMostRecentlyUsed) {
  PrivateCache cache = one_set_four_ways();
  for (Line line = 0; line < 4; ++line) cache.insert(line);
  ASSERT_TRUE(cache.lookup(0));
  ASSERT_TRUE(cache.lookup(1));
  EXPECT_EQ(cache.insert(4), std::optional<Line>(2)) << "order of use is 2, 3, 0, 1";
  EXPECT_EQ(cache.insert(5), std::optional<Line>(3));
  EXPECT_EQ(cache.insert(6), std::optional<Line>(0));
}

TEST(PrivateCache, ContainsDoesNotChangeLruOrder) {
  PrivateCache cache = one_set_four_ways();
  for (Line line = 0; line < 4; ++line) cache.insert(line);
  ASSERT_TRUE(cache.contains(0));
  EXPECT_EQ(cache.insert(4), std::optional<Line>(0)) << "contains() is not a use";
}

TEST(PrivateCache, InsertingPresentLineRefreshesItWithoutEviction) {
  PrivateCache cache = one_set_four_ways();
  for (Line line = 0; line < 4; ++line) cache.insert(line);
  EXPECT_FALSE(cache.insert(0).has_value());
  EXPECT_EQ(cache.occupied_lines(), 4u);
  EXPECT_EQ(cache.insert(4), std::optional<Line>(1)) << "line 0 became the most recently used";
}

TEST(PrivateCache, InvalidateFreesTheWay) {
  PrivateCache cache = one_set_four_ways();
  for (Line line = 0; line < 4; ++line) cache.insert(line);
  EXPECT_TRUE(cache.invalidate(2));
  EXPECT_FALSE(cache.invalidate(2)) << "already gone";
  EXPECT_FALSE(cache.contains(2));
  EXPECT_FALSE(cache.insert(9).has_value()) << "the freed way takes the new line";
  EXPECT_TRUE(cache.contains(0)) << "no other line had to leave";
  EXPECT_EQ(cache.occupied_lines(), 4u);
}

TEST(PrivateCache, LowBitsOfTheLineSelectTheSet) {
  PrivateCache cache(PrivateCacheConfig{2 * 2 * LINE_BYTES, 2});  // 2 sets x 2 ways
  ASSERT_EQ(cache.sets(), 2u);
  cache.insert(0);
  cache.insert(1);
  cache.insert(2);
  EXPECT_EQ(cache.insert(4), std::optional<Line>(0)) << "0, 2, 4 share set 0";
  EXPECT_TRUE(cache.contains(1)) << "set 1 is untouched";
}

TEST(PrivateCache, HoldsExactlyItsCapacity) {
  PrivateCache cache(PrivateCacheConfig{8 * 4 * LINE_BYTES, 4});  // 8 sets x 4 ways
  for (Line line = 0; line < 32; ++line) EXPECT_FALSE(cache.insert(line).has_value()) << "line " << line;
  EXPECT_EQ(cache.occupied_lines(), cache.capacity_lines());
  EXPECT_EQ(cache.insert(32), std::optional<Line>(0)) << "the 33rd line evicts from set 0";
}

TEST(PrivateCache, KeepsTheStateGivenAndLetsItChangeWithoutReordering) {
  PrivateCache cache = one_set_four_ways();
  cache.insert(0, LineState::Exclusive);
  cache.insert(1, LineState::Shared);
  EXPECT_EQ(cache.state(0), LineState::Exclusive);
  EXPECT_EQ(cache.lookup_state(1), LineState::Shared);
  EXPECT_EQ(cache.state(5), LineState::Invalid) << "absent";
  EXPECT_TRUE(cache.set_state(0, LineState::Modified));
  EXPECT_FALSE(cache.set_state(5, LineState::Modified)) << "absent lines stay absent";
  EXPECT_EQ(cache.state(0), LineState::Modified);
  cache.insert(2);
  cache.insert(3);
  EXPECT_EQ(cache.insert(4), std::optional<Line>(0)) << "set_state() is not a use";
  EXPECT_THROW(cache.insert(6, LineState::Invalid), std::invalid_argument);
}

}  // namespace
}  // namespace buddysim::hw
