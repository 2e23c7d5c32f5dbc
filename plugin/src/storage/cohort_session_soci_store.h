// The SOCI implementation of the cohort session store port
// (core/cohort_session_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
#pragma once

#include "core/cohort_session_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociCohortSessionStore final : public core::CohortSessionStore {
 public:
  explicit SociCohortSessionStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::CohortSession> create(const core::CohortSessionInput& input,
                                           std::optional<std::int64_t> created_by, core::UnixSeconds now) override;
  core::Result<std::optional<core::CohortSession>> find(std::int64_t id) override;
  core::Result<std::vector<core::CohortSession>> list_by_cohort(std::int64_t cohortid) override;
  core::Result<std::vector<core::SessionAttendance>> attendance(std::int64_t sessionid) override;
  core::Result<core::SessionAttendance> record_attendance(std::int64_t sessionid, std::int64_t enrolmentid,
                                                          bool attended, std::optional<std::int64_t> recorded_by,
                                                          core::UnixSeconds now) override;
  core::Status record_effects(std::int64_t attendanceid, std::optional<std::int64_t> cpd_entryid,
                              std::optional<core::UnixSeconds> mentor_invited_at) override;
  core::Result<std::vector<core::MentorInvitation>> invitations_of_account(std::int64_t accountid) override;

 private:
  core::Result<std::vector<core::CohortSession>> select_sessions(const std::string& where, std::int64_t key);
  core::Result<std::vector<core::SessionAttendance>> select_attendance(const std::string& where, std::int64_t a,
                                                                       std::int64_t b);
  TxContext& tx_;
};

}  // namespace mentoring::storage
