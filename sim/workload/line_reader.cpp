#include "sim/workload/line_reader.h"

#include <cerrno>
#include <cstring>

#include "sim/scenario/scenario_error.h"

namespace buddysim::workload {

LineReader::LineReader(const std::filesystem::path &path) : file_(path.string()), in_(path) {
  if (!in_) {
    throw scenario::ScenarioError(file_, std::string("cannot open the trace file: ") + std::strerror(errno));
  }
}

bool LineReader::next(std::string_view &line) {
  if (!std::getline(in_, buffer_)) return false;
  ++line_number_;
  line = buffer_;
  // Traces copied from Windows tools keep their "\r\n".
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

}  // namespace buddysim::workload
