#include "app/cohort_sessions.h"

#include <set>

#include "app/audit.h"
#include "app/matching_pairings.h"
#include "app/setup_unit_of_work.h"
#include "app/unit_of_work.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

Status not_in_cohort(std::int64_t enrolmentid) {
  return Status::invalid("attendance_enrolment_not_in_cohort",
                         "Enrolment " + std::to_string(enrolmentid) + " is not in this session's cohort.",
                         "enrolmentid");
}

// The end-of-scheme meeting's effects for one attendance row, each only
// when not yet recorded on the row.
Status apply_end_effects(core::Stores& s, const core::CohortSession& session, const core::Enrolment& enrolment,
                         const core::SessionAttendance& row, const core::Actor& actor, core::UnixSeconds now) {
  if (enrolment.role == core::Role::kMentor && !row.cpd_entryid) {
    core::CpdEntry entry;
    entry.accountid = enrolment.accountid;
    entry.date = core::Date::from_unix(session.starts_at);
    entry.hours = core::session_cpd_hours(session.minutes);
    entry.activity = std::string(kEndMeetingCpdActivity) + session.title;
    MENTORING_RETURN_IF_ERROR(core::validate(entry, core::Date::from_unix(now)));
    auto stored = s.training.add_cpd(entry, now);
    if (!stored) return stored.status();
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kCreate, "cpd_entry", stored->id,
                                    "CPD entry added for the end-of-scheme meeting", now));
    return s.cohort_sessions.record_effects(row.id, stored->id, std::nullopt);
  }
  if (enrolment.role == core::Role::kMentee && enrolment.status == core::EnrolmentStatus::kCompleted &&
      !row.mentor_invited_at) {
    MENTORING_RETURN_IF_ERROR(s.cohort_sessions.record_effects(row.id, std::nullopt, now));
    return audit(s, actor, core::AuditAction::kUpdate, "cohort_session_attendance", row.id,
                 "mentee invited to mentor", now);
  }
  return Status::ok();
}

}  // namespace

Result<core::CohortSession> CohortSessionService::schedule(const core::CohortSessionInput& input,
                                                           const core::Actor& actor) {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::CohortSession>(db_, [&](core::Stores& s) -> Result<core::CohortSession> {
    auto cohort = require_cohort(s, input.cohortid);
    if (!cohort) return cohort.status();
    MENTORING_RETURN_IF_ERROR(core::validate(input, *cohort));
    if (actor.accountid) MENTORING_RETURN_IF_ERROR(require_account(s, *actor.accountid));
    auto created = s.cohort_sessions.create(input, actor.accountid, now);
    if (!created) return created.status();
    MENTORING_RETURN_IF_ERROR(
        audit(s, actor, core::AuditAction::kCreate, "cohort_session", created->id, "cohort session scheduled", now));
    return created;
  });
}

Result<std::vector<CohortSessionView>> CohortSessionService::list(std::int64_t cohortid) {
  return in_transaction<std::vector<CohortSessionView>>(db_, [&](core::Stores& s) -> Result<std::vector<CohortSessionView>> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto sessions = s.cohort_sessions.list_by_cohort(cohortid);
    if (!sessions) return sessions.status();
    std::vector<CohortSessionView> out;
    for (const core::CohortSession& session : *sessions) {
      auto attendance = s.cohort_sessions.attendance(session.id);
      if (!attendance) return attendance.status();
      out.push_back(CohortSessionView{session, std::move(attendance).value()});
    }
    return out;
  });
}

Result<CohortSessionView> CohortSessionService::record_attendance(std::int64_t sessionid,
                                                                  const std::vector<AttendanceMark>& marks,
                                                                  const core::Actor& actor) {
  if (marks.empty())
    return Status::invalid("attendance_empty", "List at least one enrolment's attendance.", "attendance");
  if (marks.size() > kMaxAttendanceMarks)
    return Status::invalid("attendance_too_many", "Record at most 1000 enrolments' attendance at once.",
                           "attendance");
  std::set<std::int64_t> seen;
  for (const AttendanceMark& m : marks)
    if (!seen.insert(m.enrolmentid).second)
      return Status::invalid("attendance_duplicate_enrolment",
                             "Enrolment " + std::to_string(m.enrolmentid) + " is listed more than once.",
                             "enrolmentid");
  const core::UnixSeconds now = clock_.now();
  return in_transaction<CohortSessionView>(db_, [&](core::Stores& s) -> Result<CohortSessionView> {
    auto session = s.cohort_sessions.find(sessionid);
    if (!session) return session.status();
    if (!*session) return Status::not_found("session_not_found", "There is no session with that id.");
    if ((*session)->starts_at > now)
      return Status::failed_precondition("session_not_started",
                                         "Attendance can be recorded once the session has started.");
    if (actor.accountid) MENTORING_RETURN_IF_ERROR(require_account(s, *actor.accountid));
    for (const AttendanceMark& m : marks) {
      auto enrolment = s.enrolments.find(m.enrolmentid);
      if (!enrolment) return enrolment.status();
      if (!*enrolment || (*enrolment)->cohortid != (*session)->cohortid) return not_in_cohort(m.enrolmentid);
      auto row = s.cohort_sessions.record_attendance(sessionid, m.enrolmentid, m.attended, actor.accountid, now);
      if (!row) return row.status();
      if (m.attended && (*session)->kind == core::SessionKind::kEnd)
        MENTORING_RETURN_IF_ERROR(apply_end_effects(s, **session, **enrolment, *row, actor, now));
    }
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "cohort_session", sessionid,
                                    "session attendance recorded", now));
    auto attendance = s.cohort_sessions.attendance(sessionid);
    if (!attendance) return attendance.status();
    return CohortSessionView{**session, std::move(attendance).value()};
  });
}

Result<std::vector<core::MentorInvitation>> CohortSessionService::mentor_invitations(std::int64_t accountid) {
  return in_transaction<std::vector<core::MentorInvitation>>(
      db_, [&](core::Stores& s) -> Result<std::vector<core::MentorInvitation>> {
        return s.cohort_sessions.invitations_of_account(accountid);
      });
}

}  // namespace mentoring::app
