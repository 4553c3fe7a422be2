#include "sim/hw/dram/dram_trace.h"

#include <array>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <utility>

namespace buddysim::hw {
namespace {

constexpr std::size_t kFields = 3;  // address, operation, cycle
constexpr int kHex = 16;

// The C locale's white space, without a locale lookup per character.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

bool equals_ignoring_case(std::string_view token, std::string_view upper) {
  if (token.size() != upper.size()) return false;
  for (std::size_t i = 0; i < token.size(); ++i)
    if (std::toupper(static_cast<unsigned char>(token[i])) != upper[i]) return false;
  return true;
}

// Splits on whitespace into at most kFields + 1 tokens (the extra one only
// to notice that there are too many). Returns the number of tokens.
std::size_t split(std::string_view line, std::array<std::string_view, kFields + 1> &tokens) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (count < tokens.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    tokens[count++] = line.substr(start, i - start);
  }
  return count;
}

[[noreturn]] void expected(const std::string &what, std::string_view found) {
  throw std::invalid_argument("expected " + what + ", found '" + std::string(found) + "'");
}

std::uint64_t parse_address(std::string_view token) {
  std::string_view digits = token;
  if (digits.starts_with("0x") || digits.starts_with("0X")) digits.remove_prefix(2);
  std::uint64_t addr = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), addr, kHex);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    expected("a hexadecimal address of at most 64 bits", token);
  return addr;
}

bool parse_is_write(std::string_view token) {
  if (equals_ignoring_case(token, "READ") || equals_ignoring_case(token, "RD")) return false;
  if (equals_ignoring_case(token, "WRITE") || equals_ignoring_case(token, "WR")) return true;
  expected("READ, WRITE, RD or WR", token);
}

Cycle parse_cycle(std::string_view token) {
  Cycle cycle = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), cycle);
  if (ec != std::errc() || end != token.data() + token.size() || cycle < 0)
    expected("a cycle (a non-negative integer)", token);
  return cycle;
}

}  // namespace

std::optional<DramRequest> parse_dram_trace_line(std::string_view line) {
  if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  std::array<std::string_view, kFields + 1> tokens;
  const std::size_t count = split(line, tokens);
  if (count == 0) return std::nullopt;
  if (count != kFields)
    throw std::invalid_argument("expected 3 fields '0xADDRESS READ|WRITE CYCLE', found " +
                                std::string(count > kFields ? "more" : std::to_string(count)));
  return DramRequest{parse_address(tokens[0]), parse_is_write(tokens[1]), parse_cycle(tokens[2])};
}

DramTraceReader::DramTraceReader(std::istream &in, std::string name) : in_(in), name_(std::move(name)) {}

bool DramTraceReader::next(DramRequest &request) {
  while (std::getline(in_, line_)) {
    ++line_number_;
    // Built only for a message: the common path allocates nothing per line.
    auto where = [this] { return name_ + ":" + std::to_string(line_number_) + ": "; };
    std::optional<DramRequest> parsed;
    try {
      parsed = parse_dram_trace_line(line_);
    } catch (const std::invalid_argument &e) {
      throw std::invalid_argument(where() + e.what());
    }
    if (!parsed) continue;
    if (parsed->arrival_cycle < last_cycle_)
      throw std::invalid_argument(where() + "expected a cycle of at least " + std::to_string(last_cycle_) +
                                  " (cycles must not decrease), found " + std::to_string(parsed->arrival_cycle));
    last_cycle_ = parsed->arrival_cycle;
    request = *parsed;
    return true;
  }
  return false;
}

}  // namespace buddysim::hw
