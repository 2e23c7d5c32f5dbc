// The SOCI implementation of the mentor application store port
// (core/mentor_application_stores.h), bound to one TxContext like the
// stores in soci_stores.h. Internal to storage/.
#pragma once

#include "core/mentor_application_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociMentorApplicationStore final : public core::MentorApplicationStore {
 public:
  explicit SociMentorApplicationStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::MentorApplication> create(const core::MentorApplication& application,
                                               core::UnixSeconds now) override;
  core::Result<std::optional<core::MentorApplication>> find(std::int64_t id) override;
  core::Result<core::MentorApplication> decide(std::int64_t id, core::ApplicationStatus status,
                                               std::optional<std::int64_t> decided_by, const std::string& reason,
                                               std::optional<std::int64_t> enrolmentid, core::UnixSeconds now) override;
  core::Status record_approval_error(std::int64_t id, const std::string& reason, const std::string& message,
                                     core::UnixSeconds now) override;
  core::Result<std::vector<core::MentorApplication>> list_by_scheme(std::int64_t schemeid,
                                                                    std::optional<core::ApplicationStatus> status,
                                                                    core::Page page) override;
  core::Result<std::int64_t> count_by_scheme(std::int64_t schemeid,
                                             std::optional<core::ApplicationStatus> status) override;
  core::Result<std::vector<core::MentorApplication>> list_by_account(std::int64_t accountid) override;
  core::Result<bool> is_active_mentor(std::int64_t cohortid, std::int64_t accountid) override;
  core::Result<core::MentorRecruitmentSettings> settings(std::int64_t schemeid) override;
  core::Result<core::MentorRecruitmentSettings> save_settings(const core::MentorRecruitmentSettings& settings,
                                                              core::UnixSeconds now) override;

 private:
  core::Result<std::vector<core::MentorApplication>> select(const std::string& where_and_order, std::int64_t key,
                                                            const std::string& status, std::int64_t limit,
                                                            std::int64_t offset);
  core::Status require_pending(std::int64_t id);
  TxContext& tx_;
};

}  // namespace mentoring::storage
