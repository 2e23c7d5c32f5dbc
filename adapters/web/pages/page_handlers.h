// The handlers behind signed_in_pages.h, one file per group of pages.
// Internal to adapters/web/pages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/web/pages/page_context.h"
#include "core/enrolment.h"
#include "core/scheme.h"

namespace mentoring::web::pages {

// Trainee and mentor pages (trainee_pages.cc).
http::Response home(const PageContext& ctx, const http::Request& req);
http::Response mentee_profile(const PageContext& ctx, const http::Request& req);
http::Response mentor_profile(const PageContext& ctx, const http::Request& req);
http::Response feedback(const PageContext& ctx, const http::Request& req);

// The mentoring relationship (relationship_pages.cc): /relationship and the
// pages under it.
http::Response relationship(const PageContext& ctx, const http::Request& req);
http::Response relationship_accept(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_book(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_meeting(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_record(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_cancel(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_note(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_calendar(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_add_goal(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_goal(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_goal_status(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_goal_note(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response relationship_protected_time(const PageContext& ctx, const http::Request& req,
                                           const http::PathParams& p);

// Staff pages (staff_pages.cc).
http::Response staff_dashboard(const PageContext& ctx, const http::Request& req);
http::Response scheme_settings(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response participants(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
// The move from pilot to business-as-usual (business_as_usual_pages.cc).
http::Response business_as_usual(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response business_as_usual_phase(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
// A cohort's group sessions and their attendance (cohort_session_pages.cc):
// GET and POST each.
http::Response cohort_sessions(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response cohort_session_attendance(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response staff_reports(const PageContext& ctx, const http::Request& req);
http::Response staff_audit(const PageContext& ctx, const http::Request& req);

// Matching (matching_pages.cc): GET and POST each.
http::Response staff_matching(const PageContext& ctx, const http::Request& req);
http::Response matching_choices(const PageContext& ctx, const http::Request& req);
http::Response matching_requests(const PageContext& ctx, const http::Request& req);

// Joining the scheme (enrolment_pages.cc).
http::Response enrol(const PageContext& ctx, const http::Request& req);
http::Response enrol_about_you(const PageContext& ctx, const http::Request& req);
http::Response enrol_done(const PageContext& ctx, const http::Request& req);
http::Response enrol_withdraw(const PageContext& ctx, const http::Request& req);

// Becoming a mentor, and a mentor's CPD (mentor_path_pages.cc).
http::Response become_mentor(const PageContext& ctx, const http::Request& req);
http::Response mentor_cpd(const PageContext& ctx, const http::Request& req);
http::Response mentor_cpd_certificate(const PageContext& ctx, const http::Request& req);

// Mentor recruitment by application (mentor_application_pages.cc).
http::Response mentor_apply(const PageContext& ctx, const http::Request& req);
http::Response mentor_applications(const PageContext& ctx, const http::Request& req);
http::Response staff_mentor_applications(const PageContext& ctx, const http::Request& req);
http::Response staff_mentor_application_decide(const PageContext& ctx, const http::Request& req,
                                               const http::PathParams& p);
http::Response staff_mentor_recruitment_settings(const PageContext& ctx, const http::Request& req);

// Staff CSV imports (import_pages.cc).
http::Response import_page(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response import_job(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response import_apply(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response import_template(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

// The webhook delivery log and dead-letter replay (webhook_pages.cc).
http::Response staff_webhooks(const PageContext& ctx, const http::Request& req);
http::Response staff_webhook_replay(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

// Jobs (job_pages.cc).
http::Response job_page(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response job_json(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

// Concerns to the point of contact (concern_pages.cc).
http::Response concerns(const PageContext& ctx, const http::Request& req);
http::Response concern(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response concern_withdraw(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response staff_concerns(const PageContext& ctx, const http::Request& req);
http::Response staff_concern(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

// Evaluation report downloads (report_pages.cc); the report page itself is
// staff_reports above, the audit log staff_audit (audit_pages.cc).
http::Response staff_report_download(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

// Check-ins and surveys for trainees (feedback_pages.cc).
http::Response feedback_checkin(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response feedback_survey(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

// Shared helpers.

// "staff", "mentor", "mentee" or "guest": the person's main role.
std::string primary_role(const SignedIn& who);

// One enrolment of the person with its cohort.
struct MyEnrolment {
  core::Cohort cohort;
  core::Enrolment enrolment;
};
// The person's enrolments in the cohorts of `schemeid`.
core::Result<std::vector<MyEnrolment>> my_enrolments(core::Stores& s, std::int64_t accountid, std::int64_t schemeid);

// The scheme of the person's session, if the launch's course is linked to one.
core::Result<std::optional<core::Scheme>> session_scheme(const PageContext& ctx, const SignedIn& who);

// " nhsuk-tag--green" and so on, for an enrolment status.
std::string status_tag_class(core::EnrolmentStatus status);

// A page with facts and a "not available yet" panel (summary_page partial).
struct Fact {
  std::string key;
  std::string value;
};
kainjow::mustache::data facts_data(const std::vector<Fact>& facts);

}  // namespace mentoring::web::pages
