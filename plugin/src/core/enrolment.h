// Enrolments: a host account taking part in a cohort as a mentee or a mentor.
// One person has at most one enrolment per cohort and role.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"

namespace mentoring::core {

enum class Role { kMentee, kMentor };
enum class EnrolmentStatus { kActive, kWithdrawn, kCompleted };

const char* to_string(Role v);             // "mentee", "mentor"
const char* to_string(EnrolmentStatus v);  // "active", "withdrawn", "completed"
std::optional<Role> parse_role(std::string_view s);
std::optional<EnrolmentStatus> parse_enrolment_status(std::string_view s);

struct Enrolment {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t accountid = 0;
  Role role = Role::kMentee;
  EnrolmentStatus status = EnrolmentStatus::kActive;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

}  // namespace mentoring::core
