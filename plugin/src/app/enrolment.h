// Use cases for enrolling mentees and mentors in a cohort. Each call is one
// transaction; the window check and the insert see the same snapshot.
#pragma once

#include <optional>
#include <vector>

#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::app {

class EnrolmentService {
 public:
  EnrolmentService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Enrols `accountid` in `cohortid` as `role` while the cohort's enrolment
  // window is open. AlreadyExists for a second enrolment with the same role.
  core::Result<core::Enrolment> enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role);
  core::Result<core::Enrolment> withdraw(std::int64_t enrolmentid);
  core::Result<std::vector<core::Enrolment>> list(std::int64_t cohortid, std::optional<core::Role> role,
                                                  core::Page page);
  core::Result<std::int64_t> count(std::int64_t cohortid, std::optional<core::Role> role);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
