// Golden regression: every case in tests/golden/<case>/case.json runs
// through the real binary and its results must match the copies in
// tests/golden/<case>/expected/ (tests/golden/README.md; refresh them
// deliberately with scripts/update-golden). Also the comparer's own checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/cli_support.h"
#include "tests/sim/golden_compare.h"

namespace buddysim::test {
namespace {

using Json = nlohmann::json;

const fs::path golden_root = fs::path(BUDDYSIM_SCENARIOS).parent_path() / "tests" / "golden";

std::vector<std::string> golden_cases() {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(golden_root))
    if (fs::exists(entry.path() / "case.json")) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string quoted(const std::string &arg) { return "'" + arg + "'"; }

// Results name files under the checkout (a replayed trace's lines) by
// absolute path; the golden copies hold them relative to the repository, as
// scripts/update-golden writes them, so any clone compares equal.
std::string without_root(std::string text) {
  const std::string root = golden_root.parent_path().parent_path().string() + "/";
  for (std::size_t at; (at = text.find(root)) != std::string::npos;) text.erase(at, root.size());
  return text;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, ResultsMatchTheGoldenCopies) {
  const fs::path dir = golden_root / GetParam();
  const Json spec = Json::parse(slurp(dir / "case.json"));
  const fs::path out = scratch("golden-" + GetParam()) / "run";
  std::string command = "run " + quoted((golden_root.parent_path().parent_path() / spec.at("scenario").get<std::string>()).string()) +
                        " -q -o " + quoted(out.string());
  for (const auto &arg : spec.at("args")) command += " " + quoted(arg.get<std::string>());
  const Outcome o = run_buddysim(command);
  ASSERT_EQ(o.code, 0) << o.out;
  std::vector<std::string> differences;
  for (const auto &f : spec.at("files")) {
    const std::string name = f.get<std::string>();
    const fs::path expected = dir / "expected" / name, actual = out / name;
    const std::string shown = "tests/golden/" + GetParam() + "/expected/" + name;
    if (!fs::exists(expected)) {
      differences.push_back(shown + ": no golden copy (run scripts/update-golden " + GetParam() + ")");
      continue;
    }
    if (!fs::exists(actual)) {
      differences.push_back(shown + ": the run no longer writes " + name);
      continue;
    }
    const std::string text = without_root(slurp(actual));
    const auto found = name.ends_with(".json") ? compare_json(shown, Json::parse(slurp(expected)), Json::parse(text))
                                               : compare_text(shown, slurp(expected), text);
    differences.insert(differences.end(), found.begin(), found.end());
  }
  std::string report;
  for (const auto &d : differences) report += d + "\n";
  EXPECT_TRUE(differences.empty()) << report
                                   << "If the change is intended, refresh with scripts/update-golden and review the "
                                      "diff of tests/golden/.";
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(golden_cases()),
                         [](const ::testing::TestParamInfo<std::string> &param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(GoldenCompare, NamesTheFieldAndBothValues) {
  const Json was = Json::parse(R"({"a": {"b": [1, 2, 3]}, "s": "x", "gone": 1})");
  const Json now = Json::parse(R"({"a": {"b": [1, 5]}, "s": "x", "new": true})");
  EXPECT_EQ(compare_json("f.json", was, now),
            (std::vector<std::string>{"f.json: /a/b/1: was 2, now 5", "f.json: /a/b/2: was 3, now absent",
                                      "f.json: /gone: was 1, now absent", "f.json: /new: was absent, now true"}));
}

TEST(GoldenCompare, IntegersExactFractionsWithinTheTolerance) {
  EXPECT_TRUE(compare_json("f", Json::parse("[1.0000000000001]"), Json::parse("[1.0000000000002]")).empty());
  EXPECT_EQ(compare_json("f", Json::parse("[1.5]"), Json::parse("[1.5001]")).size(), 1u);
  EXPECT_EQ(compare_json("f", Json::parse("[10000000000000001]"), Json::parse("[10000000000000002]")).size(), 1u);
}

TEST(GoldenCompare, TextDifferencesGiveLineNumbersAndACount) {
  EXPECT_EQ(compare_text("buddyinfo", "a\nb\nc\n", "a\nB\n"),
            (std::vector<std::string>{"buddyinfo: line 2: was \"b\", now \"B\"", "buddyinfo: line 3: was \"c\", now absent"}));
  EXPECT_EQ(compare_text("t", "1\n2\n3\n", "x\ny\nz\n", 2).back(), "t: and 1 more differences");
}

}  // namespace
}  // namespace buddysim::test
