#include "sim/hw/coherence/line_table.h"

#include <bit>
#include <stdexcept>
#include <utility>

namespace buddysim::hw {

namespace {

constexpr LineRecord empty_record(Line empty) { return LineRecord{empty, 0, -1, 0, 0, LineState::Invalid, false}; }

}  // namespace

LineTable::LineTable()
    : slots_(INITIAL_SLOTS, empty_record(EMPTY)),
      mask_(INITIAL_SLOTS - 1),
      shift_(64 - static_cast<unsigned>(std::countr_zero(INITIAL_SLOTS))) {}

// Fibonacci hashing: consecutive lines (neighbouring struct pages) spread
// over the table instead of forming one long probe run.
std::size_t LineTable::home_slot(Line line) const {
  constexpr std::uint64_t GOLDEN = 0x9e3779b97f4a7c15ull;
  return static_cast<std::size_t>((line * GOLDEN) >> shift_);
}

std::size_t LineTable::find_slot(Line line) const {
  for (std::size_t i = home_slot(line);; i = (i + 1) & mask_) {
    if (slots_[i].line == line) return i;
    if (slots_[i].line == EMPTY) return NOT_FOUND;
  }
}

LineRecord &LineTable::insert(Line line) {
  if (line == EMPTY) throw std::invalid_argument("LineTable::insert: line number out of range");
  if (2 * (size_ + 1) > slots_.size()) grow();
  std::size_t i = home_slot(line);
  while (slots_[i].line != EMPTY) i = (i + 1) & mask_;
  slots_[i].line = line;
  ++size_;
  return slots_[i];
}

// Backward shift: later members of the probe run move into the hole unless
// their home slot lies cyclically in (hole, position], so every remaining
// record stays reachable from its home without tombstones.
void LineTable::erase(Line line) {
  std::size_t hole = home_slot(line);
  while (slots_[hole].line != line) {
    if (slots_[hole].line == EMPTY) return;
    hole = (hole + 1) & mask_;
  }
  for (std::size_t j = (hole + 1) & mask_; slots_[j].line != EMPTY; j = (j + 1) & mask_) {
    const std::size_t home = home_slot(slots_[j].line);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole].line = EMPTY;
  --size_;
}

void LineTable::grow() {
  std::vector<LineRecord> old = std::move(slots_);
  slots_.assign(old.size() * 2, empty_record(EMPTY));
  mask_ = slots_.size() - 1;
  --shift_;
  size_ = 0;
  for (const LineRecord &record : old) {
    if (record.line != EMPTY) insert(record.line) = record;
  }
}

}  // namespace buddysim::hw
