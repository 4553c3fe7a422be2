// The generator's building blocks (block table, integer sampling) and the
// input it refuses.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/scenario/scenario_error.h"
#include "sim/workload/block_table.h"
#include "sim/workload/distribution.h"
#include "sim/workload/event_queue.h"
#include "tests/sim/generator_test_support.h"

namespace buddysim::workload {
namespace {

using namespace generator_testing;

// ---- building blocks ----------------------------------------------------------

TEST(GeneratorBlocks, BlockTableAgreesWithAMapUnderRandomChurn) {
  // Random adds, outcomes and releases against std::map as the reference.
  // The table hovers near 500 blocks, so slots are reused many times over:
  // a reference to a block that is gone must not find the block that took
  // its slot.
  BlockTable table(1);
  std::map<std::uint64_t, bool> ref;  // tag -> live
  std::vector<BlockRef> present;      // blocks in ref, to pick from
  std::vector<BlockRef> gone;         // blocks failed or released
  Rng rng(5);
  for (int i = 0; i < 300'000; ++i) {
    if (present.empty() || rng() % 100 < (present.size() < 500 ? 60u : 40u)) {
      const BlockRef block = table.add(Block{0, 0, 0, 0, 1, false});
      ref[block.tag] = false;
      present.push_back(block);
      continue;
    }
    const std::size_t k = rng() % present.size();
    const BlockRef block = present[k];
    bool is_gone = false;
    if (!ref[block.tag]) {
      const bool ok = rng() % 4 != 0;
      ASSERT_TRUE(table.settle(block, ok, 3 * block.tag).has_value()) << block.tag;
      ref[block.tag] = ok;
      is_gone = !ok;
    } else {
      ASSERT_FALSE(table.settle(block, true).has_value()) << "a live block has no outcome to report";
      const std::optional<Block> released = table.release(block);
      ASSERT_TRUE(released.has_value()) << block.tag;
      ASSERT_EQ(released->pfn, 3 * block.tag) << "the pfn its outcome reported";
      ASSERT_EQ(released->order, 1u);
      is_gone = true;
    }
    if (!is_gone) continue;
    ASSERT_FALSE(table.is_live(block) || table.is_pending(block)) << "tag " << block.tag << " is gone";
    ASSERT_FALSE(table.release(block).has_value()) << "tag " << block.tag << " is gone";
    ref.erase(block.tag);
    gone.push_back(block);
    present[k] = present.back();
    present.pop_back();
  }
  std::uint64_t live_pages = 0;
  for (const BlockRef block : present) {
    ASSERT_EQ(table.is_live(block), ref.at(block.tag)) << block.tag;
    ASSERT_EQ(table.is_pending(block), !ref.at(block.tag)) << block.tag;
    if (ref.at(block.tag)) live_pages += 2;
  }
  for (const BlockRef block : gone) {
    ASSERT_FALSE(table.is_live(block) || table.is_pending(block)) << "tag " << block.tag << " is gone";
  }
  EXPECT_EQ(table.live_pages(0), live_pages) << "order-1 blocks count 2 pages each";
}

TEST(GeneratorBlocks, EventQueuePopsInTotalOrderUnderRandomPushes) {
  // Against std::set as the reference: times spread over many magnitudes
  // (every level of the radix heap), ties broken by CPU, phase, kind and id,
  // and now and then a push earlier than the last pop (a deferred free).
  EventQueue queue;
  auto order = [](const Event &a, const Event &b) { return a.before(b); };
  std::set<Event, decltype(order)> ref(order);
  Rng rng(11);
  std::uint64_t now = 0, id = 0;
  auto push = [&](std::uint64_t time) {
    const int cpu = static_cast<int>(rng() % 4);
    const auto phase = static_cast<std::uint32_t>(rng() % 2);
    const auto kind = rng() % 2 ? Event::Kind::Free : Event::Kind::Step;
    queue.push(time, cpu, phase, kind, ++id);
    ref.insert(Event{time, std::uint64_t{static_cast<std::uint32_t>(cpu)} << 32 | phase,
                     std::uint64_t{kind == Event::Kind::Step} << 63 | id});
  };
  for (int i = 0; i < 200'000; ++i) {
    if (rng() % 3 != 0 || ref.empty()) {
      const std::uint64_t span = std::uint64_t{1} << (rng() % 40);
      push(rng() % 50 == 0 ? now - std::min(now, rng() % 1000) : now + rng() % span);
      continue;
    }
    ASSERT_EQ(queue.size(), ref.size());
    const Event top = queue.top();
    const Event popped = queue.pop();
    const Event expected = *ref.begin();
    ref.erase(ref.begin());
    ASSERT_TRUE(!top.before(popped) && !popped.before(top)) << "top() is what pop() returns";
    ASSERT_TRUE(!popped.before(expected) && !expected.before(popped))
        << "step " << i << ": popped " << popped.time_ns << " expected " << expected.time_ns;
    now = popped.time_ns;
  }
  while (!ref.empty()) {
    ASSERT_EQ(queue.pop().rank, ref.begin()->rank);
    ref.erase(ref.begin());
  }
  EXPECT_TRUE(queue.empty());
}

TEST(GeneratorBlocks, UniformIntegersCoverTheirRangeEvenly) {
  Rng rng(9);
  std::map<std::uint64_t, std::size_t> counts;
  const std::size_t n = 70'000;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t x = uniform_u64(rng, 3, 9);
    ASSERT_TRUE(x >= 3 && x <= 9) << x;
    ++counts[x];
  }
  for (const auto &[value, count] : counts) expect_binomial(count, n, 1.0 / 7, "value " + std::to_string(value));
  EXPECT_EQ(counts.size(), 7u);
}

// ---- refused input ------------------------------------------------------------

std::string error_of(const scenario::Scenario &s) {
  try {
    make_generator(s);
  } catch (const scenario::ScenarioError &e) {
    return e.what();
  }
  return "";
}

TEST(GeneratorInput, FragmentOfAnUnknownPhaseIsRefused) {
  Phase f = fragment(0, 2);
  f.fragment_of = "nope";
  scenario::Scenario s = scenario_of({churn(forever(), 100), f});
  s.source = "x.json";
  EXPECT_EQ(error_of(s),
            "x.json: /workload/phases/1/fragment_of: expected the name of an earlier fill phase, found \"nope\"");
}

TEST(GeneratorInput, AnInterArrivalTimeOfZeroIsRefused) {
  EXPECT_EQ(error_of(scenario_of({churn(forever(), 100, fixed(0))})),
            "/workload/phases/0/interarrival: expected an inter-arrival time that is not always 0 ns");
}

}  // namespace
}  // namespace buddysim::workload
