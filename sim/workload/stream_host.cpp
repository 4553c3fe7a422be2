#include "sim/workload/stream_host.h"

namespace buddysim::workload {

Op StreamHost::alloc(const StreamId &who, std::uint64_t now, std::uint32_t cls, unsigned order) {
  Op op;
  op.time_ns = now;
  op.cpu = who.cpu;
  op.kind = Op::Kind::Alloc;
  op.order = order;
  op.gfp = class_gfp_[cls];
  op.cls = cls;
  const BlockRef block =
      blocks_.add(Block{who.cpu, who.phase, who.stream, cls, static_cast<std::uint8_t>(order), false});
  op.tag = block.tag;
  op.handle = block.slot;
  return op;
}

std::optional<Op> StreamHost::free(BlockRef ref, std::uint64_t now) {
  const std::optional<Block> block = blocks_.release(ref);
  if (!block) return std::nullopt;
  Op op;
  op.time_ns = now;
  op.cpu = block->cpu;
  op.kind = Op::Kind::Free;
  op.order = block->order;
  op.gfp = class_gfp_[block->cls];
  op.cls = block->cls;
  op.tag = ref.tag;
  op.pfn = block->pfn;
  return op;
}

}  // namespace buddysim::workload
