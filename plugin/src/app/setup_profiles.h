// Use cases for who may join a scheme: the target audience and mentor rules
// (core/eligibility.h), mentee and mentor profiles (core/profile.h), and
// enrolment that checks them. Each call is one transaction.
#pragma once

#include <optional>

#include "app/enrolment.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/setup_stores.h"

namespace mentoring::app {

class ProfileService {
 public:
  ProfileService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // NotFound "account_not_found" for an unknown account, "profile_not_found"
  // when the account has no profile of that kind yet.
  core::Result<core::MenteeProfile> get_mentee(std::int64_t accountid);
  core::Result<core::MentorProfile> get_mentor(std::int64_t accountid);
  // Normalises and validates (core::validate_*_profile), then stores,
  // replacing any earlier profile of the account.
  // replacing any earlier profile of the account. Audited as done by `actor`.
  core::Result<core::MenteeProfile> save_mentee(core::MenteeProfile profile, const core::Actor& actor = core::Actor::service());
  core::Result<core::MentorProfile> save_mentor(core::MentorProfile profile, const core::Actor& actor = core::Actor::service());

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

class EligibilityService {
 public:
  EligibilityService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // The scheme's stored rules, or (schemeid set, times 0) rules that admit
  // everyone when none are stored.
  core::Result<core::SchemeEligibility> get(std::int64_t schemeid);
  // Validates the audience and the mentor rules, then stores them.
  core::Result<core::SchemeEligibility> save(core::SchemeEligibility rules, const core::Actor& actor = core::Actor::service());

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

// Enrolment that applies the scheme's rules, as the gate of EnrolmentService.
//
// Mentees: when the scheme's audience restricts anything, the mentee needs a
// profile (failed_precondition "mentee_profile_required") and must pass
// core::check_mentee_eligibility; the refusal carries the core's reason and
// sentence. Mentors: when the scheme's mentor rules restrict stage, region
// or other professions, the mentor needs a mentor profile
// ("mentor_profile_required") and must pass core::check_mentor_eligibility.
// A refusal writes nothing.
class EligibleEnrolment final : public EnrolmentGate {
 public:
  EligibleEnrolment(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::Result<core::Enrolment> enrol(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                      bool widening_participation, const core::Actor& actor) override;

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

// The enrolment of EligibleEnrolment on stores already inside a
// transaction, for commands that enrol as part of their own unit of work
// (approving a mentor application): the same window, account and
// eligibility checks, the same refusals, the same audit entry and event.
core::Result<core::Enrolment> eligible_enrol_in_transaction(core::Stores& s, std::int64_t cohortid,
                                                            std::int64_t accountid, core::Role role,
                                                            bool widening_participation, core::UnixSeconds now,
                                                            const core::Actor& actor);

}  // namespace mentoring::app
