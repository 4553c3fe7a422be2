// JSON text -> document (with positions for syntax errors and a check for
// duplicate keys), and the typed accessors every section parser uses.
#include "sim/scenario/json_reader.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/scenario/overrides.h"
#include "sim/scenario/scenario_error.h"
#include "model/spelling.h"
#include "sim/scenario/units.h"

namespace buddysim::scenario {

using nlohmann::json;

namespace {

constexpr std::string_view kSizeWhat = "a size such as \"512MiB\" or a number of bytes";
constexpr std::string_view kDurationWhat = "a duration such as \"5ms\"";
constexpr std::string_view kPsDurationWhat = "a duration such as \"45ns\" or \"20.5ns\"";
constexpr std::string_view kFrequencyWhat = "a frequency such as \"2.5GHz\" or \"2500MHz\"";
constexpr std::string_view kGfpWhat = "GFP flags such as \"GFP_KERNEL|__GFP_ZERO\" or \"0xcc0\"";

// Builds the DOM through nlohmann's own SAX DOM builder, keeping track of
// where it is so that a key given twice in one object (which plain parsing
// would silently resolve to the last value) is reported by pointer, and a
// syntax error by line and column.
class CheckedSax : public nlohmann::json_sax<json> {
 public:
  CheckedSax(json &result, std::string_view text, const std::string &file) : dom_(result), text_(text), file_(file) {}

  bool null() override { return element(), dom_.null(); }
  bool boolean(bool v) override { return element(), dom_.boolean(v); }
  bool number_integer(number_integer_t v) override { return element(), dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return element(), dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t &s) override { return element(), dom_.number_float(v, s); }
  bool string(string_t &v) override { return element(), dom_.string(v); }
  bool binary(binary_t &v) override { return element(), dom_.binary(v); }
  bool start_object(std::size_t n) override {
    element();
    frames_.push_back({true});
    return dom_.start_object(n);
  }
  bool key(string_t &k) override;
  bool end_object() override { return frames_.pop_back(), dom_.end_object(); }
  bool start_array(std::size_t n) override {
    element();
    frames_.push_back({false});
    return dom_.start_array(n);
  }
  bool end_array() override { return frames_.pop_back(), dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex) override;

 private:
  struct Frame {
    bool object;
    std::string key = {};                // objects: the current key
    std::size_t count = 0;               // arrays: elements seen so far
    std::vector<std::string> seen = {};  // objects: keys seen so far
  };
  void element() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().count;
  }
  std::string pointer() const {
    std::string p;
    for (const Frame &f : frames_) p += "/" + (f.object ? escape_key(f.key) : std::to_string(f.count - 1));
    return p;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::string_view text_;
  const std::string &file_;
  std::vector<Frame> frames_;
};

bool CheckedSax::key(string_t &k) {
  Frame &f = frames_.back();
  f.key = k;
  if (std::find(f.seen.begin(), f.seen.end(), k) != f.seen.end())
    throw ScenarioError(file_ + ": " + pointer(), "duplicate key; JSON keeps only the last value, so remove one");
  f.seen.push_back(k);
  return dom_.key(k);
}

// nlohmann's message reads "[json.exception.parse_error.101] parse error at
// line L, column C: <what>"; we keep <what> and give the position as
// file:line:column. `position` counts the characters read (the end of input
// counting as one), so the last one read, where parsing failed, is at
// position - 1: the bad character, or the end of the unexpected token.
bool CheckedSax::parse_error(std::size_t position, const std::string &, const nlohmann::detail::exception &ex) {
  const std::size_t offset = std::min(text_.size(), position - std::min<std::size_t>(position, 1));
  const std::string_view before = text_.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t line_start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  std::string what = ex.what();
  const std::size_t colon = what.find(": ", what.find("column "));
  if (colon != std::string::npos) what = what.substr(colon + 2);
  throw ScenarioError(file_ + ":" + std::to_string(line) + ":" + std::to_string(offset - line_start + 1),
                      "invalid JSON: " + what);
}

std::string format_number(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return json(v).dump();
}

std::string integer_range(std::int64_t min, std::int64_t max) {
  if (max == INT_MAX || max == INT64_MAX)
    return min == 0 ? "a non-negative integer" : "an integer of at least " + std::to_string(min);
  return "an integer from " + std::to_string(min) + " to " + std::to_string(max);
}

// An error concerns an override when it is about the value the override
// wrote, something inside it, or an object on its path (a misspelt key the
// override created); the document root is too broad to count.
bool concerns(const std::string &pointer, const std::string &written) {
  return pointer == written || pointer.starts_with(written + "/") ||
         (!pointer.empty() && written.starts_with(pointer + "/"));
}

}  // namespace

std::string escape_key(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string quoted_list(std::span<const std::string_view> options, std::string_view last_joiner) {
  std::string out;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i) out += i + 1 == options.size() ? std::string(last_joiner) : ", ";
    out += "\"" + std::string(options[i]) + "\"";
  }
  return out;
}

std::string SourceInfo::where(const std::string &pointer) const {
  std::string head = file;
  for (auto it = overrides.rbegin(); it != overrides.rend(); ++it) {
    if (concerns(pointer, it->pointer)) {
      head += " (--set " + it->text + ")";
      break;
    }
  }
  return pointer.empty() ? head : head + ": " + pointer;
}

JsonValue::JsonValue(const json &value, std::string pointer, const SourceInfo &source)
    : value_(&value), pointer_(std::move(pointer)), source_(&source) {}

std::string JsonValue::found() const {
  constexpr std::size_t kLongest = 48;
  std::string text = value_->dump();
  if (text.size() <= kLongest) return text;
  if (value_->is_object()) return "an object";
  if (value_->is_array()) return "an array of " + std::to_string(value_->size()) + " elements";
  return text.substr(0, kLongest - 4) + "...\"";
}

void JsonValue::fail(const std::string &message) const { throw ScenarioError(source_->where(pointer_), message); }

void JsonValue::expected(std::string_view what, std::string_view hint) const {
  fail("expected " + std::string(what) + ", found " + found() + std::string(hint));
}

bool JsonValue::is_string() const { return value_->is_string(); }
bool JsonValue::is_object() const { return value_->is_object(); }
bool JsonValue::is_array() const { return value_->is_array(); }
bool JsonValue::is_integer() const { return value_->is_number_integer(); }

void JsonValue::check_keys(std::span<const std::string_view> allowed, std::string_view what) const {
  if (!value_->is_object()) expected(what);
  for (const auto &[key, v] : value_->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    const auto close = model::closest_match(key, allowed);
    child(key).fail("unknown key \"" + key + "\"; " +
                    (close ? "did you mean \"" + std::string(*close) + "\"?" : "expected " + quoted_list(allowed)));
  }
}

bool JsonValue::has(std::string_view key) const { return value_->is_object() && value_->contains(key); }

std::optional<JsonValue> JsonValue::get(std::string_view key) const {
  if (!has(key)) return std::nullopt;
  return child(key);
}

JsonValue JsonValue::required(std::string_view key, std::string_view what) const {
  if (!has(key))
    throw ScenarioError(source_->where(pointer_ + "/" + escape_key(key)),
                        "required key is missing; expected " + std::string(what));
  return child(key);
}

std::vector<std::string> JsonValue::keys() const {
  std::vector<std::string> out;
  for (const auto &[key, v] : value_->items()) out.push_back(key);
  return out;
}

JsonValue JsonValue::child(std::string_view key) const {
  return JsonValue(value_->at(std::string(key)), pointer_ + "/" + escape_key(key), *source_);
}

std::vector<JsonValue> JsonValue::elements(std::string_view what, std::size_t min, std::size_t max) const {
  std::string expect = "an array of " + std::string(what);
  if (min == max)
    expect = "an array of " + std::to_string(min) + " " + std::string(what);
  else if (max != SIZE_MAX)
    expect = "an array of " + std::to_string(min) + " to " + std::to_string(max) + " " + std::string(what);
  else if (min == 1)
    expect = "a non-empty array of " + std::string(what);
  if (!value_->is_array() || value_->size() < min || value_->size() > max) expected(expect);
  std::vector<JsonValue> out;
  for (std::size_t i = 0; i < value_->size(); ++i)
    out.emplace_back((*value_)[i], pointer_ + "/" + std::to_string(i), *source_);
  return out;
}

bool JsonValue::boolean() const {
  if (!value_->is_boolean()) expected("true or false");
  return value_->get<bool>();
}

std::int64_t JsonValue::integer(std::int64_t min, std::int64_t max) const {
  return integer(min, max, integer_range(min, max));
}

std::int64_t JsonValue::integer(std::int64_t min, std::int64_t max, std::string_view what) const {
  if (!value_->is_number_integer() || (value_->is_number_unsigned() && value_->get<std::uint64_t>() > INT64_MAX))
    expected(what);
  const auto v = value_->get<std::int64_t>();
  if (v < min || v > max) expected(what);
  return v;
}

std::uint64_t JsonValue::uint64() const {
  if (!value_->is_number_unsigned()) expected("an integer from 0 to 18446744073709551615");
  return value_->get<std::uint64_t>();
}

double JsonValue::number(double min, bool inclusive) const {
  const std::string what = (inclusive ? "a number of at least " : "a number above ") + format_number(min);
  if (!value_->is_number()) expected(what);
  const auto v = value_->get<double>();
  if (!std::isfinite(v) || v < min || (!inclusive && v == min)) expected(what);
  return v;
}

double JsonValue::number(double min, double max, std::string_view what) const {
  if (!value_->is_number()) expected(what);
  const auto v = value_->get<double>();
  if (!std::isfinite(v) || v < min || v > max) expected(what);
  return v;
}

std::string JsonValue::string(std::string_view what) const {
  if (!value_->is_string()) expected(what);
  return value_->get<std::string>();
}

std::string_view JsonValue::choice(std::span<const std::string_view> options) const {
  const std::string what = quoted_list(options);
  const std::string text = string(what);
  const auto it = std::find(options.begin(), options.end(), text);
  if (it != options.end()) return *it;
  const auto close = model::closest_match(text, options);
  expected(what, close ? "; did you mean \"" + std::string(*close) + "\"?" : "");
}

std::uint64_t JsonValue::size_bytes() const {
  if (value_->is_number_unsigned()) return value_->get<std::uint64_t>();
  if (!value_->is_string()) expected(kSizeWhat);
  try {
    return units::parse_size(value_->get<std::string>());
  } catch (const std::invalid_argument &e) {
    expected(kSizeWhat, std::string(": ") + e.what());
  }
}

std::uint64_t JsonValue::quantity(std::string_view what, std::uint64_t (*parse)(std::string_view)) const {
  // A bare number goes through the same parser, which explains that it
  // needs a unit (unless it is a duration of 0).
  if (!value_->is_string() && !value_->is_number()) expected(what);
  try {
    return parse(value_->is_string() ? value_->get<std::string>() : value_->dump());
  } catch (const std::invalid_argument &e) {
    expected(what, std::string(": ") + e.what());
  }
}

std::uint64_t JsonValue::duration_ns() const { return quantity(kDurationWhat, units::parse_duration_ns); }
std::uint64_t JsonValue::duration_ps() const { return quantity(kPsDurationWhat, units::parse_duration_ps); }
std::uint64_t JsonValue::frequency_hz() const { return quantity(kFrequencyWhat, units::parse_frequency_hz); }

model::gfp_t JsonValue::gfp() const {
  const std::string text = string(kGfpWhat);
  try {
    const model::gfp_t flags = model::parse_gfp_flags(text);
    // Masks the allocator would refuse (GFP_ZONE_BAD, both mobility bits).
    model::gfp_zone(flags);
    model::gfp_migratetype(flags);
    return flags;
  } catch (const std::invalid_argument &e) {
    expected(kGfpWhat, std::string(": ") + e.what());
  }
}

JsonDocument::JsonDocument(std::string_view text, std::string file) : json_(std::make_unique<json>()) {
  source_.file = std::move(file);
  CheckedSax sax(*json_, text, source_.file);
  json::sax_parse(text.begin(), text.end(), &sax);
}

JsonDocument::~JsonDocument() = default;

void JsonDocument::apply_overrides(const std::vector<std::string> &overrides) {
  for (const std::string &text : overrides) source_.overrides.push_back({apply_override(*json_, text), text});
}

JsonValue JsonDocument::root() const { return JsonValue(*json_, "", source_); }

}  // namespace buddysim::scenario
