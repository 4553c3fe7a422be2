#include "sim/hw/coherence/directory.h"

#include <stdexcept>
#include <string>

namespace buddysim::hw {
namespace {

std::vector<int> checked_sockets(const DirectoryConfig &config) {
  const std::size_t n = config.cpu_socket.size();
  if (n == 0 || n > static_cast<std::size_t>(Directory::MAX_CPUS)) {
    throw std::invalid_argument("directory.cpu_socket: expected 1.." + std::to_string(Directory::MAX_CPUS) +
                                " CPUs, found " + std::to_string(n));
  }
  for (std::size_t cpu = 0; cpu < n; ++cpu) {
    const int socket = config.cpu_socket[cpu];
    if (socket < 0 || socket >= Directory::MAX_NODES) {
      throw std::invalid_argument("directory.cpu_socket[" + std::to_string(cpu) + "]: expected 0.." +
                                  std::to_string(Directory::MAX_NODES - 1) + ", found " + std::to_string(socket));
    }
  }
  return config.cpu_socket;
}

LineTable checked_table(const DirectoryConfig &config) {
  if (config.dense_lines == 0) return LineTable();
  const Line last = config.dense_first + (config.dense_lines - 1);
  // Storable lines form two runs, below and above the non-canonical hole.
  if (last < config.dense_first || !LineRecord::storable(config.dense_first) || !LineRecord::storable(last) ||
      (config.dense_first ^ last) >> (LineRecord::LINE_BITS - 1) != 0) {
    throw std::invalid_argument("directory.dense_first/dense_lines: the range must hold lines of canonical addresses only");
  }
  return LineTable(config.dense_first, static_cast<std::size_t>(config.dense_lines));
}

}  // namespace

const char *access_kind_name(AccessKind kind) {
  switch (kind) {
    case AccessKind::Hit:
      return "hit";
    case AccessKind::Upgrade:
      return "upgrade";
    case AccessKind::TransferSameSocket:
      return "transfer_same_socket";
    case AccessKind::TransferCrossSocket:
      return "transfer_cross_socket";
    case AccessKind::Memory:
      return "memory";
  }
  return "?";
}

CoherenceStats &CoherenceStats::operator+=(const CoherenceStats &o) {
  accesses += o.accesses;
  reads += o.reads;
  writes += o.writes;
  hits += o.hits;
  upgrades += o.upgrades;
  transfers_same_socket += o.transfers_same_socket;
  transfers_cross_socket += o.transfers_cross_socket;
  memory_local += o.memory_local;
  memory_remote += o.memory_remote;
  invalidations_sent += o.invalidations_sent;
  cross_socket_invalidations_sent += o.cross_socket_invalidations_sent;
  invalidations_received += o.invalidations_received;
  evictions += o.evictions;
  writebacks += o.writebacks;
  return *this;
}

Directory::Directory(const DirectoryConfig &config)
    : cpu_socket_(checked_sockets(config)),
      caches_(cpu_socket_.size(), PrivateCache(config.cache)),
      stats_(cpu_socket_.size()),
      table_(checked_table(config)),
      sharers_(nr_cpus()) {}

void Directory::bad_access(int cpu, int home_node) const {
  if (cpu < 0 || cpu >= nr_cpus()) {
    throw std::out_of_range("Directory::access: cpu " + std::to_string(cpu) + " not in 0.." +
                            std::to_string(nr_cpus() - 1));
  }
  if (home_node < 0 || home_node >= MAX_NODES) {
    throw std::out_of_range("Directory::access: home node " + std::to_string(home_node) + " not in 0.." +
                            std::to_string(MAX_NODES - 1));
  }
  throw std::out_of_range("Directory::access: line of an address that is not canonical in 57 bits");
}

// A miss, or a write without ownership: the directory's record decides.
AccessResult Directory::access_directory(int cpu, Line line, int home_node, bool write, LineState held) {
  if (held == LineState::Invalid) return access_missing(cpu, line, home_node, write);
  return write_held(cpu, *table_.find(line));
}

// A write to a line the CPU holds Exclusive (silent upgrade) or Shared
// (invalidate the other copies first).
AccessResult Directory::write_held(int cpu, LineRecord &record) {
  AccessResult result;
  result.before = record.state();
  if (record.state() == LineState::Shared) {
    result.kind = AccessKind::Upgrade;
    invalidate_others(cpu, record, result);
  }
  make_modified(cpu, record);
  caches_[static_cast<std::size_t>(cpu)].set_state(record.line(), LineState::Modified);
  result.after = record.state();
  return result;
}

// The record is complete before fill() runs: fill may erase other records,
// which moves entries in the table and invalidates pointers into it.
AccessResult Directory::access_missing(int cpu, Line line, int home_node, bool write) {
  AccessResult result;
  // Both records are far apart in a large table: load the victim's (fill()
  // drops it) while looking up the line's.
  if (const std::optional<Line> victim = caches_[static_cast<std::size_t>(cpu)].victim_for(line))
    table_.prefetch(*victim);
  LineRecord *record = table_.find(line);
  if (record == nullptr) {
    fetch_from_memory(cpu, line, home_node, write, result);
  } else {
    result.before = record->state();
    transfer_from_cache(cpu, *record, write, result);
  }
  fill(cpu, line, result.after, result);
  return result;
}

void Directory::fetch_from_memory(int cpu, Line line, int home_node, bool write, AccessResult &result) {
  result.kind = AccessKind::Memory;
  result.remote_memory = home_node != socket_of(cpu);
  LineRecord &record = table_.insert(line);
  record.holders = static_cast<std::uint64_t>(cpu);
  record.set_home_node(home_node);
  record.set_state(write ? LineState::Modified : LineState::Exclusive);
  record.set_dirty(write);
  result.after = record.state();
}

void Directory::transfer_from_cache(int cpu, LineRecord &record, bool write, AccessResult &result) {
  result.supplier = record.state() == LineState::Shared ? nearest_sharer(cpu, record) : record.owner();
  result.kind =
      socket_of(result.supplier) == socket_of(cpu) ? AccessKind::TransferSameSocket : AccessKind::TransferCrossSocket;
  if (write) {
    invalidate_others(cpu, record, result);
    make_modified(cpu, record);
  } else {
    add_sharer(cpu, record);
  }
  result.after = record.state();
}

// A sharer in the requester's socket if there is one (the cheaper source),
// else the lowest numbered sharer: deterministic either way.
int Directory::nearest_sharer(int cpu, const LineRecord &record) const {
  int first = -1;
  int local = -1;
  const int socket = socket_of(cpu);
  sharers_.for_each(record.holders, [&](int sharer) {
    if (first < 0) first = sharer;
    if (local < 0 && socket_of(sharer) == socket) local = sharer;
  });
  return local >= 0 ? local : first;
}

// Removes every copy except the requester's (which may not exist yet).
void Directory::invalidate_others(int cpu, LineRecord &record, AccessResult &result) {
  const Line line = record.line();
  if (record.state() != LineState::Shared) {
    if (record.owner() != cpu) invalidate_copy(cpu, record.owner(), line, result);
    return;
  }
  sharers_.for_each(record.holders, [&](int sharer) {
    if (sharer != cpu) invalidate_copy(cpu, sharer, line, result);
  });
}

void Directory::invalidate_copy(int requester, int holder, Line line, AccessResult &result) {
  caches_[static_cast<std::size_t>(holder)].invalidate(line);
  ++stats_[static_cast<std::size_t>(holder)].invalidations_received;
  ++result.invalidations;
  if (socket_of(holder) != socket_of(requester)) ++result.cross_socket_invalidations;
}

// Callers have already removed every other copy.
void Directory::make_modified(int cpu, LineRecord &record) {
  if (record.state() == LineState::Shared) sharers_.release(record.holders);
  record.holders = static_cast<std::uint64_t>(cpu);
  record.set_state(LineState::Modified);
  record.set_dirty(true);
}

void Directory::add_sharer(int cpu, LineRecord &record) {
  if (record.state() != LineState::Shared) {  // E/M -> S: the owner becomes the first sharer
    const int owner = record.owner();
    caches_[static_cast<std::size_t>(owner)].set_state(record.line(), LineState::Shared);
    record.holders = sharers_.make();
    sharers_.add(record.holders, owner);
    record.set_state(LineState::Shared);
  }
  sharers_.add(record.holders, cpu);
}

void Directory::fill(int cpu, Line line, LineState state, AccessResult &result) {
  result.evicted = caches_[static_cast<std::size_t>(cpu)].insert(line, state);
  if (result.evicted) drop_holder(cpu, *result.evicted, result);
}

// The victim left the CPU's cache: the CPU no longer holds it.
void Directory::drop_holder(int cpu, Line victim, AccessResult &result) {
  LineRecord &record = *table_.find(victim);
  if (record.state() == LineState::Shared) {
    sharers_.remove(record.holders, cpu);
    if (!sharers_.empty(record.holders)) return;
    sharers_.release(record.holders);
  }
  if (record.dirty()) result.writeback = Writeback{victim, record.home_node()};
  table_.erase(victim);
}

// With account(), the one place the requester's counters change.
void Directory::account_miss(CoherenceStats &s, const AccessResult &result) {
  switch (result.kind) {
    case AccessKind::Hit:  // counted by account()
      break;
    case AccessKind::Upgrade:
      ++s.upgrades;
      break;
    case AccessKind::TransferSameSocket:
      ++s.transfers_same_socket;
      break;
    case AccessKind::TransferCrossSocket:
      ++s.transfers_cross_socket;
      break;
    case AccessKind::Memory:
      ++(result.remote_memory ? s.memory_remote : s.memory_local);
      break;
  }
  s.invalidations_sent += result.invalidations;
  s.cross_socket_invalidations_sent += result.cross_socket_invalidations;
  if (result.evicted) ++s.evictions;
  if (result.writeback) ++s.writebacks;
}

LineState Directory::state(Line line) const {
  const LineRecord *record = table_.find(line);
  return record == nullptr ? LineState::Invalid : record->state();
}

int Directory::owner(Line line) const {
  const LineRecord *record = table_.find(line);
  return record == nullptr || record->state() == LineState::Shared ? -1 : record->owner();
}

std::vector<int> Directory::holders(Line line) const {
  std::vector<int> result;
  const LineRecord *record = table_.find(line);
  if (record == nullptr) return result;
  if (record->state() != LineState::Shared) return {record->owner()};
  sharers_.for_each(record->holders, [&](int sharer) { result.push_back(sharer); });
  return result;
}

CoherenceStats Directory::total_stats() const {
  CoherenceStats total;
  for (const CoherenceStats &s : stats_) total += s;
  return total;
}

}  // namespace buddysim::hw
