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
  // The table hovers near 500 blocks, just under half of its first 1024
  // slots, so probe runs are long and often wrap around the end, where
  // deletion is easiest to get wrong.
  BlockTable table(1);
  std::map<std::uint64_t, bool> ref;   // tag -> live
  std::vector<std::uint64_t> present;  // tags in ref, to pick from
  Rng rng(5);
  for (int i = 0; i < 300'000; ++i) {
    if (present.empty() || rng() % 100 < (present.size() < 500 ? 60u : 40u)) {
      const std::uint64_t tag = table.add(Block{0, 0, 0, 0, 1, false});
      ref[tag] = false;
      present.push_back(tag);
      continue;
    }
    const std::size_t k = rng() % present.size();
    const std::uint64_t tag = present[k];
    bool gone = false;
    if (!ref[tag]) {
      const bool ok = rng() % 4 != 0;
      ASSERT_TRUE(table.settle(tag, ok, 3 * tag).has_value()) << tag;
      ref[tag] = ok;
      gone = !ok;
    } else {
      ASSERT_FALSE(table.settle(tag, true).has_value()) << "a live block has no outcome to report";
      const std::optional<Block> released = table.release(tag);
      ASSERT_TRUE(released.has_value()) << tag;
      ASSERT_EQ(released->pfn, 3 * tag) << "the pfn its outcome reported";
      ASSERT_EQ(released->order, 1u);
      gone = true;
    }
    if (!gone) continue;
    ASSERT_FALSE(table.is_live(tag) || table.is_pending(tag)) << "tag " << tag << " is gone";
    ref.erase(tag);
    present[k] = present.back();
    present.pop_back();
  }
  std::uint64_t live_pages = 0;
  for (std::uint64_t tag = 1; tag <= ref.rbegin()->first; ++tag) {
    const auto it = ref.find(tag);
    ASSERT_EQ(table.is_live(tag), it != ref.end() && it->second) << tag;
    ASSERT_EQ(table.is_pending(tag), it != ref.end() && !it->second) << tag;
    if (it != ref.end() && it->second) live_pages += 2;
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
