// trace.json in the Chrome trace-event format (the "JSON Array/Object
// Format" that ui.perfetto.dev and chrome://tracing import): metadata events
// name the tracks, complete events ("X") are slices, counter events ("C")
// are counters. Written as text: a million events would make a JSON tree
// several times the size of the file.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>
#include <tuple>
#include <vector>

#include "sim/record/alloc_paths.h"
#include "sim/record/timeline.h"

namespace buddysim::record {

namespace {

constexpr int CPU_PID = 0;
constexpr int MEMORY_PID = 1;

std::string escaped(const std::string &s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// Trace-event times are microseconds; six decimals keep every picosecond.
std::string us(TimePs ps) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRIu64 ".%06" PRIu64, ps / 1'000'000, ps % 1'000'000);
  return buf;
}

class Writer {
 public:
  void event(const std::string &body) {
    out_ += first_ ? "\n    " : ",\n    ";
    out_ += "{" + body + "}";
    first_ = false;
  }
  std::string &text() { return out_; }

 private:
  std::string out_;
  bool first_ = true;
};

std::string meta(int pid, int tid, const char *what, const std::string &name) {
  return "\"ph\": \"M\", \"pid\": " + std::to_string(pid) + ", \"tid\": " + std::to_string(tid) + ", \"name\": \"" +
         what + "\", \"args\": {\"name\": \"" + escaped(name) + "\"}";
}

std::string slice(int tid, TimePs start, TimePs end, const std::string &name, const char *cat,
                  const std::string &args) {
  return "\"ph\": \"X\", \"pid\": " + std::to_string(CPU_PID) + ", \"tid\": " + std::to_string(tid) + ", \"ts\": " +
         us(start) + ", \"dur\": " + us(end - start) + ", \"name\": \"" + escaped(name) + "\", \"cat\": \"" + cat +
         "\", \"args\": {" + args + "}";
}

std::string counter(TimePs at, const std::string &name, const char *series, std::uint64_t value) {
  return "\"ph\": \"C\", \"pid\": " + std::to_string(MEMORY_PID) + ", \"tid\": 0, \"ts\": " + us(at) +
         ", \"name\": \"" + escaped(name) + "\", \"args\": {\"" + series + "\": " + std::to_string(value) + "}";
}

const char *op_name(OpSlice::Kind k) {
  switch (k) {
    case OpSlice::Kind::Alloc: return "alloc";
    case OpSlice::Kind::Free: return "free";
    case OpSlice::Kind::Vmstat: return "vmstat_update";
  }
  return "?";
}

std::string op_args(const OpSlice &s) {
  if (s.kind == OpSlice::Kind::Vmstat) return "";
  const TimePs due_ps = s.due_ns * 1000;
  std::string a = "\"order\": " + std::to_string(s.order);
  if (s.gfp) a += ", \"gfp\": \"" + model::format_gfp_flags(s.gfp) + "\"";
  if (s.kind == OpSlice::Kind::Alloc) a += ", \"path\": \"" + path_names(s.path) + "\"";
  if (s.ok) a += ", \"pfn\": " + std::to_string(s.pfn);
  a += std::string(", \"result\": \"") + (s.ok ? "ok" : "fail") + "\"";
  a += ", \"due_ns\": " + std::to_string(s.due_ns);
  a += ", \"latency_ns\": " + std::to_string((s.end - std::min(s.end, due_ps) + 500) / 1000);
  return a;
}

// Waiters of each shared lock over time, from the wait slices.
void queue_counters(const Timeline &t, const std::vector<LockSlice> &locks, Writer &w) {
  std::multimap<TimePs, std::pair<std::uint32_t, int>> steps;  // time -> (lock, +1/-1); ordered, ties by insertion
  for (const LockSlice &s : locks) {
    if (!s.wait || !s.shared) continue;
    steps.emplace(s.start, std::make_pair(s.lock, +1));
    steps.emplace(s.end, std::make_pair(s.lock, -1));
  }
  std::map<std::uint32_t, std::int64_t> waiting;
  for (auto it = steps.begin(); it != steps.end();) {
    const TimePs at = it->first;
    std::map<std::uint32_t, bool> touched;
    for (; it != steps.end() && it->first == at; ++it) {
      waiting[it->second.first] += it->second.second;
      touched[it->second.first] = true;
    }
    for (const auto &[lock, unused] : touched)
      w.event(counter(at, "waiters " + t.lock_names()[lock], "cpus", static_cast<std::uint64_t>(waiting[lock])));
  }
}

}  // namespace

std::string render_perfetto(const Timeline &t, const std::string &scenario_name) {
  Writer w;
  w.event(meta(CPU_PID, 0, "process_name", "CPUs"));
  for (int c = 0; c < t.nr_cpus(); ++c) w.event(meta(CPU_PID, c, "thread_name", "cpu" + std::to_string(c)));
  w.event(meta(MEMORY_PID, 0, "process_name", "zones and locks"));
  // Operations and lock slices in one stream by start, longer first, so
  // every track reads in time order with enclosing slices before nested ones.
  struct Entry {
    TimePs start, end;
    int cpu;
    std::string body;
  };
  std::vector<Entry> entries;
  for (const OpSlice &s : t.ops())
    entries.push_back({s.start, s.end, s.cpu, slice(s.cpu, s.start, s.end, op_name(s.kind), "op", op_args(s))});
  const std::vector<LockSlice> locks = t.locks();
  for (const LockSlice &s : locks) {
    const std::string &name = t.lock_names()[s.lock];
    entries.push_back({s.start, s.end, s.cpu,
                       slice(s.cpu, s.start, s.end, (s.wait ? "wait " : "hold ") + name, "lock",
                             "\"lock\": \"" + escaped(name) + "\"")});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry &a, const Entry &b) {
    return std::make_tuple(a.start, b.end, a.cpu) < std::make_tuple(b.start, a.end, b.cpu);
  });
  for (const Entry &e : entries) w.event(e.body);
  for (const CounterSample &c : t.counters())
    w.event(counter(c.at, "free pages " + t.zone_names()[c.zone], "pages", c.pages));
  queue_counters(t, locks, w);
  const scenario::TraceWindow &win = t.window();
  return "{\n  \"displayTimeUnit\": \"ns\",\n  \"otherData\": {\"generator\": \"buddysim\", \"scenario\": \"" +
         escaped(scenario_name) + "\", \"window_start_ns\": " + std::to_string(win.start_ns) +
         ", \"window_duration_ns\": " + std::to_string(win.duration_ns) +
         ", \"max_events\": " + std::to_string(win.max_events) + ", \"events_dropped_at_cap\": " +
         std::to_string(t.dropped()) + "},\n  \"traceEvents\": [" + w.text() + "\n  ]\n}\n";
}

}  // namespace buddysim::record
