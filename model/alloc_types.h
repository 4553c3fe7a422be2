// Results and counters of the public allocator interface.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "model/types.h"

namespace buddysim::model {

inline constexpr Pfn NO_PAGE = ~0ull;
inline constexpr NodeId NUMA_NO_NODE = -1;

// Which paths an allocation took; several bits may be set.
enum AllocPath : std::uint16_t {
  PATH_PCP_HIT = 1u << 0,        // served from a per-cpu list without refill
  PATH_PCP_REFILL = 1u << 1,     // per-cpu list refilled from the buddy (rmqueue_bulk)
  PATH_BUDDY = 1u << 2,          // rmqueue_buddy under the zone lock
  PATH_CLAIM = 1u << 3,          // a fallback pageblock was claimed
  PATH_STEAL = 1u << 4,          // pages stolen from a fallback type
  PATH_HIGHATOMIC = 1u << 5,     // served from the highatomic reserve
  PATH_FALLBACK_ZONE = 1u << 6,  // a zone other than the preferred one, same node
  PATH_FALLBACK_NODE = 1u << 7,  // a zone on another node
  PATH_SLOWPATH = 1u << 8,       // __alloc_pages_slowpath was entered
  PATH_FAILED = 1u << 9,
  PATH_CMA = 1u << 10,
};

struct AllocResult {
  Pfn pfn = NO_PAGE;
  NodeId nid = NUMA_NO_NODE;
  int zone = -1;
  std::uint16_t path = 0;
  bool ok() const { return pfn != NO_PAGE; }
};

// A refused free, reported in the kernel's bad_page() style.
struct BadPage {
  Pfn pfn = 0;
  unsigned order = 0;
  std::string reason;
  std::string report() const;  // "BUG: Bad page state in process ... pfn:..." block
};

// Global vm_event counters the allocator drives (/proc/vmstat).
enum VmEvent {
  PGALLOC_DMA,
  PGALLOC_DMA32,
  PGALLOC_NORMAL,
  PGALLOC_MOVABLE,
  PGFREE,
  ALLOCSTALL_NORMAL,  // kept 0: no direct reclaim model yet
  KSWAPD_WAKEUPS,     // not a kernel vmstat name; reported in summaries only
  ALLOC_FAILURES,     // idem: warn_alloc("page allocation failure") count
  NR_VM_EVENTS
};
using VmEvents = std::array<unsigned long, NR_VM_EVENTS>;

}  // namespace buddysim::model
