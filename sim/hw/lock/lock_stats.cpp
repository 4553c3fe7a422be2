#include "sim/hw/lock/lock_stats.h"

#include <algorithm>
#include <cstring>

namespace buddysim::hw {

void LockTime::add(std::uint64_t ps) {
  if (ps > max_ps) max_ps = ps;
  if (ps < min_ps || nr == 0) min_ps = ps;
  total_ps += ps;
  ++nr;
}

void LockTime::merge(const LockTime &other) {
  if (other.nr == 0) return;
  if (other.max_ps > max_ps) max_ps = other.max_ps;
  if (other.min_ps < min_ps || nr == 0) min_ps = other.min_ps;
  total_ps += other.total_ps;
  nr += other.nr;
}

void WaitHistogram::merge(const WaitHistogram &other) {
  for (std::size_t b = 0; b < NR_BUCKETS; ++b) count[b] += other.count[b];
}

std::size_t WaitHistogram::used_buckets() const {
  std::size_t used = NR_BUCKETS;
  while (used > 0 && count[used - 1] == 0) --used;
  return used;
}

namespace {

bool same_site(CallSite a, CallSite b) { return a == b || std::strcmp(a, b) == 0; }

bool shows_first(const LockPoint &a, const LockPoint &b) {
  if (a.first_ps != b.first_ps) return a.first_ps < b.first_ps;
  return std::strcmp(a.site, b.site) < 0;
}

}  // namespace

void LockPoints::add(CallSite site, std::uint64_t at_ps) {
  for (LockPoint &p : points) {
    if (!same_site(p.site, site)) continue;
    ++p.count;
    if (at_ps < p.first_ps) {
      p.first_ps = at_ps;
      std::sort(points.begin(), points.end(), shows_first);
    }
    return;
  }
  const LockPoint added{site, 1, at_ps};
  points.insert(std::upper_bound(points.begin(), points.end(), added, shows_first), added);
}

void LockPoints::merge(const LockPoints &other) {
  for (const LockPoint &o : other.points) {
    const auto mine = std::find_if(points.begin(), points.end(), [&](const LockPoint &p) { return same_site(p.site, o.site); });
    if (mine == points.end()) {
      points.push_back(o);
    } else {
      mine->count += o.count;
      mine->first_ps = std::min(mine->first_ps, o.first_ps);
    }
  }
  std::sort(points.begin(), points.end(), shows_first);
}

void SpinLockStats::merge(const SpinLockStats &other) {
  con_bounces += other.con_bounces;
  acq_bounces += other.acq_bounces;
  waittime.merge(other.waittime);
  holdtime.merge(other.holdtime);
  wait_histogram.merge(other.wait_histogram);
  trylock_acquisitions += other.trylock_acquisitions;
  trylock_failures += other.trylock_failures;
  line_transfers += other.line_transfers;
  transfer_time_ps += other.transfer_time_ps;
  contention_points.merge(other.contention_points);
  contending_points.merge(other.contending_points);
}

}  // namespace buddysim::hw
