#include "model/frame_table.h"

#include <sys/mman.h>

#include <new>
#include <stdexcept>

namespace buddysim::model {

void FrameTable::Unmap::operator()(Frame *p) const { munmap(p, bytes); }

FrameTable::FrameTable(Pfn end_pfn) : end_pfn_(end_pfn) {
  if (end_pfn >= NIL) throw std::invalid_argument("machine too large: frame numbers must fit in 32 bits (16 TiB)");
  // Anonymous zero pages, backed by huge pages where the host allows: booting
  // touches one descriptor per 4 MiB block, and 4 KiB host pages would turn
  // that into one page fault per block.
  const std::size_t bytes = (end_pfn ? end_pfn : 1) * sizeof(Frame);
  void *raw = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  madvise(raw, bytes, MADV_HUGEPAGE);
  frames_ = std::unique_ptr<Frame, Unmap>(static_cast<Frame *>(raw), Unmap{bytes});
  pageblock_.assign((end_pfn + pageblock_nr_pages - 1) >> pageblock_order, MIGRATE_MOVABLE);
}

}  // namespace buddysim::model
