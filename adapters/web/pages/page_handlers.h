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
http::Response matching_choices(const PageContext& ctx, const http::Request& req);
http::Response relationship(const PageContext& ctx, const http::Request& req);
http::Response feedback(const PageContext& ctx, const http::Request& req);

// Staff pages (staff_pages.cc).
http::Response staff_dashboard(const PageContext& ctx, const http::Request& req);
http::Response scheme_settings(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response participants(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response staff_matching(const PageContext& ctx, const http::Request& req);
http::Response staff_reports(const PageContext& ctx, const http::Request& req);
http::Response staff_audit(const PageContext& ctx, const http::Request& req);

// Jobs (job_pages.cc).
http::Response job_page(const PageContext& ctx, const http::Request& req, const http::PathParams& p);
http::Response job_json(const PageContext& ctx, const http::Request& req, const http::PathParams& p);

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
