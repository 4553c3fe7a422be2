#include "sim/hw/lock/lock_stat.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>
#include <utility>

namespace buddysim::hw {

namespace {

// seq_line()'s width for the rules: the name column, its colon and 12
// columns of 14 characters plus a separator.
constexpr std::size_t kRuleWidth = 40 + 1 + 12 * (14 + 1);
// seq_stats() prints the name through a 38-byte snprintf: 37 characters.
constexpr std::size_t kMaxNameLength = 37;
// LOCKSTAT_POINTS: the call sites a class keeps of each kind.
constexpr std::size_t kLockStatPoints = 4;

using ull = unsigned long long;

template <typename... Args>
void append(std::string &out, const char *format, Args... args) {
  char buf[256];
  const int n = std::snprintf(buf, sizeof buf, format, args...);
  if (n > 0) out.append(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
}

std::uint64_t ps_to_ns(std::uint64_t ps) { return ps / 1000; }

// seq_lock_time(): count, then min, max, total and average.
void append_lock_time(std::string &out, const LockTime &lt) {
  append(out, "%14llu", static_cast<ull>(lt.nr));
  const std::uint64_t total_ns = ps_to_ns(lt.total_ps);
  for (const std::uint64_t ns : {ps_to_ns(lt.min_ps), ps_to_ns(lt.max_ps), total_ns, lt.nr ? total_ns / lt.nr : 0}) {
    out += ' ';
    append(out, "%14s", format_lock_stat_time(ns).c_str());
  }
}

double ps_to_ns_exact(std::uint64_t ps) { return static_cast<double>(ps) / 1000.0; }

TimeFigures time_figures(const LockTime &lt) {
  const double total = ps_to_ns_exact(lt.total_ps);
  return {ps_to_ns_exact(lt.min_ps), ps_to_ns_exact(lt.max_ps), total, lt.nr ? total / static_cast<double>(lt.nr) : 0};
}

// "[<%p>]" as a 64-bit kernel prints it: the upper 32 bits zero, the lower
// a hash (FNV-1a of the site's name here; the kernel's is keyed per boot).
std::string hashed_ip(CallSite site) {
  std::uint32_t hash = 2166136261u;
  for (const char *c = site; *c != '\0'; ++c) hash = (hash ^ static_cast<unsigned char>(*c)) * 16777619u;
  std::string out;
  append(out, "[<00000000%08x>]", static_cast<unsigned>(hash));
  return out;
}

// One list of points under its rule; returns how many it printed.
std::size_t append_points(std::string &out, const std::string &name, const LockPoints &points) {
  const std::size_t shown = std::min(points.points.size(), kLockStatPoints);
  for (std::size_t i = 0; i < shown; ++i) {
    const LockPoint &p = points.points[i];
    if (i == 0) out += std::string(40 - name.size(), ' ') + std::string(name.size(), '-') + '\n';
    append(out, "%40s %14llu %29s %s+0x0/0x0\n", name.c_str(), static_cast<ull>(p.count), hashed_ip(p.site).c_str(),
           p.site);
  }
  return shown;
}

std::vector<PointFigures> point_figures(const LockPoints &points) {
  std::vector<PointFigures> out;
  out.reserve(points.points.size());
  for (const LockPoint &p : points.points) out.push_back({p.site, p.count});
  return out;
}

LockFigures figures_of(std::string class_name, std::string instance, std::size_t instances, const SpinLockStats &s) {
  LockFigures f;
  f.class_name = std::move(class_name);
  f.instance = std::move(instance);
  f.instances = instances;
  f.con_bounces = s.con_bounces;
  f.contentions = s.contentions();
  f.waittime = time_figures(s.waittime);
  f.acq_bounces = s.acq_bounces;
  f.acquisitions = s.acquisitions();
  f.holdtime = time_figures(s.holdtime);
  f.trylock_acquisitions = s.trylock_acquisitions;
  f.trylock_failures = s.trylock_failures;
  f.line_transfers = s.line_transfers;
  f.transfer_time_ns = ps_to_ns_exact(s.transfer_time_ps);
  const auto &count = s.wait_histogram.count;
  f.wait_histogram.assign(count.begin(), count.begin() + static_cast<std::ptrdiff_t>(s.wait_histogram.used_buckets()));
  f.contention_points = point_figures(s.contention_points);
  f.contending_points = point_figures(s.contending_points);
  return f;
}

}  // namespace

std::vector<LockClassStats> aggregate_lock_classes(const std::vector<LockInstanceStats> &instances) {
  std::map<std::string, LockClassStats> by_name;
  for (const LockInstanceStats &inst : instances) {
    LockClassStats &c = by_name[inst.class_name];
    c.name = inst.class_name;
    ++c.instances;
    c.stats.merge(inst.stats);
  }
  std::vector<LockClassStats> classes;
  classes.reserve(by_name.size());
  for (auto &[name, c] : by_name) classes.push_back(std::move(c));
  sort_lock_classes(classes);
  return classes;
}

void sort_lock_classes(std::vector<LockClassStats> &classes) {
  std::sort(classes.begin(), classes.end(), [](const LockClassStats &a, const LockClassStats &b) {
    if (a.stats.contentions() != b.stats.contentions()) return a.stats.contentions() > b.stats.contentions();
    return a.name < b.name;
  });
}

std::string format_lock_stat_time(std::uint64_t ns) {
  const std::uint64_t rounded = ns + 5;  // "for display rounding"
  std::string out;
  append(out, "%llu.%02u", static_cast<ull>(rounded / 1000), static_cast<unsigned>(rounded % 1000 / 10));
  return out;
}

std::string lock_stat_header() {
  const std::string rule = std::string(kRuleWidth, '-') + '\n';
  std::string out = "lock_stat version 0.4\n" + rule;
  append(out, "%40s", "class name");
  for (const char *column :
       {"con-bounces", "contentions", "waittime-min", "waittime-max", "waittime-total", "waittime-avg", "acq-bounces",
        "acquisitions", "holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg"}) {
    append(out, " %14s", column);
  }
  out += '\n';
  out += rule;
  out += '\n';
  return out;
}

std::string lock_stat_row(const LockClassStats &lock_class) {
  const SpinLockStats &s = lock_class.stats;
  if (s.holdtime.nr == 0) return {};
  const std::string name = lock_class.name.substr(0, kMaxNameLength);
  std::string out;
  append(out, "%40s:", name.c_str());
  append(out, "%14llu ", static_cast<ull>(s.con_bounces));
  append_lock_time(out, s.waittime);
  append(out, " %14llu ", static_cast<ull>(s.acq_bounces));
  append_lock_time(out, s.holdtime);
  out += '\n';
  if (s.contentions() == 0) return out;
  append_points(out, name, s.contention_points);
  if (append_points(out, name, s.contending_points) > 0) out += '\n' + std::string(kRuleWidth, '.') + "\n\n";
  return out;
}

std::string render_lock_stat(std::vector<LockClassStats> classes) {
  sort_lock_classes(classes);
  std::string out = lock_stat_header();
  for (const LockClassStats &c : classes) out += lock_stat_row(c);
  return out;
}

LockFigures lock_figures(const LockClassStats &lock_class) {
  return figures_of(lock_class.name, "", lock_class.instances, lock_class.stats);
}

LockFigures lock_figures(const LockInstanceStats &instance) {
  return figures_of(instance.class_name, instance.instance, 1, instance.stats);
}

std::vector<LockFigures> lock_class_figures(const std::vector<LockInstanceStats> &instances) {
  std::vector<LockFigures> out;
  for (const LockClassStats &c : aggregate_lock_classes(instances)) out.push_back(lock_figures(c));
  return out;
}

std::vector<LockFigures> lock_instance_figures(const std::vector<LockInstanceStats> &instances) {
  std::vector<const LockInstanceStats *> order;
  order.reserve(instances.size());
  for (const LockInstanceStats &inst : instances) order.push_back(&inst);
  std::sort(order.begin(), order.end(), [](const LockInstanceStats *a, const LockInstanceStats *b) {
    return std::forward_as_tuple(a->class_name, b->stats.contentions(), a->instance) <
           std::forward_as_tuple(b->class_name, a->stats.contentions(), b->instance);
  });
  std::vector<LockFigures> out;
  out.reserve(order.size());
  for (const LockInstanceStats *inst : order) out.push_back(lock_figures(*inst));
  return out;
}

}  // namespace buddysim::hw
