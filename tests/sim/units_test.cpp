// Sizes and durations: parsing, refusals and formatting back.
#include "sim/scenario/units.h"

#include <gtest/gtest.h>

#include "tests/sim/scenario_test_support.h"

namespace buddysim::scenario {
namespace {

using namespace testing_support;

// ---------------------------------------------------------------------------
// Units.

TEST(Units, SizesParse) {
  EXPECT_EQ(units::parse_size("16GiB"), 16 * GiB);
  EXPECT_EQ(units::parse_size("4KiB"), 4 * KiB);
  EXPECT_EQ(units::parse_size("512M"), 512 * MiB);
  EXPECT_EQ(units::parse_size("2TiB"), 2ull << 40);
  EXPECT_EQ(units::parse_size("1.5GiB"), 1536 * MiB);
  EXPECT_EQ(units::parse_size("1 gib"), 1 * GiB);
  EXPECT_EQ(units::parse_size("4096"), 4096u);
  EXPECT_EQ(units::parse_size("100B"), 100u);
  EXPECT_EQ(units::parse_size("0x9f000"), 0x9f000u);
}

TEST(Units, SizesRejectWithAReason) {
  const auto reason = [](std::string_view text) {
    try {
      units::parse_size(text);
    } catch (const std::invalid_argument &e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(reason("16MB"), "\"MB\" is ambiguous; write \"MiB\" (sizes are binary)");
  EXPECT_EQ(reason("1.3B"), "not a whole number of bytes");
  EXPECT_EQ(reason("GiB"), "not a number");
  EXPECT_EQ(reason("-1"), "not a number");
  EXPECT_EQ(reason("20000000TiB"), "too large");
  EXPECT_EQ(reason("0xfg"), "not a number");
}

TEST(Units, DurationsParse) {
  EXPECT_EQ(units::parse_duration_ns("10s"), 10 * S);
  EXPECT_EQ(units::parse_duration_ns("5ms"), 5 * MS);
  EXPECT_EQ(units::parse_duration_ns("250us"), 250 * US);
  EXPECT_EQ(units::parse_duration_ns("100ns"), 100u);
  EXPECT_EQ(units::parse_duration_ns("1.5s"), 1500 * MS);
  EXPECT_EQ(units::parse_duration_ns("2min"), 120 * S);
  EXPECT_EQ(units::parse_duration_ns("0"), 0u);
  EXPECT_THROW(units::parse_duration_ns("1.5ns"), std::invalid_argument);
  EXPECT_THROW(units::parse_duration_ns("7"), std::invalid_argument);
}

TEST(Units, PicosecondDurationsParse) {
  EXPECT_EQ(units::parse_duration_ps("20.5ns"), 20'500u);
  EXPECT_EQ(units::parse_duration_ps("23.361ns"), 23'361u);
  EXPECT_EQ(units::parse_duration_ps("625ps"), 625u);
  EXPECT_EQ(units::parse_duration_ps("1us"), 1'000'000u);
  EXPECT_EQ(units::parse_duration_ps("0"), 0u);
  EXPECT_THROW(units::parse_duration_ps("0.5ps"), std::invalid_argument);
  EXPECT_THROW(units::parse_duration_ps("45"), std::invalid_argument);
  // Nanosecond durations do not take ps.
  EXPECT_THROW(units::parse_duration_ns("625ps"), std::invalid_argument);
}

TEST(Units, FrequenciesParse) {
  EXPECT_EQ(units::parse_frequency_hz("2.5GHz"), 2'500'000'000u);
  EXPECT_EQ(units::parse_frequency_hz("2500MHz"), 2'500'000'000u);
  EXPECT_EQ(units::parse_frequency_hz("2500 mhz"), 2'500'000'000u);
  EXPECT_EQ(units::parse_frequency_hz("100kHz"), 100'000u);
  EXPECT_EQ(units::parse_frequency_hz("50Hz"), 50u);
}

TEST(Units, FrequenciesRejectWithAReason) {
  const auto reason = [](std::string_view text) {
    try {
      units::parse_frequency_hz(text);
    } catch (const std::invalid_argument &e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(reason("2500"), "a frequency needs a unit: Hz, kHz, MHz or GHz");
  EXPECT_EQ(reason("2.5GH"), "unknown unit \"GH\"; use Hz, kHz, MHz or GHz");
  EXPECT_EQ(reason("0.5Hz"), "not a whole number of hertz");
}

TEST(Units, PicosecondsAndFrequenciesFormatBack) {
  EXPECT_EQ(units::format_duration_ps(20'500), "20.5ns");
  EXPECT_EQ(units::format_duration_ps(23'361), "23.361ns");
  EXPECT_EQ(units::format_duration_ps(45'000), "45ns");
  EXPECT_EQ(units::format_duration_ps(1'000'000), "1us");
  EXPECT_EQ(units::format_duration_ps(1), "0.001ns");
  EXPECT_EQ(units::format_duration_ps(0), "0s");
  for (std::uint64_t ps : std::vector<std::uint64_t>{0, 1, 999, 1000, 20'500, 23'361, 1'000'001, 3'600'000'000'000'000})
    EXPECT_EQ(units::parse_duration_ps(units::format_duration_ps(ps)), ps) << units::format_duration_ps(ps);
  EXPECT_EQ(units::format_frequency(2'500'000'000), "2500MHz");
  EXPECT_EQ(units::format_frequency(3'000'000'000), "3GHz");
  for (std::uint64_t hz : std::vector<std::uint64_t>{1, 999, 2'500'000'000, 100'000'000})
    EXPECT_EQ(units::parse_frequency_hz(units::format_frequency(hz)), hz) << units::format_frequency(hz);
}

TEST(Units, FormatRoundTrips) {
  for (std::uint64_t bytes :
       std::vector<std::uint64_t>{0, 1, 4095, 4096, 0x9e000, 3071 * MiB, 16 * GiB, 3ull << 40, 1536 * MiB})
    EXPECT_EQ(units::parse_size(units::format_size(bytes)), bytes) << units::format_size(bytes);
  for (std::uint64_t ns : std::vector<std::uint64_t>{0, 1, 999, 1500 * US, 1500 * MS, 10 * S, 90 * S, 7200 * S})
    EXPECT_EQ(units::parse_duration_ns(units::format_duration(ns)), ns) << units::format_duration(ns);
  EXPECT_EQ(units::format_size(0x9e000), "632KiB");
  EXPECT_EQ(units::format_size(4097), "4097");
  EXPECT_EQ(units::format_duration(1500 * MS), "1500ms");
  EXPECT_EQ(units::format_duration(90 * S), "90s");
  EXPECT_EQ(units::format_hex(0x9f000), "0x9f000");
}

}  // namespace
}  // namespace buddysim::scenario
