#include "sim/hw/lock/lock_stats.h"

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
}

}  // namespace buddysim::hw
