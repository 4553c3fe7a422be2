#include "sim/hw/cache/private_cache.h"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace buddysim::hw {
namespace {

// Lines are addr >> 6 (at most 58 bits); two state bits must fit above them.
constexpr Line MAX_LINE = ~Line{0} >> 2;

std::uint64_t checked_sets(const PrivateCacheConfig &config) {
  if (config.ways == 0 || config.ways > PrivateCache::MAX_WAYS) {
    throw std::invalid_argument("private_cache.ways: expected 1.." + std::to_string(PrivateCache::MAX_WAYS) +
                                ", found " + std::to_string(config.ways));
  }
  const std::uint64_t set_bytes = LINE_BYTES * config.ways;
  if (config.size_bytes == 0 || config.size_bytes % set_bytes != 0 ||
      !std::has_single_bit(config.size_bytes / set_bytes)) {
    throw std::invalid_argument("private_cache.size_bytes: expected ways x 64 x a power of two (" +
                                std::to_string(set_bytes) + " x 2^k), found " + std::to_string(config.size_bytes));
  }
  return config.size_bytes / set_bytes;
}

}  // namespace

PrivateCache::PrivateCache(const PrivateCacheConfig &config)
    : ways_(config.ways), set_mask_(checked_sets(config) - 1), slots_((set_mask_ + 1) * ways_, 0) {}

void PrivateCache::move_to_front(std::uint64_t *set, std::size_t way) {
  const std::uint64_t word = set[way];
  std::copy_backward(set, set + way, set + way + 1);
  set[0] = word;
}

LineState PrivateCache::state(Line line) const {
  const std::uint64_t *set = set_of(line);
  const std::size_t way = find_way(set, line);
  return way == NOT_FOUND ? LineState::Invalid : static_cast<LineState>(set[way] & STATE_MASK);
}

std::optional<Line> PrivateCache::insert(Line line, LineState state) {
  if (line > MAX_LINE) throw std::invalid_argument("PrivateCache::insert: line number wider than 62 bits");
  if (state == LineState::Invalid) throw std::invalid_argument("PrivateCache::insert: state Invalid");
  std::uint64_t *set = set_of(line);
  std::size_t way = find_way(set, line);
  std::optional<Line> victim;
  if (way == NOT_FOUND) {
    way = ways_ - 1;  // the LRU way, or the first of the empty ones at the back
    if (set[way] != 0) {
      victim = set[way] >> STATE_BITS;
    } else {
      ++occupied_;
    }
  }
  set[way] = pack(line, state);
  move_to_front(set, way);
  return victim;
}

bool PrivateCache::set_state(Line line, LineState state) {
  if (state == LineState::Invalid) return invalidate(line);
  std::uint64_t *set = set_of(line);
  const std::size_t way = find_way(set, line);
  if (way == NOT_FOUND) return false;
  set[way] = pack(line, state);
  return true;
}

// Closes the gap so that valid ways stay packed in use order.
bool PrivateCache::invalidate(Line line) {
  std::uint64_t *set = set_of(line);
  const std::size_t way = find_way(set, line);
  if (way == NOT_FOUND) return false;
  std::copy(set + way + 1, set + ways_, set + way);
  set[ways_ - 1] = 0;
  --occupied_;
  return true;
}

}  // namespace buddysim::hw
