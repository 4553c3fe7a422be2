// JSON scenario -> Scenario: read the file, apply overrides, then check the
// top level and hand each section to its parser.
#include "sim/scenario/scenario_parser.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_error.h"
#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/section_parsers.h"

namespace buddysim::scenario {
namespace {

constexpr std::string_view kNameWhat = "a name of letters, digits, '.', '_' and '-' (it names the results folder)";

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool valid_name(const std::string &name) {
  return !name.empty() && name != "." && name != ".." && std::all_of(name.begin(), name.end(), name_char);
}

// Without a "name", the file's stem with anything a folder name should not
// hold replaced by '-'.
std::string default_name(const std::filesystem::path &source) {
  std::string name = source.stem().string();
  for (char &c : name)
    if (!name_char(c)) c = '-';
  return valid_name(name) ? name : "scenario";
}

void parse_identity(const JsonValue &v, Scenario &s) {
  if (auto schema = v.get("$schema")) schema->string("the schema's URI or path");
  s.name = default_name(s.source);
  if (auto n = v.get("name")) {
    s.name = n->string(kNameWhat);
    if (!valid_name(s.name)) n->expected(kNameWhat);
  }
  if (auto d = v.get("description")) s.description = d->string("a string");
  if (auto seed = v.get("seed")) s.seed = seed->uint64();
}

Scenario parse_root(const JsonValue &v, const std::filesystem::path &source) {
  v.check_keys(keys::kScenario, "an object with \"machine\" and \"workload\"");
  Scenario s;
  s.source = source;
  // The sections that stand alone first, then the machine the workload refers to.
  parse_identity(v, s);
  if (auto a = v.get("allocator")) s.allocator = parse_allocator(*a);
  if (auto r = v.get("record")) s.record = parse_record(*r);
  const JsonValue machine = v.required("machine", "an object with \"nodes\"");
  s.machine = parse_machine(machine);
  if (auto h = machine.get("hardware")) s.hardware = parse_hardware(*h);
  s.workload = parse_workload(v.required("workload", "an object with \"phases\" or \"trace\""), s.machine, source);
  return s;
}

}  // namespace

Scenario parse_scenario_text(std::string_view json, const std::filesystem::path &source,
                             const std::vector<std::string> &overrides) {
  JsonDocument doc(json, source.empty() ? "scenario" : source.string());
  doc.apply_overrides(overrides);
  return parse_root(doc.root(), source);
}

Scenario parse_scenario_file(const std::filesystem::path &file, const std::vector<std::string> &overrides) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ScenarioError(file.string(), std::string("cannot open the scenario: ") + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_scenario_text(text.str(), file, overrides);
}

}  // namespace buddysim::scenario
