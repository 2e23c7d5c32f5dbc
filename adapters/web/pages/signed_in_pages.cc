#include "adapters/web/pages/signed_in_pages.h"

#include <stdexcept>

#include "adapters/web/pages/page_handlers.h"

namespace mentoring::web {
namespace {

void add_or_die(http::Router& router, const char* method, const char* pattern, http::RouteFn fn) {
  core::Status st = router.add(method, pattern, std::move(fn));
  if (!st) throw std::logic_error(std::string("route ") + pattern + ": " + st.to_string());
}

}  // namespace

void add_signed_in_pages(http::Router& router, const PageContext& ctx) {
  using Fn = http::Response (*)(const PageContext&, const http::Request&);
  using FnP = http::Response (*)(const PageContext&, const http::Request&, const http::PathParams&);
  auto page = [&ctx](Fn fn) {
    return [&ctx, fn](const http::Request& r, const http::PathParams&) { return fn(ctx, r); };
  };
  auto page_p = [&ctx](FnP fn) {
    return [&ctx, fn](const http::Request& r, const http::PathParams& p) { return fn(ctx, r, p); };
  };
  add_or_die(router, "GET", "/", page(pages::home));
  add_or_die(router, "GET", "/profile/mentee", page(pages::mentee_profile));
  add_or_die(router, "POST", "/profile/mentee", page(pages::mentee_profile));
  add_or_die(router, "GET", "/profile/mentor", page(pages::mentor_profile));
  add_or_die(router, "POST", "/profile/mentor", page(pages::mentor_profile));
  add_or_die(router, "GET", "/matching/choices", page(pages::matching_choices));
  add_or_die(router, "POST", "/matching/choices", page(pages::matching_choices));
  add_or_die(router, "GET", "/matching/requests", page(pages::matching_requests));
  add_or_die(router, "POST", "/matching/requests", page(pages::matching_requests));
  add_or_die(router, "GET", "/relationship", page(pages::relationship));
  add_or_die(router, "POST", "/relationship/pairings/{id}/agreement", page_p(pages::relationship_accept));
  add_or_die(router, "GET", "/relationship/pairings/{id}/meetings/new", page_p(pages::relationship_book));
  add_or_die(router, "POST", "/relationship/pairings/{id}/meetings/new", page_p(pages::relationship_book));
  add_or_die(router, "GET", "/relationship/pairings/{id}/goals/new", page_p(pages::relationship_add_goal));
  add_or_die(router, "POST", "/relationship/pairings/{id}/goals/new", page_p(pages::relationship_add_goal));
  add_or_die(router, "GET", "/relationship/pairings/{id}/protected-time", page_p(pages::relationship_protected_time));
  add_or_die(router, "POST", "/relationship/pairings/{id}/protected-time", page_p(pages::relationship_protected_time));
  add_or_die(router, "GET", "/relationship/meetings/{id}", page_p(pages::relationship_meeting));
  add_or_die(router, "POST", "/relationship/meetings/{id}/record", page_p(pages::relationship_record));
  add_or_die(router, "POST", "/relationship/meetings/{id}/cancel", page_p(pages::relationship_cancel));
  add_or_die(router, "POST", "/relationship/meetings/{id}/note", page_p(pages::relationship_note));
  add_or_die(router, "GET", "/relationship/meetings/{id}/calendar.ics", page_p(pages::relationship_calendar));
  add_or_die(router, "GET", "/relationship/goals/{id}", page_p(pages::relationship_goal));
  add_or_die(router, "POST", "/relationship/goals/{id}/status", page_p(pages::relationship_goal_status));
  add_or_die(router, "POST", "/relationship/goals/{id}/notes", page_p(pages::relationship_goal_note));
  add_or_die(router, "GET", "/feedback", page(pages::feedback));
  add_or_die(router, "GET", "/feedback/checkins/{id}/{phase}", page_p(pages::feedback_checkin));
  add_or_die(router, "POST", "/feedback/checkins/{id}/{phase}", page_p(pages::feedback_checkin));
  add_or_die(router, "GET", "/feedback/surveys/{id}", page_p(pages::feedback_survey));
  add_or_die(router, "POST", "/feedback/surveys/{id}", page_p(pages::feedback_survey));
  add_or_die(router, "GET", "/concerns", page(pages::concerns));
  add_or_die(router, "POST", "/concerns", page(pages::concerns));
  add_or_die(router, "GET", "/concerns/{id}", page_p(pages::concern));
  add_or_die(router, "POST", "/concerns/{id}/withdraw", page_p(pages::concern_withdraw));
  add_or_die(router, "GET", "/staff/concerns", page(pages::staff_concerns));
  add_or_die(router, "GET", "/staff/concerns/{id}", page_p(pages::staff_concern));
  add_or_die(router, "POST", "/staff/concerns/{id}", page_p(pages::staff_concern));
  add_or_die(router, "GET", "/staff", page(pages::staff_dashboard));
  add_or_die(router, "GET", "/staff/schemes/{id}", page_p(pages::scheme_settings));
  add_or_die(router, "POST", "/staff/schemes/{id}", page_p(pages::scheme_settings));
  add_or_die(router, "GET", "/staff/schemes/{id}/participants", page_p(pages::participants));
  add_or_die(router, "GET", "/staff/schemes/{id}/business-as-usual", page_p(pages::business_as_usual));
  add_or_die(router, "POST", "/staff/schemes/{id}/business-as-usual", page_p(pages::business_as_usual));
  add_or_die(router, "POST", "/staff/schemes/{id}/business-as-usual/phase", page_p(pages::business_as_usual_phase));
  add_or_die(router, "GET", "/staff/cohorts/{id}/sessions", page_p(pages::cohort_sessions));
  add_or_die(router, "POST", "/staff/cohorts/{id}/sessions", page_p(pages::cohort_sessions));
  add_or_die(router, "GET", "/staff/sessions/{id}/attendance", page_p(pages::cohort_session_attendance));
  add_or_die(router, "POST", "/staff/sessions/{id}/attendance", page_p(pages::cohort_session_attendance));
  add_or_die(router, "GET", "/staff/matching", page(pages::staff_matching));
  add_or_die(router, "POST", "/staff/matching", page(pages::staff_matching));
  add_or_die(router, "GET", "/staff/reports", page(pages::staff_reports));
  add_or_die(router, "GET", "/staff/reports/download/{format}", page_p(pages::staff_report_download));
  add_or_die(router, "GET", "/staff/audit", page(pages::staff_audit));
  add_or_die(router, "GET", "/staff/webhooks", page(pages::staff_webhooks));
  add_or_die(router, "POST", "/staff/webhooks/inbox/{id}/replay", page_p(pages::staff_webhook_replay));
  add_or_die(router, "GET", "/enrol", page(pages::enrol));
  add_or_die(router, "POST", "/enrol", page(pages::enrol));
  add_or_die(router, "GET", "/enrol/about-you", page(pages::enrol_about_you));
  add_or_die(router, "POST", "/enrol/about-you", page(pages::enrol_about_you));
  add_or_die(router, "GET", "/enrol/done", page(pages::enrol_done));
  add_or_die(router, "GET", "/enrol/withdraw", page(pages::enrol_withdraw));
  add_or_die(router, "POST", "/enrol/withdraw", page(pages::enrol_withdraw));
  add_or_die(router, "GET", "/mentor/become", page(pages::become_mentor));
  add_or_die(router, "POST", "/mentor/become", page(pages::become_mentor));
  add_or_die(router, "GET", "/profile/mentor/cpd", page(pages::mentor_cpd));
  add_or_die(router, "GET", "/profile/mentor/cpd/certificate.pdf", page(pages::mentor_cpd_certificate));
  add_or_die(router, "GET", "/mentor/apply", page(pages::mentor_apply));
  add_or_die(router, "POST", "/mentor/apply", page(pages::mentor_apply));
  add_or_die(router, "GET", "/mentor/applications", page(pages::mentor_applications));
  add_or_die(router, "GET", "/staff/mentor-applications", page(pages::staff_mentor_applications));
  add_or_die(router, "POST", "/staff/mentor-applications/settings", page(pages::staff_mentor_recruitment_settings));
  add_or_die(router, "POST", "/staff/mentor-applications/{id}/{decision}", page_p(pages::staff_mentor_application_decide));
  add_or_die(router, "GET", "/staff/schemes/{id}/import", page_p(pages::import_page));
  add_or_die(router, "POST", "/staff/schemes/{id}/import", page_p(pages::import_page));
  add_or_die(router, "GET", "/staff/schemes/{id}/import/{job}", page_p(pages::import_job));
  add_or_die(router, "POST", "/staff/schemes/{id}/import/{job}/apply", page_p(pages::import_apply));
  add_or_die(router, "GET", "/staff/imports/{kind}/template.csv", page_p(pages::import_template));
  add_or_die(router, "GET", "/staff/jobs/{id}", page_p(pages::job_page));
  add_or_die(router, "GET", "/api/v1/jobs/{id}", page_p(pages::job_json));
}

}  // namespace mentoring::web
