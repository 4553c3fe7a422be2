// Helpers shared by the scenario parser's tests: small scenarios as text,
// parsing them, and catching the message of a bad one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/scenario/scenario_error.h"
#include "sim/scenario/scenario_parser.h"

namespace buddysim::scenario::testing_support {

namespace fs = std::filesystem;
using model::gfp_t;

inline constexpr std::uint64_t KiB = 1ull << 10, MiB = 1ull << 20, GiB = 1ull << 30;
inline constexpr std::uint64_t US = 1000, MS = 1000 * US, S = 1000 * MS;

// The smallest complete scenario: one 1 GiB node with two CPUs, one phase.
inline constexpr const char *kMinimal =
    R"({"machine": {"nodes": [{"memory": "1GiB", "cpus": 2}]}, "workload": {"phases": [{"duration": "1s"}]}})";

inline Scenario parse(const std::string &text, const std::vector<std::string> &sets = {}) {
  return parse_scenario_text(text, "tests/minimal.json", sets);
}

inline std::string error_of(const std::string &text, const std::vector<std::string> &sets = {}) {
  try {
    parse_scenario_text(text, "bad.json", sets);
  } catch (const ScenarioError &e) {
    return e.what();
  }
  return "(no error)";
}

// A scenario with a one-node machine and the given phases.
inline std::string with_phases(const std::string &phases) {
  return R"({"machine": {"nodes": [{"memory": "1GiB", "cpus": 2}]}, "workload": {"phases": )" + phases + "}}";
}

// A scenario with the given machine and one default phase.
inline std::string with_machine(const std::string &machine) {
  return R"({"machine": )" + machine + R"(, "workload": {"phases": [{}]}})";
}

// A scenario with a one-node machine of the given hardware and one default phase.
inline std::string with_hardware(const std::string &hardware) {
  return with_machine(R"({"nodes": [{"memory": "1GiB", "cpus": 2}], "hardware": )" + hardware + "}");
}

inline std::string read_file(const fs::path &path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace buddysim::scenario::testing_support
