// The Cpu module inside sc_start: memory latencies match the calibration,
// locks serialise CPUs, and the allocator runs on the CPU's thread with the
// hooks turning into time. One elaboration per TEST (ctest runs each alone).
#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "model/page_alloc.h"
#include "sim/hw/cpu/cpu.h"

namespace buddysim::hw {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

constexpr std::uint64_t GiB = 1ull << 30;

// Two sockets of `cpus_per_node` CPUs; node n's kernel data lives on node n.
struct Rig final : HooksSelector {
  std::unique_ptr<model::PageAllocator> alloc;
  std::unique_ptr<MemorySystem> memory;
  std::unique_ptr<LockTable> locks;
  std::vector<std::unique_ptr<Cpu>> cpus;

  Rig(int cpus_per_node, bool exact = false, bool pcp = true) {
    model::MachineLayout m;
    for (int n = 0; n < 2; ++n) {
      model::NodeLayout nl;
      nl.nr_cpus = cpus_per_node;
      nl.memory = {{(4 + 2 * static_cast<std::uint64_t>(n)) * GiB, 2 * GiB}};
      m.nodes.push_back(nl);
    }
    m.reserve_memmap = false;
    model::AllocatorConfig ac;
    ac.pcp_enabled = pcp;
    alloc = std::make_unique<model::PageAllocator>(m, ac);
    MemorySystemConfig mc;
    for (int c = 0; c < 2 * cpus_per_node; ++c) mc.directory.cpu_socket.push_back(c / cpus_per_node);
    mc.directory.cache = PrivateCacheConfig{};
    mc.interconnect.distance = Interconnect::uniform_distance(2);
    memory = std::make_unique<MemorySystem>(mc);
    const CoherenceTimingConfig ct;
    locks = std::make_unique<LockTable>([this, ct](int from, int to) {
      if (from == to) return sc_time(0, SC_NS);
      const bool same = memory->directory().socket_of(from) == memory->directory().socket_of(to);
      return sc_time(static_cast<double>(same ? ct.same_socket_transfer_ps : ct.cross_socket_transfer_ps),
                     sc_core::SC_PS);
    });
    CpuConfig cc;
    cc.exact = exact;
    for (int c = 0; c < 2 * cpus_per_node; ++c)
      cpus.push_back(
          std::make_unique<Cpu>(("cpu" + std::to_string(c)).c_str(), c, cc, *memory, *locks, *this, placement()));
  }

  // Each node's memory, per-cpu areas and zone structures on the node.
  KernelPlacement placement() const {
    std::vector<PfnSpan> spans;
    std::vector<std::uint64_t> starts;
    for (const model::Node &n : alloc->nodes()) {
      spans.push_back({n.node_start_pfn, n.node_start_pfn + n.node_spanned_pages, n.id});
      starts.push_back(n.node_start_pfn);
    }
    std::vector<int> cpu_node;
    for (int c = 0; c < alloc->nr_cpus(); ++c) cpu_node.push_back(alloc->cpu_to_node(c));
    return KernelPlacement(spans, starts, cpu_node);
  }
  void select(model::Hooks &cpu) override { alloc->set_hooks(&cpu); }
};

// Runs `body` on CPU `cpu`'s own thread at time `start`.
template <typename Body>
void spawn(Cpu &cpu, sc_time start, Body body) {
  sc_core::sc_spawn([&cpu, start, body] {
    sc_core::wait(start);
    body(cpu);
  });
}

double ns(const sc_time &t) { return t.to_seconds() * 1e9; }
// Cpu::execute() as an sc_time, to compare with SystemC's times.
template <typename Call>
sc_time execute_time(Cpu &cpu, Call &&call) {
  return sc_time::from_value(cpu.execute(std::forward<Call>(call)));
}

TEST(Cpu, FirstTouchOfLocalMemoryCostsTheCalibratedDramLatency) {
  Rig rig(1);
  sc_time local, remote, hit;
  spawn(*rig.cpus[0], sc_time(0, SC_NS), [&](Cpu &c) {
    const auto node0 = model::addr::page(rig.alloc->nodes()[0].node_start_pfn);
    const auto node1 = model::addr::page(rig.alloc->nodes()[1].node_start_pfn);
    local = execute_time(c, [&] { c.touch(node0, model::Access::Read); });
    hit = execute_time(c, [&] { c.touch(node0, model::Access::Read); });
    remote = execute_time(c, [&] { c.touch(node1 + 4096, model::Access::Read); });
  });
  sc_core::sc_start();
  // 81.3 ns local and 131.1 ns remote (Xeon Platinum 8180, Intel MLC idle).
  EXPECT_NEAR(ns(local), 81.3, 1.0);
  EXPECT_NEAR(ns(remote), 131.1, 1.5);
  EXPECT_NEAR(ns(hit), 1.6, 0.01) << "4 cycles at 2.5 GHz";
}

TEST(Cpu, LineTransfersCostSameAndCrossSocketFigures) {
  Rig rig(2);  // cpus 0,1 on socket 0; 2,3 on socket 1
  const model::SimAddr line = model::addr::page(rig.alloc->nodes()[0].node_start_pfn);
  std::vector<double> took(3);
  for (int i = 0; i < 3; ++i) {
    const int cpu = i == 0 ? 0 : (i == 1 ? 1 : 2);
    spawn(*rig.cpus[static_cast<std::size_t>(cpu)], sc_time(1000.0 * (i + 1), SC_NS), [&, i](Cpu &c) {
      took[static_cast<std::size_t>(i)] = ns(execute_time(c, [&] { c.touch(line, model::Access::Write); }));
    });
  }
  sc_core::sc_start();
  EXPECT_NEAR(took[1], 45.0, 0.5) << "cpu1 takes the line from cpu0 in the same socket";
  EXPECT_NEAR(took[2], 120.0, 0.5) << "cpu2 takes it across sockets";
}

TEST(Cpu, WarmPcpAllocFreeOnAnIdleCpuTakesAboutFortyNanoseconds) {
  Rig rig(1);
  sc_time pair;
  spawn(*rig.cpus[0], sc_time(0, SC_NS), [&](Cpu &c) {
    for (int i = 0; i < 3; ++i) {  // warm the pcp list and the lines it touches
      c.execute([&] {
        auto r = rig.alloc->alloc_pages(0, model::gfp::KERNEL, 0);
        rig.alloc->free_pages(0, r.pfn, 0);
      });
    }
    pair = execute_time(c, [&] {
      auto r = rig.alloc->alloc_pages(0, model::gfp::KERNEL, 0);
      rig.alloc->free_pages(0, r.pfn, 0);
    });
  });
  sc_core::sc_start();
  // page_bench01: 39.6 ns (Brouer 2017), 115 cycles = 46 ns at 2.5 GHz (Tosatti 2023).
  EXPECT_GE(ns(pair), 38.0);
  EXPECT_LE(ns(pair), 48.0);
}

TEST(Cpu, ZoneLockSerialisesTwoCpusAllocatingAtOnce) {
  Rig rig(2, false, /*pcp=*/false);
  std::vector<sc_time> took(2);
  for (int cpu = 0; cpu < 2; ++cpu) {
    spawn(*rig.cpus[static_cast<std::size_t>(cpu)], sc_time(0, SC_NS), [&, cpu](Cpu &c) {
      took[static_cast<std::size_t>(cpu)] = execute_time(c, [&] { rig.alloc->alloc_pages(cpu, model::gfp::KERNEL, 0); });
    });
  }
  sc_core::sc_start();
  const auto stats = rig.locks->snapshot();
  unsigned long contentions = 0;
  for (const auto &s : stats) contentions += s.stats.waittime.nr;
  EXPECT_EQ(contentions, 1u) << "the second CPU waits for the first";
  EXPECT_GT(rig.cpus[0]->stats().spinning + rig.cpus[1]->stats().spinning, sc_time(0, SC_NS));
}

TEST(Cpu, ASharedLockIsTakenAheadWhenNoOtherCpuIsDueFirst) {
  Rig rig(2, false, /*pcp=*/false);
  sc_time global_after, local_after, other_done;
  spawn(*rig.cpus[0], sc_time(0, SC_NS), [&](Cpu &c) {
    c.execute([&] { rig.alloc->alloc_pages(0, model::gfp::KERNEL, 0); });  // zone lock, nobody else due
    global_after = sc_core::sc_time_stamp();
    local_after = c.local_time();
  });
  spawn(*rig.cpus[1], sc_time(5000, SC_NS), [&](Cpu &c) {
    c.execute([&] { rig.alloc->alloc_pages(1, model::gfp::KERNEL, 0); });
    other_done = c.local_time();
  });
  sc_core::sc_start();
  EXPECT_EQ(global_after, sc_time(0, SC_NS)) << "no wait: CPU 1 is not due until 5 us";
  EXPECT_GT(local_after, sc_time(0, SC_NS));
  EXPECT_GT(other_done, sc_time(5000, SC_NS));
  unsigned long contentions = 0, acquisitions = 0;
  for (const auto &l : rig.locks->snapshot()) {
    contentions += l.stats.waittime.nr;
    acquisitions += l.stats.acquisitions();
  }
  EXPECT_EQ(contentions, 0u);
  EXPECT_EQ(acquisitions, 2u);
}

TEST(Cpu, ExactAndQuantumModesAgreeOnOneCpu) {
  // One elaboration per process: both modes run side by side, each on its own
  // machine, and must reach the same times and the same allocator state.
  Rig quantum(1, false);
  Rig exact(1, true);
  sc_time tq, te;
  auto workload = [](Rig &rig, Cpu &c, sc_time &total) {
    std::vector<model::Pfn> live;
    for (int i = 0; i < 2000; ++i) {
      total += execute_time(c, [&] {
        if (i % 3 == 2 && !live.empty()) {
          rig.alloc->free_pages(0, live.back(), 0);
          live.pop_back();
        } else {
          live.push_back(rig.alloc->alloc_pages(0, model::gfp::KERNEL, 0).pfn);
        }
      });
    }
  };
  spawn(*quantum.cpus[0], sc_time(0, SC_NS), [&](Cpu &c) { workload(quantum, c, tq); });
  spawn(*exact.cpus[0], sc_time(0, SC_NS), [&](Cpu &c) { workload(exact, c, te); });
  sc_core::sc_start();
  EXPECT_EQ(tq, te) << "one CPU: synchronising more often changes nothing";
  EXPECT_EQ(quantum.alloc->allocated_pages(), exact.alloc->allocated_pages());
  EXPECT_EQ(quantum.alloc->events(), exact.alloc->events());
}

TEST(Cpu, WorkStartsAtItsTimeOrWhenTheCpuIsFree) {
  Rig rig(1);
  sc_time early, late;
  sc_core::sc_event other;  // another process's activity at 400 ns
  other.notify(sc_time(400, SC_NS));
  spawn(*rig.cpus[0], sc_time(100, SC_NS), [&](Cpu &c) {
    c.start_at(300'000);  // idle until then
    early = c.local_time();
    c.execute([&] { c.work(2500); });  // 1 us: the CPU is busy until 1.3 us
    c.start_at(500'000);               // due while it is busy: it starts when free
    late = c.local_time();
  });
  sc_core::sc_start();
  EXPECT_EQ(early, sc_time(300, SC_NS));
  EXPECT_EQ(late, sc_time(1300, SC_NS));
}

// Idling or a used-up quantum synchronises only if some other process is due
// before the CPU's local time: otherwise waiting would change nothing.
TEST(Cpu, SynchronisesOnlyWhenAnotherProcessIsDueFirst) {
  Rig rig(1);
  sc_time alone, behind_other, after_quantum;
  sc_core::sc_event other;
  spawn(*rig.cpus[0], sc_time(100, SC_NS), [&](Cpu &c) {
    c.start_at(300'000);  // nothing else is due: it runs on at global time 100 ns
    alone = sc_core::sc_time_stamp();
    other.notify(sc_time(200, SC_NS));  // due at 300 ns, before the CPU's 500 ns
    c.start_at(500'000);
    behind_other = sc_core::sc_time_stamp();
    c.execute([&] { c.work(2500); });  // past the quantum, nothing else due: no wait
    after_quantum = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  EXPECT_EQ(alone, sc_time(100, SC_NS));
  EXPECT_EQ(behind_other, sc_time(500, SC_NS));
  EXPECT_EQ(after_quantum, sc_time(500, SC_NS));
}

TEST(Cpu, ExactModeAlwaysSynchronises) {
  Rig rig(1, /*exact=*/true);
  sc_time global;
  spawn(*rig.cpus[0], sc_time(100, SC_NS), [&](Cpu &c) {
    c.start_at(300'000);
    global = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  EXPECT_EQ(global, sc_time(300, SC_NS));
}

// Work the runner has not handed to any SystemC process yet counts as a
// process due at its time; the observer hears of every wait first.
TEST(Cpu, PendingWorkCountsAsAProcessDueThenAndBlockingIsAnnounced) {
  struct Count final : BlockObserver {
    std::vector<int> cpus;
    void blocking(int cpu) override { cpus.push_back(cpu); }
  } count;
  Rig rig(1);
  Ps pending = 400'000;
  rig.cpus[0]->set_pending_work(&pending);
  rig.cpus[0]->set_block_observer(&count);
  sc_time before, after, never;
  spawn(*rig.cpus[0], sc_time(100, SC_NS), [&](Cpu &c) {
    c.start_at(300'000);  // before the pending work: runs on
    before = sc_core::sc_time_stamp();
    c.start_at(500'000);  // past it: waits there
    after = sc_core::sc_time_stamp();
    pending = ~Ps{0};
    c.start_at(900'000);
    never = sc_core::sc_time_stamp();
  });
  sc_core::sc_start();
  EXPECT_EQ(before, sc_time(100, SC_NS));
  EXPECT_EQ(after, sc_time(500, SC_NS));
  EXPECT_EQ(never, sc_time(500, SC_NS)) << "nothing pending: no wait";
  EXPECT_EQ(count.cpus, std::vector<int>{0}) << "one wait, announced";
}

}  // namespace
}  // namespace buddysim::hw
