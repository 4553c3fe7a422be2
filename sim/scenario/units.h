// Sizes, durations and frequencies as scenarios write them ("16GiB",
// "0x9f000", "1.5s", "250us", "2.5GHz"), and back. Plain text in, integers
// out: no JSON here.
//
// Sizes are binary: K/KiB, M/MiB, G/GiB, T/TiB are powers of 1024, "B" or no
// unit means bytes, "0x..." is hexadecimal bytes (handy for addresses).
// "KB", "MB", "GB" and "TB" are refused because readers disagree on whether
// they mean 1000 or 1024. Durations need a unit (ns, us, ms, s, min, h),
// except a plain 0; the hardware's picosecond durations also take "ps".
// Frequencies need a unit (Hz, kHz, MHz, GHz; case does not matter). A
// fraction is allowed when the result is a whole number of the unit counted
// ("1.5GiB", "2.5ms", "20.5ns" in picoseconds, "2.5GHz").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace buddysim::scenario::units {

// The parsers throw std::invalid_argument whose what() says what is wrong
// with the text (a hint, not a complete sentence: the caller names the value).
std::uint64_t parse_size(std::string_view text);
std::uint64_t parse_duration_ns(std::string_view text);
std::uint64_t parse_duration_ps(std::string_view text);
std::uint64_t parse_frequency_hz(std::string_view text);

// The largest unit that divides the value exactly: "16GiB", "632KiB", "123"
// (plain bytes); "10s", "1500ms", "0s"; "2500MHz". parse_* of the result gives
// the value back.
std::string format_size(std::uint64_t bytes);
std::string format_duration(std::uint64_t ns);
std::string format_frequency(std::uint64_t hz);
// Like format_duration, in a unit of ns or above when one divides exactly,
// else in ns with the fraction it needs: "45ns", "20.5ns", "23.361ns", "1us".
std::string format_duration_ps(std::uint64_t ps);

// "0x9f000": addresses in messages, where a size unit would mislead.
std::string format_hex(std::uint64_t value);

}  // namespace buddysim::scenario::units
