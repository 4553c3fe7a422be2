// One compact host descriptor per simulated 4 KiB frame, plus the pageblock
// flags. 12 bytes per frame: two 32-bit list links (frame numbers), state,
// order and flags; plus one byte per 2 MiB pageblock. A 1 TiB machine needs
// 3 GiB of host memory.
#pragma once

#include <cstdint>
#include <vector>

#include "model/types.h"
#include "model/zeroed_array.h"

namespace buddysim::model {

// What a frame is, seen from the allocator. Only block heads carry a state
// other than Tail; frames inside a block stay Tail (zero) and are never read.
enum class FrameState : std::uint8_t {
  Tail = 0,   // inside a block (free, allocated or on a pcp list), or never freed
  Buddy,      // head of a free block on a buddy free list (PageBuddy)
  Pcp,        // head of a block on a per-cpu list
  Allocated,  // head of a block handed out by the allocator
  Reserved,   // memblock-reserved or hole: never part of the buddy system
};

enum FrameFlag : std::uint8_t {
  FRAME_MOVABLE = 1u << 0,     // allocated for movable content (PageLRU / movable_ops)
  FRAME_PFMEMALLOC = 1u << 1,  // allocated with ALLOC_NO_WATERMARKS
  FRAME_COMPOUND = 1u << 2,    // allocated with __GFP_COMP and order > 0
};

inline constexpr std::uint32_t NIL = 0xffffffffu;

// Zero-initialised (anonymous memory). next/prev are meaningful only while the frame
// heads a block on a list (state Buddy or Pcp).
struct Frame {
  std::uint32_t next;
  std::uint32_t prev;
  FrameState state;
  std::uint8_t order;
  std::uint8_t flags;
  std::uint8_t unused;
};
static_assert(sizeof(Frame) == 12, "a frame descriptor must stay at 12 bytes");

// Pageblock bits: migratetype in the low 3 bits, then the standalone bits.
enum PageblockBit : std::uint8_t { PB_migratetype_mask = 0x7, PB_compact_skip = 1u << 3, PB_migrate_isolate = 1u << 4 };

class FrameTable {
 public:
  FrameTable() = default;
  explicit FrameTable(Pfn end_pfn);

  Pfn end_pfn() const { return end_pfn_; }
  Frame &operator[](Pfn pfn) { return frames_[slot(pfn)]; }
  const Frame &operator[](Pfn pfn) const { return frames_[slot(pfn)]; }

  int pageblock_migratetype(Pfn pfn) const {
    std::uint8_t bits = pageblock_[pfn >> pageblock_order];
    return (bits & PB_migrate_isolate) ? MIGRATE_ISOLATE : (bits & PB_migratetype_mask);
  }
  // The raw type, ignoring the isolate bit.
  int pageblock_base_migratetype(Pfn pfn) const { return pageblock_[pfn >> pageblock_order] & PB_migratetype_mask; }
  void set_pageblock_migratetype(Pfn pfn, int mt) {
    auto &bits = pageblock_[pfn >> pageblock_order];
    bits = static_cast<std::uint8_t>((bits & ~(PB_migratetype_mask | PB_migrate_isolate)) | mt);
  }
  std::uint8_t pageblock_bits(Pfn pfn) const { return pageblock_[pfn >> pageblock_order]; }

  // Host memory the table may use: one descriptor per frame, one byte per pageblock.
  std::size_t host_bytes() const { return end_pfn_ * sizeof(Frame) + pageblock_.size(); }

 private:
  // Descriptors are stored in runs of 64 consecutive frames (buddies up to
  // order 5 share host cache lines), but the runs are grouped by their
  // position inside a MAX_PAGE_ORDER block: the heads of all max-order
  // blocks, the only descriptors a boot writes, sit together in the first
  // sixteenth of the table instead of one per 12 KiB, so booting a large
  // machine touches (and the host clears) a sixteenth of the table.
  static constexpr unsigned RUN_SHIFT = 6;
  // The block count is rounded up to a power of two so that the slot is all
  // shifts; the unused tail of each group is never touched (no host memory).
  std::size_t slot(Pfn pfn) const {
    const Pfn run = (pfn >> RUN_SHIFT) & ((1ull << (MAX_PAGE_ORDER - RUN_SHIFT)) - 1);
    const Pfn block = pfn >> MAX_PAGE_ORDER;
    return static_cast<std::size_t>((run << group_shift_) | (block << RUN_SHIFT) | (pfn & ((1ull << RUN_SHIFT) - 1)));
  }

  Pfn end_pfn_ = 0;
  unsigned group_shift_ = 0;  // log2(slots in one group of runs)
  ZeroedArray<Frame> frames_;
  std::vector<std::uint8_t> pageblock_;
};

}  // namespace buddysim::model
