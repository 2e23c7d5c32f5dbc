// Accepting the invitation to mentor (toolkit, "Mentors": circular
// mentorship). A mentee who completed their enrolment and attended the
// end-of-scheme meeting is invited to mentor (app/cohort_sessions.h); the
// invitation is staff's decision, so accepting it makes the person a mentor
// of the scheme in one step, without a second approval:
//
//   - a mentor profile, when they have none, filled from their mentee
//     profile (career stage, specialty, site, region, languages, topics as
//     expertise areas), capacity 1 and the introduction given;
//   - a mentor enrolment in the scheme's cohort that is open for enrolment
//     and starts first, through the scheme's mentor rules
//     (eligible_enrol_in_transaction), so a rule that refuses still refuses;
//   - a mentor application stored as approved, decided by the staff member
//     who recorded the attendance, at the time of the invitation, linked to
//     the enrolment; and an audit entry naming the invitation.
//
// Training is not part of it: a mentor whose required training is missing
// or out of date is a mentor but cannot be matched (core/mentor_training.h);
// the result says so.
//
// The web pages take someone with an active mentor enrolment in the
// session's scheme to hold mentoring/mentor:participate (see
// is_scheme_mentor and adapters/web/session.h), whatever roles the launch
// sent, so the accepted person passes the mentor pages' checks on their
// next request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/cohort_session_stores.h"
#include "core/enrolment.h"
#include "core/mentor_application.h"
#include "core/mentor_training.h"
#include "core/profile.h"
#include "core/scheme.h"
#include "core/stores.h"

namespace mentoring::app {

struct InvitationAcceptInput {
  // The good-standing declaration every mentor application carries
  // (invalid_argument "declaration_required" without it).
  bool declaration = false;
  // The introduction for a new mentor profile (trimmed, at most 2,000
  // bytes). Used only when the person has no mentor profile yet, and then
  // required (invalid_argument "bio_required").
  std::string bio;
};

struct InvitationAcceptance {
  // True when the person already was a mentor in the scheme: nothing was
  // written, and application/profile_created are empty/false.
  bool already_mentor = false;
  core::MentorInvitation invitation;  // the invitation accepted (the newest in the scheme)
  core::Cohort cohort;                // where they mentor
  std::optional<core::Enrolment> enrolment;
  std::optional<core::MentorApplication> application;
  core::MentorProfile profile;        // their mentor profile now
  bool profile_created = false;       // filled from the mentee profile by this call
  core::MentorReadiness readiness;    // whether their training lets them be matched
};

// Whether `accountid` has an active mentor enrolment in a cohort of
// `schemeid`. Reads only; for use inside a caller's transaction.
core::Result<bool> is_scheme_mentor(core::Stores& s, std::int64_t schemeid, std::int64_t accountid);

}  // namespace mentoring::app
