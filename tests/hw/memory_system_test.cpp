// MemorySystem without SystemC: what a miss costs and what reaches DRAM.
#include <gtest/gtest.h>

#include "sim/hw/memory/memory_system.h"

namespace buddysim::hw {
namespace {

MemorySystemConfig two_sockets() {
  MemorySystemConfig mc;
  mc.directory.cpu_socket = {0, 0, 1, 1};
  mc.interconnect.distance = Interconnect::uniform_distance(2);
  return mc;
}

TEST(MemorySystem, AStoreMissReadsTheLineLikeALoadMiss) {
  // A store that misses fetches the line for ownership: a DRAM read, at a
  // load's latency; the write to DRAM happens only when the dirty line is
  // evicted, off the CPU's path.
  MemorySystem loads(two_sockets()), stores(two_sockets());
  const Ps load = loads.access(0, 0x1000, 0, 0x1000, /*write=*/false, 0);
  const Ps store = stores.access(0, 0x1000, 0, 0x1000, /*write=*/true, 0);
  EXPECT_EQ(store, load);
  EXPECT_EQ(stores.stats().dram_reads, 1u);
  EXPECT_EQ(stores.stats().dram_writes, 0u);
}

TEST(MemorySystem, ClearingAPageWritesEveryLine) {
  MemorySystem memory(two_sockets());
  const Ps took = memory.clear(2, 0x200000, 4096, 0, 0);
  EXPECT_EQ(memory.stats().dram_writes, 4096u / LINE_BYTES);
  EXPECT_EQ(memory.stats().dram_reads, 0u);
  EXPECT_GT(took, 0u);
}

}  // namespace
}  // namespace buddysim::hw
