// The allocation classes of a replayed trace: one per distinct GFP mask,
// named as ftrace prints the mask (format_gfp_flags), numbered in the order
// the trace first uses them. Also remembers the parse of every distinct gfp
// text: a trace repeats a handful of masks millions of times, so each line
// costs one hash lookup instead of a parse.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/gfp.h"

namespace buddysim::workload {

class GfpClasses {
 public:
  // Text → mask. Throws std::invalid_argument for bad text; may append to
  // `notes` the issue kinds to count for every line using this text (for
  // example a flag name from an older kernel that it translated).
  using Parser = model::gfp_t (*)(std::string_view text, std::vector<std::string> &notes);

  struct Parsed {
    model::gfp_t gfp = 0;
    std::uint32_t cls = 0;
    std::vector<std::string> notes;
  };

  explicit GfpClasses(Parser parser) : parser_(parser) {}

  // The mask and class of `text`; throws std::invalid_argument for bad text.
  const Parsed &parse(std::string_view text);
  // Names for Op::cls, in index order.
  const std::vector<std::string> &names() const { return names_; }

 private:
  std::uint32_t class_of(model::gfp_t gfp);

  // Lets find() take a string_view, so a cache hit allocates nothing.
  struct TextHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Parser parser_;
  std::unordered_map<std::string, Parsed, TextHash, std::equal_to<>> by_text_;
  std::unordered_map<model::gfp_t, std::uint32_t> by_mask_;
  std::vector<std::string> names_;
};

}  // namespace buddysim::workload
