// The workload generator: the scenario's phases, run as per-CPU streams and
// merged into one operation stream.
//
// Semantics (docs/scenario.md describes the same from the JSON side)
// -------------------------------------------------------------------
// Streams. Every (phase, CPU) pair is a stream with its own xoshiro256**
// engine (rng.h), seeded with a SplitMix64 chain over (scenario seed, phase
// index, CPU). All sampling code is ours (distribution.h), so a seed gives
// the same workload with every standard library. A stream draws, per
// allocation, a class by weight, an order by that class's order weights
// (either only when there is more than one to choose from), then the
// lifetime; then, per step, the inter-arrival time to its next step.
// Exponential samples come from a ziggurat (exponential.h).
// Clock. A stream's first step is at the phase start; each further step is one
// inter-arrival sample later; steps happen only before the phase end
// (start_ns + duration_ns). Exponential samples are rounded to the nearest ns.
// Order. Operations of all streams are merged by time; ties go to the lower
// CPU, then the lower phase index, then a sequence number: scheduled frees
// (lifetime ends) before steps, so a block is released before a new one is
// taken at the same instant; frees in tag (allocation) order; steps in stream
// creation order. Scheduled frees run on the CPU, and count for the phase, of
// the stream that allocated the block.
// Tags. Every Alloc gets a fresh tag: 1, 2, 3, ... in emission order.
// Classes. Op::cls indexes class_names(): every phase's classes in phase
// order; a class name used by more than one phase becomes "phase/class"
// (and a name still repeated gets "#2", "#3", ...).
// Outcomes. The runner reports each Alloc through completed() with the time
// it completed (the functional runner at once). A free that falls due while
// its allocation is still running waits for it and is emitted at the
// completion time, or at its own time if that is later (a timed runner hands
// out operations up to a quantum ahead, so an allocation may still be
// outstanding when a free due after its completion is asked for). A failed
// Alloc is forgotten: no Free is ever emitted for it. Live pages of a phase
// count only successful allocations, and drop when their Free is emitted.
//
// Random: each step allocates; the block is freed at alloc time + lifetime
//   (Fixed, Exponential, Uniform), at the phase end (UntilPhaseEnd; after the
//   phase's last step), or never (Forever). Frees run after the phase end,
//   but not after the workload's end (the latest phase end): the final state
//   shows what is still live then. With target_live_pages > 0, a step that finds the phase's live pages
//   at or above the target frees this CPU's oldest live block of the phase
//   instead (its scheduled free is then dropped); if this CPU holds none, the
//   step does nothing.
// Burst: as Random, but steps fall only in [k*period, k*period + on) after
//   the phase start: the inter-arrival clock runs during on-time only, so a
//   step that would land in an off period moves into the next window by the
//   on-time it had left (a Poisson process in on-time stays one). Scheduled
//   frees are not confined to windows. on >= period means always on.
// Fill: each step allocates a block that stays (the lifetime is ignored);
//   a CPU stops at the first step that finds the phase's live pages at or
//   above fill_pages or, with fill_pages 0, after its first failed allocation
//   (exhaustion); otherwise at the phase end. With fill_pages > 0 failures
//   do not stop it. The last allocation may overshoot fill_pages by less than
//   its block size.
// Fragment: one stream per stream of the named (earlier) Fill phase whose
//   CPU is among the Fragment's cpus (the parser defaults them to the Fill's;
//   blocks of CPUs left out stay), running on that CPU. At its first step (the
//   phase start) it lists that CPU's Fill blocks still live, in allocation
//   order, and frees all but every keep_every-th (keep_every 2 frees the 1st,
//   3rd, 5th, ...; 1 frees none; 0 frees all), one per step, spaced by the
//   inter-arrival time, until done or the phase end. Counting per CPU keeps
//   neighbours apart: a CPU's consecutive blocks tend to be physically
//   adjacent (they come from its own pcp lists), whereas counting across
//   CPUs that take turns could free all of one CPU's blocks and none of the
//   other's.
// Inter-arrival times that are always 0 are refused for Random, Burst and Fill
// (endless operations at one instant); Fragment may use 0 (all at once).
#include "sim/workload/generator.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "sim/workload/phase_plan.h"
#include "sim/workload/stream.h"
#include "sim/workload/stream_host.h"

namespace buddysim::workload {
namespace {

using scenario::Phase;
using scenario::PhaseKind;

// Class names in Op::cls order, qualified with the phase name where a name
// would otherwise stand for two classes in the summary.
std::vector<std::string> unique_class_names(const std::vector<Phase> &phases) {
  std::map<std::string, unsigned> uses;
  for (const Phase &p : phases)
    for (const scenario::AllocClass &c : p.classes) ++uses[c.name];
  std::vector<std::string> names;
  std::map<std::string, unsigned> taken;
  for (const Phase &p : phases) {
    for (const scenario::AllocClass &c : p.classes) {
      std::string name = uses[c.name] > 1 ? p.name + "/" + c.name : c.name;
      const unsigned seen = ++taken[name];
      if (seen > 1) name += "#" + std::to_string(seen);
      names.push_back(std::move(name));
    }
  }
  return names;
}

std::vector<model::gfp_t> class_gfps(const std::vector<Phase> &phases) {
  std::vector<model::gfp_t> gfps;
  for (const Phase &p : phases)
    for (const scenario::AllocClass &c : p.classes) gfps.push_back(c.gfp);
  return gfps;
}

class Generator final : public OpSource {
 public:
  explicit Generator(const scenario::Scenario &scenario);
  std::optional<Op> next() override;
  void completed(const Op &op, bool ok, model::Pfn pfn, std::uint64_t done_ns) override;
  bool frees_name_blocks() const override { return true; }
  std::vector<std::string> class_names() const override { return names_; }

 private:
  void add_phase_streams(std::uint64_t seed, std::uint32_t phase, std::optional<std::uint32_t> fill);
  std::optional<Op> dispatch(const Event &event);

  std::vector<std::string> names_;
  std::vector<PhasePlan> plans_;  // never resized after construction: streams refer to them
  StreamHost host_;
  std::vector<std::unique_ptr<Stream>> streams_;                   // index = StreamId::stream
  std::vector<std::vector<const FillStream *>> fills_;             // per phase, its Fill streams (for Fragment)
  std::uint64_t end_ns_ = 0;                                       // the latest phase end
  std::unordered_map<std::uint64_t, std::uint64_t> deferred_due_;  // by tag: when a deferred free fell due
};

Generator::Generator(const scenario::Scenario &scenario)
    : names_(unique_class_names(scenario.workload.phases)),
      host_(scenario.workload.phases.size(), class_gfps(scenario.workload.phases)) {
  const std::vector<Phase> &phases = scenario.workload.phases;
  std::vector<std::optional<std::uint32_t>> fill_of;
  for (std::uint32_t i = 0; i < phases.size(); ++i) fill_of.push_back(check_phase(scenario, i));
  plans_.reserve(phases.size());
  std::uint32_t class_base = 0;
  for (std::uint32_t i = 0; i < phases.size(); ++i) {
    plans_.emplace_back(phases[i], i, class_base);
    class_base += static_cast<std::uint32_t>(phases[i].classes.size());
  }
  for (const Phase &p : phases) end_ns_ = std::max(end_ns_, p.start_ns + p.duration_ns);
  fills_.resize(phases.size());
  for (std::uint32_t i = 0; i < phases.size(); ++i) add_phase_streams(scenario.seed, i, fill_of[i]);
  for (const auto &stream : streams_) stream->start(host_);
}

void Generator::add_phase_streams(std::uint64_t seed, std::uint32_t phase, std::optional<std::uint32_t> fill) {
  const PhasePlan &plan = plans_[phase];
  auto id_for = [&](int cpu) { return StreamId{static_cast<std::uint32_t>(streams_.size()), cpu, phase}; };
  switch (plan.phase().kind) {
    case PhaseKind::Random:
    case PhaseKind::Burst:
      for (int cpu : plan.phase().cpus)
        streams_.push_back(std::make_unique<RandomStream>(id_for(cpu), plan, stream_seed(seed, phase, cpu)));
      return;
    case PhaseKind::Fill:
      for (int cpu : plan.phase().cpus) {
        auto stream = std::make_unique<FillStream>(id_for(cpu), plan, stream_seed(seed, phase, cpu));
        fills_[phase].push_back(stream.get());
        streams_.push_back(std::move(stream));
      }
      return;
    case PhaseKind::Fragment:
      for (const FillStream *source : fills_[*fill]) {
        const int cpu = source->id().cpu;
        if (std::find(plan.phase().cpus.begin(), plan.phase().cpus.end(), cpu) == plan.phase().cpus.end()) continue;
        streams_.push_back(std::make_unique<FragmentStream>(id_for(cpu), plan, stream_seed(seed, phase, cpu), *source));
      }
      return;
  }
}

std::optional<Op> Generator::next() {
  // Steps and frees may have nothing to do (a stopped Fill, a block already
  // freed): keep popping until an event yields an operation.
  while (!host_.queue().empty() && host_.queue().top().time_ns <= end_ns_) {
    if (auto op = dispatch(host_.queue().pop())) return op;
  }
  return std::nullopt;
}

std::optional<Op> Generator::dispatch(const Event &event) {
  const std::uint64_t id = event.id();
  switch (event.kind()) {
    case Event::Kind::Step:
      return streams_[id]->step(host_, event.time_ns);
    case Event::Kind::Free: {
      const BlockRef block{id, static_cast<std::uint32_t>(event.ref)};
      if (host_.blocks().is_pending(block)) {
        host_.blocks().defer_free(block);  // completed() re-queues it
        deferred_due_[id] = event.time_ns;
        return std::nullopt;
      }
      return host_.free(block, event.time_ns);
    }
  }
  return std::nullopt;
}

void Generator::completed(const Op &op, bool ok, model::Pfn pfn, std::uint64_t done_ns) {
  if (op.kind != Op::Kind::Alloc) return;
  const BlockRef ref{op.tag, op.handle};
  const std::optional<Block> block = host_.blocks().settle(ref, ok, pfn);
  if (!block) {
    throw std::logic_error("workload generator: completed() for tag " + std::to_string(op.tag) +
                           ", which is not an allocation awaiting its outcome");
  }
  streams_[block->stream]->on_outcome(host_.blocks(), ref, ok);
  if (!block->free_deferred) return;
  const auto due = deferred_due_.extract(op.tag);
  if (ok) {
    host_.queue().push(std::max(done_ns, due.mapped()), block->cpu, block->phase, Event::Kind::Free, op.tag, op.handle);
  }
}

}  // namespace

std::unique_ptr<OpSource> make_generator(const scenario::Scenario &scenario) {
  return std::make_unique<Generator>(scenario);
}

}  // namespace buddysim::workload
