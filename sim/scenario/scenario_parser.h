// JSON scenario -> validated Scenario. Every problem raises ScenarioError
// naming the file and JSON pointer, what was expected and what was found;
// unknown keys suggest the closest known one.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace buddysim::scenario {

// overrides: "--set" items of the form "key.path=value", e.g.
// "machine.nodes[1].cpus=8" or "allocator.pcp=false"; the value is parsed as
// JSON when it is valid JSON, else taken as a string. They are applied to the
// document before validation, so they get the same checks and messages.
Scenario parse_scenario_file(const std::filesystem::path &file, const std::vector<std::string> &overrides = {});
Scenario parse_scenario_text(std::string_view json, const std::filesystem::path &source,
                             const std::vector<std::string> &overrides = {});

// The effective configuration with every default filled in, as pretty JSON
// that parse_scenario_text() accepts and that reproduces the same Scenario.
std::string effective_config_json(const Scenario &scenario);

}  // namespace buddysim::scenario
