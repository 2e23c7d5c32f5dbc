// Use cases for a cohort's group sessions (core/cohort_session.h): the
// midpoint group check-in and the end-of-scheme meeting of the toolkit's
// "Mentees" section. Staff schedule sessions and record who attended; each
// call is one transaction and every write is audited.
//
// Attending the end-of-scheme meeting has two effects, each done once per
// attendance row however often the attendance is recorded (and kept if it
// is later changed to "did not attend"): a mentor gets a CPD entry for the
// meeting's length (app/setup_training.h, certificate_facts), and a mentee
// whose enrolment is completed is invited to mentor, a stored invitation
// the "become a mentor" page (app/mentor_recruitment.h) reads through
// mentor_invitations().
#pragma once

#include <cstdint>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/cohort_session_stores.h"
#include "core/stores.h"

namespace mentoring::app {

struct CohortSessionView {
  core::CohortSession session;
  std::vector<core::SessionAttendance> attendance;  // by enrolment id
};

struct AttendanceMark {
  std::int64_t enrolmentid = 0;
  bool attended = false;
};

inline constexpr std::size_t kMaxAttendanceMarks = 1000;
inline constexpr const char* kEndMeetingCpdActivity = "End-of-scheme mentoring meeting: ";

class CohortSessionService {
 public:
  CohortSessionService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Schedules a session. Errors, with nothing written: not_found
  // "cohort_not_found", "account_not_found" (the acting account); the field
  // errors of core::validate.
  core::Result<core::CohortSession> schedule(const core::CohortSessionInput& input, const core::Actor& actor);

  // The cohort's sessions by start time, each with its attendance.
  // NotFound "cohort_not_found".
  core::Result<std::vector<CohortSessionView>> list(std::int64_t cohortid);

  // Records attendance for the listed enrolments (others are left as they
  // are) and applies the end-of-scheme meeting's effects. All or nothing:
  // invalid "attendance_empty", "attendance_too_many" (over 1000),
  // "attendance_duplicate_enrolment", "attendance_enrolment_not_in_cohort"
  // (unknown, or of another cohort); not_found "session_not_found";
  // failed_precondition "session_not_started". Returns the session's
  // attendance.
  core::Result<CohortSessionView> record_attendance(std::int64_t sessionid, const std::vector<AttendanceMark>& marks,
                                                    const core::Actor& actor);

  // The account's invitations to mentor, newest first.
  core::Result<std::vector<core::MentorInvitation>> mentor_invitations(std::int64_t accountid);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
