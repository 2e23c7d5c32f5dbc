// Storage port for a cohort's group sessions (core/cohort_session.h) and
// their attendance.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/cohort_session.h"
#include "core/stores.h"

namespace mentoring::core {

// A completed mentee's invitation to mentor, from attending the
// end-of-scheme meeting of their cohort.
struct MentorInvitation {
  std::int64_t sessionid = 0;
  std::int64_t cohortid = 0;
  std::int64_t enrolmentid = 0;
  UnixSeconds invited_at = 0;
};

class CohortSessionStore {
 public:
  virtual ~CohortSessionStore() = default;
  // Stores a validated session (the caller checked the cohort exists).
  virtual Result<CohortSession> create(const CohortSessionInput& input, std::optional<std::int64_t> created_by,
                                       UnixSeconds now) = 0;
  virtual Result<std::optional<CohortSession>> find(std::int64_t id) = 0;
  // The cohort's sessions by start time.
  virtual Result<std::vector<CohortSession>> list_by_cohort(std::int64_t cohortid) = 0;
  // The session's attendance rows by enrolment id.
  virtual Result<std::vector<SessionAttendance>> attendance(std::int64_t sessionid) = 0;
  // Inserts or updates one enrolment's attendance (keeping the recorded
  // effects) and returns the stored row.
  virtual Result<SessionAttendance> record_attendance(std::int64_t sessionid, std::int64_t enrolmentid,
                                                      bool attended, std::optional<std::int64_t> recorded_by,
                                                      UnixSeconds now) = 0;
  // Records the effects of attending on row `attendanceid`: each one only
  // where none is stored yet.
  virtual Status record_effects(std::int64_t attendanceid, std::optional<std::int64_t> cpd_entryid,
                                std::optional<UnixSeconds> mentor_invited_at) = 0;
  // The account's invitations to mentor, newest first.
  virtual Result<std::vector<MentorInvitation>> invitations_of_account(std::int64_t accountid) = 0;
};

}  // namespace mentoring::core
