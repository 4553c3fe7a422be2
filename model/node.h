// struct pglist_data: one NUMA node, its zones and its zonelists.
#pragma once

#include <array>
#include <vector>

#include "model/zone.h"

namespace buddysim::model {

struct Node {
  int id = 0;
  Pfn node_start_pfn = 0;
  unsigned long node_spanned_pages = 0;
  unsigned long node_present_pages = 0;
  std::array<Zone, MAX_NR_ZONES> zones;
  std::vector<int> cpus;
  // ZONELIST_FALLBACK: populated zones of every node, node-ordered, highest zone first.
  std::vector<Zone *> zonelist_fallback;
  // ZONELIST_NOFALLBACK (__GFP_THISNODE): this node's populated zones only.
  std::vector<Zone *> zonelist_nofallback;
  std::vector<int> node_order;  // the "Fallback order for Node N" the kernel prints
  unsigned long kswapd_wakeups = 0;
};

}  // namespace buddysim::model
