#include "app/setup_profiles.h"

#include "app/audit.h"
#include "app/setup_unit_of_work.h"
#include "core/audit_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

Status profile_not_found(const char* kind) {
  return Status::not_found("profile_not_found", std::string("The account has no ") + kind + " profile yet.");
}

bool restricts(const core::TargetAudience& a) {
  return !a.career_stages.empty() || !a.specialties.empty() || !a.regions.empty() || a.img_new_to_uk_only ||
         a.returning_from_time_out_only || a.widening_participation_only;
}

// Only the rules check_mentor_eligibility applies at enrolment; the stage gap
// rules apply when a mentor is paired with a mentee.
bool restricts(const core::MentorEligibility& m) {
  return m.minimum_stage.has_value() || !m.regions.empty() || !m.other_professions_allowed;
}

}  // namespace

Result<core::MenteeProfile> ProfileService::get_mentee(std::int64_t accountid) {
  return in_setup_transaction<core::MenteeProfile>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::MenteeProfile> {
        MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
        auto found = setup.profiles.find_mentee(accountid);
        if (!found) return found.status();
        if (!found->has_value()) return profile_not_found("mentee");
        return **found;
      });
}

Result<core::MentorProfile> ProfileService::get_mentor(std::int64_t accountid) {
  return in_setup_transaction<core::MentorProfile>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::MentorProfile> {
        MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
        auto found = setup.profiles.find_mentor(accountid);
        if (!found) return found.status();
        if (!found->has_value()) return profile_not_found("mentor");
        return **found;
      });
}

Result<core::MenteeProfile> ProfileService::save_mentee(core::MenteeProfile profile, const core::Actor& actor) {
  auto valid = core::validate_mentee_profile(std::move(profile));
  if (!valid) return valid.status();
  return in_setup_transaction<core::MenteeProfile>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::MenteeProfile> {
        MENTORING_RETURN_IF_ERROR(require_account(s, valid->accountid));
        const core::UnixSeconds now = clock_.now();
        auto stored = setup.profiles.save_mentee(*valid, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kUpdate, "mentee_profile", stored->accountid, "mentee profile saved", now));
        return stored;
      });
}

Result<core::MentorProfile> ProfileService::save_mentor(core::MentorProfile profile, const core::Actor& actor) {
  const core::UnixSeconds now = clock_.now();
  auto valid = core::validate_mentor_profile(std::move(profile), core::Date::from_unix(now));
  if (!valid) return valid.status();
  return in_setup_transaction<core::MentorProfile>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::MentorProfile> {
        MENTORING_RETURN_IF_ERROR(require_account(s, valid->accountid));
        auto stored = setup.profiles.save_mentor(*valid, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kUpdate, "mentor_profile", stored->accountid, "mentor profile saved", now));
        return stored;
      });
}

Result<core::SchemeEligibility> EligibilityService::get(std::int64_t schemeid) {
  return in_setup_transaction<core::SchemeEligibility>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::SchemeEligibility> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        auto found = setup.eligibility.find(schemeid);
        if (!found) return found.status();
        if (found->has_value()) return **found;
        core::SchemeEligibility open;
        open.schemeid = schemeid;
        return open;
      });
}

Result<core::SchemeEligibility> EligibilityService::save(core::SchemeEligibility rules, const core::Actor& actor) {
  MENTORING_RETURN_IF_ERROR(core::validate(rules.audience));
  MENTORING_RETURN_IF_ERROR(core::validate(rules.mentors));
  return in_setup_transaction<core::SchemeEligibility>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::SchemeEligibility> {
        auto scheme = require_scheme(s, rules.schemeid);
        if (!scheme) return scheme.status();
        const core::UnixSeconds now = clock_.now();
        auto stored = setup.eligibility.save(rules, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "eligibility", rules.schemeid,
                                        "audience and mentor rules saved", now));
        return stored;
      });
}

Result<core::Enrolment> eligible_enrol_in_transaction(core::Stores& s, std::int64_t cohortid, std::int64_t accountid,
                                                      core::Role role, bool widening_participation,
                                                      core::UnixSeconds now, const core::Actor& actor) {
  auto eligibility = [&](const core::Cohort& cohort) -> Status {
    auto rules = s.eligibility.find(cohort.schemeid);
    if (!rules) return rules.status();
    if (!rules->has_value()) return Status::ok();
    const core::SchemeEligibility& r = **rules;
    if (role == core::Role::kMentee) {
      if (!restricts(r.audience)) return Status::ok();
      auto profile = s.profiles.find_mentee(accountid);
      if (!profile) return profile.status();
      if (!profile->has_value())
        return Status(core::Code::kFailedPrecondition, "mentee_profile_required",
                      "This scheme is for a particular audience: complete your mentee profile before enrolling.",
                      "profile");
      return core::check_mentee_eligibility(r.audience, core::mentee_facts(**profile, widening_participation));
    }
    if (!restricts(r.mentors)) return Status::ok();
    auto profile = s.profiles.find_mentor(accountid);
    if (!profile) return profile.status();
    if (!profile->has_value())
      return Status(core::Code::kFailedPrecondition, "mentor_profile_required",
                    "This scheme has rules for who may mentor: complete your mentor profile before enrolling.",
                    "profile");
    const core::MentorProfile& p = **profile;
    return core::check_mentor_eligibility(r.mentors, core::MentorFacts{p.career_stage, p.specialty, p.region});
  };
  return enrol_in_transaction(s, cohortid, accountid, role, now, eligibility, actor);
}

Result<core::Enrolment> EligibleEnrolment::enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                                 bool widening_participation, const core::Actor& actor) {
  return in_setup_transaction<core::Enrolment>(
      db_, [&](core::Stores& s, core::SetupStores&) -> Result<core::Enrolment> {
        return eligible_enrol_in_transaction(s, cohortid, accountid, role, widening_participation, clock_.now(),
                                             actor);
      });
}

}  // namespace mentoring::app
