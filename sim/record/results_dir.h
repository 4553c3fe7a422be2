// A results folder built under a temporary name and renamed into place only
// when the run completes, so an interrupted or failed run never leaves a
// folder that looks complete, and earlier results are replaced only by a
// finished run.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace buddysim::record {

class ResultsDir {
 public:
  // Creates "<parent>/.<name>.partial" (emptied if left over from a crash).
  explicit ResultsDir(std::filesystem::path final_path);
  ResultsDir(const ResultsDir &) = delete;
  ResultsDir &operator=(const ResultsDir &) = delete;

  const std::filesystem::path &final_path() const { return final_; }
  const std::filesystem::path &work_path() const { return work_; }

  // Writes a whole file (relative path; parent folders are created).
  void write(const std::filesystem::path &relative, const std::string &content) const;
  // Opens a file for streaming writes.
  std::ofstream open(const std::filesystem::path &relative) const;

  // Moves the finished folder into place, replacing an older one.
  void commit();
  bool committed() const { return committed_; }

 private:
  std::filesystem::path final_;
  std::filesystem::path work_;
  bool committed_ = false;
};

}  // namespace buddysim::record
