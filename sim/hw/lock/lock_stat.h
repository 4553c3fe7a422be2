// /proc/lock_stat for the simulated locks, in the kernel's text layout
// (kernel/locking/lockdep_proc.c: seq_header, seq_stats, seq_lock_time,
// snprint_time, lock_stat_cmp; format version 0.4), plus the
// same figures as plain structs for summary.json.
//
// Layout, byte for byte as the kernel prints it:
//   "lock_stat version 0.4"
//   a rule of 221 '-' (40 + 1 + 12 * (14 + 1))
//   the column header: "%40s" "class name", then 12 × " %14s"
//   the rule again, then an empty line
//   one row per lock class: "%40s:" name (cut to 37 characters), "%14lu "
//   con-bounces, "%14lu" contentions, 4 × " %14s" wait times, " %14lu "
//   acq-bounces, "%14lu" acquisitions, 4 × " %14s" hold times.
//   A contended class goes on (seq_stats()) with its contention points, the
//   call sites that had to wait, and then its contending points, the sites
//   that held the lock meanwhile: up to LOCKSTAT_POINTS (4) each, in order
//   of first appearance, each list under a rule of as many '-' as the name
//   is long, right-aligned to column 40, one "%40s %14lu %29s %pS" line per
//   site. If it printed contending points, an empty line, a rule of 221 '.'
//   and another empty line follow.
// Times are nanoseconds printed as microseconds with two decimals, rounded
// to the nearest 10 ns ("%lld.%02d" of (ns + 5) / 1000 and its remainder / 10);
// averages are total / count in whole nanoseconds. Rows are sorted by
// contentions, descending (lock_stat_cmp); classes never released (no
// acquisitions) print no row, as in the kernel.
//
// Deliberate differences: a call site is the kernel function whose source
// takes the lock, not a return address, so "%pS" prints it with offset and
// size 0 ("rmqueue_bulk+0x0/0x0"), and "[<%p>]" shows what a 64-bit kernel's
// hashed pointer looks like (32 bits of hash in 16 hex digits) with a fixed
// hash of the site's name in place of the kernel's keyed one. Ties in
// contentions, which the kernel's unstable sort leaves in any order, are
// ordered by class name. Samples are kept in picoseconds and truncated to
// nanoseconds when printed, so totals may exceed the sum of per-sample
// truncations the kernel would keep by less than 1 ns per sample.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/hw/lock/lock_stats.h"

namespace buddysim::hw {

// One /proc/lock_stat row: every instance of a lock class folded together.
struct LockClassStats {
  std::string name;
  std::size_t instances = 0;
  SpinLockStats stats;
};

// Folds instances into their classes (lock_stats(): sums, min of mins, max
// of maxes), sorted as /proc/lock_stat sorts them.
std::vector<LockClassStats> aggregate_lock_classes(const std::vector<LockInstanceStats> &instances);
// lock_stat_cmp: contentions descending; ties by name.
void sort_lock_classes(std::vector<LockClassStats> &classes);

// snprint_time(): ns as microseconds with two decimals ("0.05", "1234.56").
std::string format_lock_stat_time(std::uint64_t ns);
// The header block: version line, rule, column names, rule, empty line.
std::string lock_stat_header();
// The class's row with its newline and, if contended, its points; "" if it
// was never released.
std::string lock_stat_row(const LockClassStats &lock_class);
// The whole file; classes are sorted first.
std::string render_lock_stat(std::vector<LockClassStats> classes);
inline std::string render_lock_stat(const std::vector<LockInstanceStats> &instances) {
  return render_lock_stat(aggregate_lock_classes(instances));
}

// The lock_stat figures of a class or an instance as numbers, for JSON.
// Times in nanoseconds (exact to the picosecond); averages per sample.
// One LockTime in nanoseconds.
struct TimeFigures {
  double min_ns = 0, max_ns = 0, total_ns = 0, avg_ns = 0;
};

// A call site's count among a lock's contention or contending points.
struct PointFigures {
  std::string site;
  std::uint64_t count = 0;
};

struct LockFigures {
  std::string class_name;
  std::string instance;       // empty for a class aggregate
  std::size_t instances = 1;  // how many instances were folded in
  std::uint64_t con_bounces = 0;
  std::uint64_t contentions = 0;
  TimeFigures waittime;
  std::uint64_t acq_bounces = 0;
  std::uint64_t acquisitions = 0;
  TimeFigures holdtime;
  std::uint64_t trylock_acquisitions = 0;
  std::uint64_t trylock_failures = 0;
  std::uint64_t line_transfers = 0;
  double transfer_time_ns = 0;
  // WaitHistogram counts up to the last non-empty bucket: entry b counts
  // waits of 0 ns (b == 0) or of [2^(b-1), 2^b) ns.
  std::vector<std::uint64_t> wait_histogram;
  // Every site, in order of first appearance (lock_stat prints the first 4).
  std::vector<PointFigures> contention_points;
  std::vector<PointFigures> contending_points;
};

LockFigures lock_figures(const LockClassStats &lock_class);
LockFigures lock_figures(const LockInstanceStats &instance);
// Per class, in /proc/lock_stat order.
std::vector<LockFigures> lock_class_figures(const std::vector<LockInstanceStats> &instances);
// Per instance: by class name, then contentions descending, then instance.
std::vector<LockFigures> lock_instance_figures(const std::vector<LockInstanceStats> &instances);

}  // namespace buddysim::hw
