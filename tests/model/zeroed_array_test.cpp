// The zero-filled arrays behind the frame table and the simulator's large
// hash tables.
#include <gtest/gtest.h>

#include <cstdint>
#include <utility>

#include "model/zeroed_array.h"

namespace buddysim::model {
namespace {

struct Record {
  std::uint64_t key;
  std::uint32_t value;
};

TEST(ZeroedArray, StartsZeroFilledAndKeepsWhatIsWritten) {
  ZeroedArray<Record> a(100'000);
  ASSERT_EQ(a.size(), 100'000u);
  for (const Record &r : a) ASSERT_TRUE(r.key == 0 && r.value == 0);
  a[99'999] = Record{7, 8};
  EXPECT_EQ(a[99'999].key, 7u);
  EXPECT_EQ(a.end() - a.begin(), 100'000);
}

TEST(ZeroedArray, MovesItsMemoryAndLeavesTheSourceEmpty) {
  ZeroedArray<Record> a(10);
  a[3].value = 5;
  ZeroedArray<Record> b = std::move(a);
  EXPECT_EQ(b[3].value, 5u);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from state is specified
  a = ZeroedArray<Record>(4);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].value, 0u);
}

TEST(ZeroedArray, AnEmptyArrayHoldsNoMemory) {
  const ZeroedArray<Record> a;
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.data(), nullptr);
}

}  // namespace
}  // namespace buddysim::model
