// The one error type for bad input: it carries where (file, file:line, or
// file plus JSON pointer) and what was expected versus found. Only main()
// turns it into exit code 2.
#pragma once

#include <stdexcept>
#include <string>

namespace buddysim::scenario {

class ScenarioError : public std::runtime_error {
 public:
  // where: "scenarios/x.json: /machine/nodes/1/cpus" or "trace.csv:12";
  // message: what was expected and what was found, and the fix if obvious.
  ScenarioError(std::string where, std::string message)
      : std::runtime_error(where.empty() ? message : where + ": " + message),
        where_(std::move(where)),
        message_(std::move(message)) {}
  const std::string &where() const { return where_; }
  const std::string &message() const { return message_; }

 private:
  std::string where_;
  std::string message_;
};

}  // namespace buddysim::scenario
