// The "workload" section: a trace to replay, or a list of phases and
// patterns that run one after another unless given a "start".
#include <system_error>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"

namespace buddysim::scenario {
namespace {

namespace fs = std::filesystem;
using namespace std::string_view_literals;

constexpr std::array kFormats{"csv"sv, "ftrace"sv};
constexpr std::array kPolicies{"strict"sv, "lenient"sv};

// Relative to the scenario's folder; stored absolute so that the effective
// configuration means the same file wherever it is read from.
fs::path resolve_trace(const JsonValue &v, const fs::path &source) {
  const std::string file = v.string("a file path");
  if (file.empty()) v.expected("a file path");
  const fs::path shown =
      (fs::path(file).is_relative() ? source.parent_path() / file : fs::path(file)).lexically_normal();
  std::error_code ec;
  if (!fs::is_regular_file(shown, ec))
    v.expected("an existing trace file", " (there is no file " + shown.string() + ")");
  return fs::absolute(shown, ec).lexically_normal();
}

TraceSpec parse_trace(const JsonValue &v, const fs::path &source) {
  v.check_keys(keys::kTrace, "an object such as {\"format\": \"csv\", \"file\": \"trace.csv\"}");
  TraceSpec t;
  if (auto f = v.get("format"))
    t.format = f->choice(kFormats) == "csv" ? TraceSpec::Format::Csv : TraceSpec::Format::Ftrace;
  t.path = resolve_trace(v.required("file", "a file path"), source);
  if (auto p = v.get("policy"))
    t.policy = p->choice(kPolicies) == "strict" ? TraceSpec::Policy::Strict : TraceSpec::Policy::Lenient;
  return t;
}

std::uint64_t memory_pages(const model::MachineLayout &m) {
  std::uint64_t bytes = 0;
  for (const auto &n : m.nodes)
    for (const auto &r : n.memory) bytes += r.size;
  return bytes / model::PAGE_SIZE;
}

// Phase names identify phases in results and in "of"; each is used once.
void check_name(const Phase &p, const JsonValue &entry, const std::vector<Phase> &phases,
                const std::vector<std::string> &origins) {
  for (std::size_t i = 0; i < phases.size(); ++i)
    if (phases[i].name == p.name)
      entry.get("name").value_or(entry).fail("phase name \"" + p.name + "\" is already used by " + origins[i] +
                                             "; give each phase its own \"name\"");
}

std::vector<Phase> parse_phases(const JsonValue &v, const model::MachineLayout &machine) {
  std::vector<Phase> phases;
  std::vector<std::string> origins;  // the entry each phase came from
  const std::vector<JsonValue> entries = v.elements("phases", 1, SIZE_MAX);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::uint64_t previous_end = phases.empty() ? 0 : phases.back().start_ns + phases.back().duration_ns;
    const PhaseContext ctx{machine, memory_pages(machine), phases, previous_end, i};
    const JsonValue &entry = entries[i];
    const std::vector<Phase> added =
        entry.has("pattern") ? expand_pattern(entry, ctx) : std::vector{parse_phase(entry, ctx)};
    for (const Phase &p : added) {
      check_name(p, entry, phases, origins);
      phases.push_back(p);
      origins.push_back(entry.pointer());
    }
  }
  return phases;
}

}  // namespace

WorkloadSpec parse_workload(const JsonValue &v, const model::MachineLayout &machine, const fs::path &source) {
  v.check_keys(keys::kWorkload, "an object with \"phases\" or \"trace\"");
  const auto trace = v.get("trace"), phases = v.get("phases");
  if (trace && phases) v.fail("\"trace\" and \"phases\" exclude each other: replay a trace or generate phases");
  if (!trace && !phases) v.expected("an object with \"phases\" or \"trace\"");
  WorkloadSpec w;
  if (trace)
    w.trace = parse_trace(*trace, source);
  else
    w.phases = parse_phases(*phases, machine);
  return w;
}

}  // namespace buddysim::scenario
