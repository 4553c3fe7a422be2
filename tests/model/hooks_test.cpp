// The hook interface: the allocator reports locks where the kernel takes
// them, touches the struct pages it works on and charges instruction work.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/page_alloc.h"

namespace buddysim::model {
namespace {

class RecordingHooks : public Hooks {
 public:
  std::vector<std::string> locks;  // "lock zone 0/1 in rmqueue_bulk", "trylock pcp 0/1 cpu 0", ...
  std::vector<SimAddr> touches;
  std::uint64_t cycles = 0;
  bool pcp_trylock_fails = false;
  std::uint64_t cleared_pfn = 0;
  unsigned long cleared_nr = 0;
  int depth = 0;

  static std::string name(LockId id) {
    std::string s = id.kind == LockId::Zone ? "zone " : "pcp ";
    s += std::to_string(id.node) + "/" + std::to_string(id.zone);
    if (id.kind == LockId::Pcp) s += " cpu " + std::to_string(id.cpu);
    return s;
  }
  void lock(LockId id, LockSite site) override {
    locks.push_back("lock " + name(id) + " in " + site);
    ++depth;
  }
  bool trylock(LockId id) override {
    locks.push_back("trylock " + name(id) + (pcp_trylock_fails ? " failed" : ""));
    if (pcp_trylock_fails) return false;
    ++depth;
    return true;
  }
  void unlock(LockId id) override {
    locks.push_back("unlock " + name(id));
    --depth;
  }
  void touch(SimAddr a, Access) override { touches.push_back(a); }
  void work(std::uint32_t c) override { cycles += c; }
  void clear_pages(std::uint64_t pfn, unsigned long nr) override {
    cleared_pfn = pfn;
    cleared_nr = nr;
  }
};

MachineLayout one_node() {
  MachineLayout m;
  NodeLayout n;
  n.nr_cpus = 2;
  n.memory = {{1ull << 32, 1ull << 30}};  // 1 GiB of ZONE_NORMAL
  m.nodes = {n};
  m.reserve_memmap = false;
  return m;
}

// An allocator on one_node() reporting to a RecordingHooks from the start.
struct Hooked {
  PageAllocator a{one_node(), AllocatorConfig{}};
  RecordingHooks h;
  Hooked() { a.set_hooks(&h); }
};

TEST(Hooks, PcpAllocationRefillsUnderTheZoneLockInsideThePcpLock) {
  Hooked hooked;
  auto &[a, h] = hooked;
  ASSERT_TRUE(a.alloc_pages(0, gfp::KERNEL, 0).ok());
  const std::vector<std::string> expected = {"trylock pcp 0/2 cpu 0", "lock zone 0/2 in rmqueue_bulk",
                                             "unlock zone 0/2", "unlock pcp 0/2 cpu 0"};
  EXPECT_EQ(h.locks, expected);
  EXPECT_EQ(h.depth, 0);
}

TEST(Hooks, PcpHitTakesOnlyThePcpLock) {
  PageAllocator a(one_node(), AllocatorConfig{});
  ASSERT_TRUE(a.alloc_pages(0, gfp::KERNEL, 0).ok());  // refill
  RecordingHooks h;
  a.set_hooks(&h);
  AllocResult r = a.alloc_pages(0, gfp::KERNEL, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.path, PATH_PCP_HIT);
  const std::vector<std::string> expected = {"trylock pcp 0/2 cpu 0", "unlock pcp 0/2 cpu 0"};
  EXPECT_EQ(h.locks, expected);
}

TEST(Hooks, FailedPcpTrylockFallsBackToTheZoneLock) {
  PageAllocator a(one_node(), AllocatorConfig{});
  RecordingHooks h;
  h.pcp_trylock_fails = true;
  a.set_hooks(&h);
  AllocResult r = a.alloc_pages(1, gfp::KERNEL, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.path & PATH_BUDDY);
  h.locks.clear();
  ASSERT_FALSE(a.free_pages(1, r.pfn, 0));
  const std::vector<std::string> expected = {"trylock pcp 0/2 cpu 1 failed", "lock zone 0/2 in free_one_page",
                                             "unlock zone 0/2"};
  EXPECT_EQ(h.locks, expected);
  EXPECT_EQ(h.depth, 0);
}

TEST(Hooks, ZoneLockSitesNameTheKernelFunctionsThatTakeIt) {
  // Order 4 has no pcp list: rmqueue_buddy takes the lock, and the free goes
  // through free_one_page. A full pcp list drains through free_pcppages_bulk.
  Hooked hooked;
  auto &[a, h] = hooked;
  AllocResult big = a.alloc_pages(0, gfp::KERNEL, 4);
  ASSERT_TRUE(big.ok());
  ASSERT_FALSE(a.free_pages(0, big.pfn, 4));
  std::vector<std::string> expected = {"lock zone 0/2 in rmqueue_buddy", "unlock zone 0/2",
                                       "lock zone 0/2 in free_one_page", "unlock zone 0/2"};
  EXPECT_EQ(h.locks, expected);

  std::vector<Pfn> pages;
  for (int i = 0; i < 20000; ++i) pages.push_back(a.alloc_pages(0, gfp::KERNEL, 0).pfn);
  h.locks.clear();
  for (const Pfn pfn : pages) ASSERT_FALSE(a.free_pages(0, pfn, 0));
  EXPECT_NE(std::find(h.locks.begin(), h.locks.end(), "lock zone 0/2 in free_pcppages_bulk"), h.locks.end());
}

TEST(Hooks, AllocationTouchesTheStructPageOfThePageItReturns) {
  Hooked hooked;
  auto &[a, h] = hooked;
  AllocResult r = a.alloc_pages(0, gfp::KERNEL, 0);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(std::find(h.touches.begin(), h.touches.end(), addr::page(r.pfn)), h.touches.end());
  EXPECT_EQ(addr::page(r.pfn), 0xffffea0000000000ull + r.pfn * 64);
}

TEST(Hooks, ZeroedAllocationClearsEveryPageOfTheBlock) {
  Hooked hooked;
  auto &[a, h] = hooked;
  AllocResult r = a.alloc_pages(0, gfp::KERNEL | gfp::ZERO | gfp::COMP, 2);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(h.cleared_pfn, r.pfn);
  EXPECT_EQ(h.cleared_nr, 4u);
}

TEST(Hooks, WarmPcpAllocFreePairReportsItsCalibratedWork) {
  // 77 cycles of work; private-cache hits (charged per touch by the timing
  // model) bring the pair to page_bench01's 115-160 cycles.
  PageAllocator a(one_node(), AllocatorConfig{});
  AllocResult warm = a.alloc_pages(0, gfp::KERNEL, 0);
  ASSERT_FALSE(a.free_pages(0, warm.pfn, 0));
  RecordingHooks h;
  a.set_hooks(&h);
  AllocResult r = a.alloc_pages(0, gfp::KERNEL, 0);
  ASSERT_FALSE(a.free_pages(0, r.pfn, 0));
  EXPECT_EQ(h.cycles, 77u);
  EXPECT_GE(h.touches.size(), 8u);
}

TEST(Hooks, LocksBalanceOverAMixedSequence) {
  Hooked hooked;
  auto &[a, h] = hooked;
  std::vector<std::pair<Pfn, unsigned>> live;
  for (unsigned i = 0; i < 3000; ++i) {
    const unsigned order = i % 7 == 0 ? 9 : i % 4;
    AllocResult r = a.alloc_pages(static_cast<int>(i % 2), gfp::KERNEL | gfp::COMP, order);
    if (r.ok()) live.emplace_back(r.pfn, order);
    if (i % 3 == 0 && !live.empty()) {
      ASSERT_FALSE(a.free_pages(static_cast<int>(i % 2), live.back().first, live.back().second));
      live.pop_back();
    }
  }
  a.drain_all_pages();
  EXPECT_EQ(h.depth, 0);
}

}  // namespace
}  // namespace buddysim::model
