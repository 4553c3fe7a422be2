// Address mapping: a physical address split into channel, rank, bank group,
// bank, row and column bit fields, in the order the configuration names them
// from the most significant bits down ("ro,ch,ra,ba,bg,co"). The bytes of
// one burst (bus_width / 8 * BL) are the lowest bits and select nothing.
// Bits above the last field are ignored, so addresses wrap modulo the
// node's capacity.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace buddysim::hw {

struct DramConfig;

// Where an address lives. `bank` is the bank within its group; flat_bank()
// numbers every bank of the channel.
struct DramAddress {
  std::uint32_t channel = 0;
  std::uint32_t rank = 0;
  std::uint32_t bankgroup = 0;
  std::uint32_t bank = 0;
  std::uint32_t row = 0;
  std::uint32_t column = 0;  // in bursts: device column / BL
};

class DramAddressMap {
 public:
  enum Field { ro, ch, ra, ba, bg, co, field_count };
  static constexpr std::array<std::string_view, field_count> kFieldNames = {"ro", "ch", "ra", "ba", "bg", "co"};

  // Parses `mapping` and derives field widths from `config`. Throws
  // std::invalid_argument "dram.mapping: expected ..." on a bad order.
  explicit DramAddressMap(const DramConfig &config);

  // Checks the syntax of a mapping: every field exactly once. Returns the
  // fields from most to least significant; throws like the constructor.
  static std::array<Field, field_count> parse(std::string_view mapping);

  DramAddress decode(std::uint64_t addr) const;
  // The inverse of decode for in-range fields (tests and trace generators).
  std::uint64_t encode(const DramAddress &where) const;

  unsigned offset_bits() const { return offset_bits_; }
  unsigned bits(Field f) const { return bits_[f]; }
  unsigned shift(Field f) const { return shift_[f]; }
  // Address bits that select something: offset plus every field.
  unsigned total_bits() const;

 private:
  unsigned offset_bits_ = 0;
  std::array<unsigned, field_count> bits_{};
  std::array<unsigned, field_count> shift_{};
  std::array<std::uint64_t, field_count> mask_{};
};

}  // namespace buddysim::hw
