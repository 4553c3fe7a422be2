// Reads a trace file one line at a time and knows where it is, so parsers can
// name "file:line" in messages. Streams: a trace of any size needs memory for
// one line only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace buddysim::workload {

class LineReader {
 public:
  // Throws scenario::ScenarioError naming the file if it cannot be opened.
  explicit LineReader(const std::filesystem::path &path);

  // The next line without its end-of-line characters ("\n" or "\r\n"); false
  // at the end of the file. The view stays valid until the next call.
  bool next(std::string_view &line);

  // 1-based number of the line last returned (0 before the first).
  std::uint64_t line_number() const { return line_number_; }
  const std::string &file() const { return file_; }
  // "file:line" for `line`.
  std::string where(std::uint64_t line) const { return file_ + ":" + std::to_string(line); }

 private:
  std::string file_;
  std::ifstream in_;
  std::string buffer_;
  std::uint64_t line_number_ = 0;
};

}  // namespace buddysim::workload
