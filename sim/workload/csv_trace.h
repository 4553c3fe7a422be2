// Replay of the compact CSV trace format:
//
//   time_ns,cpu,op,order,gfp,tag
//   # comment
//   0,0,alloc,0,GFP_KERNEL,1
//   1500,1,alloc,3,GFP_ATOMIC|__GFP_COMP,2
//   9000,0,free,,,1
//
// The header line is required and exact. Blank lines and lines starting with
// '#' are ignored. time_ns is non-decreasing. op is alloc or free. An alloc
// defines the integer tag (which must not be live); a free releases the block
// allocated under it: its order and gfp columns may be empty, and a given
// order must match the alloc's. gfp is written as ftrace prints it
// ("GFP_KERNEL|__GFP_ZERO") or in hex ("0xcc0"). Ops keep the file's tags
// and times.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "sim/workload/trace_replay.h"

namespace buddysim::workload {

class CsvTrace final : public TraceReplay {
 public:
  using Row = std::array<std::string_view, 6>;  // the columns of one line, trimmed

  explicit CsvTrace(const scenario::TraceSpec &spec);

 private:
  // What the trace has done with a tag so far; kept after the free so that a
  // second free can be told apart from a free of a tag never allocated.
  struct TagRecord {
    std::uint64_t line = 0;  // of the alloc while live, of the free after
    model::gfp_t gfp = 0;
    std::uint32_t cls = 0;
    unsigned order = 0;
    bool live = false;
  };

  std::optional<Op> parse_line(std::string_view line) override;
  void finish() override;
  Op parse_row(const Row &row);
  void check_time_order(const Op &op) const;
  void define_tag(Op &op);
  void release_tag(Op &op, std::string_view order_column);

  bool header_seen_ = false;
  std::uint64_t last_time_ = 0;
  std::uint64_t last_time_line_ = 0;  // 0 until the first op
  std::unordered_map<std::uint64_t, TagRecord> tags_;
};

}  // namespace buddysim::workload
