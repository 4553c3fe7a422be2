// Ready-made workload patterns: {"pattern": "fill-fragment", ...} stands for
// the phases below, with the settings docs/scenario.md lists. Each takes the
// same parameters: name, cpus, start, duration and size (what size means
// depends on the pattern).
#include <array>
#include <initializer_list>
#include <utility>

#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"

namespace buddysim::scenario {
namespace {

using DistKind = Distribution::Kind;
namespace gfp = model::gfp;

constexpr std::uint64_t US = 1000, MS = 1000 * US, S = 1000 * MS;

constexpr std::uint64_t kDefaultDurationNs = 10 * S;
constexpr std::uint64_t kMinDurationNs = 1 * US;  // room for up to three sub-phases
constexpr Distribution kFillPace{DistKind::Fixed, 1 * US, 0};
constexpr Distribution kChurnPace{DistKind::Exponential, 10 * US, 0};
constexpr Distribution kForever{DistKind::Forever, 0, 0};

constexpr Distribution exponential(std::uint64_t mean_ns) { return {DistKind::Exponential, mean_ns, 0}; }

// The parameters every pattern takes, defaults filled in.
struct Params {
  std::string name;
  std::vector<int> cpus;
  std::uint64_t start_ns, duration_ns, size_pages;
};

AllocClass make_class(std::string name, model::gfp_t flags, double weight,
                      std::initializer_list<std::pair<unsigned, double>> orders, Distribution lifetime) {
  AllocClass c{std::move(name), weight, flags, std::vector<double>(model::NR_PAGE_ORDERS, 0.0), lifetime};
  for (const auto &[order, w] : orders) c.order_weights[order] = w;
  return c;
}

Phase make_phase(const Params &p, std::string name, PhaseKind kind, std::uint64_t start_ns, std::uint64_t duration_ns,
                 Distribution interarrival) {
  Phase phase;
  phase.name = std::move(name);
  phase.kind = kind;
  phase.cpus = p.cpus;
  phase.start_ns = start_ns;
  phase.duration_ns = duration_ns;
  phase.interarrival = interarrival;
  return phase;
}

// Fill (allocate only) movable order-0 pages, then free every other block.
std::vector<Phase> fill_then_fragment(const Params &p, std::uint64_t fill_ns, std::uint64_t fragment_ns) {
  Phase fill = make_phase(p, p.name + "/fill", PhaseKind::Fill, p.start_ns, fill_ns, kFillPace);
  fill.classes = {make_class("movable", gfp::HIGHUSER_MOVABLE, 1, {{0, 1}}, kForever)};
  fill.fill_pages = p.size_pages;
  Phase fragment =
      make_phase(p, p.name + "/fragment", PhaseKind::Fragment, p.start_ns + fill_ns, fragment_ns, kFillPace);
  fragment.fragment_of = fill.name;
  fragment.keep_every = 2;
  return {fill, fragment};
}

std::vector<Phase> steady_churn(const Params &p) {
  Phase churn = make_phase(p, p.name, PhaseKind::Random, p.start_ns, p.duration_ns, kChurnPace);
  churn.classes = {make_class("movable", gfp::HIGHUSER_MOVABLE, 1, {{0, 1}}, kForever)};
  churn.target_live_pages = p.size_pages;
  return {churn};
}

std::vector<Phase> fill_fragment(const Params &p) {
  return fill_then_fragment(p, p.duration_ns / 2, p.duration_ns - p.duration_ns / 2);
}

std::vector<Phase> thp_after_fragmentation(const Params &p) {
  const std::uint64_t quarter = p.duration_ns / 4;
  std::vector<Phase> phases = fill_then_fragment(p, quarter, quarter);
  Phase thp = make_phase(p, p.name + "/thp", PhaseKind::Random, p.start_ns + 2 * quarter, p.duration_ns - 2 * quarter,
                         exponential(100 * US));
  thp.classes = {make_class("thp", gfp::TRANSHUGE, 1, {{9, 1}}, {DistKind::UntilPhaseEnd, 0, 0})};
  phases.push_back(thp);
  return phases;
}

std::vector<Phase> atomic_burst(const Params &p) {
  Phase burst = make_phase(p, p.name, PhaseKind::Burst, p.start_ns, p.duration_ns, exponential(1 * US));
  burst.classes = {make_class("atomic", gfp::ATOMIC, 1, {{0, 3}, {3, 1}}, exponential(100 * US))};
  burst.target_live_pages = p.size_pages;
  burst.burst_on_ns = 1 * MS;
  burst.burst_period_ns = 10 * MS;
  return {burst};
}

std::vector<Phase> migratetype_mixing(const Params &p) {
  Phase mix = make_phase(p, p.name, PhaseKind::Random, p.start_ns, p.duration_ns, kChurnPace);
  mix.classes = {make_class("movable", gfp::HIGHUSER_MOVABLE, 8, {{0, 1}}, exponential(100 * MS)),
                 make_class("unmovable", gfp::KERNEL, 1, {{0, 1}}, exponential(10 * S)),
                 make_class("reclaimable", gfp::KERNEL | gfp::RECLAIMABLE, 1, {{0, 1}}, exponential(1 * S))};
  mix.target_live_pages = p.size_pages;
  return {mix};
}

std::vector<Phase> exhaustion(const Params &p) {
  Phase fill = make_phase(p, p.name, PhaseKind::Fill, p.start_ns, p.duration_ns, kFillPace);
  fill.classes = {make_class("kernel", gfp::KERNEL, 1, {{0, 1}}, kForever)};
  fill.fill_pages = p.size_pages;
  return {fill};
}

// The patterns, by name; "holds_half" patterns keep half of memory live
// unless told otherwise, so that frees and allocations interleave on a
// realistically full machine.
struct PatternInfo {
  std::string_view name;
  std::vector<Phase> (*expand)(const Params &);
  bool holds_half;
};

constexpr std::array kPatterns{PatternInfo{"steady-churn", steady_churn, true},
                               PatternInfo{"fill-fragment", fill_fragment, false},
                               PatternInfo{"thp-after-fragmentation", thp_after_fragmentation, false},
                               PatternInfo{"atomic-burst", atomic_burst, false},
                               PatternInfo{"migratetype-mixing", migratetype_mixing, true},
                               PatternInfo{"exhaustion", exhaustion, false}};

constexpr auto kPatternNames = [] {
  std::array<std::string_view, kPatterns.size()> names{};
  for (std::size_t i = 0; i < kPatterns.size(); ++i) names[i] = kPatterns[i].name;
  return names;
}();

const PatternInfo &parse_pattern_name(const JsonValue &v) {
  const std::string_view name = v.choice(kPatternNames);
  for (const PatternInfo &info : kPatterns)
    if (info.name == name) return info;
  v.expected(quoted_list(kPatternNames));
}

Params parse_params(const JsonValue &v, const PatternInfo &pattern, const PhaseContext &ctx) {
  Params p{std::string(pattern.name), all_cpus(ctx.machine), ctx.default_start_ns, kDefaultDurationNs, 0};
  if (auto n = v.get("name")) {
    p.name = n->string("a non-empty phase name");
    if (p.name.empty()) n->expected("a non-empty phase name");
  }
  if (auto c = v.get("cpus")) p.cpus = parse_cpus(*c, ctx.machine);
  if (auto s = v.get("start")) p.start_ns = s->duration_ns();
  if (auto d = v.get("duration")) {
    p.duration_ns = d->duration_ns();
    if (p.duration_ns < kMinDurationNs) d->expected("a duration of at least 1us");
  }
  if (p.duration_ns > UINT64_MAX - p.start_ns) v.fail("the pattern would end after 2^64 ns; shorten start or duration");
  const auto size = v.get("size");
  p.size_pages = size ? parse_pages(*size) : pattern.holds_half ? ctx.memory_pages / 2 : 0;
  return p;
}

}  // namespace

std::vector<Phase> expand_pattern(const JsonValue &v, const PhaseContext &ctx) {
  v.check_keys(keys::kPattern, "a pattern such as {\"pattern\": \"steady-churn\"}");
  const PatternInfo &pattern = parse_pattern_name(v.child("pattern"));
  const Params p = parse_params(v, pattern, ctx);
  // Churning a live set of 0 would free every block right after allocating it.
  if (pattern.expand == steady_churn && !p.size_pages)
    v.get("size").value_or(v).expected("a size above 0 (the live set to churn)");
  return pattern.expand(p);
}

}  // namespace buddysim::scenario
