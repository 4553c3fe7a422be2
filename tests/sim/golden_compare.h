// Comparing a run's results with the golden copies in tests/golden/: every
// difference as "FILE: WHERE: was OLD, now NEW", so a failure names the file,
// the field (a JSON pointer, or a line number) and both values.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace buddysim::test {

// Integers and strings compare exactly. Non-integer numbers (averages,
// shares, times in fractional nanoseconds) compare within this relative
// tolerance: the run is deterministic, but a different compiler or -ffp-contract
// setting may round the last bit of a double differently.
inline constexpr double GOLDEN_RELATIVE_TOLERANCE = 1e-9;

// At most `limit` differences, in document order; a final line says how
// many more there were.
std::vector<std::string> compare_json(const std::string &file, const nlohmann::json &expected,
                                      const nlohmann::json &actual, std::size_t limit = 20);
// Line by line; a changed line count is reported as missing or extra lines.
std::vector<std::string> compare_text(const std::string &file, const std::string &expected, const std::string &actual,
                                      std::size_t limit = 5);

}  // namespace buddysim::test
