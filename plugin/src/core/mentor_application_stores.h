// Storage port for mentor applications and each scheme's recruitment
// setting (core/mentor_application.h).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/mentor_application.h"
#include "core/stores.h"

namespace mentoring::core {

// A scheme's recruitment setting; a scheme with none stored needs approval.
struct MentorRecruitmentSettings {
  std::int64_t schemeid = 0;
  bool approval_required = true;
  UnixSeconds timemodified = 0;  // 0 when never stored
};

class MentorApplicationStore {
 public:
  virtual ~MentorApplicationStore() = default;
  // Stores a new application with the status, decision and error fields of
  // `application` (a pending one, or one approved at once). AlreadyExists
  // "application_pending" when the account already has a pending
  // application in the cohort; NotFound "cohort_not_found" /
  // "account_not_found".
  virtual Result<MentorApplication> create(const MentorApplication& application, UnixSeconds now) = 0;
  virtual Result<std::optional<MentorApplication>> find(std::int64_t id) = 0;
  // Records a decision on a pending application: status approved (with
  // `enrolmentid`) or declined (with `reason`), who decided and when, and
  // clears any approval error. Conflict "application_decided" when it is no
  // longer pending; NotFound "application_not_found".
  virtual Result<MentorApplication> decide(std::int64_t id, ApplicationStatus status,
                                           std::optional<std::int64_t> decided_by, const std::string& reason,
                                           std::optional<std::int64_t> enrolmentid, UnixSeconds now) = 0;
  // Keeps why an approval could not enrol the applicant on a pending
  // application. Conflict "application_decided" / NotFound as decide().
  virtual Status record_approval_error(std::int64_t id, const std::string& reason, const std::string& message,
                                       UnixSeconds now) = 0;
  // The scheme's applications with `status` (any when nullopt), oldest
  // first, and how many there are.
  virtual Result<std::vector<MentorApplication>> list_by_scheme(std::int64_t schemeid,
                                                                std::optional<ApplicationStatus> status, Page page) = 0;
  virtual Result<std::int64_t> count_by_scheme(std::int64_t schemeid, std::optional<ApplicationStatus> status) = 0;
  // The account's own applications, newest first.
  virtual Result<std::vector<MentorApplication>> list_by_account(std::int64_t accountid) = 0;
  // Whether the account has an active mentor enrolment in the cohort.
  virtual Result<bool> is_active_mentor(std::int64_t cohortid, std::int64_t accountid) = 0;

  // The scheme's setting, the default (approval required, timemodified 0)
  // when none is stored.
  virtual Result<MentorRecruitmentSettings> settings(std::int64_t schemeid) = 0;
  // NotFound "scheme_not_found".
  virtual Result<MentorRecruitmentSettings> save_settings(const MentorRecruitmentSettings& settings,
                                                          UnixSeconds now) = 0;
};

}  // namespace mentoring::core
