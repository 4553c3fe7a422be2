// "--set key.path=value" overrides, applied to the JSON document before it is
// validated, so overridden values get the same checks and messages as values
// written in the file. Internal to sim/scenario.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace buddysim::scenario {

// Writes one override into `doc` and returns the JSON pointer it wrote.
// Path: keys separated by '.', each optionally followed by [index]s, as in
// "machine.nodes[1].cpus". Missing object keys are created (so
// "allocator.pcp=false" works without an "allocator" section, and a misspelt
// key is reported by validation with a did-you-mean); array indices must
// exist. The value is JSON when it parses as JSON, else a string.
// Throws ScenarioError whose where() is "--set <text>".
std::string apply_override(nlohmann::json &doc, const std::string &text);

}  // namespace buddysim::scenario
