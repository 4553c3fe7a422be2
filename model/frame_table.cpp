#include "model/frame_table.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <new>
#include <stdexcept>

namespace buddysim::model {

void FrameTable::Unmap::operator()(Frame *p) const { munmap(p, bytes); }

FrameTable::FrameTable(Pfn end_pfn) : end_pfn_(end_pfn) {
  if (end_pfn >= NIL) throw std::invalid_argument("machine too large: frame numbers must fit in 32 bits (16 TiB)");
  // Anonymous zero pages, backed by huge pages where the host allows: fewer
  // faults as the simulation spreads over the table.
  const Pfn blocks = std::bit_ceil(std::max<Pfn>((end_pfn + (1ull << MAX_PAGE_ORDER) - 1) >> MAX_PAGE_ORDER, 1));
  group_shift_ = static_cast<unsigned>(std::countr_zero(blocks)) + RUN_SHIFT;
  slots_ = static_cast<std::size_t>(blocks << MAX_PAGE_ORDER);
  const std::size_t bytes = slots_ * sizeof(Frame);
  void *raw = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  madvise(raw, bytes, MADV_HUGEPAGE);
  frames_ = std::unique_ptr<Frame, Unmap>(static_cast<Frame *>(raw), Unmap{bytes});
  pageblock_.assign((end_pfn + pageblock_nr_pages - 1) >> pageblock_order, MIGRATE_MOVABLE);
}

}  // namespace buddysim::model
