#include "core/enrolment.h"

namespace mentoring::core {

const char* to_string(Role v) { return v == Role::kMentor ? "mentor" : "mentee"; }

const char* to_string(EnrolmentStatus v) {
  switch (v) {
    case EnrolmentStatus::kActive: return "active";
    case EnrolmentStatus::kWithdrawn: return "withdrawn";
    case EnrolmentStatus::kCompleted: return "completed";
  }
  return "active";
}

std::optional<Role> parse_role(std::string_view s) {
  if (s == "mentee") return Role::kMentee;
  if (s == "mentor") return Role::kMentor;
  return std::nullopt;
}

std::optional<EnrolmentStatus> parse_enrolment_status(std::string_view s) {
  for (auto v : {EnrolmentStatus::kActive, EnrolmentStatus::kWithdrawn, EnrolmentStatus::kCompleted})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

}  // namespace mentoring::core
