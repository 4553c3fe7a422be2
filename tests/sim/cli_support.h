// Running the real buddysim binary from a test: its exit code and output,
// file contents, and a fresh scratch folder per test process.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace buddysim::test {

namespace fs = std::filesystem;

struct Outcome {
  int code;
  std::string out;  // stdout and stderr together
};

inline Outcome run_buddysim(const std::string &args) {
  const std::string cmd = std::string(BUDDYSIM_BINARY) + " " + args + " 2>&1";
  FILE *p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

inline std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline fs::path scratch(const std::string &name) {
  const fs::path d = fs::temp_directory_path() / ("buddysim-cli-" + name + "-" + std::to_string(getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace buddysim::test
