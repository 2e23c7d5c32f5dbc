#include "app/mentor_recruitment.h"

#include "app/audit.h"
#include "app/setup_profiles.h"
#include "app/unit_of_work.h"
#include "core/date.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::ApplicationStatus;
using core::MentorApplication;
using core::Result;
using core::Status;

namespace {

constexpr const char* kEntity = "mentor_application";

Status scheme_not_found() { return Status::not_found("scheme_not_found", "There is no scheme with that id."); }
Status application_not_found() {
  return Status::not_found("application_not_found", "There is no mentor application with that id.");
}

Result<core::Scheme> find_scheme(core::Stores& s, std::int64_t schemeid) {
  auto scheme = s.schemes.find(schemeid);
  if (!scheme) return scheme.status();
  if (!scheme->has_value()) return scheme_not_found();
  return **scheme;
}

Result<MentorApplication> find_application(core::Stores& s, std::int64_t id, std::optional<std::int64_t> schemeid) {
  auto found = s.mentor_applications.find(id);
  if (!found) return found.status();
  if (!found->has_value() || (schemeid && (*found)->schemeid != *schemeid)) return application_not_found();
  return **found;
}

// Refusals of the enrolment rules that leave an application pending with
// its reason; anything else (a database failure) is only reported.
bool is_rule_refusal(const Status& st) {
  switch (st.code()) {
    case core::Code::kFailedPrecondition:
    case core::Code::kAlreadyExists:
    case core::Code::kInvalidArgument:
    case core::Code::kNotFound:
    case core::Code::kConflict:
      return true;
    default:
      return false;
  }
}

// The enrolment store's already_exists names the enrolment; the applicant
// and staff need the plain sentence.
Status as_shown(Status st) {
  if (st.code() == core::Code::kAlreadyExists)
    return Status(core::Code::kFailedPrecondition, "enrolment_exists",
                  "The applicant already has a mentor enrolment in this cohort.");
  return st;
}

}  // namespace

Result<RecruitmentView> MentorRecruitmentService::view(std::int64_t schemeid, std::int64_t accountid) {
  std::optional<RecruitmentView> out;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto scheme = find_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    RecruitmentView v;
    v.scheme = std::move(scheme).value();
    auto settings = s.mentor_applications.settings(schemeid);
    if (!settings) return settings.status();
    v.settings = *settings;
    auto mine = s.mentor_applications.list_by_account(accountid);
    if (!mine) return mine.status();
    for (const MentorApplication& a : *mine)
      if (a.schemeid == schemeid) v.applications.push_back(a);
    auto cohorts = s.schemes.list_cohorts(schemeid);
    if (!cohorts) return cohorts.status();
    const core::Date today = core::Date::from_unix(clock_.now());
    for (const core::Cohort& c : *cohorts) {
      RecruitmentCohort rc;
      rc.cohort = c;
      rc.window = core::check_enrolment_window(c, today);
      auto mentor = s.mentor_applications.is_active_mentor(c.id, accountid);
      if (!mentor) return mentor.status();
      rc.is_mentor = *mentor;
      for (const MentorApplication& a : v.applications)
        if (a.cohortid == c.id && a.status == ApplicationStatus::kPending) rc.pending = a;
      v.cohorts.push_back(std::move(rc));
    }
    out.emplace(std::move(v));
    return Status::ok();
  });
  if (!st) return st;
  return std::move(*out);
}

Result<MentorApplication> MentorRecruitmentService::apply(std::int64_t cohortid, std::int64_t accountid,
                                                          core::MentorApplicationInput input,
                                                          std::optional<std::int64_t> only_scheme) {
  auto valid = core::validate_mentor_application(std::move(input));
  if (!valid) return valid.status();
  return in_transaction<MentorApplication>(db_, [&](core::Stores& s) -> Result<MentorApplication> {
    const core::UnixSeconds now = clock_.now();
    auto cohort = s.schemes.find_cohort(cohortid);
    if (!cohort) return cohort.status();
    if (!cohort->has_value() || (only_scheme && (*cohort)->schemeid != *only_scheme))
      return Status(core::Code::kNotFound, "cohort_not_found", "Choose a cohort of this scheme.", "cohortid");
    const std::int64_t schemeid = (*cohort)->schemeid;
    auto account = s.accounts.find(accountid);
    if (!account) return account.status();
    if (!account->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
    if ((*account)->status != core::AccountStatus::kActive)
      return Status::failed_precondition("account_suspended", "A suspended account cannot apply to mentor.");
    Status window = core::check_enrolment_window(**cohort, core::Date::from_unix(now));
    if (!window) return Status(window.code(), window.reason(), window.message(), "cohortid");
    auto mentor = s.mentor_applications.is_active_mentor(cohortid, accountid);
    if (!mentor) return mentor.status();
    if (*mentor)
      return Status(core::Code::kFailedPrecondition, "already_mentor", "You are already a mentor in this cohort.",
                    "cohortid");
    auto settings = s.mentor_applications.settings(schemeid);
    if (!settings) return settings.status();

    MentorApplication a;
    a.schemeid = schemeid;
    a.cohortid = cohortid;
    a.accountid = accountid;
    a.answers = *valid;
    const core::Actor applicant = core::Actor::account(accountid);
    if (!settings->approval_required) {
      // No approval needed: the applicant is enrolled now, by the same rules.
      auto enrolled = eligible_enrol_in_transaction(s, cohortid, accountid, core::Role::kMentor, false, now, applicant);
      if (!enrolled) return as_shown(enrolled.status());
      a.status = ApplicationStatus::kApproved;
      a.decided_at = now;
      a.enrolmentid = enrolled->id;
    }
    auto stored = s.mentor_applications.create(a, now);
    if (!stored) {
      if (stored.status().code() == core::Code::kAlreadyExists)
        return Status(core::Code::kAlreadyExists, stored.status().reason(), stored.status().message(), "cohortid");
      return stored.status();
    }
    MENTORING_RETURN_IF_ERROR(audit(s, applicant, core::AuditAction::kCreate, kEntity, stored->id,
                                    settings->approval_required ? "mentor application made"
                                                                : "mentor application made and approved (no approval "
                                                                  "needed)",
                                    now));
    return stored;
  });
}

Result<std::vector<MentorApplication>> MentorRecruitmentService::mine(std::int64_t accountid) {
  std::optional<std::vector<MentorApplication>> out;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto rows = s.mentor_applications.list_by_account(accountid);
    if (!rows) return rows.status();
    out.emplace(std::move(rows).value());
    return Status::ok();
  });
  if (!st) return st;
  return std::move(*out);
}

Result<MentorApplication> MentorRecruitmentService::get(std::int64_t applicationid,
                                                        std::optional<std::int64_t> schemeid) {
  std::optional<MentorApplication> out;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto found = find_application(s, applicationid, schemeid);
    if (!found) return found.status();
    out.emplace(std::move(found).value());
    return Status::ok();
  });
  if (!st) return st;
  return std::move(*out);
}

Result<ApplicationList> MentorRecruitmentService::list(std::int64_t schemeid,
                                                       std::optional<core::ApplicationStatus> status, core::Page page) {
  std::optional<ApplicationList> out;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto scheme = find_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    auto rows = s.mentor_applications.list_by_scheme(schemeid, status, page);
    if (!rows) return rows.status();
    auto total = s.mentor_applications.count_by_scheme(schemeid, status);
    if (!total) return total.status();
    auto modules = s.training.list_modules(schemeid);
    if (!modules) return modules.status();
    const core::Date today = core::Date::from_unix(clock_.now());
    ApplicationList list;
    list.total = *total;
    for (const MentorApplication& a : *rows) {
      ApplicationForStaff item;
      item.application = a;
      auto account = s.accounts.find(a.accountid);
      if (!account) return account.status();
      if (account->has_value()) item.applicant = **account;
      auto cohort = s.schemes.find_cohort(a.cohortid);
      if (!cohort) return cohort.status();
      if (cohort->has_value()) item.cohort = **cohort;
      auto records = s.training.list_records(a.accountid, schemeid);
      if (!records) return records.status();
      item.readiness = core::mentor_readiness(*modules, *records, today);
      list.items.push_back(std::move(item));
    }
    out.emplace(std::move(list));
    return Status::ok();
  });
  if (!st) return st;
  return std::move(*out);
}

Result<MentorApplication> MentorRecruitmentService::approve(std::int64_t applicationid,
                                                            std::optional<std::int64_t> schemeid,
                                                            const core::Actor& actor) {
  Status refusal;
  auto approved = in_transaction<MentorApplication>(db_, [&](core::Stores& s) -> Result<MentorApplication> {
    const core::UnixSeconds now = clock_.now();
    auto a = find_application(s, applicationid, schemeid);
    if (!a) return a.status();
    if (a->status != ApplicationStatus::kPending)
      return Status::conflict("application_decided",
                              std::string("This application has already been ") + core::to_string(a->status) + ".");
    auto enrolled = eligible_enrol_in_transaction(s, a->cohortid, a->accountid, core::Role::kMentor, false, now, actor);
    if (!enrolled) {
      if (is_rule_refusal(enrolled.status())) refusal = as_shown(enrolled.status());
      return enrolled.status();
    }
    auto decided = s.mentor_applications.decide(applicationid, ApplicationStatus::kApproved, actor.accountid, "",
                                                enrolled->id, now);
    if (!decided) return decided.status();
    MENTORING_RETURN_IF_ERROR(
        audit(s, actor, core::AuditAction::kUpdate, kEntity, applicationid, "mentor application approved", now));
    return decided;
  });
  if (approved || refusal.is_ok()) return approved;
  // The approval rolled back; keep why on the pending application.
  Status kept = db_.transact([&](core::Stores& s) -> Status {
    const core::UnixSeconds now = clock_.now();
    MENTORING_RETURN_IF_ERROR(
        s.mentor_applications.record_approval_error(applicationid, refusal.reason(), refusal.message(), now));
    const std::string summary = "mentor application approval refused (" + refusal.reason() + ")";
    return audit(s, actor, core::AuditAction::kUpdate, kEntity, applicationid, summary, now);
  });
  if (!kept) return kept;
  return refusal;
}

Result<MentorApplication> MentorRecruitmentService::decline(std::int64_t applicationid,
                                                            std::optional<std::int64_t> schemeid, std::string reason,
                                                            const core::Actor& actor) {
  auto valid = core::validate_decision_reason(std::move(reason));
  if (!valid) return valid.status();
  return in_transaction<MentorApplication>(db_, [&](core::Stores& s) -> Result<MentorApplication> {
    const core::UnixSeconds now = clock_.now();
    auto a = find_application(s, applicationid, schemeid);
    if (!a) return a.status();
    auto decided =
        s.mentor_applications.decide(applicationid, ApplicationStatus::kDeclined, actor.accountid, *valid, {}, now);
    if (!decided) return decided.status();
    MENTORING_RETURN_IF_ERROR(
        audit(s, actor, core::AuditAction::kUpdate, kEntity, applicationid, "mentor application declined", now));
    return decided;
  });
}

Result<core::MentorRecruitmentSettings> MentorRecruitmentService::settings(std::int64_t schemeid) {
  std::optional<core::MentorRecruitmentSettings> out;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto scheme = find_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    auto found = s.mentor_applications.settings(schemeid);
    if (!found) return found.status();
    out = *found;
    return Status::ok();
  });
  if (!st) return st;
  return *out;
}

Result<core::MentorRecruitmentSettings> MentorRecruitmentService::save_settings(std::int64_t schemeid,
                                                                                bool approval_required,
                                                                                const core::Actor& actor) {
  return in_transaction<core::MentorRecruitmentSettings>(
      db_, [&](core::Stores& s) -> Result<core::MentorRecruitmentSettings> {
        const core::UnixSeconds now = clock_.now();
        auto scheme = find_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        core::MentorRecruitmentSettings in;
        in.schemeid = schemeid;
        in.approval_required = approval_required;
        auto saved = s.mentor_applications.save_settings(in, now);
        if (!saved) return saved.status();
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kUpdate, "mentor_recruitment", schemeid,
                  approval_required ? "mentor applications need approval" : "mentor applications enrol at once", now));
        return saved;
      });
}

}  // namespace mentoring::app
