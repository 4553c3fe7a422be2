#include "model/types.h"

namespace buddysim::model {

const char *migratetype_name(int mt) {
  static const char *const names[MIGRATE_TYPES] = {"Unmovable", "Movable", "Reclaimable",
                                                   "HighAtomic", "CMA", "Isolate"};
  return (mt >= 0 && mt < MIGRATE_TYPES) ? names[mt] : "Unknown";
}

const char *zone_type_name(int zt) {
  static const char *const names[MAX_NR_ZONES] = {"DMA", "DMA32", "Normal", "Movable"};
  return (zt >= 0 && zt < MAX_NR_ZONES) ? names[zt] : "Unknown";
}

}  // namespace buddysim::model
