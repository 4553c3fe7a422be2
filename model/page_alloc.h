// The page allocator: Linux 6.18 mm/page_alloc.c semantics over a simulated
// machine. Kernel function names are kept (a kernel "__foo" that differs from
// "foo" only by assuming the lock is held becomes "foo_locked"), so each
// function here can be read side by side with its kernel counterpart.
//
// Re-entrancy: a timing model may run other CPUs while one CPU waits inside a
// hook (lock, touch). All per-operation state therefore lives on the stack;
// members change only where the kernel changes shared state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/alloc_types.h"
#include "model/frame_table.h"
#include "model/host_prefetch.h"
#include "model/gfp.h"
#include "model/hooks.h"
#include "model/machine_layout.h"
#include "model/node.h"
#include "model/zone.h"

namespace buddysim::model {

// ALLOC_* flags (mm/internal.h).
enum AllocFlag : unsigned {
  ALLOC_WMARK_MIN = WMARK_MIN,
  ALLOC_WMARK_LOW = WMARK_LOW,
  ALLOC_WMARK_HIGH = WMARK_HIGH,
  ALLOC_WMARK_MASK = 0x3,
  ALLOC_NO_WATERMARKS = 0x04,
  ALLOC_OOM = 0x08,
  ALLOC_NON_BLOCK = 0x10,
  ALLOC_MIN_RESERVE = 0x20,
  ALLOC_CPUSET = 0x40,
  ALLOC_CMA = 0x80,
  ALLOC_NOFRAGMENT = 0x100,
  ALLOC_HIGHATOMIC = 0x200,
  ALLOC_TRYLOCK = 0x400,
  ALLOC_KSWAPD = 0x800,
  ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM,
};
static_assert(ALLOC_MIN_RESERVE == gfp::HIGH && ALLOC_KSWAPD == gfp::KSWAPD_RECLAIM,
              "the kernel relies on these ALLOC_/GFP_ bits coinciding");

// Free page internal flags.
enum FpiFlag : unsigned { FPI_NONE = 0, FPI_SKIP_REPORT_NOTIFY = 1u << 0, FPI_TO_TAIL = 1u << 1 };

// Where reclaim and compaction plug in later. Without them the slow path
// behaves as a kernel whose reclaim finds nothing and whose compaction is
// skipped: retries, highatomic unreserve and failure still happen.
class ReclaimSeam {
 public:
  virtual ~ReclaimSeam() = default;
  virtual unsigned long direct_reclaim(int cpu, gfp_t gfp, unsigned order) = 0;  // pages reclaimed
};

class PageAllocator {
 public:
  PageAllocator(const MachineLayout &layout, const AllocatorConfig &config);
  PageAllocator(const PageAllocator &) = delete;
  PageAllocator &operator=(const PageAllocator &) = delete;

  // --- public interface -----------------------------------------------------
  // alloc_pages_node(): nid == NUMA_NO_NODE means the CPU's node.
  AllocResult alloc_pages(int cpu, gfp_t gfp, unsigned order, NodeId nid = NUMA_NO_NODE);
  // __free_pages(); a bad free is refused, reported and leaves state untouched.
  std::optional<BadPage> free_pages(int cpu, Pfn pfn, unsigned order);
  // alloc_pages_bulk(): order-0 pages appended to out; returns how many.
  unsigned alloc_pages_bulk(int cpu, gfp_t gfp, NodeId nid, unsigned nr_pages, std::vector<Pfn> &out);
  // vmstat_update(): what the kernel does for one CPU once per stat interval
  // (1 s): fold counters, decay pcp->high, drain expired remote pagesets.
  void vmstat_update(int cpu);
  void drain_all_pages();
  // The full CONFIG_DEBUG_VM-style invariant check; empty string means sound.
  std::string check_invariants() const;

  void set_hooks(Hooks *hooks) { hooks_ = hooks; }
  // A timed run checks invariants only when every CPU is idle (its end):
  // mid-run, another CPU may be suspended half-way through an operation.
  void set_debug_checks(bool on) { config_.debug_checks = on; }
  void set_reclaim_seam(ReclaimSeam *seam) { reclaim_ = seam; }

  // --- read-only views ---------------------------------------------------------
  const std::vector<Node> &nodes() const { return nodes_; }
  const FrameTable &frames() const { return frames_; }
  const AllocatorConfig &config() const { return config_; }
  const VmEvents &events() const { return events_; }
  int nr_cpus() const { return static_cast<int>(cpu_node_.size()); }
  int cpu_to_node(int cpu) const { return cpu_node_[static_cast<std::size_t>(cpu)]; }
  int node_distance(int a, int b) const { return distance_[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)]; }
  int min_free_kbytes() const { return min_free_kbytes_; }
  bool page_group_by_mobility_disabled() const { return mobility_disabled_; }
  int nr_online_nodes() const { return static_cast<int>(nodes_.size()); }
  // zone_page_state_snapshot(): the zone counter plus every CPU's pending diff.
  long zone_page_state_snapshot(const Zone &zone, ZoneStatItem item) const;
  // The zone a frame belongs to, or nullptr for holes outside every zone.
  const Zone *pfn_zone(Pfn pfn) const;
  // Pages currently held by callers (allocated and not yet freed).
  unsigned long allocated_pages() const { return allocated_pages_; }
  // A hint that pfn will be freed soon: starts loading its host descriptor,
  // which a free reads first (no effect on the model).
  void prefetch_free(Pfn pfn) const {
    if (pfn < frames_.end_pfn()) host_prefetch(&frames_[pfn]);
  }

 private:
  struct AllocContext {
    const std::vector<Zone *> *zonelist = nullptr;
    std::size_t preferred = 0;  // index of preferred_zoneref in *zonelist
    int highest_zoneidx = ZONE_NORMAL;
    int migratetype = MIGRATE_UNMOVABLE;
    bool spread_dirty_pages = false;
    Zone *preferred_zone() const { return preferred < zonelist->size() ? (*zonelist)[preferred] : nullptr; }
  };
  enum RmqueueMode { RMQUEUE_NORMAL, RMQUEUE_CMA, RMQUEUE_CLAIM, RMQUEUE_STEAL };

  // boot (page_alloc_boot.cpp)
  void build_nodes(const MachineLayout &layout);
  void find_zone_movable_pfns(const MachineLayout &layout, std::vector<Pfn> &zone_movable_pfn) const;
  void init_zone(Node &node, int zid, Pfn start, Pfn end, const MachineLayout &layout);
  void memblock_free_all(const MachineLayout &layout);
  void build_all_zonelists();
  int find_next_best_node(int node, std::vector<bool> &used, std::vector<int> &node_load) const;
  void init_per_zone_wmark_min();
  void setup_per_zone_wmarks();
  void setup_per_zone_lowmem_reserve();
  void refresh_zone_stat_thresholds();
  void zone_set_pageset_high_and_batch(Zone &zone);
  unsigned long nr_free_zone_pages(int highest_zoneidx) const;

  // free lists (freelist.cpp)
  void account_freepages(int cpu, Zone &zone, long nr_pages, int mt);
  void mod_zone_page_state(int cpu, Zone &zone, ZoneStatItem item, long delta);
  void add_to_free_list(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt, bool tail);
  void move_to_free_list(int cpu, Pfn pfn, Zone &zone, unsigned order, int old_mt, int new_mt);
  void del_page_from_free_list_nocount(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt);
  void del_page_from_free_list(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt);
  void set_pageblock_migratetype(Pfn pfn, int mt);
  void change_pageblock_range(Pfn pfn, unsigned start_order, int mt);
  bool prep_move_freepages_block(const Zone &zone, Pfn pfn, Pfn *start_pfn, int *num_free, int *num_movable) const;
  int move_freepages_block_locked(int cpu, Zone &zone, Pfn start_pfn, int old_mt, int new_mt);
  int move_freepages_block(int cpu, Zone &zone, Pfn pfn, int old_mt, int new_mt);

  // allocation from the buddy lists (rmqueue.cpp)
  unsigned expand(int cpu, Zone &zone, Pfn pfn, unsigned low, unsigned high, int mt);
  void page_del_and_expand(int cpu, Zone &zone, Pfn pfn, unsigned low, unsigned high, int mt);
  Pfn rmqueue_smallest(int cpu, Zone &zone, unsigned order, int mt);
  bool should_try_claim_block(unsigned order, int start_mt) const;
  int find_suitable_fallback(const FreeArea &area, unsigned order, int mt, bool claimable) const;
  bool boost_watermark(Zone &zone) const;
  Pfn try_to_claim_block(int cpu, Zone &zone, Pfn pfn, unsigned current_order, unsigned order, int start_type,
                         int block_type, unsigned alloc_flags);
  Pfn rmqueue_claim(int cpu, Zone &zone, unsigned order, int start_mt, unsigned alloc_flags);
  Pfn rmqueue_steal(int cpu, Zone &zone, unsigned order, int start_mt);
  Pfn rmqueue_locked(int cpu, Zone &zone, unsigned order, int mt, unsigned alloc_flags, RmqueueMode &mode,
                     std::uint16_t &path);
  int rmqueue_bulk(int cpu, Zone &zone, unsigned order, int count, FrameList &list, int mt, unsigned alloc_flags,
                   std::uint16_t &path);
  Pfn rmqueue_buddy(int cpu, Zone &pref, Zone &zone, unsigned order, unsigned alloc_flags, int mt,
                    std::uint16_t &path);
  int nr_pcp_alloc(PerCpuPages &pcp, const Zone &zone, unsigned order);
  Pfn rmqueue_pcplist_locked(int cpu, Zone &zone, unsigned order, int mt, unsigned alloc_flags, PerCpuPages &pcp,
                             FrameList &list, std::uint16_t &path);
  Pfn rmqueue_pcplist(int cpu, Zone &pref, Zone &zone, unsigned order, int mt, unsigned alloc_flags,
                      std::uint16_t &path);
  Pfn rmqueue(int cpu, Zone &pref, Zone &zone, unsigned order, unsigned alloc_flags, int mt, std::uint16_t &path);

  // watermarks (watermark.cpp)
  long zone_watermark_unusable_free(const Zone &z, unsigned order, unsigned alloc_flags) const;
  bool zone_watermark_ok_pages(const Zone &z, unsigned order, unsigned long mark, int highest_zoneidx,
                               unsigned alloc_flags, long free_pages) const;  // __zone_watermark_ok
  bool zone_watermark_ok(const Zone &z, unsigned order, unsigned long mark, int highest_zoneidx,
                         unsigned alloc_flags) const;
  bool zone_watermark_fast(const Zone &z, unsigned order, unsigned long mark, int highest_zoneidx,
                           unsigned alloc_flags) const;

  // the allocation paths (alloc.cpp, slowpath.cpp, alloc_bulk.cpp)
  bool prepare_alloc_pages(gfp_t gfp, int preferred_nid, AllocContext &ac, unsigned &alloc_flags) const;
  unsigned alloc_flags_nofragment(const Zone *zone, gfp_t gfp) const;
  Pfn get_page_from_freelist(int cpu, gfp_t gfp, unsigned order, unsigned alloc_flags, const AllocContext &ac,
                             AllocResult &res);
  void prep_new_page(Pfn pfn, unsigned order, gfp_t gfp, unsigned alloc_flags);
  void reserve_highatomic_pageblock(int cpu, Pfn pfn, unsigned order, Zone &zone);
  bool unreserve_highatomic_pageblock(int cpu, const AllocContext &ac, bool force);
  void zone_statistics(int cpu, Zone &pref, Zone &z, unsigned long nr);
  unsigned gfp_to_alloc_flags(gfp_t gfp, unsigned order) const;
  void wake_all_kswapds(unsigned order, const AllocContext &ac);
  Pfn alloc_pages_slowpath(int cpu, gfp_t gfp, unsigned order, AllocContext &ac, AllocResult &res);
  bool should_reclaim_retry(int cpu, unsigned order, const AllocContext &ac, unsigned alloc_flags,
                            bool did_some_progress, int &no_progress_loops);

  // freeing (free.cpp, pcp_free.cpp)
  std::optional<BadPage> check_free(Pfn pfn, unsigned order) const;
  bool page_is_buddy(const Zone &zone, Pfn buddy_pfn, unsigned order) const;
  bool buddy_merge_likely(const Zone &zone, Pfn pfn, Pfn buddy_pfn, unsigned order) const;
  void free_one_page_locked(int cpu, Pfn pfn, Zone &zone, unsigned order, int mt, unsigned fpi);  // __free_one_page
  void split_large_buddy(int cpu, Zone &zone, Pfn pfn, unsigned order, unsigned fpi);
  void free_one_page(int cpu, Zone &zone, Pfn pfn, unsigned order, unsigned fpi);
  void free_frozen_pages(int cpu, Pfn pfn, unsigned order);
  void free_frozen_page_commit(int cpu, Zone &zone, PerCpuPages &pcp, Pfn pfn, int mt, unsigned order);
  int nr_pcp_high(PerCpuPages &pcp, const Zone &zone, int batch, bool free_high) const;
  int nr_pcp_free(const PerCpuPages &pcp, int batch, int high, bool free_high) const;
  void free_pcppages_bulk(int cpu, Zone &zone, int count, PerCpuPages &pcp, int pindex);
  int decay_pcp_high(int cpu, Zone &zone, PerCpuPages &pcp);
  void drain_zone_pages(int cpu, Zone &zone, PerCpuPages &pcp);
  void drain_pages_zone(int cpu, Zone &zone);

  // hooks, zero-cost when none are attached
  void zone_lock(Zone &zone, LockSite site);
  void zone_unlock(Zone &zone);
  bool pcp_trylock(int cpu, Zone &zone);
  void pcp_lock(int cpu, Zone &zone, LockSite site);
  void pcp_unlock(int cpu, Zone &zone);
  void touch(SimAddr a, Access acc) { if (hooks_) hooks_->touch(a, acc); }
  void touch_page(Pfn pfn, Access acc) { if (hooks_) hooks_->touch(addr::page(pfn), acc); }
  void work(std::uint32_t cycles) { if (hooks_) hooks_->work(cycles); }
  void touch_list_neighbours(Pfn pfn);

  void debug_check(const char *after) const;
  Zone &zone_of(Pfn pfn);

  AllocatorConfig config_;
  FrameTable frames_;
  std::vector<Node> nodes_;
  std::vector<int> cpu_node_;
  std::vector<std::vector<int>> distance_;
  std::vector<Zone *> zone_by_pageblock_;  // pfn >> pageblock_order -> zone (nullptr for holes)
  std::uint64_t llc_slice_bytes_per_cpu_ = 0;
  int min_free_kbytes_ = 1024;
  bool mobility_disabled_ = false;
  VmEvents events_{};
  unsigned long allocated_pages_ = 0;
  Hooks *hooks_ = nullptr;
  ReclaimSeam *reclaim_ = nullptr;
};

}  // namespace buddysim::model
