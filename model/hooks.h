// The allocator's only door to time. The allocator reports where the kernel
// would take a lock, touch a cache line or spend instructions; a timing model
// (sim/hw) turns these into simulated time. Functional runs pass no hooks.
#pragma once

#include <cstdint>

namespace buddysim::model {

using SimAddr = std::uint64_t;

enum class Access : std::uint8_t { Read, Write };

// Lock identity: the zone lock of (node, zone) or the pcp lock of (zone, cpu).
struct LockId {
  enum Kind : std::uint8_t { Zone, Pcp };
  Kind kind;
  std::uint16_t node;
  std::uint8_t zone;
  std::uint32_t cpu;  // meaningful for Pcp only
  friend bool operator==(const LockId &, const LockId &) = default;
};

// Where the allocator takes a lock, for lockdep's call-site records: the
// kernel function whose source holds the spin_lock() call. (A kernel build
// names the function the call was compiled into: GCC inlines rmqueue_bulk
// and rmqueue_buddy into get_page_from_freelist, where only the offsets tell
// them apart.) A string with static storage.
using LockSite = const char *;

class Hooks {
 public:
  virtual ~Hooks() = default;
  virtual void lock(LockId id, LockSite site) = 0;
  // Returns false if the lock is held elsewhere (pcp_spin_trylock).
  virtual bool trylock(LockId id) = 0;
  virtual void unlock(LockId id) = 0;
  virtual void touch(SimAddr addr, Access access) = 0;
  virtual void work(std::uint32_t cycles) = 0;
  // __GFP_ZERO: the allocator clears nr pages of memory starting at pfn.
  virtual void clear_pages(std::uint64_t pfn, unsigned long nr) = 0;
};

// Synthetic kernel virtual addresses, laid out as on x86-64 so that a timing
// model can map each line to its home node.
namespace addr {
inline constexpr SimAddr VMEMMAP_BASE = 0xffffea0000000000ull;  // struct page array
inline constexpr SimAddr STRUCT_PAGE_SIZE = 64;
inline constexpr SimAddr ZONE_BASE = 0xffff888100000000ull;  // struct zone, per node
inline constexpr SimAddr ZONE_STRIDE = 0x1000;  // one zone struct per 4 KiB slot
inline constexpr SimAddr PCP_BASE = 0xffff88a000000000ull;  // per-cpu areas
inline constexpr SimAddr PCP_CPU_STRIDE = 0x10000;
inline constexpr SimAddr PCP_ZONE_STRIDE = 0x100;  // struct per_cpu_pages, per zone

// Offsets inside struct zone: read-mostly watermarks first, then the lock on
// its own line, then free_area (as in include/linux/mmzone.h's layout).
inline constexpr SimAddr ZONE_OFF_WMARK = 0;
inline constexpr SimAddr ZONE_OFF_LOCK = 64;
inline constexpr SimAddr ZONE_OFF_FREE_AREA = 128;
inline constexpr SimAddr FREE_AREA_SIZE = 104;  // 6 list heads + nr_free
inline constexpr SimAddr ZONE_OFF_VMSTAT = 1344;  // after free_area (ends at 1272), on its own line

inline constexpr SimAddr page(std::uint64_t pfn) { return VMEMMAP_BASE + pfn * STRUCT_PAGE_SIZE; }
inline constexpr SimAddr zone(int nid, int zid) {
  return ZONE_BASE + (static_cast<SimAddr>(nid) * 4 + static_cast<SimAddr>(zid)) * ZONE_STRIDE;
}
inline constexpr SimAddr free_list(int nid, int zid, unsigned order, int mt) {
  return zone(nid, zid) + ZONE_OFF_FREE_AREA + order * FREE_AREA_SIZE + static_cast<SimAddr>(mt) * 16;
}
inline constexpr SimAddr pcp(int cpu, int nid, int zid) {
  return PCP_BASE + static_cast<SimAddr>(cpu) * PCP_CPU_STRIDE +
         (static_cast<SimAddr>(nid) * 4 + static_cast<SimAddr>(zid)) * PCP_ZONE_STRIDE;
}
}  // namespace addr

}  // namespace buddysim::model
