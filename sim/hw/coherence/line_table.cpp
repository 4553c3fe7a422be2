#include "sim/hw/coherence/line_table.h"

#include <bit>
#include <utility>

namespace buddysim::hw {

LineTable::LineTable(Line dense_first, std::size_t dense_lines)
    : slots_(INITIAL_SLOTS),
      mask_(INITIAL_SLOTS - 1),
      shift_(64 - static_cast<unsigned>(std::countr_zero(INITIAL_SLOTS))),
      dense_first_(dense_first),
      dense_(dense_lines) {}

std::size_t LineTable::find_slot(Line line) const {
  for (std::size_t i = home_slot(line);; i = (i + 1) & mask_) {
    const std::uint64_t key = slots_[i].key;
    if (key == 0) return NOT_FOUND;
    if (LineRecord::widen(key & LineRecord::LINE_MASK) == line) return i;
  }
}

LineRecord &LineTable::insert(Line line) {
  if (LineRecord *d = dense_slot(line)) {
    d->key = line & LineRecord::LINE_MASK;
    d->set_state(LineState::Shared);
    ++dense_used_;
    return *d;
  }
  if (MAX_LOAD_DEN * (hashed_ + 1) > MAX_LOAD_NUM * slots_.size()) grow();
  std::size_t i = home_slot(line);
  while (slots_[i].key != 0) i = (i + 1) & mask_;
  slots_[i].key = line & LineRecord::LINE_MASK;
  slots_[i].set_state(LineState::Shared);
  ++hashed_;
  return slots_[i];
}

// Backward shift: later members of the probe run move into the hole unless
// their home slot lies cyclically in (hole, position], so every remaining
// record stays reachable from its home without tombstones.
void LineTable::erase(Line line) {
  if (LineRecord *d = dense_slot(line)) {
    if (d->key != 0) --dense_used_;
    d->key = 0;
    return;
  }
  const std::size_t found = find_slot(line);
  if (found == NOT_FOUND) return;
  std::size_t hole = found;
  for (std::size_t j = (hole + 1) & mask_; slots_[j].key != 0; j = (j + 1) & mask_) {
    const std::size_t home = home_slot(slots_[j].line());
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = slots_[j];
    hole = j;
  }
  slots_[hole].key = 0;
  --hashed_;
}

void LineTable::grow() {
  model::ZeroedArray<LineRecord> old = std::move(slots_);
  slots_ = model::ZeroedArray<LineRecord>(old.size() * 2);
  mask_ = slots_.size() - 1;
  --shift_;
  hashed_ = 0;
  for (const LineRecord &record : old) {
    if (record.key != 0) insert(record.line()) = record;
  }
}

}  // namespace buddysim::hw
