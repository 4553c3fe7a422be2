#include "model/frame_table.h"

#include <algorithm>
#include <bit>
#include <stdexcept>

namespace buddysim::model {

FrameTable::FrameTable(Pfn end_pfn) : end_pfn_(end_pfn) {
  if (end_pfn >= NIL) throw std::invalid_argument("machine too large: frame numbers must fit in 32 bits (16 TiB)");
  const Pfn blocks = std::bit_ceil(std::max<Pfn>((end_pfn + (1ull << MAX_PAGE_ORDER) - 1) >> MAX_PAGE_ORDER, 1));
  group_shift_ = static_cast<unsigned>(std::countr_zero(blocks)) + RUN_SHIFT;
  frames_ = ZeroedArray<Frame>(static_cast<std::size_t>(blocks << MAX_PAGE_ORDER));
  pageblock_.assign((end_pfn + pageblock_nr_pages - 1) >> pageblock_order, MIGRATE_MOVABLE);
}

}  // namespace buddysim::model
