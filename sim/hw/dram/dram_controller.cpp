#include "sim/hw/dram/dram_controller.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace buddysim::hw {
namespace {

// Validation runs before the address map is built from the configuration.
const DramConfig &validated(const DramConfig &config) {
  config.validate();
  return config;
}

}  // namespace

DramController::DramController(DramConfig config)
    : config_(std::move(config)), map_(validated(config_)), channels_(config_.channels, DramChannel(config_)) {}

std::uint64_t DramController::submit(const Request &request) {
  if (request.arrival_cycle < 0)
    throw std::invalid_argument("dram request: expected a non-negative arrival cycle, found " +
                                std::to_string(request.arrival_cycle));
  if (request.arrival_cycle < last_arrival_)
    throw std::invalid_argument("dram request: expected an arrival cycle of at least " + std::to_string(last_arrival_) +
                                " (arrivals must not decrease), found " + std::to_string(request.arrival_cycle));
  last_arrival_ = request.arrival_cycle;
  const DramAddress where = map_.decode(request.addr);
  channels_[where.channel].push(next_id_, request, where);
  return next_id_++;
}

std::size_t DramController::advance(Cycle until, std::vector<Completion> *completed) {
  std::size_t served = 0;
  for (DramChannel &channel : channels_) served += channel.advance(until, completed);
  return served;
}

Cycle DramController::next_decision_cycle() const {
  Cycle next = kNever;
  for (const DramChannel &channel : channels_) next = std::min(next, channel.next_decision());
  return next;
}

std::size_t DramController::pending() const {
  std::size_t n = 0;
  for (const DramChannel &channel : channels_) n += channel.pending();
  return n;
}

RowOutcome DramController::classify(std::uint64_t addr) const {
  const DramAddress where = map_.decode(addr);
  return channels_[where.channel].classify(where);
}

DramStats DramController::stats() const {
  DramStats s;
  s.channels.reserve(channels_.size());
  for (const DramChannel &channel : channels_) s.channels.push_back(channel.stats());
  return s;
}

}  // namespace buddysim::hw
