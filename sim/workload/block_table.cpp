#include "sim/workload/block_table.h"

namespace buddysim::workload {

namespace {
constexpr unsigned kInitialBits = 10;
}  // namespace

BlockTable::BlockTable(std::size_t phases)
    : slots_(std::size_t{1} << kInitialBits), shift_(64 - kInitialBits), live_pages_(phases, 0) {}

std::uint64_t BlockTable::add(const Block &block) {
  const std::uint64_t tag = next_tag_++;
  Block pending = block;
  pending.live = false;
  insert(tag, pending);
  return tag;
}

std::optional<Block> BlockTable::settle(std::uint64_t tag, bool ok) {
  Slot *slot = find(tag);
  if (!slot || slot->block.live) return std::nullopt;
  const Block block = slot->block;
  if (ok) {
    slot->block.live = true;
    live_pages_[block.phase] += std::uint64_t{1} << block.order;
  } else {
    erase(slot);
  }
  return block;
}

void BlockTable::defer_free(std::uint64_t tag) {
  if (Slot *slot = find(tag); slot && !slot->block.live) slot->block.free_deferred = true;
}

std::optional<Block> BlockTable::release(std::uint64_t tag) {
  Slot *slot = find(tag);
  if (!slot || !slot->block.live) return std::nullopt;
  const Block block = slot->block;
  erase(slot);
  live_pages_[block.phase] -= std::uint64_t{1} << block.order;
  return block;
}

bool BlockTable::is_live(std::uint64_t tag) const {
  const Slot *slot = find(tag);
  return slot && slot->block.live;
}

bool BlockTable::is_pending(std::uint64_t tag) const {
  const Slot *slot = find(tag);
  return slot && !slot->block.live;
}

// ---- the hash table -------------------------------------------------------------

// Fibonacci hashing: consecutive tags land far apart, so runs stay short.
std::size_t BlockTable::home(std::uint64_t tag) const {
  return static_cast<std::size_t>((tag * 0x9e3779b97f4a7c15ull) >> shift_);
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

void BlockTable::insert(std::uint64_t tag, const Block &block) {
  if (2 * (used_ + 1) > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = home(tag);
  while (slots_[i].tag != 0) i = (i + 1) & mask;
  slots_[i] = Slot{tag, block};
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
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  --shift_;
  used_ = 0;
  for (const Slot &s : old)
    if (s.tag != 0) insert(s.tag, s.block);
}

}  // namespace buddysim::workload
