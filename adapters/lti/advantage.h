// LTI Advantage services the tool calls on a platform:
//   - Names and Role Provisioning Services 2.0: the roster of a context,
//     fetched page by page (Link: <...>; rel="next") and recorded in one
//     transaction, so a failed page changes nothing;
//   - Assignment and Grade Services 2.0: one line item per scheme milestone
//     and context, found by resourceId/tag or created, and a score posted
//     for a person when they reach the milestone;
//   - the AGS 2.0 Result service: the results the platform's gradebook
//     shows on those line items, read page by page and compared with the
//     milestones people reached here (the gradebook check), so missing or
//     lower scores can be posted again.
//
// The endpoints come from the context's last launch (signed by the
// platform) and the token endpoint from its registration; nothing else is
// ever called. Follow-on URLs the platform hands back (next pages, line
// item ids) must stay on the origin of the endpoint they came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/lti/http_client.h"
#include "adapters/lti/service_token.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::lti {

// ---------------------------------------------------------------------------
// Pure parts

// The rel="next" target among Link header values (RFC 8288), or nullopt.
// Error: invalid_argument "nrps_link_invalid" for a header that cannot be read.
core::Result<std::optional<std::string>> next_link(const std::vector<std::string>& link_headers);

// Whether `url` is an absolute https URL, or http on a loopback host.
bool is_service_url(std::string_view url);
// Whether two absolute URLs share scheme, host and port.
bool same_origin(std::string_view a, std::string_view b);

struct NrpsMember {
  std::string user_id;
  std::vector<std::string> roles;
  core::RosterStatus status = core::RosterStatus::kActive;
  std::optional<std::string> name;
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::string> email;
};

// Reads one membership container page. Each member needs a user_id (1..255
// characters) and a roles array of strings; status, when present, is
// Active, Inactive or Deleted (default Active); name, given_name,
// family_name and email, when present, are strings. Errors
// (invalid_argument): "nrps_page_malformed" (not a JSON object with a
// members array), "nrps_member_invalid" (the message names the member's
// position and the field).
core::Result<std::vector<NrpsMember>> parse_membership_page(std::string_view body);

// The milestones the tool reports to gradebooks.
inline constexpr std::string_view kMilestoneAgreementSigned = "agreement_signed";
inline constexpr std::string_view kMilestoneSchemeCompleted = "scheme_completed";
bool is_milestone(std::string_view name);

// The score posted when a person reaches a milestone (AGS 2.0 section 3.4).
boost::json::object milestone_score(const std::string& user_id, core::UnixSeconds now);
// The line item created for a milestone (AGS 2.0 section 3.2).
boost::json::object milestone_line_item(std::string_view milestone, const std::string& label);
// The resourceId that marks our line items: "mentoring:<milestone>".
std::string milestone_resource_id(std::string_view milestone);
// `lineitem` + "/scores", keeping the line item URL's query after the path.
std::string scores_url(const std::string& lineitem);
// `lineitem` + "/results" (AGS 2.0 Result service), keeping the query.
std::string results_url(const std::string& lineitem);

// One result of a line item as the platform shows it.
struct AgsResult {
  std::string id;                        // the result's URL; empty when the platform sent none
  std::string user_id;                   // userId, 1..255 characters
  std::optional<double> result_score;    // resultScore; nullopt when not graded
  std::optional<double> result_maximum;  // resultMaximum (> 0); nullopt means 1
  std::string score_of;                  // scoreOf, the line item URL; empty when absent
};

// Reads one page of a result container
// (application/vnd.ims.lis.v2.resultcontainer+json): a JSON array of result
// objects. Each needs userId (text, 1..255); id, scoreOf and comment, when
// present and not null, are text (id and scoreOf at most 2048); resultScore
// is a finite number and resultMaximum a finite number above 0. Errors
// (invalid_argument, the message names the result's position and the field):
// "ags_results_malformed"; "ags_results_foreign" when id or scoreOf is on
// another origin than `lineitem`.
core::Result<std::vector<AgsResult>> parse_result_container(std::string_view body, std::string_view lineitem);

// A person who reached a milestone here.
struct ReachedMilestone {
  std::int64_t accountid = 0;
  std::string user_id;  // the account's subject at the platform
};

// A person who reached a milestone but whose result in the platform is
// missing or below the full score the tool posts.
struct GradebookGap {
  std::int64_t accountid = 0;
  std::string user_id;
  std::optional<double> result_score;    // nullopt: no result, or no score in it
  std::optional<double> result_maximum;  // as the platform sent it
};

// Everyone in `reached` whose best result in `results` does not give the
// full score (resultScore / resultMaximum below 1), in the order of
// `reached`. Results of people not in `reached` are ignored.
std::vector<GradebookGap> gradebook_gaps(const std::vector<ReachedMilestone>& reached,
                                         const std::vector<AgsResult>& results);

// The audit entry type recording that a person reached a milestone in a
// context (entityid = the context's id); the summary is
// "<milestone> reached by account <id>".
inline constexpr std::string_view kMilestoneAuditType = "lti_milestone";
std::string milestone_audit_summary(std::string_view milestone, std::int64_t accountid);
// The milestone and account of such a summary; nullopt for any other text.
std::optional<std::pair<std::string, std::int64_t>> parse_milestone_audit_summary(std::string_view summary);

// RFC 3339 UTC with milliseconds, "2026-11-25T11:00:00.000Z".
std::string iso8601_utc(core::UnixSeconds t);

// ---------------------------------------------------------------------------
// The services

struct RosterSyncResult {
  std::int64_t added = 0;     // members new to the roster
  std::int64_t updated = 0;   // members whose roles or status changed
  std::int64_t inactive = 0;  // members now Inactive or Deleted, including those the platform no longer lists
  std::int64_t members = 0;   // members the platform listed
  std::int64_t pages = 0;
};

// The gradebook check of one milestone line item.
struct GradebookLineItemCheck {
  std::string milestone;
  std::string lineitem;            // empty when no line item was made yet in this context
  std::int64_t reached = 0;        // people who reached the milestone here
  std::int64_t results = 0;        // results the platform listed
  std::int64_t pages = 0;          // result pages read
  std::vector<GradebookGap> gaps;  // by account id
};

struct GradebookCheck {
  std::vector<GradebookLineItemCheck> items;  // agreement_signed, then scheme_completed
  bool in_step() const {
    for (const auto& i : items)
      if (!i.gaps.empty()) return false;
    return true;
  }
};

struct GradebookRepair {
  GradebookCheck before;      // what the check found
  std::int64_t reposted = 0;  // scores posted again
};

struct AdvantageLimits {
  // Most pages followed in one roster sync, or in the results of one line
  // item. Default: 500.
  std::int64_t max_pages = 500;
  // Most members accepted in one roster sync, and most results of one line
  // item. Default: 50,000.
  std::int64_t max_members = 50000;
  // Largest page accepted. Default: 4 MiB.
  std::size_t max_page_bytes = 4 * 1024 * 1024;
};

class AdvantageServices {
 public:
  AdvantageServices(core::Database& db, const core::Clock& clock, HttpClient& http, ServiceTokens& tokens,
                    AdvantageLimits limits = {})
      : db_(db), clock_(clock), http_(http), tokens_(tokens), limits_(limits) {}

  // Fetches the context's whole membership and records it. Errors:
  //   not_found "lti_context_not_found"
  //   failed_precondition "nrps_not_offered"   no launch of this context announced NRPS
  //   the token errors of ServiceTokens::access_token
  //   unavailable "nrps_fetch_failed"           a page answered other than 200
  //   unavailable "nrps_page_malformed", "nrps_member_invalid", "nrps_link_invalid",
  //   "nrps_link_foreign" (a next page on another origin): the platform sent
  //   something unusable (the message says what); resource_exhausted
  //   "nrps_too_many_pages" / "nrps_too_many_members"
  // Nothing is written unless every page was read and valid.
  core::Result<RosterSyncResult> sync_roster(std::int64_t contextid);

  // Posts a full score for `accountid` on the context's line item for
  // `milestone`, creating the line item the first time. Errors:
  //   invalid_argument "milestone_unknown"
  //   not_found "lti_context_not_found", "account_not_found"
  //   failed_precondition "ags_not_offered" (no lineitems URL), "ags_scope_missing"
  //   (the platform did not grant the lineitem and score scopes),
  //   "account_not_from_platform" (the person is not known to this context's platform)
  //   unavailable "ags_call_failed" (the platform answered an error),
  //   "ags_lineitem_malformed", "ags_lineitem_foreign"
  //   the token errors of ServiceTokens::access_token
  // Also records (in the audit log, before anything is sent) that the
  // person reached the milestone, so the gradebook check knows of it even
  // when the post fails.
  core::Status post_milestone(std::int64_t contextid, std::int64_t accountid, std::string_view milestone);

  // Compares, for each milestone, the people who reached it here with the
  // results of its line item (GET {lineitem}/results, every page, with
  // Accept application/vnd.ims.lis.v2.resultcontainer+json). Reads only.
  // Errors:
  //   not_found "lti_context_not_found"
  //   failed_precondition "ags_not_offered", "ags_scope_missing" (the
  //   platform did not grant the result.readonly scope)
  //   the token errors of ServiceTokens::access_token
  //   unavailable "ags_call_failed" (a page answered other than 200),
  //   "ags_results_malformed" (a page, or its Link header, cannot be read;
  //   or the next page points back at one already read),
  //   "ags_results_foreign" (a next page or a result on another origin)
  //   resource_exhausted "ags_results_too_many_pages" (more than
  //   AdvantageLimits::max_pages pages) / "ags_results_too_many" (more than
  //   max_members results)
  core::Result<GradebookCheck> check_gradebook(std::int64_t contextid);

  // Runs the check, then posts the full score again for every gap (creating
  // a line item that is still missing). Posting a score again replaces the
  // platform's result, so a repeated repair changes nothing more. Errors:
  // those of check_gradebook and post_milestone (and "ags_scope_missing"
  // without the lineitem and score scopes); scores posted before an error
  // stay posted.
  core::Result<GradebookRepair> repair_gradebook(std::int64_t contextid);

 private:
  core::Status post_milestone_(std::int64_t contextid, std::int64_t accountid, std::string_view milestone, bool record);
  core::Result<std::vector<AgsResult>> read_results(const TokenEndpoint& endpoint, const std::string& lineitem,
                                                    std::int64_t& pages);

  core::Result<HttpResponse> call(const TokenEndpoint& endpoint, const std::vector<std::string>& scopes,
                                  HttpRequest request);

  core::Database& db_;
  const core::Clock& clock_;
  HttpClient& http_;
  ServiceTokens& tokens_;
  AdvantageLimits limits_;
};

// The token endpoint of a platform as registered.
TokenEndpoint token_endpoint_of(const core::LtiPlatform& platform);

}  // namespace mentoring::lti
