#include "sim/record/timeline.h"

#include <algorithm>
#include <tuple>

namespace buddysim::record {

namespace {

constexpr TimePs PS_PER_NS = 1000;

template <typename Slice>
void sort_slices(std::vector<Slice> &v) {
  std::stable_sort(v.begin(), v.end(), [](const Slice &a, const Slice &b) {
    return std::make_tuple(a.start, b.end, a.cpu) < std::make_tuple(b.start, a.end, b.cpu);
  });
}

}  // namespace

Timeline::Timeline(const scenario::TraceWindow &window, int nr_cpus, std::vector<std::string> zone_names)
    : window_(window), nr_cpus_(nr_cpus), zone_names_(std::move(zone_names)) {}

bool Timeline::keep(TimePs start, TimePs end) {
  const TimePs from = window_.start_ns * PS_PER_NS;
  const bool before = end < from;
  const bool after = window_.duration_ns && start >= (window_.start_ns + window_.duration_ns) * PS_PER_NS;
  if (before || after) return false;
  if (kept_ >= window_.max_events) {
    ++dropped_;
    return false;
  }
  ++kept_;
  return true;
}

void Timeline::op(const OpSlice &s) {
  if (keep(s.start, s.end)) ops_.push_back(s);
}

void Timeline::lock(int cpu, const std::string &name, bool shared, bool wait, TimePs start, TimePs end) {
  if (!keep(start, end)) return;
  const auto [it, added] = lock_index_.try_emplace(name, static_cast<std::uint32_t>(lock_names_.size()));
  if (added) lock_names_.push_back(name);
  locks_.push_back({wait, shared, cpu, it->second, start, end});
}

void Timeline::free_pages(std::uint32_t zone, std::uint64_t pages, TimePs at) {
  if (keep(at, at)) counters_.push_back({zone, pages, at});
}

std::vector<OpSlice> Timeline::ops() const {
  std::vector<OpSlice> v = ops_;
  sort_slices(v);
  return v;
}

std::vector<LockSlice> Timeline::locks() const {
  std::vector<LockSlice> v = locks_;
  sort_slices(v);
  return v;
}

std::vector<CounterSample> Timeline::counters() const {
  std::vector<CounterSample> v = counters_;
  std::stable_sort(v.begin(), v.end(), [](const CounterSample &a, const CounterSample &b) { return a.at < b.at; });
  return v;
}

}  // namespace buddysim::record
