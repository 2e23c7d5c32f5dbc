#include "app/enrolment_journey.h"

#include "app/audit.h"
#include "app/enrolment.h"
#include "core/date.h"
#include "core/eligibility.h"
#include "core/evaluation_stores.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

bool restricts(const core::TargetAudience& a) {
  return !a.career_stages.empty() || !a.specialties.empty() || !a.regions.empty() || a.img_new_to_uk_only ||
         a.returning_from_time_out_only || a.widening_participation_only;
}

// The person's mentee enrolments in the scheme.
Result<std::vector<std::pair<core::Cohort, core::Enrolment>>> mentee_enrolments(core::Stores& s,
                                                                                 std::int64_t schemeid,
                                                                                 std::int64_t accountid) {
  std::vector<std::pair<core::Cohort, core::Enrolment>> out;
  auto cohorts = s.schemes.list_cohorts(schemeid);
  if (!cohorts) return cohorts.status();
  for (const core::Cohort& c : *cohorts) {
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.enrolments.list_by_cohort(c.id, core::Role::kMentee, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const core::Enrolment& e : *page)
        if (e.accountid == accountid) out.emplace_back(c, e);
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
  }
  return out;
}

}  // namespace

const core::Enrolment* JoinView::active() const {
  for (const auto& [c, e] : enrolments)
    if (e.status == core::EnrolmentStatus::kActive) return &e;
  return nullptr;
}

std::vector<const core::Cohort*> JoinView::open_cohorts() const {
  std::vector<const core::Cohort*> out;
  for (const JoinCohort& c : cohorts)
    if (c.window.is_ok()) out.push_back(&c.cohort);
  return out;
}

Status mentee_eligibility(core::Stores& s, std::int64_t schemeid, std::int64_t accountid,
                          bool widening_participation) {
  auto rules = s.eligibility.find(schemeid);
  if (!rules) return rules.status();
  if (!rules->has_value() || !restricts((*rules)->audience)) return Status::ok();
  auto profile = s.profiles.find_mentee(accountid);
  if (!profile) return profile.status();
  if (!profile->has_value())
    return Status(core::Code::kFailedPrecondition, "mentee_profile_required",
                  "This scheme is for a particular audience: complete your mentee profile before enrolling.",
                  "profile");
  return core::check_mentee_eligibility((*rules)->audience, core::mentee_facts(**profile, widening_participation));
}

Result<JoinView> EnrolmentJourney::view(std::int64_t schemeid, std::int64_t accountid, bool widening_participation) {
  JoinView v;
  const core::Date today = core::Date::from_unix(clock_.now());
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto scheme = s.schemes.find(schemeid);
    if (!scheme) return scheme.status();
    if (!scheme->has_value()) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    v.scheme = **scheme;
    auto cohorts = s.schemes.list_cohorts(schemeid);
    if (!cohorts) return cohorts.status();
    for (const core::Cohort& c : *cohorts) v.cohorts.push_back({c, core::check_enrolment_window(c, today)});
    auto rules = s.eligibility.find(schemeid);
    if (!rules) return rules.status();
    if (rules->has_value()) {
      v.audience_restricted = restricts((*rules)->audience);
      v.asks_widening_participation = (*rules)->audience.widening_participation_only;
    }
    auto profile = s.profiles.find_mentee(accountid);
    if (!profile) return profile.status();
    v.has_mentee_profile = profile->has_value();
    v.eligibility = mentee_eligibility(s, schemeid, accountid, widening_participation);
    if (!v.eligibility && v.eligibility.code() != core::Code::kFailedPrecondition) return v.eligibility;
    auto mine = mentee_enrolments(s, schemeid, accountid);
    if (!mine) return mine.status();
    v.enrolments = std::move(mine).value();
    auto consent = s.evaluation.find_consent(accountid);
    if (!consent) return consent.status();
    if (consent->has_value()) v.evaluation_consent = (*consent)->given;
    return Status::ok();
  });
  if (!st) return st;
  return v;
}

Result<core::Enrolment> EnrolmentJourney::join(std::int64_t schemeid, std::int64_t cohortid, std::int64_t accountid,
                                               const JoinChoices& choices) {
  if (!choices.take_part)
    return Status::invalid("consent_required",
                           "Confirm that you agree to take part and to the scheme using your details to run it.",
                           "take_part");
  std::optional<core::Enrolment> out;
  const core::UnixSeconds now = clock_.now();
  const core::Actor actor = core::Actor::account(accountid);
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto cohort = s.schemes.find_cohort(cohortid);
    if (!cohort) return cohort.status();
    if (!cohort->has_value() || (*cohort)->schemeid != schemeid)
      return Status::not_found("cohort_not_found", "There is no cohort with that id in this scheme.");
    auto eligibility = [&](const core::Cohort&) {
      return mentee_eligibility(s, schemeid, accountid, choices.widening_participation);
    };
    auto enrolled = enrol_in_transaction(s, cohortid, accountid, core::Role::kMentee, now, eligibility, actor);
    if (!enrolled) return enrolled.status();
    core::EvaluationConsent consent;
    consent.accountid = accountid;
    consent.given = choices.evaluation_consent;
    consent.recorded_on = core::Date::from_unix(now);
    auto saved = s.evaluation.save_consent(consent, now);
    if (!saved) return saved.status();
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "evaluation_consent", accountid,
                                    choices.evaluation_consent ? "evaluation consent given on enrolment"
                                                               : "evaluation consent declined on enrolment",
                                    now));
    out = std::move(enrolled).value();
    return Status::ok();
  });
  if (!st) return st;
  return *out;
}

Result<std::int64_t> EnrolmentJourney::withdraw(std::int64_t schemeid, std::int64_t accountid) {
  std::int64_t n = 0;
  const core::UnixSeconds now = clock_.now();
  const core::Actor actor = core::Actor::account(accountid);
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto mine = mentee_enrolments(s, schemeid, accountid);
    if (!mine) return mine.status();
    for (const auto& [c, e] : *mine) {
      if (e.status != core::EnrolmentStatus::kActive) continue;
      auto changed = s.enrolments.set_status(e.id, core::EnrolmentStatus::kWithdrawn, now);
      if (!changed) return changed.status();
      MENTORING_RETURN_IF_ERROR(
          audit(s, actor, core::AuditAction::kUpdate, "enrolment", e.id, "withdrawn by the mentee", now));
      ++n;
    }
    if (n == 0) return Status::not_found("enrolment_not_found", "You are not taking part in this scheme.");
    return Status::ok();
  });
  if (!st) return st;
  return n;
}

}  // namespace mentoring::app
