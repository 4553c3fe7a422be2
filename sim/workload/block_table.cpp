#include "sim/workload/block_table.h"

#include <stdexcept>
#include <string>

namespace buddysim::workload {

namespace {
constexpr unsigned kInitialBits = 10;
}  // namespace

BlockTable::BlockTable(std::size_t phases)
    : slots_(std::size_t{1} << kInitialBits), shift_(64 - kInitialBits), live_pages_(phases, 0) {}

std::uint64_t BlockTable::add(const Block &block) {
  if (block.cls >= 1u << CLS_BITS || block.order >= 1u << (30 - CLS_BITS))
    throw std::length_error("workload generator: class " + std::to_string(block.cls) + " or order " +
                            std::to_string(block.order) + " beyond the block table's packing");
  if (block.stream >= streams_.size()) streams_.resize(std::size_t{block.stream} + 1);
  streams_[block.stream] = StreamPlace{block.cpu, block.phase};
  const std::uint64_t tag = next_tag_++;
  insert(Slot{tag, 0, block.stream, block.cls | std::uint32_t{block.order} << CLS_BITS});
  return tag;
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

std::optional<Block> BlockTable::settle(std::uint64_t tag, bool ok, model::Pfn pfn) {
  Slot *slot = find(tag);
  if (!slot || slot->word & LIVE) return std::nullopt;
  const Block block = unpack(*slot);
  if (ok) {
    slot->word |= LIVE;
    slot->pfn = pfn;
    live_pages_[block.phase] += std::uint64_t{1} << block.order;
  } else {
    erase(slot);
  }
  return block;
}

void BlockTable::defer_free(std::uint64_t tag) {
  if (Slot *slot = find(tag); slot && !(slot->word & LIVE)) slot->word |= FREE_DEFERRED;
}

std::optional<Block> BlockTable::release(std::uint64_t tag) {
  Slot *slot = find(tag);
  if (!slot || !(slot->word & LIVE)) return std::nullopt;
  const Block block = unpack(*slot);
  erase(slot);
  live_pages_[block.phase] -= std::uint64_t{1} << block.order;
  return block;
}

bool BlockTable::is_live(std::uint64_t tag) const {
  const Slot *slot = find(tag);
  return slot && slot->word & LIVE;
}

bool BlockTable::is_pending(std::uint64_t tag) const {
  const Slot *slot = find(tag);
  return slot && !(slot->word & LIVE);
}

// ---- the hash table -------------------------------------------------------------

// Runs of consecutive tags side by side, the runs spread by Fibonacci hashing.
std::size_t BlockTable::home(std::uint64_t tag) const {
  const std::uint64_t run = ((tag >> RUN_BITS) * 0x9e3779b97f4a7c15ull) >> (shift_ + RUN_BITS);
  return static_cast<std::size_t>(run << RUN_BITS | (tag & ((1u << RUN_BITS) - 1)));
}

BlockTable::Slot *BlockTable::find(std::uint64_t tag) {
  return const_cast<Slot *>(static_cast<const BlockTable *>(this)->find(tag));
}

const BlockTable::Slot *BlockTable::find(std::uint64_t tag) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(tag);; i = (i + 1) & mask) {
    if (slots_[i].tag == tag) return &slots_[i];
    if (slots_[i].tag == 0) return nullptr;
  }
}

void BlockTable::insert(const Slot &slot) {
  if (MAX_LOAD_DEN * (used_ + 1) > MAX_LOAD_NUM * slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(slot.tag);
  while (slots_[i].tag != 0) i = (i + 1) & mask;
  slots_[i] = slot;
  ++used_;
}

void BlockTable::erase(Slot *slot) {
  // Backward-shift deletion: pull later members of the probe run into the
  // hole when their home does not lie between the hole and them, so lookups
  // never need tombstones.
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = static_cast<std::size_t>(slot - slots_.data());
  for (std::size_t j = (hole + 1) & mask; slots_[j].tag != 0; j = (j + 1) & mask) {
    const std::size_t h = home(slots_[j].tag);
    const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole].tag = 0;
  --used_;
}

void BlockTable::grow() {
  model::ZeroedArray<Slot> old(slots_.size() * 2);
  std::swap(old, slots_);
  --shift_;
  used_ = 0;
  for (const Slot &s : old)
    if (s.tag != 0) insert(s);
}

}  // namespace buddysim::workload
