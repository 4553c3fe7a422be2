// Helpers shared by the workload generator's tests: scenarios built as
// structs (no JSON), a fake runner that reports each Alloc's outcome, and
// statistics. Statistical checks use tolerances of 4 standard errors of the
// sample at hand, so they fail by chance about once in 16,000 runs of a fresh
// seed, and never for the fixed seeds used here.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "model/gfp.h"
#include "sim/workload/generator.h"

namespace buddysim::workload::generator_testing {

using scenario::AllocClass;
using scenario::Distribution;
using scenario::Phase;
using scenario::PhaseKind;
using DKind = Distribution::Kind;

// ---- scenario builders --------------------------------------------------------

inline Distribution fixed(std::uint64_t ns) { return {DKind::Fixed, ns, 0}; }
inline Distribution exponential(std::uint64_t mean) { return {DKind::Exponential, mean, 0}; }
inline Distribution uniform(std::uint64_t lo, std::uint64_t hi) { return {DKind::Uniform, lo, hi}; }
inline Distribution until_phase_end() { return {DKind::UntilPhaseEnd, 0, 0}; }
inline Distribution forever() { return {DKind::Forever, 0, 0}; }

inline AllocClass alloc_class(std::string name, std::vector<double> order_weights, Distribution lifetime,
                              double weight = 1, model::gfp_t gfp = model::gfp::KERNEL) {
  AllocClass c;
  c.name = std::move(name);
  c.weight = weight;
  c.gfp = gfp;
  c.order_weights = std::move(order_weights);
  c.lifetime = lifetime;
  return c;
}

inline Phase phase(std::string name, PhaseKind kind, std::vector<int> cpus, std::uint64_t start_ns,
                   std::uint64_t duration_ns, Distribution interarrival, std::vector<AllocClass> classes = {}) {
  Phase p;
  p.name = std::move(name);
  p.kind = kind;
  p.cpus = std::move(cpus);
  p.start_ns = start_ns;
  p.duration_ns = duration_ns;
  p.interarrival = interarrival;
  p.classes = std::move(classes);
  return p;
}

// One Random phase on CPU 0: order-0 blocks of one class with `lifetime`.
inline Phase churn(Distribution lifetime, std::uint64_t duration_ns = 1'000'000, Distribution ia = fixed(10)) {
  return phase("churn", PhaseKind::Random, {0}, 0, duration_ns, ia, {alloc_class("movable", {1}, lifetime)});
}

// A phase that allocates one never-freed block at time 0 and lasts until
// `until`: it keeps the workload open so frees scheduled after the other
// phases end still happen (the workload ends at its latest phase end).
inline Phase tail(std::uint64_t until = 1'000'000'000) {
  return phase("tail", PhaseKind::Random, {0}, 0, until, fixed(until), {alloc_class("tail", {1}, forever())});
}

inline scenario::Scenario scenario_of(std::vector<Phase> phases, std::uint64_t seed = 1) {
  scenario::Scenario s;
  s.seed = seed;
  s.workload.phases = std::move(phases);
  return s;
}

// ---- fake runner --------------------------------------------------------------

using Outcome = std::function<bool(const Op &)>;  // an Alloc's result

struct Trace {
  std::vector<Op> ops;
  std::set<std::uint64_t> failed;  // tags of failed Allocs
};

// Drives `source` to its end, reporting each Alloc with `outcome` (default:
// all succeed), and checks on the way what holds for every workload: time
// order, unique increasing tags, and every Free naming a live block with the
// CPU, order, gfp and class it was allocated with.
inline Trace drive(OpSource &source, const Outcome &outcome = {}) {
  Trace run;
  std::map<std::uint64_t, Op> live;
  std::uint64_t last_tag = 0;
  while (auto op = source.next()) {
    if (!run.ops.empty()) {
      EXPECT_GE(op->time_ns, run.ops.back().time_ns) << "operations out of time order";
    }
    run.ops.push_back(*op);
    if (op->kind == Op::Kind::Alloc) {
      EXPECT_GT(op->tag, last_tag) << "tags must be unique and increasing";
      last_tag = op->tag;
      const bool ok = outcome ? outcome(*op) : true;
      if (ok) live.emplace(op->tag, *op);
      if (!ok) run.failed.insert(op->tag);
      source.completed(*op, ok, ok ? op->tag * 1024 : 0, op->time_ns);
      continue;
    }
    const auto it = live.find(op->tag);
    if (it == live.end()) {
      ADD_FAILURE() << "free of tag " << op->tag << ", which is not live";
      continue;
    }
    EXPECT_EQ(std::tie(op->cpu, op->order, op->gfp, op->cls),
              std::tie(it->second.cpu, it->second.order, it->second.gfp, it->second.cls))
        << "a free must describe the block it frees (tag " << op->tag << ")";
    live.erase(it);
  }
  return run;
}

inline Trace generate(const scenario::Scenario &s, const Outcome &outcome = {}) {
  const auto source = make_generator(s);
  return drive(*source, outcome);
}

inline std::vector<Op> of_kind(const Trace &run, Op::Kind kind) {
  std::vector<Op> out;
  for (const Op &op : run.ops)
    if (op.kind == kind) out.push_back(op);
  return out;
}

// Alloc time by tag, to measure lifetimes.
inline std::map<std::uint64_t, std::uint64_t> alloc_times(const Trace &run) {
  std::map<std::uint64_t, std::uint64_t> t;
  for (const Op &op : of_kind(run, Op::Kind::Alloc)) t[op.tag] = op.time_ns;
  return t;
}

inline std::vector<double> lifetimes(const Trace &run) {
  const auto born = alloc_times(run);
  std::vector<double> out;
  for (const Op &op : of_kind(run, Op::Kind::Free)) out.push_back(static_cast<double>(op.time_ns - born.at(op.tag)));
  return out;
}

inline double mean_of(const std::vector<double> &xs) {
  double sum = 0;
  for (double x : xs) sum += x;
  return sum / static_cast<double>(xs.size());
}

// `count` successes out of `n` draws with probability `p`, within 4 sigma.
inline void expect_binomial(std::size_t count, std::size_t n, double p, const std::string &what) {
  const double expected = static_cast<double>(n) * p;
  const double sigma = std::sqrt(static_cast<double>(n) * p * (1 - p));
  EXPECT_NEAR(static_cast<double>(count), expected, 4 * sigma + 1e-9) << what;
}

inline auto as_tuple(const Op &op) { return std::tie(op.time_ns, op.cpu, op.kind, op.order, op.gfp, op.tag, op.cls); }

// Fill and Fragment phases for the phase and refused-input tests.
inline Phase fill(std::vector<int> cpus, std::uint64_t fill_pages, std::vector<double> orders = {1},
                  std::uint64_t duration_ns = 1'000'000'000) {
  Phase p = phase("fill", PhaseKind::Fill, std::move(cpus), 0, duration_ns, fixed(10),
                  {alloc_class("movable", std::move(orders), exponential(5))});
  p.fill_pages = fill_pages;
  return p;
}

inline Phase fragment(std::uint64_t start_ns, unsigned keep_every, std::uint64_t duration_ns = 1'000'000) {
  Phase p = phase("frag", PhaseKind::Fragment, {0, 1}, start_ns, duration_ns, fixed(5));
  p.fragment_of = "fill";
  p.keep_every = keep_every;
  return p;
}

}  // namespace buddysim::workload::generator_testing
