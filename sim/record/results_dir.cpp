#include "sim/record/results_dir.h"

#include <stdexcept>

namespace buddysim::record {

namespace fs = std::filesystem;

ResultsDir::ResultsDir(fs::path final_path) : final_(std::move(final_path)) {
  if (final_.filename().empty()) final_ = final_.parent_path();
  work_ = final_.parent_path() / ("." + final_.filename().string() + ".partial");
  fs::remove_all(work_);
  fs::create_directories(work_);
}

void ResultsDir::write(const fs::path &relative, const std::string &content) const {
  std::ofstream out = open(relative);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + (work_ / relative).string());
}

std::ofstream ResultsDir::open(const fs::path &relative) const {
  const fs::path p = work_ / relative;
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  if (!out) throw std::runtime_error("cannot create " + p.string());
  return out;
}

void ResultsDir::commit() {
  // Old results move aside first and are removed only once the new ones are in place.
  const fs::path old = final_.parent_path() / ("." + final_.filename().string() + ".old");
  fs::remove_all(old);
  if (fs::exists(final_)) fs::rename(final_, old);
  fs::rename(work_, final_);
  fs::remove_all(old);
  committed_ = true;
}

}  // namespace buddysim::record
