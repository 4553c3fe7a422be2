#include "tests/sim/golden_compare.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace buddysim::test {

namespace {

using Json = nlohmann::json;

class Differences {
 public:
  Differences(std::string file, std::size_t limit) : file_(std::move(file)), limit_(limit) {}
  void add(const std::string &where, const std::string &what) {
    if (found_++ < limit_) lines_.push_back(file_ + ": " + where + ": " + what);
  }
  std::vector<std::string> take() {
    if (found_ > limit_) lines_.push_back(file_ + ": and " + std::to_string(found_ - limit_) + " more differences");
    return std::move(lines_);
  }

 private:
  std::string file_;
  std::size_t limit_;
  std::size_t found_ = 0;
  std::vector<std::string> lines_;
};

std::string shown(const Json &v) { return v.is_discarded() ? "(absent)" : v.dump(); }

bool same_number(const Json &a, const Json &b) {
  if (a.is_number_integer() && b.is_number_integer()) return a == b;
  const double x = a.get<double>(), y = b.get<double>();
  return std::abs(x - y) <= GOLDEN_RELATIVE_TOLERANCE * std::max(std::abs(x), std::abs(y));
}

void walk(const Json &expected, const Json &actual, const Json::json_pointer &at, Differences &out) {
  const std::string where = at.empty() ? "/" : at.to_string();
  if (expected.is_number() && actual.is_number()) {
    if (!same_number(expected, actual)) out.add(where, "was " + shown(expected) + ", now " + shown(actual));
    return;
  }
  if (expected.type() != actual.type()) {
    out.add(where, "was " + shown(expected) + ", now " + shown(actual));
    return;
  }
  if (expected.is_object()) {
    for (const auto &[key, value] : expected.items()) {
      if (actual.contains(key)) walk(value, actual[key], at / key, out);
      else out.add((at / key).to_string(), "was " + shown(value) + ", now absent");
    }
    for (const auto &[key, value] : actual.items())
      if (!expected.contains(key)) out.add((at / key).to_string(), "was absent, now " + shown(value));
  } else if (expected.is_array()) {
    const std::size_t common = std::min(expected.size(), actual.size());
    for (std::size_t i = 0; i < common; ++i) walk(expected[i], actual[i], at / i, out);
    for (std::size_t i = common; i < expected.size(); ++i)
      out.add((at / i).to_string(), "was " + shown(expected[i]) + ", now absent");
    for (std::size_t i = common; i < actual.size(); ++i)
      out.add((at / i).to_string(), "was absent, now " + shown(actual[i]));
  } else if (expected != actual) {
    out.add(where, "was " + shown(expected) + ", now " + shown(actual));
  }
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

std::vector<std::string> compare_json(const std::string &file, const Json &expected, const Json &actual,
                                      std::size_t limit) {
  Differences out(file, limit);
  walk(expected, actual, Json::json_pointer(), out);
  return out.take();
}

std::vector<std::string> compare_text(const std::string &file, const std::string &expected, const std::string &actual,
                                      std::size_t limit) {
  Differences out(file, limit);
  const std::vector<std::string> a = lines_of(expected), b = lines_of(actual);
  const std::size_t common = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < common; ++i)
    if (a[i] != b[i]) out.add("line " + std::to_string(i + 1), "was \"" + a[i] + "\", now \"" + b[i] + "\"");
  for (std::size_t i = common; i < a.size(); ++i)
    out.add("line " + std::to_string(i + 1), "was \"" + a[i] + "\", now absent");
  for (std::size_t i = common; i < b.size(); ++i)
    out.add("line " + std::to_string(i + 1), "was absent, now \"" + b[i] + "\"");
  return out.take();
}

}  // namespace buddysim::test
