// The generator's record of the blocks it handed out: an Alloc is pending
// until the runner reports its outcome, then live (ok, with the pfn it got)
// or forgotten (failed); a live block is forgotten again when its Free is
// emitted. Live pages are counted per phase, for live-set targets and Fill's
// fill_pages.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/host_prefetch.h"
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

// A block as the generator holds on to it: the tag that names it in the
// operations, and the slot that finds it in the table without a search. A
// slot is reused once its block is forgotten, so a reference whose tag no
// longer matches its slot's names a block that is gone.
struct BlockRef {
  std::uint64_t tag = 0;
  std::uint32_t slot = 0;
};

class BlockTable {
 public:
  explicit BlockTable(std::size_t phases);

  // Records a pending block under a fresh tag (unique, increasing, from 1).
  BlockRef add(const Block &block);
  // The runner's outcome for a pending block: ok makes it live at `pfn`, a
  // failure forgets it. Returns the block, or nullopt when `ref` is not
  // pending.
  std::optional<Block> settle(BlockRef ref, bool ok, model::Pfn pfn = 0);
  // Forgets a live block (its Free is being emitted) and returns it; nullopt
  // if the block is not live (failed, already freed).
  std::optional<Block> release(BlockRef ref);

  // Marks a pending block whose free fell due before its outcome arrived.
  void defer_free(BlockRef ref);

  bool is_live(BlockRef ref) const;
  bool is_pending(BlockRef ref) const;
  std::uint64_t live_pages(std::uint32_t phase) const { return live_pages_[phase]; }

  // Starts loading the slot of a block from add() into the host caches.
  void prefetch(std::uint32_t slot) const { model::host_prefetch(&at(slot)); }

 private:
  // A slab of slots: a block keeps its slot from add to forget, and a
  // forgotten slot is reused first (last in, first out: it is the one most
  // likely still in the host caches). Slots come in chunks that never move,
  // so the table grows without copying, and only by the memory the blocks
  // held at once need (new memory costs a page fault per page). A slot packs
  // the block: its stream's CPU and phase are kept once per stream, and
  // class, order and state share a word. Aligned to 32 bytes, a slot never
  // straddles two host cache lines, and a chunk fills one huge page.
  struct alignas(32) Slot {
    std::uint64_t tag = 0;  // 0: free
    model::Pfn pfn = 0;     // free: the next free slot
    std::uint32_t stream = 0;
    std::uint32_t word = 0;  // cls | order << CLS_BITS | live, free_deferred above
  };
  struct StreamPlace {
    int cpu = 0;
    std::uint32_t phase = 0;
  };
  static constexpr unsigned CLS_BITS = 24;
  static constexpr std::uint32_t LIVE = 1u << 30, FREE_DEFERRED = 1u << 31;
  static constexpr unsigned CHUNK_BITS = 16;  // 2 MiB of slots: one huge page
  static constexpr std::uint32_t NO_SLOT = ~0u;

  Block unpack(const Slot &slot) const;
  Slot &at(std::uint32_t slot) { return chunks_[slot >> CHUNK_BITS][slot & ((1u << CHUNK_BITS) - 1)]; }
  const Slot &at(std::uint32_t slot) const { return chunks_[slot >> CHUNK_BITS][slot & ((1u << CHUNK_BITS) - 1)]; }
  // The slot `ref` names, or nullptr when its block is gone.
  Slot *find(BlockRef ref);
  const Slot *find(BlockRef ref) const;
  std::uint32_t take_slot();
  void forget(Slot &slot, std::uint32_t index);

  std::vector<model::ZeroedArray<Slot>> chunks_;
  std::uint32_t used_ = 0;                 // slots handed out at least once
  std::uint32_t free_ = NO_SLOT;           // the last slot forgotten
  std::vector<StreamPlace> streams_;       // by Block::stream
  std::vector<std::uint64_t> live_pages_;  // per phase
  std::uint64_t next_tag_ = 1;
};

}  // namespace buddysim::workload
