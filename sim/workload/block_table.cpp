#include "sim/workload/block_table.h"

#include <stdexcept>
#include <string>
#include <utility>

namespace buddysim::workload {

BlockTable::BlockTable(std::size_t phases) : live_pages_(phases, 0) {}

BlockRef BlockTable::add(const Block &block) {
  if (block.cls >= 1u << CLS_BITS || block.order >= 1u << (30 - CLS_BITS))
    throw std::length_error("workload generator: class " + std::to_string(block.cls) + " or order " +
                            std::to_string(block.order) + " beyond the block table's packing");
  if (block.stream >= streams_.size()) streams_.resize(std::size_t{block.stream} + 1);
  streams_[block.stream] = StreamPlace{block.cpu, block.phase};
  const BlockRef ref{next_tag_++, take_slot()};
  at(ref.slot) = Slot{ref.tag, 0, block.stream, block.cls | std::uint32_t{block.order} << CLS_BITS};
  return ref;
}

Block BlockTable::unpack(const Slot &slot) const {
  const StreamPlace &place = streams_[slot.stream];
  Block b;
  b.cpu = place.cpu;
  b.phase = place.phase;
  b.stream = slot.stream;
  b.cls = slot.word & ((1u << CLS_BITS) - 1);
  b.order = static_cast<std::uint8_t>((slot.word & ~(LIVE | FREE_DEFERRED)) >> CLS_BITS);
  b.live = slot.word & LIVE;
  b.free_deferred = slot.word & FREE_DEFERRED;
  b.pfn = slot.pfn;
  return b;
}

std::optional<Block> BlockTable::settle(BlockRef ref, bool ok, model::Pfn pfn) {
  Slot *slot = find(ref);
  if (!slot || slot->word & LIVE) return std::nullopt;
  const Block block = unpack(*slot);
  if (ok) {
    slot->word |= LIVE;
    slot->pfn = pfn;
    live_pages_[block.phase] += std::uint64_t{1} << block.order;
  } else {
    forget(*slot, ref.slot);
  }
  return block;
}

void BlockTable::defer_free(BlockRef ref) {
  if (Slot *slot = find(ref); slot && !(slot->word & LIVE)) slot->word |= FREE_DEFERRED;
}

std::optional<Block> BlockTable::release(BlockRef ref) {
  Slot *slot = find(ref);
  if (!slot || !(slot->word & LIVE)) return std::nullopt;
  const Block block = unpack(*slot);
  forget(*slot, ref.slot);
  live_pages_[block.phase] -= std::uint64_t{1} << block.order;
  return block;
}

bool BlockTable::is_live(BlockRef ref) const {
  const Slot *slot = find(ref);
  return slot && slot->word & LIVE;
}

bool BlockTable::is_pending(BlockRef ref) const {
  const Slot *slot = find(ref);
  return slot && !(slot->word & LIVE);
}

// ---- the slab -------------------------------------------------------------------

BlockTable::Slot *BlockTable::find(BlockRef ref) {
  return const_cast<Slot *>(static_cast<const BlockTable *>(this)->find(ref));
}

const BlockTable::Slot *BlockTable::find(BlockRef ref) const {
  if (ref.slot >= used_) return nullptr;
  const Slot &slot = at(ref.slot);
  return slot.tag == ref.tag && ref.tag != 0 ? &slot : nullptr;  // tag 0 marks a free slot
}

std::uint32_t BlockTable::take_slot() {
  if (free_ != NO_SLOT) return std::exchange(free_, static_cast<std::uint32_t>(at(free_).pfn));
  if (used_ == NO_SLOT)
    throw std::length_error("workload generator: more blocks held at once than the block table has slots");
  if (used_ >> CHUNK_BITS == chunks_.size()) chunks_.emplace_back(std::size_t{1} << CHUNK_BITS);
  return used_++;
}

void BlockTable::forget(Slot &slot, std::uint32_t index) {
  slot.tag = 0;
  slot.pfn = free_;
  free_ = index;
}

}  // namespace buddysim::workload
