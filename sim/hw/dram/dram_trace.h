// Memory-request traces in DRAMsim3's text format, one request a line:
//   0x7f3a2c40 READ 120
// a hexadecimal address (the 0x is optional), READ or WRITE (RD and WR
// accepted, any case) and the arrival cycle in memory clocks. Blank lines
// and everything from '#' to the end of a line are skipped. Cycles must not
// decrease. A bad line raises std::invalid_argument "FILE:LINE: expected
// ..., found ...". The reader streams: memory for one line only.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "sim/hw/dram/dram_request.h"

namespace buddysim::hw {

// One line's request, or nullopt for a blank or comment line. Throws
// std::invalid_argument with "expected ..., found ..." (no location).
std::optional<DramRequest> parse_dram_trace_line(std::string_view line);

class DramTraceReader {
 public:
  // `name` is how messages call the input (normally its path).
  DramTraceReader(std::istream &in, std::string name);

  // The next request; false at the end of the input.
  bool next(DramRequest &request);
  // 1-based number of the line last read.
  std::uint64_t line_number() const { return line_number_; }

 private:
  std::istream &in_;
  std::string name_;
  std::string line_;
  std::uint64_t line_number_ = 0;
  Cycle last_cycle_ = 0;
};

}  // namespace buddysim::hw
