#include "sim/hw/dram/dram_address_map.h"

#include <bit>
#include <stdexcept>
#include <string>

#include "sim/hw/dram/dram_config.h"

namespace buddysim::hw {
namespace {

// Field widths are log2 of power-of-two counts (DramConfig::set checks that).
unsigned log2_of(std::uint64_t power_of_two) { return static_cast<unsigned>(std::countr_zero(power_of_two)); }

[[noreturn]] void bad_mapping(std::string_view mapping, const std::string &why) {
  throw std::invalid_argument(
      "dram.mapping: expected each of ro, ch, ra, ba, bg, co exactly once, most significant "
      "first, found \"" +
      std::string(mapping) + "\" (" + why + ")");
}

int field_index(std::string_view token) {
  for (std::size_t i = 0; i < DramAddressMap::kFieldNames.size(); ++i)
    if (DramAddressMap::kFieldNames[i] == token) return static_cast<int>(i);
  return -1;
}

}  // namespace

std::array<DramAddressMap::Field, DramAddressMap::field_count> DramAddressMap::parse(std::string_view mapping) {
  std::array<Field, field_count> order{};
  std::array<bool, field_count> seen{};
  std::size_t count = 0;
  std::size_t start = 0;
  while (start <= mapping.size()) {
    const std::size_t comma = std::min(mapping.find(',', start), mapping.size());
    const std::string_view token = mapping.substr(start, comma - start);
    const int f = field_index(token);
    if (f < 0) bad_mapping(mapping, "unknown field \"" + std::string(token) + "\"");
    if (seen[f]) bad_mapping(mapping, std::string(token) + " twice");
    if (count == field_count) bad_mapping(mapping, "too many fields");
    seen[f] = true;
    order[count++] = static_cast<Field>(f);
    start = comma + 1;
  }
  for (std::size_t f = 0; f < field_count; ++f)
    if (!seen[f]) bad_mapping(mapping, "missing " + std::string(kFieldNames[f]));
  return order;
}

DramAddressMap::DramAddressMap(const DramConfig &config) {
  const std::array<Field, field_count> order = parse(config.mapping);
  offset_bits_ = log2_of(config.burst_bytes());
  bits_[ro] = log2_of(config.rows);
  bits_[ch] = log2_of(config.channels);
  bits_[ra] = log2_of(config.ranks);
  bits_[ba] = log2_of(config.banks_per_group);
  bits_[bg] = log2_of(config.bankgroups);
  // A burst covers BL device columns, so the column field counts bursts.
  bits_[co] = log2_of(config.columns / config.BL);
  // Lay the fields out from the least significant end: the last named field
  // sits just above the burst offset.
  unsigned next = offset_bits_;
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    shift_[*it] = next;
    mask_[*it] = (std::uint64_t{1} << bits_[*it]) - 1;
    next += bits_[*it];
  }
}

unsigned DramAddressMap::total_bits() const {
  unsigned total = offset_bits_;
  for (unsigned b : bits_) total += b;
  return total;
}

DramAddress DramAddressMap::decode(std::uint64_t addr) const {
  auto field = [&](Field f) { return static_cast<std::uint32_t>((addr >> shift_[f]) & mask_[f]); };
  return DramAddress{field(ch), field(ra), field(bg), field(ba), field(ro), field(co)};
}

std::uint64_t DramAddressMap::encode(const DramAddress &where) const {
  auto place = [&](Field f, std::uint64_t v) { return (v & mask_[f]) << shift_[f]; };
  return place(ch, where.channel) | place(ra, where.rank) | place(bg, where.bankgroup) | place(ba, where.bank) |
         place(ro, where.row) | place(co, where.column);
}

}  // namespace buddysim::hw
