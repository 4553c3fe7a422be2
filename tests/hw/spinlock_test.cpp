// SpinLock inside sc_start: each TEST spawns one SC_THREAD per simulated CPU
// before sc_start (one elaboration per TEST; ctest gives each its process).
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <systemc>
#include <utility>
#include <vector>

#include "sim/hw/lock/spin_lock.h"

namespace buddysim::hw {
namespace {

using sc_core::SC_NS;
using sc_core::sc_time;

sc_time ns(double v) { return sc_time(v, SC_NS); }
// Exact for whole picoseconds: both operands are integer multiples of the resolution.
double now_ns() { return sc_core::sc_time_stamp() / ns(1); }
std::uint64_t ps(double ns_value) { return static_cast<std::uint64_t>(ns_value * 1000); }
// The call site of the tests that do not look at contention points.
constexpr CallSite SITE = "test_site";

// A transfer-cost model for the tests: free on the same CPU, `near` within a
// socket of `cpus_per_socket` CPUs, `far` across sockets; logs every call.
struct CostModel {
  int cpus_per_socket = 2;
  double near = 40, far = 100;
  std::vector<std::pair<int, int>> calls;

  LineTransferCost callback() {
    return [this](int from, int to) {
      calls.emplace_back(from, to);
      if (from == to) return sc_core::SC_ZERO_TIME;
      return ns(from / cpus_per_socket == to / cpus_per_socket ? near : far);
    };
  }
};

// Runs body as an SC_THREAD for a CPU, starting at `start` ns.
void at(double start, std::function<void()> body) {
  sc_core::sc_spawn([start, body = std::move(body)] {
    sc_core::wait(ns(start));
    body();
  });
}

// lock, hold for hold_ns, unlock; records when the lock was granted.
void lock_hold_unlock(SpinLock &lock, int cpu, double hold_ns, std::vector<std::pair<int, double>> *grants = nullptr) {
  lock.lock(cpu, SITE);
  if (grants) grants->emplace_back(cpu, now_ns());
  sc_core::wait(ns(hold_ns));
  lock.unlock(cpu);
}

TEST(SpinLock, UncontendedAcquireChargesTransferFromLastHolder) {
  CostModel cost;
  cost.cpus_per_socket = 4;
  cost.near = 45;
  cost.far = 120;
  SpinLock lock("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/0);
  std::vector<double> granted;
  std::vector<LockGrant> results;
  at(10, [&] {
    results.push_back(lock.lock(5, SITE));  // line on CPU 0 (socket 0) -> CPU 5 (socket 1)
    granted.push_back(now_ns());
    sc_core::wait(ns(20));
    lock.unlock(5);
    sc_core::wait(ns(50));  // t = 200: CPU 5 still has the line
    results.push_back(lock.lock(5, SITE));
    granted.push_back(now_ns());
    sc_core::wait(ns(10));
    lock.unlock(5);
  });
  at(300, [&] {
    results.push_back(lock.lock(6, SITE));  // CPU 5 -> CPU 6, same socket
    granted.push_back(now_ns());
    sc_core::wait(ns(10));
    lock.unlock(6);
  });
  sc_core::sc_start();

  EXPECT_EQ(granted, (std::vector<double>{130, 200, 345})) << "each acquire waits exactly its transfer";
  EXPECT_EQ(cost.calls, (std::vector<std::pair<int, int>>{{0, 5}, {5, 6}}))
      << "the line comes from the CPU that held it last; one already there is not priced";
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].transfer, ns(120));
  EXPECT_EQ(results[1].transfer, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(results[2].transfer, ns(45));
  for (const LockGrant &g : results) EXPECT_FALSE(g.contended);
  const SpinLockStats &s = lock.stats();
  EXPECT_EQ(s.contentions(), 0u);
  EXPECT_EQ(s.acquisitions(), 3u);
  EXPECT_EQ(s.line_transfers, 2u) << "re-acquiring on CPU 5 moves nothing";
  EXPECT_EQ(s.transfer_time_ps, ps(165));
  // lockdep stamps the hold time before the atomic: the transfer is held time.
  EXPECT_EQ(s.holdtime.min_ps, ps(10));
  EXPECT_EQ(s.holdtime.max_ps, ps(140)) << "10 ns call to 150 ns unlock";
  EXPECT_EQ(s.holdtime.total_ps, ps(140 + 10 + 55));
  EXPECT_EQ(lock.owner(), -1);
  EXPECT_EQ(lock.line_cpu(), 6);
}

TEST(SpinLock, ContendersAreGrantedInArrivalOrder) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr, /*init_cpu=*/9);
  std::vector<std::pair<int, double>> grants;
  at(0, [&] { lock_hold_unlock(lock, 9, 100, &grants); });
  // Arrivals while CPU 9 holds the lock, CPU ids deliberately out of order.
  const std::vector<int> arrival = {3, 7, 1, 5, 0, 6, 2, 4};
  for (std::size_t i = 0; i < arrival.size(); ++i) {
    const int cpu = arrival[i];
    at(10 + 5 * static_cast<double>(i), [&, cpu] { lock_hold_unlock(lock, cpu, 10, &grants); });
  }
  // A late arrival that comes while the others are still queued.
  at(105, [&] { lock_hold_unlock(lock, 8, 10, &grants); });
  sc_core::sc_start();

  std::vector<int> order;
  for (const auto &[cpu, when] : grants) order.push_back(cpu);
  EXPECT_EQ(order, (std::vector<int>{9, 3, 7, 1, 5, 0, 6, 2, 4, 8})) << "FIFO: granted in arrival order";
  for (std::size_t i = 1; i < grants.size(); ++i) {
    EXPECT_DOUBLE_EQ(grants[i].second, 100 + 10 * static_cast<double>(i - 1))
        << "free transfers: each grant follows the previous release at once";
  }
  EXPECT_EQ(lock.stats().contentions(), 9u);
}

TEST(SpinLock, EachHandOffChargesExactlyOneTransfer) {
  CostModel cost;  // sockets {0,1} {2,3} {4,5}: near 40 ns, far 100 ns
  SpinLock lock("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/0);
  std::vector<std::pair<int, double>> grants;
  at(0, [&] { lock_hold_unlock(lock, 0, 100, &grants); });
  const std::vector<int> arrival = {5, 4, 1, 3, 2};
  for (std::size_t i = 0; i < arrival.size(); ++i) {
    const int cpu = arrival[i];
    at(10 + static_cast<double>(i), [&, cpu] { lock_hold_unlock(lock, cpu, 20, &grants); });
  }
  sc_core::sc_start();

  // CPU 0's uncontended acquire finds the line at home (no call), then one
  // call per hand-off, always from the releaser to the next waiter: no other
  // CPU is charged anything.
  EXPECT_EQ(cost.calls, (std::vector<std::pair<int, int>>{{0, 5}, {5, 4}, {4, 1}, {1, 3}, {3, 2}}));
  // Grant = previous release (grant + 20 ns hold) + the hand-off transfer.
  EXPECT_EQ(grants, (std::vector<std::pair<int, double>>{
                        {0, 0}, {5, 100 + 100}, {4, 220 + 40}, {1, 280 + 100}, {3, 400 + 100}, {2, 520 + 40}}));
  EXPECT_EQ(lock.stats().line_transfers, 5u);
  EXPECT_EQ(lock.stats().transfer_time_ps, ps(380));
}

TEST(SpinLock, WaitAndHoldTimesMatchHandComputedValues) {
  CostModel cost;  // sockets {0,1} {2,3}: near 40 ns, far 100 ns
  SpinLock lock("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/0);
  std::vector<LockGrant> grants(4);
  at(0, [&] {  // uncontended, line already here: granted at 0, released at 100
    grants[0] = lock.lock(0, SITE);
    sc_core::wait(ns(100));
    lock.unlock(0);
  });
  const double arrival[] = {0, 20, 30, 50};
  for (int cpu = 1; cpu <= 3; ++cpu) {
    at(arrival[cpu], [&, cpu] {
      grants[static_cast<std::size_t>(cpu)] = lock.lock(cpu, SITE);
      sc_core::wait(ns(30));
      lock.unlock(cpu);
    });
  }
  sc_core::sc_start();

  // Hand-offs: 0->1 at 100 (+40) = 140, 1->2 at 170 (+100) = 270,
  // 2->3 at 300 (+40) = 340. Waits from the call: 120, 240, 290.
  const SpinLockStats &s = lock.stats();
  EXPECT_EQ(s.contentions(), 3u);
  EXPECT_EQ(s.waittime.min_ps, ps(120));
  EXPECT_EQ(s.waittime.max_ps, ps(290));
  EXPECT_EQ(s.waittime.total_ps, ps(650));
  EXPECT_EQ(s.waittime.avg_ps(), ps(650) / 3);
  // Holds: CPU 0 from its call (0) to 100; the others 30 ns from the grant.
  EXPECT_EQ(s.acquisitions(), 4u);
  EXPECT_EQ(s.holdtime.min_ps, ps(30));
  EXPECT_EQ(s.holdtime.max_ps, ps(100));
  EXPECT_EQ(s.holdtime.total_ps, ps(190));
  // The grant splits each wait into queueing and the hand-off transfer.
  EXPECT_FALSE(grants[0].contended);
  EXPECT_TRUE(grants[2].contended);
  EXPECT_EQ(grants[1].spin, ns(80));
  EXPECT_EQ(grants[1].transfer, ns(40));
  EXPECT_EQ(grants[2].spin, ns(140));
  EXPECT_EQ(grants[2].transfer, ns(100));
  EXPECT_EQ(grants[3].spin, ns(250));
  EXPECT_EQ(grants[3].transfer, ns(40));
  EXPECT_DOUBLE_EQ(now_ns(), 370);
}

TEST(SpinLock, TrylockFailsWhileHeldAndCounts) {
  CostModel cost;  // sockets {0,1} {2,3}
  SpinLock lock("&pcp->lock", "cpu1/node0/Normal", cost.callback(), /*init_cpu=*/0);
  std::vector<std::pair<double, bool>> tries;  // (time after the call, result)
  auto try_once = [&](int cpu) {
    const bool ok = lock.trylock(cpu);
    tries.emplace_back(now_ns(), ok);
    return ok;
  };
  at(0, [&] { lock_hold_unlock(lock, 0, 100); });
  at(60, [&] { lock_hold_unlock(lock, 2, 50); });  // queued; handed off at 100, granted at 200
  at(50, [&] {
    try_once(1);             // held by CPU 0: fails at once
    sc_core::wait(ns(100));  // t = 150: handed off to CPU 2 at 100, its line arrives at 200
    try_once(1);             // owned by CPU 2 already: fails
    sc_core::wait(ns(150));  // t = 300: CPU 2 released at 250
    if (try_once(1)) {       // free: takes the line from CPU 2 (far, 100 ns)
      sc_core::wait(ns(5));
      lock.unlock(1);
    }
  });
  sc_core::sc_start();

  EXPECT_EQ(tries, (std::vector<std::pair<double, bool>>{{50, false}, {150, false}, {400, true}}))
      << "a failed trylock costs no time; a successful one pays the transfer";
  const SpinLockStats &s = lock.stats();
  EXPECT_EQ(s.trylock_failures, 2u);
  EXPECT_EQ(s.trylock_acquisitions, 1u);
  EXPECT_EQ(s.acquisitions(), 3u);
  // trylock's hold time starts once it owns the line: 5 ns.
  EXPECT_EQ(s.holdtime.min_ps, ps(5));
  EXPECT_EQ(cost.calls.back(), (std::pair<int, int>{2, 1}));
}

TEST(SpinLock, BouncesCountedAsLockdepDoes) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr, /*init_cpu=*/2);
  at(0, [&] { lock_hold_unlock(lock, 2, 10); });  // lock->cpu is 2 already: no acq-bounce
  at(20, [&] {                                    // trylock leaves lock->cpu at 2
    ASSERT_TRUE(lock.trylock(3));
    sc_core::wait(ns(80));
    lock.unlock(3);
  });
  at(30, [&] { lock_hold_unlock(lock, 2, 10); });  // contends, lock->cpu == 2: no bounce at all
  at(40, [&] { lock_hold_unlock(lock, 4, 10); });  // contends, lock->cpu == 2: con- and acq-bounce
  sc_core::sc_start();

  const SpinLockStats &s = lock.stats();
  EXPECT_EQ(s.contentions(), 2u);
  EXPECT_EQ(s.con_bounces, 1u);
  EXPECT_EQ(s.acq_bounces, 1u);
  EXPECT_EQ(s.acquisitions(), 4u);
  EXPECT_EQ(s.line_transfers, 3u) << "the line itself did move 2 -> 3 -> 2 -> 4";
}

TEST(SpinLock, TrylockOnlyLockCountsNoBounces) {
  SpinLock lock("&pcp->lock", "cpu0/node0/Normal", nullptr, /*init_cpu=*/0);
  for (int cpu = 0; cpu < 4; ++cpu) {
    at(10 * cpu, [&, cpu] {
      ASSERT_TRUE(lock.trylock(cpu));
      sc_core::wait(ns(5));
      lock.unlock(cpu);
    });
  }
  sc_core::sc_start();

  // As pcp locks in lock_stat: spin_trylock() never calls lock_acquired().
  EXPECT_EQ(lock.stats().acquisitions(), 4u);
  EXPECT_EQ(lock.stats().acq_bounces, 0u);
  EXPECT_EQ(lock.stats().line_transfers, 3u);
}

TEST(SpinLock, WaitHistogramUsesLog2NanosecondBuckets) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr);
  at(0, [&] { lock_hold_unlock(lock, 0, 200); });
  // Zero-cost hand-offs and zero holds: everyone queued is granted at 200.
  const std::pair<int, double> arrivals[] = {{1, 72}, {2, 73}, {3, 136}, {4, 199}};
  for (const auto &[cpu, when] : arrivals) {
    at(when, [&, cpu = cpu] { lock_hold_unlock(lock, cpu, 0); });
  }
  sc_core::sc_start();

  // Waits 128, 127, 64 and 1 ns: buckets [128,256), [64,128) twice, [1,2).
  const WaitHistogram &h = lock.stats().wait_histogram;
  EXPECT_EQ(h.count[1], 1u);
  EXPECT_EQ(h.count[7], 2u);
  EXPECT_EQ(h.count[8], 1u);
  EXPECT_EQ(h.used_buckets(), 9u);
  std::uint64_t all = 0;
  for (const std::uint64_t c : h.count) all += c;
  EXPECT_EQ(all, lock.stats().contentions());
}

TEST(SpinLock, HistogramBucketBounds) {
  EXPECT_EQ(WaitHistogram::bucket_of(0), 0u);
  EXPECT_EQ(WaitHistogram::bucket_of(1), 1u);
  EXPECT_EQ(WaitHistogram::bucket_of(2), 2u);
  EXPECT_EQ(WaitHistogram::bucket_of(3), 2u);
  EXPECT_EQ(WaitHistogram::bucket_of(4), 3u);
  EXPECT_EQ(WaitHistogram::bucket_of(~std::uint64_t{0}), 64u);
  for (std::size_t b = 1; b < 64; ++b) {
    EXPECT_EQ(WaitHistogram::bucket_of(WaitHistogram::bucket_floor_ns(b)), b);
    EXPECT_EQ(WaitHistogram::bucket_of(WaitHistogram::bucket_floor_ns(b + 1) - 1), b);
  }
}

TEST(SpinLock, MisuseIsRefused) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr);
  EXPECT_THROW(lock.unlock(0), std::logic_error) << "unlock of a free lock";
  lock.lock(1, SITE);  // free transfer: no wait, callable outside a thread
  EXPECT_THROW(lock.unlock(2), std::logic_error) << "unlock by a CPU that does not hold it";
  EXPECT_THROW(lock.lock(1, SITE), std::logic_error) << "recursive lock would deadlock";
  EXPECT_THROW(lock.lock(-1, SITE), std::logic_error);
  lock.unlock(1);
  EXPECT_FALSE(lock.is_locked());
}

TEST(SpinLock, ResetStatsKeepsLockState) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr);
  lock.lock(0, SITE);
  lock.unlock(0);
  lock.lock(1, SITE);
  lock.reset_stats();
  EXPECT_EQ(lock.stats().acquisitions(), 0u);
  EXPECT_EQ(lock.owner(), 1);
  lock.unlock(1);
  EXPECT_EQ(lock.stats().acquisitions(), 1u);
}

}  // namespace
}  // namespace buddysim::hw

namespace buddysim::hw {
namespace {

TEST(SpinLock, ReleaseAtALocalTimeAheadKeepsTheLockBusyUntilThen) {
  // CPU 0 runs ahead (loosely timed): at global time 10 ns it releases at
  // its local 100 ns. CPU 1 asks at 50 ns, earlier in simulated time: it
  // must wait for 100 ns plus the line's transfer, and count a contention.
  CostModel cost;
  SpinLock lock("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/0);
  double granted = -1;
  LockGrant grant;
  at(0, [&] {
    lock.lock(0, SITE);
    sc_core::wait(ns(10));
    lock.unlock_at(0, ns(100));
  });
  at(50, [&] {
    grant = lock.lock(1, SITE);
    granted = now_ns();
    lock.unlock(1);
  });
  sc_core::sc_start();
  EXPECT_EQ(granted, 140) << "held until 100 ns, then a 40 ns transfer";
  EXPECT_TRUE(grant.contended);
  EXPECT_EQ(grant.spin, ns(50));
  EXPECT_EQ(grant.transfer, ns(40));
  EXPECT_EQ(lock.stats().contentions(), 1u);
  EXPECT_EQ(lock.stats().waittime.max_ps, ps(90));
  EXPECT_EQ(lock.stats().holdtime.max_ps, ps(100)) << "CPU 0 held it from 0 to its local 100 ns";
}

TEST(SpinLock, TrylockFailsBeforeALocalReleaseTime) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr, /*init_cpu=*/0);
  std::vector<bool> tries;
  at(0, [&] {
    lock.lock(0, SITE);
    lock.unlock_at(0, ns(100));
  });
  at(60, [&] { tries.push_back(lock.trylock(1)); });
  at(100, [&] {
    tries.push_back(lock.trylock(2));
    lock.unlock(2);
  });
  sc_core::sc_start();
  EXPECT_EQ(tries, (std::vector<bool>{false, true}));
}

TEST(SpinLock, LockAheadTakesAFreeSharedLockAtTheLocalTime) {
  CostModel cost;
  SpinLock lock("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/0);
  LockGrant first, busy;
  double waited_until = 0;
  at(0, [&] {
    first = lock.lock_ahead(1, ns(300), SITE);  // CPU 1 at its local 300 ns
    EXPECT_EQ(now_ns(), 0) << "a free lock: nothing waited";
    lock.unlock_at(1, ns(400));
    busy = lock.lock_ahead(2, ns(350), SITE);  // before the release, nobody queued: next, granted at 500 ns
    waited_until = now_ns();
    lock.unlock_at(2, ns(520));
  });
  sc_core::sc_start();
  EXPECT_FALSE(first.contended);
  EXPECT_EQ(first.transfer, ns(40)) << "the line moves from CPU 0, same socket";
  EXPECT_TRUE(busy.contended);
  EXPECT_TRUE(busy.ahead);
  EXPECT_EQ(waited_until, 0) << "the grant time is known: released at 400 ns, then a 100 ns cross-socket transfer";
  EXPECT_EQ(busy.spin, ns(50));
  EXPECT_EQ(busy.transfer, ns(100));
  EXPECT_EQ(lock.stats().acquisitions(), 2u);
  EXPECT_EQ(lock.stats().contentions(), 1u);
  EXPECT_EQ(lock.stats().waittime.max_ps, ps(150)) << "from the request at 350 ns to the grant at 500 ns";
  EXPECT_EQ(lock.stats().holdtime.max_ps, ps(100));
}

TEST(SpinLock, LockAheadOnAHeldLockQueuesAndWaitsForTheHandOff) {
  CostModel cost;
  SpinLock lock("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/1);
  LockGrant grant;
  double granted_at = 0;
  at(0, [&] {
    lock.lock_ahead(1, ns(100), SITE);
    sc_core::wait(ns(200));  // still holding it at 150 ns
    lock.unlock_at(1, ns(300));
  });
  at(150, [&] {
    grant = lock.lock_ahead(2, ns(150), SITE);
    granted_at = now_ns();
    lock.unlock_at(2, ns(450));
  });
  sc_core::sc_start();
  EXPECT_TRUE(grant.contended);
  EXPECT_FALSE(grant.ahead) << "the release time was not known: it waited";
  EXPECT_EQ(granted_at, 400) << "released at 300 ns, then a 100 ns cross-socket transfer";
  EXPECT_EQ(grant.spin, ns(150));
}

// lock_stat's con-bounces compare a contender with lockdep's lock->cpu,
// which lock_acquired() sets once the line has arrived. A lock taken ahead
// sets it at that future time: a contender asking earlier still sees the
// previous acquirer, one asking later sees the new one.
TEST(SpinLock, ContenderSeesTheLastAcquirerOnlyOnceItsLineHasArrived) {
  CostModel cost;
  const std::vector<double> contender_ns{120, 200};
  std::vector<std::unique_ptr<SpinLock>> locks;
  for (const double when : contender_ns) {
    locks.push_back(std::make_unique<SpinLock>("&zone->lock", "node0/Normal", cost.callback(), /*init_cpu=*/1));
    SpinLock &lock = *locks.back();
    at(0, [&lock, when] {
      lock.lock_ahead(0, ns(100), SITE);  // the line comes from CPU 1: 40 ns, so lock->cpu = 0 from 140 ns
      lock.unlock_at(0, ns(300));
      lock.lock_ahead(1, ns(when), SITE);  // released ahead at 300 ns: granted at 340 ns
      lock.unlock_at(1, ns(400));
    });
  }
  sc_core::sc_start();
  for (std::size_t i = 0; i < locks.size(); ++i) {
    EXPECT_EQ(locks[i]->stats().contentions(), 1u);
    EXPECT_EQ(locks[i]->stats().con_bounces, contender_ns[i] < 140 ? 0u : 1u)
        << "contender at " << contender_ns[i] << " ns";
  }
}

// lock_contended() counts the contender's call site and lockdep's lock->ip,
// the site of the last lock() whose lock_acquired() has run: a queued CPU
// not yet granted, or a trylock() owner, leaves it alone.
TEST(SpinLock, ContentionsCountTheCallerAndTheLastAcquirersSite) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr, /*init_cpu=*/0);
  at(0, [&] {
    lock.lock(0, "rmqueue_bulk");
    sc_core::wait(ns(100));
    lock.unlock(0);
  });
  at(10, [&] {
    lock.lock(1, "free_pcppages_bulk");  // behind CPU 0's rmqueue_bulk
    sc_core::wait(ns(100));
    lock.unlock(1);
  });
  at(20, [&] {
    lock.lock(2, "rmqueue_buddy");  // CPU 1 is queued, not granted: still rmqueue_bulk
    lock.unlock(2);
  });
  at(150, [&] {
    lock.lock(0, "rmqueue_bulk");  // CPU 1 holds it since 100 ns
    lock.unlock(0);
  });
  at(300, [&] {
    sc_time transfer;
    ASSERT_TRUE(lock.trylock_ahead(3, ns(300), transfer));
    sc_core::wait(ns(10));
    lock.unlock(3);
  });
  at(305, [&] {
    lock.lock(1, "free_one_page");  // a trylock() owner: lock->ip is still rmqueue_bulk
    lock.unlock(1);
  });
  sc_core::sc_start();
  auto seen = [](const LockPoints &points) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const LockPoint &p : points.points) out.emplace_back(p.site, p.count);
    return out;
  };
  using Seen = std::vector<std::pair<std::string, std::uint64_t>>;
  EXPECT_EQ(lock.stats().contentions(), 4u);
  EXPECT_EQ(seen(lock.stats().contention_points),
            (Seen{{"free_pcppages_bulk", 1}, {"rmqueue_buddy", 1}, {"rmqueue_bulk", 1}, {"free_one_page", 1}}));
  EXPECT_EQ(seen(lock.stats().contending_points), (Seen{{"rmqueue_bulk", 3}, {"free_pcppages_bulk", 1}}));
  EXPECT_EQ(lock.stats().contention_points.points[2].first_ps, ps(150));
}

TEST(SpinLock, TrylockAheadFailsWhileHeldAndCounts) {
  SpinLock lock("&zone->lock", "node0/Normal", nullptr, /*init_cpu=*/0);
  std::vector<bool> tries;
  at(0, [&] {
    sc_time transfer;
    lock.lock(0, SITE);
    tries.push_back(lock.trylock_ahead(1, ns(10), transfer));
    lock.unlock_at(0, ns(100));
    tries.push_back(lock.trylock_ahead(1, ns(99), transfer));
    tries.push_back(lock.trylock_ahead(1, ns(100), transfer));
    lock.unlock_at(1, ns(120));
  });
  sc_core::sc_start();
  EXPECT_EQ(tries, (std::vector<bool>{false, false, true}));
  EXPECT_EQ(lock.stats().trylock_failures, 2u);
  EXPECT_EQ(lock.stats().trylock_acquisitions, 1u);
}

TEST(SpinLock, PrivateLockIsTakenAtLocalTimeWithoutWaiting) {
  CostModel cost;
  SpinLock lock("&pcp->lock", "cpu2/node0/Normal", cost.callback(), /*init_cpu=*/0);
  std::vector<double> global;
  sc_time transfer;
  at(0, [&] {
    const LockGrant g = lock.lock_at(2, ns(500), SITE);  // CPU 2's local time is 500 ns
    global.push_back(now_ns());
    EXPECT_EQ(g.transfer, ns(100)) << "the line still moves from the initialising CPU 0";
    lock.unlock_at(2, ns(700));
    EXPECT_TRUE(lock.trylock_at(2, ns(800), transfer));
    lock.unlock_at(2, ns(830));
    global.push_back(now_ns());
  });
  sc_core::sc_start();
  EXPECT_EQ(global, (std::vector<double>{0, 0})) << "no simulated time passed: nothing waited";
  EXPECT_EQ(transfer, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(lock.stats().acquisitions(), 2u);
  EXPECT_EQ(lock.stats().trylock_acquisitions, 1u);
  EXPECT_EQ(lock.stats().holdtime.max_ps, ps(200));
  EXPECT_EQ(lock.stats().holdtime.min_ps, ps(30));
}

TEST(SpinLock, APrivateLockRefusesAnotherCpu) {
  SpinLock lock("&pcp->lock", "cpu2/node0/Normal", nullptr, /*init_cpu=*/0);
  std::string error;
  at(0, [&] {
    lock.lock_at(2, ns(10), SITE);
    lock.unlock_at(2, ns(20));
    try {
      lock.lock(3, SITE);
    } catch (const std::logic_error &e) {
      error = e.what();
    }
  });
  sc_core::sc_start();
  EXPECT_NE(error.find("CPU 2 takes it at its local time as a private lock"), std::string::npos) << error;
}

}  // namespace
}  // namespace buddysim::hw
