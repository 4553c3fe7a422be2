#include "sim/workload/gfp_classes.h"

namespace buddysim::workload {

const GfpClasses::Parsed &GfpClasses::parse(std::string_view text) {
  if (const auto hit = by_text_.find(text); hit != by_text_.end()) return hit->second;
  Parsed parsed;
  parsed.gfp = parser_(text, parsed.notes);  // throws before anything is cached
  parsed.cls = class_of(parsed.gfp);
  return by_text_.emplace(std::string(text), std::move(parsed)).first->second;
}

// Classes key on the mask, not the text, so "0xcc0" and "GFP_KERNEL" are one
// class, named the way ftrace would print it.
std::uint32_t GfpClasses::class_of(model::gfp_t gfp) {
  const auto [it, added] = by_mask_.try_emplace(gfp, static_cast<std::uint32_t>(names_.size()));
  if (added) names_.push_back(model::format_gfp_flags(gfp));
  return it->second;
}

}  // namespace buddysim::workload
