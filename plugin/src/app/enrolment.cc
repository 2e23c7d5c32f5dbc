#include "app/enrolment.h"

#include "app/unit_of_work.h"
#include "core/date.h"

namespace mentoring::app {
using core::Enrolment;
using core::Result;
using core::Status;

namespace {
Status cohort_not_found() { return Status::not_found("cohort_not_found", "There is no cohort with that id."); }
}  // namespace

Result<Enrolment> enrol_in_transaction(core::Stores& s, std::int64_t cohortid, std::int64_t accountid,
                                       core::Role role, core::UnixSeconds now,
                                       const std::function<Status(const core::Cohort&)>& eligibility) {
  auto cohort = s.schemes.find_cohort(cohortid);
  if (!cohort) return cohort.status();
  if (!cohort->has_value()) return cohort_not_found();
  auto account = s.accounts.find(accountid);
  if (!account) return account.status();
  if (!account->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
  if ((*account)->status != core::AccountStatus::kActive)
    return Status::failed_precondition("account_suspended", "A suspended account cannot enrol.");
  MENTORING_RETURN_IF_ERROR(core::check_enrolment_window(**cohort, core::Date::from_unix(now)));
  if (eligibility) MENTORING_RETURN_IF_ERROR(eligibility(**cohort));
  return s.enrolments.create(cohortid, accountid, role, now);
}

Result<Enrolment> EnrolmentService::enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                          bool widening_participation) {
  if (gate_) return gate_->enrol(cohortid, accountid, role, widening_participation);
  return in_transaction<Enrolment>(db_, [&](core::Stores& s) -> Result<Enrolment> {
    return enrol_in_transaction(s, cohortid, accountid, role, clock_.now(), {});
  });
}

Result<Enrolment> EnrolmentService::withdraw(std::int64_t enrolmentid) {
  return in_transaction<Enrolment>(db_, [&](core::Stores& s) {
    return s.enrolments.set_status(enrolmentid, core::EnrolmentStatus::kWithdrawn, clock_.now());
  });
}

Result<std::vector<Enrolment>> EnrolmentService::list(std::int64_t cohortid, std::optional<core::Role> role,
                                                      core::Page page) {
  return in_transaction<std::vector<Enrolment>>(db_, [&](core::Stores& s) -> Result<std::vector<Enrolment>> {
    auto cohort = s.schemes.find_cohort(cohortid);
    if (!cohort) return cohort.status();
    if (!cohort->has_value()) return cohort_not_found();
    return s.enrolments.list_by_cohort(cohortid, role, page);
  });
}

Result<std::int64_t> EnrolmentService::count(std::int64_t cohortid, std::optional<core::Role> role) {
  return in_transaction<std::int64_t>(db_, [&](core::Stores& s) { return s.enrolments.count_by_cohort(cohortid, role); });
}

}  // namespace mentoring::app
