#include "core/lti_stores.h"

#include "core/lti_capabilities.h"

namespace mentoring::core {

const char* tool_key_status_name(ToolKeyStatus status) {
  switch (status) {
    case ToolKeyStatus::kActive: return "active";
    case ToolKeyStatus::kPrevious: return "previous";
    case ToolKeyStatus::kRetired: return "retired";
  }
  return "retired";
}

bool parse_tool_key_status(const std::string& text, ToolKeyStatus& out) {
  if (text == "active") out = ToolKeyStatus::kActive;
  else if (text == "previous") out = ToolKeyStatus::kPrevious;
  else if (text == "retired") out = ToolKeyStatus::kRetired;
  else return false;
  return true;
}

const char* roster_status_name(RosterStatus status) {
  switch (status) {
    case RosterStatus::kActive: return "Active";
    case RosterStatus::kInactive: return "Inactive";
    case RosterStatus::kDeleted: return "Deleted";
  }
  return "Deleted";
}

bool parse_roster_status(const std::string& text, RosterStatus& out) {
  if (text == "Active") out = RosterStatus::kActive;
  else if (text == "Inactive") out = RosterStatus::kInactive;
  else if (text == "Deleted") out = RosterStatus::kDeleted;
  else return false;
  return true;
}

namespace capability {

bool is_valid_capability(std::string_view name) {
  constexpr std::string_view kPrefix = "mentoring/";
  if (name.substr(0, kPrefix.size()) != kPrefix || name.size() > 100) return false;
  const std::string_view rest = name.substr(kPrefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) return false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (i == colon) continue;
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

}  // namespace capability
}  // namespace mentoring::core
