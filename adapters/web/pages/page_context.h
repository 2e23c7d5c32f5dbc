// What every signed-in page shares: who is asking, whether they may, the
// form checks, and drawing the page.
//
// A page handler starts with one call that either lets the request through
// or answers it with the right page:
//
//   Access a = require_access(ctx, req, {core::capability::kSchemeManage});
//   if (!a) return std::move(a.refusal);
//   ... a.signed_in->account ...
//
// and a form handler with
//
//   FormAccess f = require_form(ctx, req, {core::capability::kMenteeParticipate});
//   if (!f) return std::move(f.refusal);
//   ... f.field("goals") ...
//   if (auto again = claim_form(ctx, f); again) return std::move(*again);  // sent twice
//
// The refusals, each a whole page drawn in the layout:
//   401 not signed in, or the session ended: open Mentoring again from the portal
//   403 signed in without the capability the page needs (the page names it)
//   403 a form whose csrf_token is missing or wrong: "the form expired", nothing changed
//   409 a form whose one-time form_token was already used: nothing changed again
//   503/500 the database failed
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <kainjow/mustache.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/message.h"
#include "adapters/web/pages/error_pages.h"
#include "adapters/web/renderer.h"
#include "adapters/web/security_headers.h"
#include "adapters/web/session.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::app {
class ProfileService;
class SchemeSetup;
class GovernanceService;
class JobService;
class RelationshipService;
class MatchingService;
class PairingService;
class ImportJobs;
class EnrolmentJourney;
class DemographicsService;
class ConcernService;
class CheckinService;
class SurveyService;
class EvaluationReportService;
class AuditService;
struct EvaluationReport;
struct PublishedCheckinTally;
class TrainingService;
class MentorRecruitmentService;
class CohortSessionService;
class BusinessAsUsualService;
}  // namespace mentoring::app

namespace mentoring::exports {
struct CpdCertificate;
}  // namespace mentoring::exports

namespace mentoring::web {

// The use cases the pages call. Each may be null in tests of pages that do
// not use it; a page whose service is missing answers 503.
struct PageServices {
  app::ProfileService* profiles = nullptr;
  app::SchemeSetup* schemes = nullptr;
  app::GovernanceService* governance = nullptr;
  app::JobService* jobs = nullptr;
  // Matching runs, and mentee requests and pairings (matching_pages.cc).
  app::MatchingService* matching = nullptr;
  app::PairingService* pairings = nullptr;
  // Staff CSV imports as background jobs (import_pages.cc).
  app::ImportJobs* imports = nullptr;
  // Joining and leaving a scheme: eligibility with its reason, the two
  // consents, and the optional monitoring questions (enrolment_pages.cc).
  app::EnrolmentJourney* enrolment = nullptr;
  app::DemographicsService* demographics = nullptr;
  // A mentor's training, readiness and CPD log, and the renderer of the CPD
  // certificate (exports::render_certificate_pdf in the plugin; the web
  // library does not link the PDF renderer itself) (mentor_path_pages.cc).
  app::TrainingService* training = nullptr;
  std::function<core::Result<std::vector<std::uint8_t>>(const exports::CpdCertificate&)> render_certificate;
  // The mentoring relationship: agreement, meetings, goals, protected time
  // (relationship_pages.cc).
  app::RelationshipService* relationships = nullptr;
  // Concerns to the point of contact and check-ins (concern_pages.cc,
  // feedback_pages.cc), surveys (feedback_pages.cc), the evaluation report
  // and its PDF (report_pages.cc), the audit log (audit_pages.cc).
  app::ConcernService* concerns = nullptr;
  app::CheckinService* checkins = nullptr;
  app::SurveyService* surveys = nullptr;
  app::EvaluationReportService* reports = nullptr;
  app::AuditService* audit = nullptr;
  // Renders a report with the cohort's check-in tallies as a PDF
  // (adapters/export/report_pdf.h); empty: the PDF download answers 503.
  std::function<core::Result<std::vector<std::uint8_t>>(const app::EvaluationReport&,
                                                        const std::vector<app::PublishedCheckinTally>&)>
      render_report_pdf;
  // The business-as-usual plan and readiness (business_as_usual_pages.cc).
  app::BusinessAsUsualService* business_as_usual = nullptr;
  // Mentor applications and their approval (mentor_application_pages.cc).
  app::MentorRecruitmentService* mentor_recruitment = nullptr;
  // Invitations to mentor from the end-of-scheme meeting, on /mentor/become.
  app::CohortSessionService* cohort_sessions = nullptr;
};

// Everything a page needs; must outlive the router the pages are added to.
struct PageContext {
  const Renderer& renderer;
  // Applied to each page (finish_response lays the current portal origins
  // over it for every response anyway).
  const SecurityPolicy& policy;
  const SessionManager& sessions;
  core::Database& db;
  const core::Clock& clock;
  // The NHS header and logo (see web.show_nhs_header in options.h).
  PageChrome chrome;
  PageServices services;
};

// The form fields of a POST (application/x-www-form-urlencoded), in order.
using FormFields = std::vector<std::pair<std::string, std::string>>;

// Whether the request may see the page. When it may not, `refusal` is the
// page to answer with.
struct Access {
  std::optional<SignedIn> signed_in;
  http::Response refusal;
  explicit operator bool() const { return signed_in.has_value(); }
};

struct FormAccess : Access {
  FormFields fields;
  // The first value of `name`, or "".
  std::string field(std::string_view name) const;
  // Every value of `name` (checkboxes), in order.
  std::vector<std::string> all(std::string_view name) const;
};

// Signs the request in (session cookie) and checks that the session holds at
// least one of `any_of` (none listed: any signed-in person may see the page).
Access require_access(const PageContext& ctx, const http::Request& req,
                      std::initializer_list<std::string_view> any_of = {});

// As require_access, then reads the form body and checks its csrf_token
// field against the session's. Nothing is changed by the check.
FormAccess require_form(const PageContext& ctx, const http::Request& req,
                        std::initializer_list<std::string_view> any_of = {});

// For a page that draws a form on GET and takes it on POST: require_access
// for a GET (no fields), require_form for a POST.
FormAccess require_page_or_form(const PageContext& ctx, const http::Request& req,
                                std::initializer_list<std::string_view> any_of = {});

// Whether a use case's refusal has one of `codes`: those a form shows next
// to its fields; anything else is answered with failure_page.
bool has_code(const core::Status& status, std::initializer_list<core::Code> codes);

// Records the form's one-time form_token (a hidden field every form carries,
// see new_form_token). Returns nothing the first time a token is seen, and
// the "already sent" page (409) when it was used before, or a 400 page when
// it is missing or malformed. Call it just before the form's effect.
std::optional<http::Response> claim_form(const PageContext& ctx, const FormAccess& form);

// A form refused after its token was claimed (a field was invalid, nothing
// was saved) is drawn again with a new token, so the corrected form can be
// sent. A fresh one-time form token (43 characters, base64url).
std::string new_form_token();
// Sets csrf_token and a fresh form_token on `data`, for one form of a page
// (the page data has them already; a page with a form per row sets them on
// each row).
void set_form_tokens(kainjow::mustache::data& data, const SignedIn& who);

// The page data every signed-in page starts from: page_data() plus
//   csrf_token, form_token         for forms
//   nav                            [{href, label, current}] the pages this
//                                  person may open, `current_path` marked
//   person_name                    who is signed in
std::string display_name(const core::Account& account);
kainjow::mustache::data signed_in_page_data(const PageContext& ctx, const SignedIn& who, std::string page_title,
                                            std::string_view current_path);

// `template_name` in the layout as an HTML response with the security headers.
http::Response render_page(const PageContext& ctx, int status, std::string_view template_name,
                           const kainjow::mustache::data& data);

// The page for a use case's failure (404, 503, 500 ...), logged nowhere.
http::Response failure_page(const PageContext& ctx, const core::Status& status);

// "<base_path><path>", the href of one of our pages.
std::string href(const PageContext& ctx, std::string_view path);

// A 303 to one of our pages (after a successful POST).
http::Response see_other(const PageContext& ctx, std::string_view path);

// A positive decimal id from a path parameter; nothing for anything else.
std::optional<std::int64_t> parse_id(std::string_view text);

// What a capability lets a person do, as the 403 page words it
// ("page:capability_scheme_manage"); the capability name itself otherwise.
std::string capability_description(const Renderer& renderer, std::string_view capability);

}  // namespace mentoring::web
