// "--set" overrides: parse the path, walk (and where needed extend) the
// document, write the value.
#include "sim/scenario/overrides.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "sim/scenario/json_reader.h"
#include "sim/scenario/scenario_error.h"

namespace buddysim::scenario {

using nlohmann::json;

namespace {

// One step of a path: an object key, or an array index.
struct Step {
  std::string key;
  std::optional<std::size_t> index;
};

[[noreturn]] void bad_syntax(const std::string &text) {
  throw ScenarioError("--set " + text, "expected key.path=value, e.g. machine.nodes[1].cpus=8");
}

// "[12]" at the front of `rest`: the index, with `rest` moved past it.
std::size_t take_index(std::string_view &rest, const std::string &text) {
  const std::size_t close = rest.find(']');
  if (close == std::string_view::npos || close == 1) bad_syntax(text);
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(rest.data() + 1, rest.data() + close, index);
  if (ec != std::errc() || end != rest.data() + close) bad_syntax(text);
  rest.remove_prefix(close + 1);
  return index;
}

std::vector<Step> parse_path(std::string_view path, const std::string &text) {
  std::vector<Step> steps;
  std::string_view rest = path;
  while (true) {
    const std::size_t end = rest.find_first_of(".[]");
    const std::string_view key = rest.substr(0, end);
    if (key.empty()) bad_syntax(text);
    steps.push_back({std::string(key), std::nullopt});
    rest.remove_prefix(key.size());
    while (rest.starts_with("[")) steps.push_back({"", take_index(rest, text)});
    if (rest.empty()) return steps;
    if (!rest.starts_with(".")) bad_syntax(text);
    rest.remove_prefix(1);
  }
}

std::string type_name(const json &v) {
  switch (v.type()) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

// Walks the document along the path, creating missing object keys.
class Walker {
 public:
  Walker(json &doc, const std::string &text) : cur_(&doc), text_(text) {}

  void key(const std::string &k) {
    if (cur_->is_null()) *cur_ = json::object();  // a key this walk created
    if (cur_->is_array()) fail(shown() + " is an array; index it like " + shown() + "[0]");
    if (!cur_->is_object()) fail(shown() + " is " + type_name(*cur_) + ", not an object");
    cur_ = &(*cur_)[k];
    shown_ += (shown_.empty() ? "" : ".") + k;
    pointer_ += "/" + escape_key(k);
  }

  void index(std::size_t i) {
    if (cur_->is_null()) fail(shown() + " does not exist");
    if (!cur_->is_array()) fail(shown() + " is " + type_name(*cur_) + ", not an array");
    if (i >= cur_->size())
      fail("index " + std::to_string(i) + " is out of range: " + shown() + " has " + std::to_string(cur_->size()) +
           (cur_->size() == 1 ? " element" : " elements"));
    cur_ = &(*cur_)[i];
    shown_ += "[" + std::to_string(i) + "]";
    pointer_ += "/" + std::to_string(i);
  }

  json &target() { return *cur_; }
  const std::string &pointer() const { return pointer_; }

 private:
  [[noreturn]] void fail(const std::string &message) const { throw ScenarioError("--set " + text_, message); }
  std::string shown() const { return shown_.empty() ? "the scenario" : shown_; }

  json *cur_;
  const std::string &text_;
  std::string shown_;    // the path walked so far, as the user wrote it
  std::string pointer_;  // the same as a JSON pointer
};

}  // namespace

std::string apply_override(json &doc, const std::string &text) {
  const std::size_t eq = text.find('=');
  if (eq == std::string::npos) bad_syntax(text);
  Walker walk(doc, text);
  for (const Step &step : parse_path(std::string_view(text).substr(0, eq), text)) {
    if (step.index)
      walk.index(*step.index);
    else
      walk.key(step.key);
  }
  const std::string value = text.substr(eq + 1);
  json parsed = json::parse(value, nullptr, /*allow_exceptions=*/false);
  walk.target() = parsed.is_discarded() ? json(value) : std::move(parsed);
  return walk.pointer();
}

}  // namespace buddysim::scenario
