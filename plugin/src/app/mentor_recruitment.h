// Mentor recruitment by application with staff approval (toolkit,
// "Mentors": recruiting and retaining mentors, circular mentorship).
//
// Anyone signed in applies to mentor in one cohort of a scheme; staff with
// the recruitment capability (mentoring/scheme:manage) approve or decline.
// Approving enrols the applicant as a mentor through the mentor enrolment
// rules (app/setup_profiles.h, eligible_enrol_in_transaction) in the same
// transaction as the decision, so the window, the account and the scheme's
// mentor rules apply and the usual mentoring.enrolled event is sent; an
// approval the rules refuse leaves the application pending with the
// refusal's reason kept on it. A scheme whose recruitment setting says
// applications need no approval enrols the applicant when they apply, as
// direct enrolment does. Every command is one transaction and is audited.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "app/mentor_invitation_accept.h"
#include "core/account.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/enrolment.h"
#include "core/mentor_application_stores.h"
#include "core/mentor_training.h"
#include "core/scheme.h"
#include "core/stores.h"

namespace mentoring::app {

struct RecruitmentCohort {
  core::Cohort cohort;
  core::Status window;                             // OK while the cohort is open for recruitment
  bool is_mentor = false;                          // already an active mentor there
  std::optional<core::MentorApplication> pending;  // their pending application there
};

// What the application page shows one person.
struct RecruitmentView {
  core::Scheme scheme;
  core::MentorRecruitmentSettings settings;
  std::vector<RecruitmentCohort> cohorts;  // every cohort of the scheme
  // The person's applications in this scheme, newest first.
  std::vector<core::MentorApplication> applications;
};

// One application as staff see it: who applied, to which cohort, and
// whether they could be matched today (training; approval does not need it).
struct ApplicationForStaff {
  core::MentorApplication application;
  core::Account applicant;
  core::Cohort cohort;
  core::MentorReadiness readiness;
};

struct ApplicationList {
  std::vector<ApplicationForStaff> items;
  std::int64_t total = 0;  // applications matching the filter
};

class MentorRecruitmentService {
 public:
  MentorRecruitmentService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // NotFound "scheme_not_found".
  core::Result<RecruitmentView> view(std::int64_t schemeid, std::int64_t accountid);

  // Applies to mentor in `cohortid` (with `schemeid` set, a cohort of that
  // scheme only, as pages launched from a scheme's course ask). Errors, with
  // nothing written: the field errors of core::validate_mentor_application;
  // not_found "cohort_not_found" (also a cohort of another scheme),
  // "account_not_found"; failed_precondition "account_suspended", the
  // cohort's window ("enrolment_not_open", "enrolment_closed"),
  // "already_mentor"; already_exists "application_pending". When the scheme
  // needs no approval the applicant is enrolled at once and the application
  // stored as approved; an enrolment the rules refuse is returned and
  // nothing is written.
  core::Result<core::MentorApplication> apply(std::int64_t cohortid, std::int64_t accountid,
                                              core::MentorApplicationInput input,
                                              std::optional<std::int64_t> schemeid = {});

  // The person's own applications, in every scheme, newest first.
  core::Result<std::vector<core::MentorApplication>> mine(std::int64_t accountid);
  // One application; with `schemeid` set, one of that scheme only
  // (NotFound "application_not_found" otherwise).
  core::Result<core::MentorApplication> get(std::int64_t applicationid, std::optional<std::int64_t> schemeid = {});

  // The scheme's applications with `status` (pending when unset is not
  // assumed: nullopt lists every status), oldest first.
  core::Result<ApplicationList> list(std::int64_t schemeid, std::optional<core::ApplicationStatus> status,
                                     core::Page page);

  // Approves a pending application: enrols the applicant as a mentor and
  // records the decision, in one transaction. When the enrolment rules
  // refuse (window, eligibility, an existing enrolment), nothing of the
  // approval is written; the refusal's reason and sentence are kept on the
  // still pending application (audited) and the refusal is returned.
  // conflict "application_decided"; not_found "application_not_found".
  core::Result<core::MentorApplication> approve(std::int64_t applicationid, std::optional<std::int64_t> schemeid,
                                                const core::Actor& actor);
  // Declines a pending application with a reason the applicant sees
  // (core::validate_decision_reason).
  core::Result<core::MentorApplication> decline(std::int64_t applicationid, std::optional<std::int64_t> schemeid,
                                                std::string reason, const core::Actor& actor);

  // Accepts the person's invitation to mentor in `schemeid`, given at the
  // end-of-scheme meeting (app/mentor_invitation_accept.h): one transaction
  // that fills their mentor profile, enrols them as a mentor and stores
  // their application as approved by the invitation, audited. Idempotent:
  // someone already mentoring in the scheme gets already_mentor and nothing
  // is written. Errors, with nothing written: invalid "declaration_required",
  // "bio_required" and the other mentor profile field errors; not_found
  // "scheme_not_found", "account_not_found"; permission_denied
  // "not_invited" (no invitation from a cohort of this scheme);
  // failed_precondition "account_suspended", "no_cohort_open" (no cohort is
  // open for enrolment), and the refusals of the scheme's mentor rules
  // (eligible_enrol_in_transaction).
  core::Result<InvitationAcceptance> accept_invitation(std::int64_t schemeid, std::int64_t accountid,
                                                       InvitationAcceptInput input);

  // The scheme's recruitment setting (approval required by default).
  core::Result<core::MentorRecruitmentSettings> settings(std::int64_t schemeid);
  core::Result<core::MentorRecruitmentSettings> save_settings(std::int64_t schemeid, bool approval_required,
                                                              const core::Actor& actor);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
