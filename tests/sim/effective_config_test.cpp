// The effective configuration, and agreement between the parser, the
// shipped scenarios, docs/scenario.md and the JSON Schema.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "sim/scenario/scenario_keys.h"
#include "tests/sim/scenario_test_support.h"

namespace buddysim::scenario {
namespace {

using namespace testing_support;

// ---------------------------------------------------------------------------
// The effective configuration, shipped scenarios, docs and schema.

std::vector<fs::path> shipped_scenarios() {
  std::vector<fs::path> files;
  for (const auto &e : fs::directory_iterator(BUDDYSIM_SCENARIOS))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

const fs::path kDocs = fs::path(BUDDYSIM_SCENARIOS) / ".." / "docs";

TEST(EffectiveConfig, ShippedScenariosParse) {
  for (const fs::path &file : shipped_scenarios()) EXPECT_NO_THROW(parse_scenario_file(file)) << file;
}

void expect_round_trip(const Scenario &s, const std::string &label) {
  const std::string first = effective_config_json(s);
  const Scenario again = parse_scenario_text(first, s.source);
  EXPECT_EQ(effective_config_json(again), first) << label;
  EXPECT_EQ(again.workload.phases.size(), s.workload.phases.size()) << label;
}

TEST(EffectiveConfig, RoundTripsShippedScenarios) {
  for (const fs::path &file : shipped_scenarios()) expect_round_trip(parse_scenario_file(file), file.string());
}

TEST(EffectiveConfig, RoundTripsPatternsAndEveryKind) {
  const Scenario s = parse(with_phases(R"([
      {"pattern": "thp-after-fragmentation", "size": "128MiB"}, {"pattern": "atomic-burst"},
      {"pattern": "steady-churn", "size": "100MiB", "cpus": [1]}, {"pattern": "migratetype-mixing"},
      {"pattern": "exhaustion"}, {"pattern": "fill-fragment", "name": "ff"},
      {"kind": "burst", "interarrival": {"dist": "uniform", "min": "1us", "max": "3us"},
       "classes": [{"weight": 0.3, "orders": {"0": 0.25, "10": 1e-3}, "lifetime": "1.5ms"}]}])"),
                           {"allocator.min_free_kbytes=1234", "machine.reserve_memmap=false", "record.ops=true",
                            "machine.hardware.dram={\"preset\": \"DDR5-4800\", \"tRCD\": 40}",
                            "machine.hardware.interconnect.hop_latency=23.5ns",
                            "record.trace={\"format\": \"perfetto\", \"start\": \"1ms\", \"max_events\": 5000}",
                            "record.vcd={\"signals\": [\"free_pages\", \"cpu_state\"], \"duration\": \"2ms\"}"});
  expect_round_trip(s, "patterns");
  EXPECT_TRUE(s.record.perfetto);
  EXPECT_EQ(s.record.trace.start_ns, 1'000'000u);
  EXPECT_EQ(s.record.trace.max_events, 5000u);
  EXPECT_EQ(s.record.vcd_signals, (std::vector<std::string>{"cpu_state", "free_pages"})) << "declaration order";
  EXPECT_EQ(s.record.vcd_window.duration_ns, 2'000'000u);
  EXPECT_EQ(parse_scenario_text(effective_config_json(s), s.source).workload.phases.back().classes[0].weight, 0.3);
}

TEST(EffectiveConfig, PrintsExpandedDefaults) {
  const std::string text = effective_config_json(parse(kMinimal));
  EXPECT_NE(text.find(R"("min_free_kbytes": "auto")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"({"start": "1MiB", "size": "1023MiB"})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("interarrival": {"dist": "exponential", "mean": "10us"})"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("cpus": [0, 1])"), std::string::npos) << text;
}

// Every ```json block in docs/scenario.md is a complete scenario (fragments
// use ```jsonc), so the examples cannot drift from the parser.
TEST(Docs, JsonExamplesParse) {
  const std::string doc = read_file(kDocs / "scenario.md");
  const std::string open = "```json\n", close = "```";
  int count = 0;
  for (std::size_t at = doc.find(open); at != std::string::npos; at = doc.find(open, at + 1), ++count) {
    const std::size_t begin = at + open.size(), end = doc.find(close, begin);
    ASSERT_NE(end, std::string::npos) << "unterminated ```json block";
    const std::string example = doc.substr(begin, end - begin);
    EXPECT_NO_THROW(parse_scenario_text(example, kDocs / "example.json")) << example;
  }
  EXPECT_GE(count, 3);
}

// The schema's $defs, each listing the properties of one kind of object,
// must match the parser's key tables name for name and key for key. No
// level may escape the check: outside $defs no object declares properties,
// and inside a def, nested "properties" (the if/then rules per phase kind)
// only constrain keys the def itself declares.
void collect_properties(const nlohmann::json &node, std::vector<const nlohmann::json *> &out) {
  if (!node.is_structured()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (node.is_object() && it.key() == "properties") out.push_back(&*it);
    collect_properties(*it, out);
  }
}

std::set<std::string> key_set(const nlohmann::json &properties) {
  std::set<std::string> out;
  for (const auto &[key, v] : properties.items()) out.insert(key);
  return out;
}

// The DRAM object's keys are hw::DramConfig's parameter names, not a table.
constexpr std::string_view kDramDef = "hardware_dram";

// The keys the parser accepts in the object a $defs entry describes.
std::optional<std::set<std::string>> parser_keys(std::string_view name) {
  std::set<std::string> out;
  if (name == kDramDef) {
    for (const hw::DramParamInfo &p : hw::DramConfig::parameters()) out.insert(std::string(p.key));
    return out;
  }
  for (const keys::KeyTable &t : keys::kAllTables)
    if (t.name == name) return std::set<std::string>(t.keys.begin(), t.keys.end());
  return std::nullopt;
}

TEST(Schema, PropertiesEqualParserKeysAtEveryLevel) {
  const nlohmann::json schema = nlohmann::json::parse(read_file(kDocs / "scenario.schema.json"));
  EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(schema.value("$ref", ""), "#/$defs/scenario");
  std::set<std::string> schema_defs, parser_defs;
  for (const auto &[name, def] : schema.at("$defs").items()) {
    if (!def.contains("properties")) continue;
    schema_defs.insert(name);
    const auto accepted = parser_keys(name);
    ASSERT_TRUE(accepted.has_value()) << "schema $defs/" << name << " has no parser key table";
    const std::set<std::string> declared = key_set(def.at("properties"));
    EXPECT_EQ(declared, *accepted) << "$defs/" << name;
    EXPECT_EQ(def.value("additionalProperties", true), false) << "$defs/" << name;
    nlohmann::json rules = def;
    rules.erase("properties");
    std::vector<const nlohmann::json *> nested;
    collect_properties(rules, nested);
    for (const nlohmann::json *p : nested)
      for (const std::string &key : key_set(*p)) EXPECT_TRUE(declared.count(key)) << "$defs/" << name << ": " << key;
  }
  for (const keys::KeyTable &t : keys::kAllTables) parser_defs.insert(std::string(t.name));
  parser_defs.insert(std::string(kDramDef));
  EXPECT_EQ(schema_defs, parser_defs);
  nlohmann::json outside = schema;
  outside.erase("$defs");
  std::vector<const nlohmann::json *> stray;
  collect_properties(outside, stray);
  EXPECT_TRUE(stray.empty());
}

}  // namespace
}  // namespace buddysim::scenario
