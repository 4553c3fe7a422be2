// Replay of ftrace kmem events as text, the way `trace-cmd report`, the
// tracefs `trace`/`trace_pipe` files and `perf script` print them:
//
// clang-format off
//   cpus=4
//               bash-1234  [003] ....  1234.567890: mm_page_alloc: page=0xffffea0004a8c000 pfn=0x12a30 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO
//             <idle>-0     [001] d..2.  5678.901234: mm_page_free: page=0xffffea0004a8c000 pfn=0x12a30 order=0
// clang-format on
//
// An event line is anything (the task, which may hold spaces and dashes),
// then the CPU as "[NNN]", an optional irq-flags column of any width, the
// timestamp as SECONDS.FRACTION with 1 to 9 fraction digits and a colon, the
// event name with a colon (perf script's "kmem:" in front and sample period
// before it are allowed), and key=value
// fields in any order; tokens without '=' (the "(null)" of "page= (null)")
// and unknown keys are skipped. pfn is hex with "0x" or decimal (kernels
// before 5.x); the page pointer is not used.
//
// mm_page_alloc (pfn, order, gfp_flags) becomes an Alloc with a fresh tag
// (1, 2, ...) since the simulation hands out its own pfns; pfn 0 is a failed
// allocation (the kernel prints pfn 0 and a NULL page), replayed as an
// attempt whose block is never freed. mm_page_free (pfn, order) frees the
// live block allocated at that pfn; a different order is bad input. A
// batched free traces mm_page_free and also mm_page_free_batched for the same
// page (Documentation/trace/events-kmem.rst; the batched one comes after in
// current kernels, before in those older than 4.15), and
// mm_page_free_batched prints "order=0" whatever the folio's order: so
// mm_page_free_batched frees a live block without checking the order, and is
// otherwise taken for the companion of an mm_page_free and skipped. A free of
// a pfn the trace never allocated (allocated before tracing began, or after
// lost events) is counted as "unmatched free", once per page, never fatal; an
// alloc at a pfn still live (its free was lost) is counted too.
//
// Ignored, and counted per event name: every other event. Ignored silently:
// comments, blank lines, trace-cmd's headers ("cpus=4", "version = 6",
// "CPU 0 is empty"), stack-trace lines. "CPU:2 [LOST 57 EVENTS]" adds 57 to
// the issue "lost events". A line that names mm_page_alloc, mm_page_free or
// mm_page_free_batched but does not parse is bad input. Times are rebased so
// that the first op is at 0 and must not go backwards. GFP names of older
// kernels ("GFP_NOWARN", "__GFP_REPEAT", "__GFP_NOTRACK", ...) are translated
// to 6.18 flags and counted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sim/workload/trace_replay.h"

namespace buddysim::workload {

class FtraceTrace final : public TraceReplay {
 public:
  explicit FtraceTrace(const scenario::TraceSpec &spec);

  // One event line cut into its parts (views into the line).
  struct EventLine {
    int cpu = 0;
    std::uint64_t time_ns = 0;  // as printed, not rebased
    std::string_view name;      // without the colon and without "kmem:"
    std::string_view fields;    // everything after the name
  };

 private:
  // What the trace last did at a pfn: allocated it, or freed it through
  // mm_page_free or mm_page_free_batched and may still print the other.
  enum class PfnState : std::uint8_t { Live, FreedByFree, FreedByBatched };
  struct PfnRecord {
    std::uint64_t tag = 0;
    std::uint64_t line = 0;  // of the alloc
    model::gfp_t gfp = 0;
    std::uint32_t cls = 0;
    unsigned order = 0;
    PfnState state = PfnState::Live;
  };

  std::optional<Op> parse_line(std::string_view line) override;
  std::optional<Op> on_page_event(const EventLine &event);
  std::optional<Op> on_alloc(const EventLine &event);
  std::optional<Op> on_free(const EventLine &event, bool batched);
  Op emit_free(const EventLine &event, PfnRecord &record, bool batched);
  Op make_op(Op::Kind kind, const EventLine &event);
  void check_time_order(std::uint64_t time_ns) const;
  void note_other_line(std::string_view content);
  void note_ignored_event(std::string_view name);

  std::unordered_map<model::Pfn, PfnRecord> pfns_;
  std::uint64_t next_tag_ = 1;
  std::optional<std::uint64_t> base_ns_;  // time of the first op
  std::uint64_t last_ns_ = 0;
  std::uint64_t last_line_ = 0;  // 0 until the first page event
  std::string kind_scratch_;     // reused so counting an ignored event allocates nothing
};

}  // namespace buddysim::workload
