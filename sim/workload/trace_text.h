// Small text helpers shared by the trace parsers. Everything works on
// string_views into the current line, so per-line parsing allocates nothing.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace buddysim::workload::text {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// The next blank-separated token of `rest`, which is advanced past it.
inline std::string_view next_token(std::string_view &rest) {
  std::size_t begin = 0;
  while (begin < rest.size() && is_space(rest[begin])) ++begin;
  std::size_t end = begin;
  while (end < rest.size() && !is_space(rest[end])) ++end;
  const std::string_view token = rest.substr(begin, end - begin);
  rest.remove_prefix(end);
  return token;
}

// The whole of `s` as an unsigned number in `base`; nullopt for anything else
// (empty, sign, trailing characters, overflow).
inline std::optional<std::uint64_t> parse_unsigned(std::string_view s, int base = 10) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (s.empty() || error != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// "0x1a2b" as hex, otherwise decimal: ftrace printed pfns in decimal before
// kernel 5.x and in hex ("pfn=0x%lx") since.
inline std::optional<std::uint64_t> parse_hex_or_decimal(std::string_view s) {
  if (s.starts_with("0x") || s.starts_with("0X")) return parse_unsigned(s.substr(2), 16);
  return parse_unsigned(s);
}

// `s` in double quotes for a message, cut to `limit` characters so that one
// garbage line cannot flood the terminal.
inline std::string quoted(std::string_view s, std::size_t limit = 120) {
  if (s.size() <= limit) return "\"" + std::string(s) + "\"";
  return "\"" + std::string(s.substr(0, limit)) + "...\"";
}

}  // namespace buddysim::workload::text
