// One workload phase: its kind, CPUs, timing, allocation classes (GFP mask,
// order mix, lifetime) and the kind's own settings, with the defaults that
// docs/scenario.md documents.
#include <algorithm>
#include <array>
#include <numeric>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"
#include "model/spelling.h"
#include "sim/scenario/units.h"

namespace buddysim::scenario {
namespace {

using namespace std::string_view_literals;
using DistKind = Distribution::Kind;

constexpr std::uint64_t US = 1000, MS = 1000 * US, S = 1000 * MS;

constexpr std::uint64_t kDefaultDurationNs = 10 * S;
constexpr Distribution kDefaultInterarrival{DistKind::Exponential, 10 * US, 0};
constexpr Distribution kDefaultLifetime{DistKind::Exponential, 10 * MS, 0};
constexpr Distribution kForever{DistKind::Forever, 0, 0};
constexpr std::uint64_t kDefaultBurstOnNs = 1 * MS, kDefaultBurstPeriodNs = 10 * MS;
constexpr std::int64_t kMaxKeepEvery = 1'000'000;

constexpr std::array kKindNames{"random"sv, "fill"sv, "fragment"sv, "burst"sv};
constexpr std::array kKinds{PhaseKind::Random, PhaseKind::Fill, PhaseKind::Fragment, PhaseKind::Burst};
// In the order of Distribution::Kind, so a name's index is its kind.
constexpr std::array kDistNames{"fixed"sv, "exponential"sv, "uniform"sv, "phase_end"sv, "forever"sv};
constexpr std::array kCommonKeys{"name"sv, "kind"sv, "cpus"sv, "start"sv, "duration"sv, "interarrival"sv};

constexpr std::string_view kPhaseWhat = "a phase object, or a pattern such as {\"pattern\": \"steady-churn\"}";
constexpr std::string_view kDistWhat =
    "a duration such as \"1ms\" or an object such as {\"dist\": \"exponential\", \"mean\": \"1ms\"}";
constexpr std::string_view kDurationWhat = "a duration such as \"1ms\"";
constexpr std::string_view kInterarrivalWhy = " (the time between two operations of a CPU)";
constexpr std::string_view kCpusWhat = "\"all\", an array of CPU ids or {\"node\": N}";
constexpr std::string_view kOrdersWhat = "an order from 0 to 10 or weights per order such as {\"0\": 3, \"3\": 1}";
constexpr std::string_view kFillWhat = "the name of an earlier fill phase";

std::string_view kind_name(PhaseKind kind) {
  return kKindNames[static_cast<std::size_t>(std::find(kKinds.begin(), kKinds.end(), kind) - kKinds.begin())];
}

std::span<const std::string_view> kind_keys(PhaseKind kind) {
  switch (kind) {
    case PhaseKind::Random:
      return keys::kRandomOnly;
    case PhaseKind::Burst:
      return keys::kBurstOnly;
    case PhaseKind::Fill:
      return keys::kFillOnly;
    case PhaseKind::Fragment:
      return keys::kFragmentOnly;
  }
  return {};
}

bool accepts(PhaseKind kind, std::string_view key) {
  const auto own = kind_keys(kind);
  return std::find(kCommonKeys.begin(), kCommonKeys.end(), key) != kCommonKeys.end() ||
         std::find(own.begin(), own.end(), key) != own.end();
}

// A key of another kind ("of" in a random phase) is an error rather than
// silently ignored: it usually means the kind is not what the author meant.
void check_kind_keys(const JsonValue &v, PhaseKind kind) {
  for (const std::string &key : v.keys()) {
    if (accepts(kind, key)) continue;
    std::vector<std::string_view> users;
    for (PhaseKind k : kKinds)
      if (accepts(k, key)) users.push_back(kind_name(k));
    std::string list;
    for (std::size_t i = 0; i < users.size(); ++i)
      list += (i == 0 ? "" : i + 1 == users.size() ? " and " : ", ") + std::string(users[i]);
    v.child(key).fail("\"" + key + "\" does not apply to a " + std::string(kind_name(kind)) + " phase; it is for " +
                      list + " phases");
  }
}

std::string non_empty_string(const JsonValue &v, std::string_view what) {
  std::string s = v.string(what);
  if (s.empty()) v.expected(what);
  return s;
}

std::uint64_t positive_duration(const JsonValue &v, std::string_view why = {}) {
  const std::uint64_t ns = v.duration_ns();
  if (!ns) v.expected("a duration above 0" + std::string(why));
  return ns;
}

std::span<const std::string_view> dist_keys(DistKind kind) {
  switch (kind) {
    case DistKind::Fixed:
      return keys::kDistFixed;
    case DistKind::Exponential:
      return keys::kDistExponential;
    case DistKind::Uniform:
      return keys::kDistUniform;
    case DistKind::UntilPhaseEnd:
      return keys::kDistPhaseEnd;
    case DistKind::Forever:
      return keys::kDistForever;
  }
  return {};
}

// The position of a name choice() has accepted, so it is in the table.
template <std::size_t N>
std::size_t index_of(const std::array<std::string_view, N> &names, std::string_view name) {
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

// The durations of an object distribution. An inter-arrival time must be
// able to exceed 0, or a CPU would never move on in time.
void parse_dist_values(const JsonValue &v, Distribution &d, bool interarrival) {
  const std::string_view why = interarrival ? kInterarrivalWhy : "";
  const auto value = [&](std::string_view key) {
    const JsonValue x = v.required(key, kDurationWhat);
    return interarrival ? positive_duration(x, why) : x.duration_ns();
  };
  if (d.kind == DistKind::Fixed) d.value_ns = value("value");
  if (d.kind == DistKind::Exponential) d.value_ns = value("mean");
  if (d.kind != DistKind::Uniform) return;
  d.value_ns = v.required("min", kDurationWhat).duration_ns();
  const JsonValue max = v.required("max", kDurationWhat);
  d.max_ns = interarrival ? positive_duration(max, why) : max.duration_ns();
  if (d.max_ns < d.value_ns) max.expected("a duration of at least min (" + units::format_duration(d.value_ns) + ")");
}

// A bare string is a fixed duration, or the name of a distribution without
// parameters ("forever", "phase_end"); an object names its "dist".
Distribution parse_distribution(const JsonValue &v, bool interarrival) {
  Distribution d;
  const bool bare = v.is_string();
  const bool bare_name = bare && (v.string("") == "forever" || v.string("") == "phase_end");
  if (bare && !bare_name) {
    d.value_ns = interarrival ? positive_duration(v, kInterarrivalWhy) : v.duration_ns();
    return d;
  }
  if (!bare && !v.is_object()) v.expected(kDistWhat);
  const JsonValue name = bare ? v : v.required("dist", quoted_list(kDistNames));
  d.kind = static_cast<DistKind>(index_of(kDistNames, name.choice(kDistNames)));
  if (interarrival && (d.kind == DistKind::UntilPhaseEnd || d.kind == DistKind::Forever))
    name.expected("\"fixed\", \"exponential\" or \"uniform\" (an inter-arrival time is a duration)");
  if (bare) return d;
  v.check_keys(dist_keys(d.kind), kDistWhat);
  parse_dist_values(v, d, interarrival);
  return d;
}

std::optional<unsigned> order_of_key(std::string_view key) {
  for (unsigned o = 0; o <= model::MAX_PAGE_ORDER; ++o)
    if (key == std::to_string(o)) return o;
  return std::nullopt;
}

std::vector<double> parse_orders(const JsonValue &v) {
  std::vector<double> weights(model::NR_PAGE_ORDERS, 0.0);
  if (v.is_integer()) {
    weights[static_cast<std::size_t>(v.integer(0, model::MAX_PAGE_ORDER, kOrdersWhat))] = 1;
    return weights;
  }
  if (!v.is_object()) v.expected(kOrdersWhat);
  for (const std::string &key : v.keys()) {
    const auto order = order_of_key(key);
    if (!order) v.child(key).fail("unknown order \"" + key + "\"; expected \"0\" to \"10\"");
    weights[*order] = v.child(key).number(0, true);
  }
  if (std::all_of(weights.begin(), weights.end(), [](double w) { return w == 0; }))
    v.expected("at least one order with a weight above 0");
  return weights;
}

AllocClass parse_class(const JsonValue &v, PhaseKind kind) {
  v.check_keys(keys::kAllocClass, "an allocation class such as {\"gfp\": \"GFP_KERNEL\", \"orders\": 0}");
  AllocClass c;
  if (auto g = v.get("gfp")) c.gfp = g->gfp();
  c.name = model::format_gfp_flags(c.gfp);
  if (auto n = v.get("name")) c.name = non_empty_string(*n, "a non-empty class name");
  if (auto w = v.get("weight")) c.weight = w->number(0, false);
  c.order_weights.assign(model::NR_PAGE_ORDERS, 0.0);
  c.order_weights[0] = 1;
  if (auto o = v.get("orders")) c.order_weights = parse_orders(*o);
  c.lifetime = kind == PhaseKind::Fill ? kForever : kDefaultLifetime;
  if (auto l = v.get("lifetime")) {
    c.lifetime = parse_distribution(*l, false);
    if (kind == PhaseKind::Fill && c.lifetime.kind != DistKind::Forever)
      l->expected("\"forever\" (a fill phase never frees; a fragment phase frees its blocks)");
  }
  return c;
}

std::vector<AllocClass> parse_classes(const JsonValue &v, PhaseKind kind) {
  std::vector<AllocClass> classes;
  const auto items = v.elements("allocation classes", 1, SIZE_MAX);
  for (std::size_t i = 0; i < items.size(); ++i) {
    classes.push_back(parse_class(items[i], kind));
    for (std::size_t j = 0; j < i; ++j)
      if (classes[j].name == classes[i].name)
        items[i].get("name").value_or(items[i]).fail("class name \"" + classes[i].name + "\" is already used by " +
                                                     items[j].pointer() + "; give each class its own \"name\"");
  }
  return classes;
}

std::vector<AllocClass> default_classes(PhaseKind kind) {
  AllocClass c;
  c.name = model::format_gfp_flags(c.gfp);
  c.order_weights.assign(model::NR_PAGE_ORDERS, 0.0);
  c.order_weights[0] = 1;
  c.lifetime = kind == PhaseKind::Fill ? kForever : kDefaultLifetime;
  return {c};
}

std::vector<int> cpu_range(int first, int count) {
  std::vector<int> cpus(static_cast<std::size_t>(count));
  std::iota(cpus.begin(), cpus.end(), first);
  return cpus;
}

int total_cpus(const model::MachineLayout &m) {
  int total = 0;
  for (const auto &n : m.nodes) total += n.nr_cpus;
  return total;
}

std::vector<int> cpu_list(const JsonValue &v, int total) {
  const std::string what = "a CPU id from 0 to " + std::to_string(total - 1) + " (the machine has " +
                           std::to_string(total) + (total == 1 ? " CPU)" : " CPUs)");
  std::vector<int> cpus;
  for (const JsonValue &item : v.elements("CPU ids", 1, SIZE_MAX)) {
    const int cpu = static_cast<int>(item.integer(0, total - 1, what));
    if (std::find(cpus.begin(), cpus.end(), cpu) != cpus.end())
      item.fail("CPU " + std::to_string(cpu) + " is listed twice");
    cpus.push_back(cpu);
  }
  return cpus;
}

std::vector<int> node_cpus(const JsonValue &v, const model::MachineLayout &m) {
  v.check_keys(keys::kCpusNode, kCpusWhat);
  const auto last = static_cast<std::int64_t>(m.nodes.size()) - 1;
  const JsonValue node = v.required("node", "a node id");
  const std::string what = "a node id from 0 to " + std::to_string(last) + " (the machine has " +
                           std::to_string(last + 1) + (last == 0 ? " node)" : " nodes)");
  const auto nid = static_cast<std::size_t>(node.integer(0, last, what));
  if (!m.nodes[nid].nr_cpus) node.fail("node " + std::to_string(nid) + " has no CPUs");
  int first = 0;
  for (std::size_t n = 0; n < nid; ++n) first += m.nodes[n].nr_cpus;
  return cpu_range(first, m.nodes[nid].nr_cpus);
}

const Phase &find_fill(const JsonValue &of, const std::string &name, const std::vector<Phase> &earlier) {
  std::vector<std::string_view> fills;
  for (const Phase &p : earlier) {
    if (p.name == name && p.kind == PhaseKind::Fill) return p;
    if (p.name == name) of.expected(kFillWhat, " (\"" + name + "\" is a " + std::string(kind_name(p.kind)) + " phase)");
    if (p.kind == PhaseKind::Fill) fills.push_back(p.name);
  }
  if (fills.empty()) of.expected(kFillWhat, " (there is no fill phase before this one)");
  const auto close = model::closest_match(name, fills);
  of.expected(kFillWhat, close ? "; did you mean \"" + std::string(*close) + "\"?"
                               : " (earlier fill phases: " + quoted_list(fills, " and ") + ")");
}

void parse_fragment(const JsonValue &v, const PhaseContext &ctx, Phase &p) {
  const JsonValue of = v.required("of", kFillWhat);
  p.fragment_of = of.string(kFillWhat);
  const Phase &fill = find_fill(of, p.fragment_of, ctx.earlier);
  for (const Phase &e : ctx.earlier)
    if (e.kind == PhaseKind::Fragment && e.fragment_of == fill.name)
      of.fail("fill phase \"" + fill.name + "\" is already fragmented by \"" + e.name + "\"");
  const std::uint64_t fill_end = fill.start_ns + fill.duration_ns;
  if (p.start_ns < fill_end)
    v.get("start").value_or(v).fail("a fragment phase must start after its fill phase \"" + fill.name + "\" ends at " +
                                    units::format_duration(fill_end) + "; this one starts at " +
                                    units::format_duration(p.start_ns));
  if (!v.has("cpus")) p.cpus = fill.cpus;
  if (auto k = v.get("keep_every")) p.keep_every = static_cast<unsigned>(k->integer(2, kMaxKeepEvery));
}

void parse_burst(const JsonValue &v, Phase &p) {
  const auto on = v.get("burst_on"), period = v.get("burst_period");
  p.burst_on_ns = on ? positive_duration(*on) : kDefaultBurstOnNs;
  p.burst_period_ns = period ? period->duration_ns() : kDefaultBurstPeriodNs;
  if (p.burst_period_ns >= p.burst_on_ns) return;
  if (period) period->expected("a duration of at least burst_on (" + units::format_duration(p.burst_on_ns) + ")");
  on->expected("a duration of at most burst_period (" + units::format_duration(p.burst_period_ns) + ")");
}

void parse_timing(const JsonValue &v, const PhaseContext &ctx, Phase &p) {
  p.start_ns = ctx.default_start_ns;
  if (auto s = v.get("start")) p.start_ns = s->duration_ns();
  p.duration_ns = kDefaultDurationNs;
  if (auto d = v.get("duration")) p.duration_ns = positive_duration(*d);
  if (p.duration_ns > UINT64_MAX - p.start_ns) v.fail("the phase would end after 2^64 ns; shorten start or duration");
  p.interarrival = kDefaultInterarrival;
  if (auto i = v.get("interarrival")) p.interarrival = parse_distribution(*i, true);
}

void parse_kind_settings(const JsonValue &v, const PhaseContext &ctx, Phase &p) {
  if (p.kind == PhaseKind::Fragment) return parse_fragment(v, ctx, p);
  const auto classes = v.get("classes");
  p.classes = classes ? parse_classes(*classes, p.kind) : default_classes(p.kind);
  if (auto t = v.get("target_live")) p.target_live_pages = parse_pages(*t);
  if (auto f = v.get("fill")) p.fill_pages = parse_pages(*f);
  if (p.kind == PhaseKind::Burst) parse_burst(v, p);
}

}  // namespace

std::uint64_t parse_pages(const JsonValue &v) {
  const std::uint64_t bytes = v.size_bytes();
  if (bytes % model::PAGE_SIZE) v.expected("a multiple of 4KiB (the page size)");
  return bytes / model::PAGE_SIZE;
}

std::vector<int> all_cpus(const model::MachineLayout &machine) { return cpu_range(0, total_cpus(machine)); }

std::vector<int> parse_cpus(const JsonValue &v, const model::MachineLayout &machine) {
  if (v.is_array()) return cpu_list(v, total_cpus(machine));
  if (v.is_object()) return node_cpus(v, machine);
  if (v.string(kCpusWhat) != "all") v.expected(kCpusWhat);
  return all_cpus(machine);
}

Phase parse_phase(const JsonValue &v, const PhaseContext &ctx) {
  v.check_keys(keys::kPhase, kPhaseWhat);
  Phase p;
  if (auto k = v.get("kind")) p.kind = kKinds[index_of(kKindNames, k->choice(kKindNames))];
  check_kind_keys(v, p.kind);
  p.name = "phase" + std::to_string(ctx.index);
  if (auto n = v.get("name")) p.name = non_empty_string(*n, "a non-empty phase name");
  p.cpus = v.get("cpus") ? parse_cpus(*v.get("cpus"), ctx.machine) : all_cpus(ctx.machine);
  parse_timing(v, ctx, p);
  parse_kind_settings(v, ctx, p);
  return p;
}

}  // namespace buddysim::scenario
