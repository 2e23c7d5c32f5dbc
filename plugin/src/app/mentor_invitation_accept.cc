// MentorRecruitmentService::accept_invitation and is_scheme_mentor
// (app/mentor_invitation_accept.h).
#include "app/mentor_invitation_accept.h"

#include <algorithm>

#include "app/audit.h"
#include "app/mentor_recruitment.h"
#include "app/setup_profiles.h"
#include "app/unit_of_work.h"
#include "core/date.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::ApplicationStatus;
using core::Result;
using core::Status;

namespace {

constexpr const char* kEntity = "mentor_application";

// A mentor profile from what the person said as a mentee: only the fields
// both profiles share, and the topics they worked on as expertise areas.
// Mentees' location and meeting preferences and availability have no place
// on a mentor profile (availability goes on the application).
core::MentorProfile profile_from(const std::optional<core::MenteeProfile>& mentee, std::int64_t accountid,
                                 std::string bio) {
  core::MentorProfile p;
  p.accountid = accountid;
  p.capacity = 1;
  p.bio = std::move(bio);
  if (!mentee) {
    p.career_stage = core::CareerStage::kOther;
    return p;
  }
  p.career_stage = mentee->career_stage;
  p.specialty = mentee->specialty;
  p.site = mentee->site;
  p.region = mentee->region;
  p.languages = mentee->languages;
  p.expertise_areas = mentee->topics;
  return p;
}

}  // namespace

Result<bool> is_scheme_mentor(core::Stores& s, std::int64_t schemeid, std::int64_t accountid) {
  auto cohorts = s.schemes.list_cohorts(schemeid);
  if (!cohorts) return cohorts.status();
  for (const core::Cohort& c : *cohorts) {
    auto mentor = s.mentor_applications.is_active_mentor(c.id, accountid);
    if (!mentor) return mentor.status();
    if (*mentor) return true;
  }
  return false;
}

Result<InvitationAcceptance> MentorRecruitmentService::accept_invitation(std::int64_t schemeid,
                                                                         std::int64_t accountid,
                                                                         InvitationAcceptInput input) {
  if (!input.declaration)
    return Status::invalid("declaration_required", "Confirm that you are in good standing to become a mentor.",
                           "declaration");
  return in_transaction<InvitationAcceptance>(db_, [&](core::Stores& s) -> Result<InvitationAcceptance> {
    const core::UnixSeconds now = clock_.now();
    const core::Date today = core::Date::from_unix(now);
    auto scheme = s.schemes.find(schemeid);
    if (!scheme) return scheme.status();
    if (!scheme->has_value()) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    auto account = s.accounts.find(accountid);
    if (!account) return account.status();
    if (!account->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
    if ((*account)->status != core::AccountStatus::kActive)
      return Status::failed_precondition("account_suspended", "A suspended account cannot become a mentor.");

    // The newest invitation from a cohort of this scheme.
    auto invitations = s.cohort_sessions.invitations_of_account(accountid);
    if (!invitations) return invitations.status();
    std::optional<core::MentorInvitation> invitation;
    for (const core::MentorInvitation& i : *invitations) {
      auto cohort = s.schemes.find_cohort(i.cohortid);
      if (!cohort) return cohort.status();
      if (!cohort->has_value() || (*cohort)->schemeid != schemeid) continue;
      if (!invitation || i.invited_at > invitation->invited_at) invitation = i;
    }
    if (!invitation)
      return Status::permission_denied("not_invited",
                                       "You have not been invited to mentor in this scheme, so there is no invitation "
                                       "to accept. You can apply to mentor instead.");

    InvitationAcceptance out;
    out.invitation = *invitation;
    auto modules = s.training.list_modules(schemeid);
    if (!modules) return modules.status();
    auto records = s.training.list_records(accountid, schemeid);
    if (!records) return records.status();
    out.readiness = core::mentor_readiness(*modules, *records, today);
    auto existing_profile = s.profiles.find_mentor(accountid);
    if (!existing_profile) return existing_profile.status();

    auto cohorts = s.schemes.list_cohorts(schemeid);
    if (!cohorts) return cohorts.status();
    // Accepting twice (a second click, another tab, the portal retrying)
    // changes nothing: they are a mentor already.
    for (const core::Cohort& c : *cohorts) {
      auto mentor = s.mentor_applications.is_active_mentor(c.id, accountid);
      if (!mentor) return mentor.status();
      if (!*mentor) continue;
      out.already_mentor = true;
      out.cohort = c;
      if (existing_profile->has_value()) out.profile = **existing_profile;
      return out;
    }

    // The cohort open for enrolment that starts first.
    const core::Cohort* chosen = nullptr;
    for (const core::Cohort& c : *cohorts) {
      if (!core::check_enrolment_window(c, today).is_ok()) continue;
      if (chosen == nullptr || c.starts_on < chosen->starts_on ||
          (c.starts_on == chosen->starts_on && c.id < chosen->id))
        chosen = &c;
    }
    if (chosen == nullptr)
      return Status::failed_precondition("no_cohort_open",
                                         "No cohort of this scheme is taking mentors at the moment. Your invitation "
                                         "stays: accept it once the next cohort opens for enrolment.");
    out.cohort = *chosen;

    const core::Actor person = core::Actor::account(accountid);
    if (existing_profile->has_value()) {
      out.profile = **existing_profile;
    } else {
      auto mentee = s.profiles.find_mentee(accountid);
      if (!mentee) return mentee.status();
      auto valid = core::validate_mentor_profile(profile_from(*mentee, accountid, std::move(input.bio)), today);
      if (!valid) return valid.status();
      auto saved = s.profiles.save_mentor(*valid, now);
      if (!saved) return saved.status();
      MENTORING_RETURN_IF_ERROR(audit(s, person, core::AuditAction::kCreate, "mentor_profile", saved->id,
                                      "mentor profile filled from the mentee profile (mentor invitation accepted)",
                                      now));
      out.profile = std::move(saved).value();
      out.profile_created = true;
    }

    // The scheme's mentor rules still apply (they read the profile above).
    auto enrolled =
        eligible_enrol_in_transaction(s, chosen->id, accountid, core::Role::kMentor, false, now, person);
    if (!enrolled) {
      if (enrolled.status().code() == core::Code::kAlreadyExists)
        return Status(core::Code::kFailedPrecondition, "enrolment_exists",
                      "You already have a mentor enrolment in this cohort.");
      return enrolled.status();
    }
    out.enrolment = *enrolled;

    // Who invited them: the staff member who recorded the attendance.
    std::optional<std::int64_t> inviter;
    auto attendance = s.cohort_sessions.attendance(invitation->sessionid);
    if (!attendance) return attendance.status();
    for (const core::SessionAttendance& row : *attendance)
      if (row.enrolmentid == invitation->enrolmentid) inviter = row.recorded_by;

    core::MentorApplication application;
    application.schemeid = schemeid;
    application.cohortid = chosen->id;
    application.accountid = accountid;
    application.answers.expertise_areas = out.profile.expertise_areas;
    application.answers.capacity = out.profile.capacity;
    application.answers.declaration = true;
    {
      auto mentee = s.profiles.find_mentee(accountid);
      if (!mentee) return mentee.status();
      if (mentee->has_value()) application.answers.availability = (*mentee)->availability;
    }
    application.status = ApplicationStatus::kApproved;
    application.decided_by = inviter;
    application.decided_at = invitation->invited_at;
    application.enrolmentid = enrolled->id;

    // A pending application of theirs to the same cohort is the same wish:
    // the invitation decides it instead of a second row.
    auto mine = s.mentor_applications.list_by_account(accountid);
    if (!mine) return mine.status();
    std::optional<std::int64_t> pending;
    for (const core::MentorApplication& a : *mine)
      if (a.cohortid == chosen->id && a.status == ApplicationStatus::kPending) pending = a.id;
    Result<core::MentorApplication> stored =
        pending ? s.mentor_applications.decide(*pending, ApplicationStatus::kApproved, inviter, "", enrolled->id, now)
                : s.mentor_applications.create(application, now);
    if (!stored) return stored.status();
    const std::string summary = "mentor invitation accepted: approved by the invitation of " +
                                core::Date::from_unix(invitation->invited_at).to_string() +
                                " (end-of-scheme meeting " + std::to_string(invitation->sessionid) + ", recorded by " +
                                (inviter ? "account " + std::to_string(*inviter) : std::string("the service")) + ")";
    MENTORING_RETURN_IF_ERROR(audit(s, person, pending ? core::AuditAction::kUpdate : core::AuditAction::kCreate,
                                    kEntity, stored->id, summary, now));
    out.application = std::move(stored).value();
    return out;
  });
}

}  // namespace mentoring::app
