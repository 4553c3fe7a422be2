// The "record" section: sampling interval, the operation log, and the two
// bounded traces of timed runs (Perfetto trace events and a VCD file).
#include <algorithm>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"

namespace buddysim::scenario {
namespace {

using namespace std::string_view_literals;

// Events beyond this would make files no viewer opens comfortably (about
// 10 GB of trace JSON).
constexpr std::int64_t kMaxTraceEvents = 100'000'000;
constexpr std::array kTraceFormats{"perfetto"sv, "none"sv};

void parse_window(const JsonValue &v, std::string_view cap_key, TraceWindow &w) {
  if (auto s = v.get("start")) w.start_ns = s->duration_ns();
  if (auto d = v.get("duration")) w.duration_ns = d->duration_ns();
  if (auto m = v.get(cap_key)) w.max_events = static_cast<std::uint64_t>(m->integer(1, kMaxTraceEvents));
}

void parse_trace(const JsonValue &v, RecordSpec &r) {
  if (v.is_string()) {
    r.perfetto = v.choice(kTraceFormats) == "perfetto";
    return;
  }
  v.check_keys(keys::kRecordTrace,
               "\"perfetto\", \"none\" or an object such as {\"format\": \"perfetto\", \"duration\": \"10ms\"}");
  r.perfetto = v.required("format", "\"perfetto\" or \"none\"").choice(kTraceFormats) == "perfetto";
  parse_window(v, "max_events", r.trace);
}

void parse_vcd(const JsonValue &v, RecordSpec &r) {
  if (!v.is_object()) {
    r.vcd = v.boolean();
    if (r.vcd) r.vcd_signals.assign(VCD_SIGNALS.begin(), VCD_SIGNALS.end());
    return;
  }
  v.check_keys(keys::kRecordVcd, "true, false or an object such as {\"signals\": [\"lock_owner\"]}");
  r.vcd = true;
  std::vector<bool> chosen(VCD_SIGNALS.size(), false);
  if (auto s = v.get("signals")) {
    for (const JsonValue &e : s->elements("signal names", 1, VCD_SIGNALS.size())) {
      const auto it = std::find(VCD_SIGNALS.begin(), VCD_SIGNALS.end(), e.choice(VCD_SIGNALS));
      if (chosen[static_cast<std::size_t>(it - VCD_SIGNALS.begin())]) e.fail("names a signal twice");
      chosen[static_cast<std::size_t>(it - VCD_SIGNALS.begin())] = true;
    }
  } else {
    chosen.assign(VCD_SIGNALS.size(), true);
  }
  for (std::size_t i = 0; i < VCD_SIGNALS.size(); ++i)
    if (chosen[i]) r.vcd_signals.emplace_back(VCD_SIGNALS[i]);
  parse_window(v, "max_changes", r.vcd_window);
}

}  // namespace

RecordSpec parse_record(const JsonValue &v) {
  v.check_keys(keys::kRecord, "an object such as {\"interval\": \"1s\", \"ops\": false}");
  RecordSpec r;
  if (auto i = v.get("interval")) r.interval_ns = i->duration_ns();
  if (auto o = v.get("ops")) r.ops = o->boolean();
  if (auto t = v.get("trace")) parse_trace(*t, r);
  if (auto c = v.get("vcd")) parse_vcd(*c, r);
  return r;
}

}  // namespace buddysim::scenario
