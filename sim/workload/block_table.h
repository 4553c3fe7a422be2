// The generator's record of the blocks it handed out: an Alloc is pending
// until the runner reports its outcome, then live (ok, with the pfn it got)
// or forgotten (failed); a live block is forgotten again when its Free is
// emitted. Live pages are counted per phase, for live-set targets and Fill's
// fill_pages.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/types.h"
#include "model/zeroed_array.h"

namespace buddysim::workload {

struct Block {
  int cpu = 0;
  std::uint32_t phase = 0;
  std::uint32_t stream = 0;
  std::uint32_t cls = 0;
  std::uint8_t order = 0;
  bool live = false;           // false while the runner has not reported the outcome
  bool free_deferred = false;  // its free fell due before the outcome was reported
  model::Pfn pfn = 0;          // where it was allocated, once live
};

class BlockTable {
 public:
  explicit BlockTable(std::size_t phases);

  // Records a pending block under a fresh tag (unique, increasing, from 1).
  std::uint64_t add(const Block &block);
  // The runner's outcome for a pending block: ok makes it live at `pfn`, a
  // failure forgets it. Returns the block, or nullopt when `tag` is not
  // pending.
  std::optional<Block> settle(std::uint64_t tag, bool ok, model::Pfn pfn = 0);
  // Forgets a live block (its Free is being emitted) and returns it; nullopt
  // if the block is not live (failed, already freed).
  std::optional<Block> release(std::uint64_t tag);

  // Marks a pending block whose free fell due before its outcome arrived.
  void defer_free(std::uint64_t tag);

  bool is_live(std::uint64_t tag) const;
  bool is_pending(std::uint64_t tag) const;
  std::uint64_t live_pages(std::uint32_t phase) const { return live_pages_[phase]; }

 private:
  // Open addressing with linear probing, keyed by tag (0 marks a free slot):
  // one flat array, no allocation per block, at most MAX_LOAD full. A live
  // block costs a slot's 24 bytes over 1/MAX_LOAD, and new memory costs a
  // page fault per page, so a slot packs the block: its stream's CPU and
  // phase are kept once per stream, and class, order and state share a word.
  // Tags come in order and each is looked up again at its free: the home
  // slot keeps runs of 2^RUN_BITS consecutive tags in consecutive slots, so
  // an insert lands beside the previous one (in a host cache line already
  // touched), and spreads the runs by Fibonacci hashing.
  struct Slot {
    std::uint64_t tag = 0;
    model::Pfn pfn = 0;
    std::uint32_t stream = 0;
    std::uint32_t word = 0;  // cls | order << CLS_BITS | live, free_deferred above
  };
  struct StreamPlace {
    int cpu = 0;
    std::uint32_t phase = 0;
  };
  static constexpr unsigned CLS_BITS = 24;
  static constexpr std::uint32_t LIVE = 1u << 30, FREE_DEFERRED = 1u << 31;
  static constexpr unsigned RUN_BITS = 4;
  static constexpr std::size_t MAX_LOAD_NUM = 3, MAX_LOAD_DEN = 4;

  Block unpack(const Slot &slot) const;
  std::size_t home(std::uint64_t tag) const;
  Slot *find(std::uint64_t tag);
  const Slot *find(std::uint64_t tag) const;
  void insert(const Slot &slot);
  void erase(Slot *slot);
  void grow();

  model::ZeroedArray<Slot> slots_;         // size a power of two
  unsigned shift_;                         // 64 - log2(slots_.size())
  std::size_t used_ = 0;                   // pending and live blocks
  std::vector<StreamPlace> streams_;       // by Block::stream
  std::vector<std::uint64_t> live_pages_;  // per phase
  std::uint64_t next_tag_ = 1;
};

}  // namespace buddysim::workload
