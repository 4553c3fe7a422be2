// Typed, checked access to a scenario's JSON document (internal to
// sim/scenario). Every accessor either returns a value of the asked type and
// range or throws ScenarioError naming the file, the JSON pointer, what was
// expected and what was found. Only json_fwd.hpp here: the heavy nlohmann
// header stays in the few .cpp files that parse or print JSON.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/gfp.h"

namespace buddysim::scenario {

// Where the document came from, for messages: the file as the user named it,
// and which parts --set overrides wrote (so an error there names the override).
struct SourceInfo {
  std::string file;
  struct Override {
    std::string pointer;  // JSON pointer of the value the override wrote
    std::string text;     // "machine.nodes[1].cpus=8"
  };
  std::vector<Override> overrides;

  // "file: /pointer", or "file (--set a.b=1): /pointer" inside an override.
  std::string where(const std::string &pointer) const;
};

class JsonValue {
 public:
  JsonValue(const nlohmann::json &value, std::string pointer, const SourceInfo &source);

  const std::string &pointer() const { return pointer_; }
  // How the value reads in a message: "eight" with quotes, 12, an object, ...
  std::string found() const;
  [[noreturn]] void fail(const std::string &message) const;
  // "expected <what>, found <found()>", plus ": <hint>" when given.
  [[noreturn]] void expected(std::string_view what, std::string_view hint = {}) const;

  bool is_string() const;
  bool is_object() const;
  bool is_array() const;
  bool is_integer() const;

  // Objects. check_keys() insists on an object (described as `what`) whose
  // keys are all in `allowed`; an unknown key suggests the closest allowed one.
  void check_keys(std::span<const std::string_view> allowed, std::string_view what) const;
  bool has(std::string_view key) const;
  std::optional<JsonValue> get(std::string_view key) const;
  JsonValue required(std::string_view key, std::string_view what) const;
  std::vector<std::string> keys() const;
  JsonValue child(std::string_view key) const;  // a key known to exist, for its pointer

  // Arrays of min..max elements, each described as `what`.
  std::vector<JsonValue> elements(std::string_view what, std::size_t min, std::size_t max) const;

  bool boolean() const;
  std::int64_t integer(std::int64_t min, std::int64_t max) const;
  // With a custom description of the accepted range ("0 or an integer from 8 to ...").
  std::int64_t integer(std::int64_t min, std::int64_t max, std::string_view what) const;
  std::uint64_t uint64() const;
  // A finite number; strictly above `min` unless `inclusive`.
  double number(double min, bool inclusive) const;
  // A finite number from min to max, described as `what`.
  double number(double min, double max, std::string_view what) const;
  std::string string(std::string_view what) const;
  // One of `options`, suggesting the closest one for a typo.
  std::string_view choice(std::span<const std::string_view> options) const;
  std::uint64_t size_bytes() const;    // "512MiB", "0x1000" or a byte count
  std::uint64_t duration_ns() const;   // "1.5ms"; a plain 0 is allowed
  std::uint64_t duration_ps() const;   // "20.5ns", "1us" in picoseconds; a plain 0 is allowed
  std::uint64_t frequency_hz() const;  // "2.5GHz", "2500MHz"
  model::gfp_t gfp() const;            // ftrace text or hex, e.g. "GFP_KERNEL|__GFP_ZERO"

 private:
  // A string (or a number, which the parser refuses with a reason) read by `parse`.
  std::uint64_t quantity(std::string_view what, std::uint64_t (*parse)(std::string_view)) const;

  const nlohmann::json *value_;
  std::string pointer_;
  const SourceInfo *source_;
};

// A parsed document and where it came from; the root of the checks.
class JsonDocument {
 public:
  // Throws ScenarioError "file:line:column: invalid JSON: ..." for bad syntax
  // and names the JSON pointer of a key that appears twice in one object.
  JsonDocument(std::string_view text, std::string file);
  ~JsonDocument();

  // Applies "--set key.path=value" overrides (see overrides.h).
  void apply_overrides(const std::vector<std::string> &overrides);
  JsonValue root() const;

 private:
  std::unique_ptr<nlohmann::json> json_;
  SourceInfo source_;
};

// A key as a JSON pointer token (RFC 6901: "~" and "/" escaped).
std::string escape_key(std::string_view key);

// `"a", "b" or "c"`: a list of options for a message.
std::string quoted_list(std::span<const std::string_view> options, std::string_view last_joiner = " or ");

}  // namespace buddysim::scenario
