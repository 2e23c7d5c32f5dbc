// Mentor recruitment by application (toolkit, "Mentors": "What support is
// needed to recruit and retain mentors?"). A signed-in person (a trainee who
// finished a scheme, a consultant, a colleague from another profession)
// applies to mentor in one cohort of a scheme: why they want to, what they
// can offer, how many mentees they could take, when they are available, and
// a declaration that they are in good standing. Staff with the recruitment
// capability approve the application, which enrols the person as a mentor
// through the usual mentor enrolment rules, or decline it with a reason.
//
// A scheme's recruitment setting says whether applications need approval
// (the default) or enrol the applicant at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

enum class ApplicationStatus { kPending, kApproved, kDeclined };
const char* to_string(ApplicationStatus v);  // "pending", "approved", "declined"
std::optional<ApplicationStatus> parse_application_status(std::string_view s);

// What the applicant writes.
struct MentorApplicationInput {
  std::string motivation;                    // why they want to mentor
  std::vector<std::string> expertise_areas;  // keywords, as on a mentor profile
  int capacity = 1;                          // mentees they could take at once
  std::string availability;                  // when they could meet
  bool declaration = false;                  // "I am in good standing ..."
};

struct MentorApplication {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  std::int64_t cohortid = 0;
  std::int64_t accountid = 0;  // the applicant
  MentorApplicationInput answers;
  ApplicationStatus status = ApplicationStatus::kPending;
  // The decision: who (nullopt: the host's back end, or the applicant's own
  // application when the scheme enrols at once), when, the reason given for
  // a decline, and the enrolment an approval made.
  std::optional<std::int64_t> decided_by;
  std::optional<UnixSeconds> decided_at;
  std::string decision_reason;
  std::optional<std::int64_t> enrolmentid;
  // Why the last approval attempt could not enrol the applicant (the
  // enrolment rule's reason and sentence); empty when none failed. The
  // application stays pending until staff try again or decline it.
  std::string approval_error_reason;
  std::string approval_error_message;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

inline constexpr std::size_t kMinMotivationLength = 20;
inline constexpr std::size_t kMaxMotivationLength = 2000;
inline constexpr std::size_t kMaxApplicationAvailabilityLength = 500;
inline constexpr std::size_t kMaxApplicationExpertiseAreas = 15;
inline constexpr int kMaxApplicationCapacity = 10;
inline constexpr std::size_t kMaxDecisionReasonLength = 1000;

// Trims the texts, normalises the expertise areas (as mentor profiles do),
// then checks every field. Reasons, each with its field:
// motivation_required, motivation_too_short, motivation_too_long,
// motivation_invalid; expertise_areas_required, expertise_areas_too_many,
// expertise_areas_invalid; capacity_invalid (1..10); availability_required,
// availability_too_long, availability_invalid; declaration_required.
Result<MentorApplicationInput> validate_mentor_application(MentorApplicationInput input);

// Every problem of `input` at once (one Status per field, in form order),
// for forms that show each next to its field. Empty when valid.
std::vector<Status> mentor_application_problems(const MentorApplicationInput& input);

// A decline's reason, trimmed: decision_reason_required,
// decision_reason_too_long, decision_reason_invalid (field "reason").
Result<std::string> validate_decision_reason(std::string reason);

}  // namespace mentoring::core
