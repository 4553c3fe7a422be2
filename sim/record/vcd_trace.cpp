// signals.vcd (IEEE 1364 value change dump) for GTKWave. Written by hand
// rather than with sc_trace: sc_trace samples variables at global delta
// cycles, while loosely-timed CPUs change state at their own local times,
// and a window and a cap need control over what is written.
#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "sim/record/timeline.h"

namespace buddysim::record {

namespace {

struct Var {
  std::string name;
  unsigned width;
  std::string initial;  // "b0", "bx", ...
};

struct Change {
  TimePs at;
  std::size_t var;
  std::string value;  // "b101", "bx"
};

std::string binary(std::uint64_t v) {
  if (v == 0) return "b0";
  std::string bits;
  for (; v; v >>= 1) bits.insert(bits.begin(), static_cast<char>('0' + (v & 1)));
  return "b" + bits;
}

// VCD identifiers: printable ASCII from '!' to '~'.
std::string code(std::size_t i) {
  std::string id;
  do {
    id += static_cast<char>('!' + i % 94);
    i /= 94;
  } while (i);
  return id;
}

std::string reference(const std::string &name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  while (!out.empty() && out.front() == '_') out.erase(out.begin());
  return out;
}

// A signal's value as steps: +1/-1 counts (or owner hand-overs) at times.
// Ends sort before starts at the same time, so a hand-off at one instant
// does not look like two owners.
struct Step {
  TimePs at;
  int delta;  // -1 end, +1 start
  int who;
};

template <typename Value>
void emit_steps(std::vector<Step> steps, std::size_t var, Value value_after, std::vector<Change> &out) {
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Step &a, const Step &b) { return std::tie(a.at, a.delta) < std::tie(b.at, b.delta); });
  std::string last;
  for (std::size_t i = 0; i < steps.size();) {
    const TimePs at = steps[i].at;
    std::string value;
    for (; i < steps.size() && steps[i].at == at; ++i) value = value_after(steps[i]);
    if (value != last) out.push_back({at, var, value});
    last = value;
  }
}

void cpu_states(const Timeline &t, const std::vector<LockSlice> &locks, std::vector<Var> &vars,
                std::vector<Change> &out) {
  std::vector<std::vector<Step>> steps(static_cast<std::size_t>(t.nr_cpus()));
  for (const OpSlice &s : t.ops()) {
    steps[static_cast<std::size_t>(s.cpu)].push_back({s.start, +1, 1});
    steps[static_cast<std::size_t>(s.cpu)].push_back({s.end, -1, 1});
  }
  for (const LockSlice &s : locks) {
    if (!s.wait) continue;
    steps[static_cast<std::size_t>(s.cpu)].push_back({s.start, +1, 2});
    steps[static_cast<std::size_t>(s.cpu)].push_back({s.end, -1, 2});
  }
  for (int c = 0; c < t.nr_cpus(); ++c) {
    vars.push_back({"cpu" + std::to_string(c) + "_state", 2, "b0"});
    int busy = 0, spinning = 0;
    emit_steps(steps[static_cast<std::size_t>(c)], vars.size() - 1,
               [&](const Step &s) {
                 (s.who == 2 ? spinning : busy) += s.delta;
                 return binary(spinning > 0 ? 2 : busy > 0 ? 1 : 0);
               },
               out);
  }
}

// Per shared lock: its owner (x when free) or its number of waiters.
void lock_signals(const Timeline &t, const std::vector<LockSlice> &locks, bool owner, std::vector<Var> &vars,
                  std::vector<Change> &out) {
  std::map<std::uint32_t, std::vector<Step>> steps;
  for (const LockSlice &s : locks) {
    if (!s.shared || s.wait == owner) continue;
    steps[s.lock].push_back({s.start, +1, s.cpu});
    steps[s.lock].push_back({s.end, -1, s.cpu});
  }
  for (auto &[lock, list] : steps) {
    vars.push_back({reference(t.lock_names()[lock]) + (owner ? "_owner" : "_waiters"), 16, owner ? "bx" : "b0"});
    int count = 0;
    emit_steps(list, vars.size() - 1,
               [&](const Step &s) {
                 count += s.delta;
                 if (owner) return s.delta > 0 ? binary(static_cast<std::uint64_t>(s.who)) : std::string("bx");
                 return binary(static_cast<std::uint64_t>(count));
               },
               out);
  }
}

void free_pages(const Timeline &t, std::vector<Var> &vars, std::vector<Change> &out) {
  const std::size_t first = vars.size();
  for (const std::string &z : t.zone_names()) vars.push_back({reference(z) + "_free_pages", 64, "bx"});
  for (const CounterSample &c : t.counters()) out.push_back({c.at, first + c.zone, binary(c.pages)});
}

}  // namespace

std::string render_vcd(const Timeline &t, const std::vector<std::string> &signals) {
  const std::vector<LockSlice> locks = t.locks();
  std::vector<Var> vars;
  std::vector<Change> changes;
  const auto wanted = [&](const char *s) { return std::find(signals.begin(), signals.end(), s) != signals.end(); };
  if (wanted("cpu_state")) cpu_states(t, locks, vars, changes);
  if (wanted("lock_owner")) lock_signals(t, locks, true, vars, changes);
  if (wanted("lock_queue")) lock_signals(t, locks, false, vars, changes);
  if (wanted("free_pages")) free_pages(t, vars, changes);
  std::stable_sort(changes.begin(), changes.end(),
                   [](const Change &a, const Change &b) { return std::tie(a.at, a.var) < std::tie(b.at, b.var); });

  std::string out = "$version buddysim $end\n$comment cpuN_state: 0 idle, 1 in the allocator, 2 spinning on a lock; "
                    "*_owner: the CPU holding a shared lock (x when free) $end\n$timescale 1ps $end\n"
                    "$scope module buddysim $end\n";
  for (std::size_t i = 0; i < vars.size(); ++i)
    out += "$var wire " + std::to_string(vars[i].width) + " " + code(i) + " " + vars[i].name + " $end\n";
  out += "$upscope $end\n$enddefinitions $end\n#" + std::to_string(t.window().start_ns * 1000) + "\n$dumpvars\n";
  for (std::size_t i = 0; i < vars.size(); ++i) out += vars[i].initial + " " + code(i) + "\n";
  out += "$end\n";
  const std::uint64_t cap = t.window().max_events;
  std::uint64_t written = 0;
  TimePs current = t.window().start_ns * 1000;
  for (const Change &c : changes) {
    if (written == cap) {
      out += "$comment stopped after max_changes = " + std::to_string(cap) + " value changes $end\n";
      break;
    }
    if (c.at > current) out += "#" + std::to_string(c.at) + "\n";
    current = std::max(current, c.at);
    out += c.value + " " + code(c.var) + "\n";
    ++written;
  }
  if (t.dropped())
    out += "$comment " + std::to_string(t.dropped()) + " events after the cap were not recorded $end\n";
  return out;
}

}  // namespace buddysim::record
