// The generator's record of the blocks it handed out: an Alloc is pending
// until the runner reports its outcome, then live (ok) or forgotten (failed);
// a live block is forgotten again when its Free is emitted. Live pages are
// counted per phase, for live-set targets and Fill's fill_pages.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace buddysim::workload {

struct Block {
  int cpu = 0;
  std::uint32_t phase = 0;
  std::uint32_t stream = 0;
  std::uint32_t cls = 0;
  std::uint8_t order = 0;
  bool live = false;          // false while the runner has not reported the outcome
  bool free_deferred = false;  // its free fell due before the outcome was reported
};

class BlockTable {
 public:
  explicit BlockTable(std::size_t phases);

  // Records a pending block under a fresh tag (unique, increasing, from 1).
  std::uint64_t add(const Block &block);
  // The runner's outcome for a pending block: ok makes it live, a failure
  // forgets it. Returns the block, or nullopt when `tag` is not pending.
  std::optional<Block> settle(std::uint64_t tag, bool ok);
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
  // one flat array, no allocation per block, at most half full.
  struct Slot {
    std::uint64_t tag = 0;
    Block block;
  };
  std::size_t home(std::uint64_t tag) const;
  Slot *find(std::uint64_t tag);
  const Slot *find(std::uint64_t tag) const;
  void insert(std::uint64_t tag, const Block &block);
  void erase(Slot *slot);
  void grow();

  std::vector<Slot> slots_;                // size a power of two
  unsigned shift_;                         // 64 - log2(slots_.size())
  std::size_t used_ = 0;                   // pending and live blocks
  std::vector<std::uint64_t> live_pages_;  // per phase
  std::uint64_t next_tag_ = 1;
};

}  // namespace buddysim::workload
