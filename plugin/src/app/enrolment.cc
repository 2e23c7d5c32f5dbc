#include "app/enrolment.h"

#include "app/audit.h"
#include "app/survey_due.h"
#include "app/unit_of_work.h"
#include "app/webhook_events.h"
#include "core/audit_stores.h"
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
                                       const std::function<Status(const core::Cohort&)>& eligibility,
                                       const core::Actor& actor) {
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
  auto stored = s.enrolments.create(cohortid, accountid, role, now);
  if (!stored) return stored.status();
  MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kCreate, "enrolment", stored->id,
                                  std::string("enrolled as ") + core::to_string(role), now));
  MENTORING_RETURN_IF_ERROR(append_enrolled_event(s, *stored, **cohort, **account, now));
  // Survey rounds of the cohort that have not closed reach the newcomer too.
  auto announced = announce_open_rounds_to_enrolment(s, *stored, **cohort, now);
  if (!announced) return announced.status();
  return stored;
}

Result<Enrolment> EnrolmentService::enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                          bool widening_participation, const core::Actor& actor) {
  if (gate_) return gate_->enrol(cohortid, accountid, role, widening_participation, actor);
  return in_transaction<Enrolment>(db_, [&](core::Stores& s) -> Result<Enrolment> {
    return enrol_in_transaction(s, cohortid, accountid, role, clock_.now(), {}, actor);
  });
}

Result<Enrolment> EnrolmentService::withdraw(std::int64_t enrolmentid, const core::Actor& actor) {
  return in_transaction<Enrolment>(db_, [&](core::Stores& s) -> Result<Enrolment> {
    const core::UnixSeconds now = clock_.now();
    auto stored = s.enrolments.set_status(enrolmentid, core::EnrolmentStatus::kWithdrawn, now);
    if (!stored) return stored.status();
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "enrolment", enrolmentid, "withdrawn", now));
    return stored;
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
