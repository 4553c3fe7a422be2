// The coherence directory: for every line held by some CPU, its state and
// holders, with the CPUs' private caches owned here so that the two never
// disagree: a line is in a CPU's cache exactly when the directory lists that
// CPU as its owner or a sharer, and in the record's state. Read hits and
// write hits on Modified lines are therefore settled by the cache alone.
//
// Protocol: MESI kept by a directory (states in line_table.h).
//  - Invalid (no record): no cache holds the line. A read miss fetches it
//    from the home node's memory and grants Exclusive (the requester is the
//    only holder, as MESI/MESIF on Intel); a write miss grants Modified.
//  - Exclusive / Modified, one owner. The owner's write is a hit (E -> M is
//    silent). Another CPU's read is a cache-to-cache transfer from the owner;
//    both end Shared. Another CPU's write is a transfer plus the owner's
//    invalidation; the writer ends Modified.
//  - Shared, a set of sharers. A read by a non-holder is a transfer from the
//    nearest sharer (one in the requester's socket if any, else the lowest
//    numbered; Intel's forwarding state F plays this role). A write by a
//    non-holder is such a transfer plus the invalidation of every sharer; a
//    write by a holder is an Upgrade: the other sharers are invalidated, no
//    data moves. Either way the writer ends Modified.
//  - A line read out of Modified keeps its dirty mark while Shared (memory is
//    still stale, as MOESI's Owned); when the last copy leaves a cache, a
//    dirty line is written back (AccessResult::writeback).
//  - Evictions are exact: a victim leaving a private cache removes that
//    holder; the last holder leaving removes the record.
// CPUs are grouped into sockets, one per NUMA node; a transfer or an
// invalidation crosses sockets when the two CPUs' sockets differ, a memory
// fetch is remote when the line's home node is not the requester's socket.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/hw/cache/line.h"
#include "sim/hw/cache/private_cache.h"
#include "sim/hw/coherence/line_table.h"
#include "sim/hw/coherence/sharer_sets.h"

namespace buddysim::hw {

enum class AccessKind : std::uint8_t {
  Hit,                  // private cache hit with sufficient permission
  Upgrade,              // write to a line the CPU holds Shared: invalidations only
  TransferSameSocket,   // line sent by another CPU's cache in the same socket
  TransferCrossSocket,  // line sent by a CPU's cache in another socket
  Memory,               // no cache had it: fetched from the home node's memory
};

const char *access_kind_name(AccessKind kind);

struct Writeback {
  Line line;
  int home_node;
};

// What one access did. The timing model (CoherenceTiming) prices it; the
// caller adds DRAM and interconnect time for Memory and for writebacks.
struct AccessResult {
  AccessKind kind = AccessKind::Hit;
  LineState before = LineState::Invalid;         // directory state of the line before the access
  LineState after = LineState::Invalid;          // and after it
  bool remote_memory = false;                    // Memory: the home node is not the requester's socket
  int supplier = -1;                             // Transfer*: the CPU whose cache sent the line
  std::uint32_t invalidations = 0;               // copies removed from other caches by this write
  std::uint32_t cross_socket_invalidations = 0;  // of those, copies in another socket
  std::optional<Line> evicted;                   // victim the requester's cache dropped to make room
  std::optional<Writeback> writeback;            // a dirty line's last copy left: write it to memory
};

// Per-CPU counters; the requester's unless the name says otherwise.
struct CoherenceStats {
  std::uint64_t accesses = 0;
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t hits = 0;
  std::uint64_t upgrades = 0;
  std::uint64_t transfers_same_socket = 0;
  std::uint64_t transfers_cross_socket = 0;
  std::uint64_t memory_local = 0;
  std::uint64_t memory_remote = 0;
  std::uint64_t invalidations_sent = 0;
  std::uint64_t cross_socket_invalidations_sent = 0;
  std::uint64_t invalidations_received = 0;  // this CPU's copies removed by other CPUs' writes
  std::uint64_t evictions = 0;               // capacity victims of this CPU's cache
  std::uint64_t writebacks = 0;              // dirty lines written back by this CPU's evictions

  CoherenceStats &operator+=(const CoherenceStats &other);
};

struct DirectoryConfig {
  // Socket (= NUMA node) of each CPU; its size is the number of CPUs.
  std::vector<int> cpu_socket;
  PrivateCacheConfig cache;  // the same geometry for every CPU
  // Lines [dense_first, dense_first + dense_lines) keep their records in an
  // array indexed by line (LineTable): for a range touched densely and in
  // order, the struct page array. Host memory only; outputs do not change.
  Line dense_first = 0;
  std::uint64_t dense_lines = 0;
};

class Directory {
 public:
  // Sharer sets are bitsets of this many CPUs at most (16 words, pooled).
  static constexpr int MAX_CPUS = 1024;
  // Home nodes are stored in 10 bits; Linux's MAX_NUMNODES is 1024 on x86-64.
  static constexpr int MAX_NODES = 1024;
  static_assert(MAX_NODES <= 1 << LineRecord::NODE_BITS);

  // Throws std::invalid_argument naming the field on a bad configuration.
  explicit Directory(const DirectoryConfig &config);

  // One load (write = false) or store / atomic read-modify-write (write =
  // true) by a CPU to a line whose memory lives on home_node. Inline, so
  // that a hit, settled by the cache alone, costs no more than the lookup.
  AccessResult access(int cpu, Line line, int home_node, bool write) {
    check_access(cpu, line, home_node);
    const LineState held = caches_[static_cast<std::size_t>(cpu)].lookup_state(line);
    AccessResult result;
    if (held == LineState::Invalid || (write && held != LineState::Modified)) {
      result = access_directory(cpu, line, home_node, write, held);
    } else {
      result.before = result.after = held;  // the cache's state is the record's: no lookup
    }
    account(cpu, write, result);
    return result;
  }

  // A hint that cpu will access the line soon: starts loading its cache set
  // and directory slot into the host caches (no effect on the model).
  void prefetch(int cpu, Line line) const {
    caches_[static_cast<std::size_t>(cpu)].prefetch(line);
    table_.prefetch(line);
  }

  // Inspection (tests, reports).
  LineState state(Line line) const;
  int owner(Line line) const;  // Exclusive/Modified: the owner; else -1
  bool holds(int cpu, Line line) const { return cache(cpu).contains(line); }
  std::vector<int> holders(Line line) const;
  std::size_t tracked_lines() const { return table_.size(); }

  int nr_cpus() const { return static_cast<int>(cpu_socket_.size()); }
  int socket_of(int cpu) const { return cpu_socket_[static_cast<std::size_t>(cpu)]; }
  const PrivateCache &cache(int cpu) const { return caches_[static_cast<std::size_t>(cpu)]; }
  const CoherenceStats &stats(int cpu) const { return stats_[static_cast<std::size_t>(cpu)]; }
  CoherenceStats total_stats() const;

 private:
  AccessResult access_directory(int cpu, Line line, int home_node, bool write, LineState held);
  AccessResult write_held(int cpu, LineRecord &record);
  AccessResult access_missing(int cpu, Line line, int home_node, bool write);
  void fetch_from_memory(int cpu, Line line, int home_node, bool write, AccessResult &result);
  void transfer_from_cache(int cpu, LineRecord &record, bool write, AccessResult &result);
  int nearest_sharer(int cpu, const LineRecord &record) const;
  void invalidate_others(int cpu, LineRecord &record, AccessResult &result);
  void invalidate_copy(int requester, int holder, Line line, AccessResult &result);
  void make_modified(int cpu, LineRecord &record);
  void add_sharer(int cpu, LineRecord &record);
  void fill(int cpu, Line line, LineState state, AccessResult &result);
  void drop_holder(int cpu, Line victim, AccessResult &result);
  void account(int cpu, bool write, const AccessResult &result) {
    CoherenceStats &s = stats_[static_cast<std::size_t>(cpu)];
    ++s.accesses;
    ++(write ? s.writes : s.reads);
    if (result.kind == AccessKind::Hit) {
      ++s.hits;
    } else {
      account_miss(s, result);
    }
  }
  static void account_miss(CoherenceStats &s, const AccessResult &result);
  void check_access(int cpu, Line line, int home_node) const {
    if (cpu < 0 || cpu >= nr_cpus() || home_node < 0 || home_node >= MAX_NODES || !LineRecord::storable(line)) [[unlikely]]
      bad_access(cpu, home_node);
  }
  [[noreturn]] void bad_access(int cpu, int home_node) const;

  std::vector<int> cpu_socket_;
  std::vector<PrivateCache> caches_;
  std::vector<CoherenceStats> stats_;
  LineTable table_;
  SharerSets sharers_;
};

}  // namespace buddysim::hw
