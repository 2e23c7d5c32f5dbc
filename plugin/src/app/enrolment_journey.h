// A trainee joining a scheme from its pages, the way the toolkit's "Mentees"
// section describes it: they see whether they are in the scheme's target
// audience and why, agree to take part (consent to the use of their data for
// running the scheme), answer separately whether their data may be used for
// evaluation, and may leave again at any time.
//
// Each command is one transaction: the eligibility check, the enrolment, the
// evaluation consent and their audit entries commit together or not at all.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/enrolment.h"
#include "core/scheme.h"
#include "core/stores.h"

namespace mentoring::app {

struct JoinCohort {
  core::Cohort cohort;
  core::Status window;  // OK while its enrolment window is open
};

struct JoinView {
  core::Scheme scheme;
  std::vector<JoinCohort> cohorts;  // every cohort of the scheme, in the store's order
  // OK, or failed_precondition with the reason (core/eligibility.h, or
  // mentee_profile_required) why the person may not join as a mentee now.
  core::Status eligibility;
  bool audience_restricted = false;         // the scheme's audience rules restrict anything
  bool asks_widening_participation = false;  // the rules admit widening participation groups only
  bool has_mentee_profile = false;
  // The person's mentee enrolments in the scheme's cohorts, with their cohort.
  std::vector<std::pair<core::Cohort, core::Enrolment>> enrolments;
  std::optional<bool> evaluation_consent;  // their recorded answer, if any

  // The active enrolment, if they are taking part now.
  const core::Enrolment* active() const;
  // The cohorts open now.
  std::vector<const core::Cohort*> open_cohorts() const;
};

struct JoinChoices {
  bool take_part = false;           // required: "I agree to take part"
  bool evaluation_consent = false;  // optional and separate
  bool widening_participation = false;
};

class EnrolmentJourney {
 public:
  EnrolmentJourney(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // NotFound "scheme_not_found".
  core::Result<JoinView> view(std::int64_t schemeid, std::int64_t accountid, bool widening_participation = false);

  // Enrols the person as a mentee of `cohortid` (a cohort of `schemeid`) and
  // records their evaluation answer. Errors, with nothing written:
  // invalid_argument "consent_required" (field take_part);
  // not_found "cohort_not_found" (also for a cohort of another scheme);
  // the enrolment window's, the eligibility rules' (failed_precondition with
  // the rule's reason and sentence), already_exists "enrolment_exists".
  core::Result<core::Enrolment> join(std::int64_t schemeid, std::int64_t cohortid, std::int64_t accountid,
                                     const JoinChoices& choices);

  // Withdraws every active mentee enrolment of the person in the scheme
  // (audited) and returns how many. NotFound "enrolment_not_found" when
  // there was none.
  core::Result<std::int64_t> withdraw(std::int64_t schemeid, std::int64_t accountid);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

// Whether `accountid` may join scheme `schemeid` as a mentee, on stores inside
// a transaction: the same rules as the eligibility gate of enrolment
// (app/setup_profiles.h, EligibleEnrolment).
core::Status mentee_eligibility(core::Stores& s, std::int64_t schemeid, std::int64_t accountid,
                                bool widening_participation);

}  // namespace mentoring::app
