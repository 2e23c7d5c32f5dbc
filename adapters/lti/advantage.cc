#include "adapters/lti/advantage.h"

#include <algorithm>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cmath>
#include <ctime>
#include <map>
#include <set>

#include "adapters/lti/jose.h"
#include "app/audit.h"
#include "core/account.h"
#include "core/audit.h"
#include "core/audit_stores.h"

namespace mentoring::lti {
namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

std::string trim(std::string_view v) {
  const auto first = v.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = v.find_last_not_of(" \t");
  return std::string(v.substr(first, last - first + 1));
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status member_invalid(std::size_t index, const std::string& field, const std::string& why) {
  return Status::invalid(
      "nrps_member_invalid",
      "Member " + std::to_string(index + 1) + " of the roster page has " + why + " ('" + field + "').", field);
}

Result<std::optional<std::string>> optional_string(const json::object& o, const char* name, std::size_t index) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return member_invalid(index, name, "a value that is not text");
  return std::optional<std::string>(std::string(v->as_string()));
}

}  // namespace

Result<std::optional<std::string>> next_link(const std::vector<std::string>& link_headers) {
  for (const std::string& header : link_headers) {
    std::size_t pos = 0;
    while (pos < header.size()) {
      const auto open = header.find('<', pos);
      if (open == std::string::npos) {
        if (!trim(std::string_view(header).substr(pos)).empty() && trim(std::string_view(header).substr(pos)) != ",")
          return Status::invalid("nrps_link_invalid", "A Link header of the roster page cannot be read.");
        break;
      }
      if (!trim(std::string_view(header).substr(pos, open - pos)).empty() &&
          trim(std::string_view(header).substr(pos, open - pos)) != ",")
        return Status::invalid("nrps_link_invalid", "A Link header of the roster page cannot be read.");
      const auto close = header.find('>', open);
      if (close == std::string::npos)
        return Status::invalid("nrps_link_invalid", "A Link header of the roster page cannot be read.");
      const std::string target = header.substr(open + 1, close - open - 1);
      // Parameters run to the next comma that is not inside quotes.
      std::size_t end = close + 1;
      bool quoted = false;
      while (end < header.size() && (quoted || header[end] != ',')) {
        if (header[end] == '"') quoted = !quoted;
        ++end;
      }
      const std::string params = header.substr(close + 1, end - close - 1);
      std::size_t p = 0;
      while (p < params.size()) {
        auto semi = params.find(';', p);
        if (semi == std::string::npos) break;
        auto next = params.find(';', semi + 1);
        std::string param = trim(
            std::string_view(params).substr(semi + 1, next == std::string::npos ? std::string::npos : next - semi - 1));
        const auto eq = param.find('=');
        if (eq != std::string::npos && lower(trim(param.substr(0, eq))) == "rel") {
          std::string value = trim(param.substr(eq + 1));
          if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
          std::string word;
          for (std::size_t i = 0; i <= value.size(); ++i) {
            if (i == value.size() || value[i] == ' ') {
              if (lower(word) == "next") return std::optional<std::string>(target);
              word.clear();
            } else {
              word += value[i];
            }
          }
        }
        p = next == std::string::npos ? params.size() : next;
      }
      pos = end + 1;
    }
  }
  return std::optional<std::string>();
}

bool is_service_url(std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || u->host().empty() || u->has_fragment()) return false;
  if (u->scheme() == "https") return true;
  const std::string host = u->host();
  return u->scheme() == "http" && (host == "127.0.0.1" || host == "[::1]" || host == "localhost");
}

bool same_origin(std::string_view a, std::string_view b) {
  auto ua = boost::urls::parse_absolute_uri(a);
  auto ub = boost::urls::parse_absolute_uri(b);
  if (!ua || !ub) return false;
  return lower(std::string(ua->scheme())) == lower(std::string(ub->scheme())) &&
         lower(std::string(ua->host())) == lower(std::string(ub->host())) && ua->port() == ub->port();
}

Result<std::vector<NrpsMember>> parse_membership_page(std::string_view body) {
  auto parsed = parse_json_strict(body);
  if (!parsed || !parsed->is_object())
    return Status::invalid("nrps_page_malformed", "The roster page is not a JSON object.");
  const json::value* members = parsed->as_object().if_contains("members");
  if (members == nullptr || !members->is_array())
    return Status::invalid("nrps_page_malformed", "The roster page has no 'members' list.", "members");
  std::vector<NrpsMember> out;
  const json::array& list = members->as_array();
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) return member_invalid(i, "members", "an entry that is not an object");
    const json::object& m = list[i].as_object();
    NrpsMember member;
    const json::value* uid = m.if_contains("user_id");
    if (uid == nullptr || !uid->is_string() || uid->as_string().empty() || uid->as_string().size() > 255)
      return member_invalid(i, "user_id", "no user_id of 1 to 255 characters");
    member.user_id = std::string(uid->as_string());
    const json::value* roles = m.if_contains("roles");
    if (roles == nullptr || !roles->is_array()) return member_invalid(i, "roles", "no roles list");
    for (const auto& r : roles->as_array()) {
      if (!r.is_string() || r.as_string().empty() || r.as_string().size() > 255 ||
          std::string_view(r.as_string()).find_first_of(" \t\r\n") != std::string_view::npos)
        return member_invalid(i, "roles", "a role that is not a URI of 1 to 255 characters");
      member.roles.emplace_back(r.as_string());
    }
    if (const json::value* st = m.if_contains("status"); st != nullptr) {
      if (!st->is_string() || !core::parse_roster_status(std::string(st->as_string()), member.status))
        return member_invalid(i, "status", "a status other than Active, Inactive or Deleted");
    }
    for (auto [name, target] : {std::pair{"name", &member.name}, std::pair{"given_name", &member.given_name},
                                std::pair{"family_name", &member.family_name}, std::pair{"email", &member.email}}) {
      auto v = optional_string(m, name, i);
      if (!v) return v.status();
      *target = std::move(v).value();
    }
    out.push_back(std::move(member));
  }
  return out;
}

bool is_milestone(std::string_view name) {
  return name == kMilestoneAgreementSigned || name == kMilestoneSchemeCompleted;
}

std::string iso8601_utc(core::UnixSeconds t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

boost::json::object milestone_score(const std::string& user_id, core::UnixSeconds now) {
  return json::object{{"userId", user_id},
                      {"scoreGiven", 1},
                      {"scoreMaximum", 1},
                      {"activityProgress", "Completed"},
                      {"gradingProgress", "FullyGraded"},
                      {"timestamp", iso8601_utc(now)}};
}

std::string milestone_resource_id(std::string_view milestone) { return "mentoring:" + std::string(milestone); }

boost::json::object milestone_line_item(std::string_view milestone, const std::string& label) {
  return json::object{{"scoreMaximum", 1},
                      {"label", label},
                      {"resourceId", milestone_resource_id(milestone)},
                      {"tag", std::string(milestone)}};
}

std::string scores_url(const std::string& lineitem) {
  const auto q = lineitem.find('?');
  std::string path = q == std::string::npos ? lineitem : lineitem.substr(0, q);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path + "/scores" + (q == std::string::npos ? "" : lineitem.substr(q));
}

std::string results_url(const std::string& lineitem) {
  const auto q = lineitem.find('?');
  std::string path = q == std::string::npos ? lineitem : lineitem.substr(0, q);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path + "/results" + (q == std::string::npos ? "" : lineitem.substr(q));
}

namespace {

Status result_invalid(std::size_t index, const std::string& field, const std::string& why) {
  return Status::invalid(
      "ags_results_malformed",
      "Result " + std::to_string(index + 1) + " of the results page has " + why + " ('" + field + "').", field);
}

// A number member: nullopt when absent or null.
Result<std::optional<double>> optional_number(const json::object& o, const char* name, std::size_t index) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (!v->is_number()) return result_invalid(index, name, "a value that is not a number");
  const double d = v->to_number<double>();
  if (!std::isfinite(d)) return result_invalid(index, name, "a number out of range");
  return std::optional<double>(d);
}

}  // namespace

Result<std::vector<AgsResult>> parse_result_container(std::string_view body, std::string_view lineitem) {
  auto parsed = parse_json_strict(body);
  if (!parsed || !parsed->is_array())
    return Status::invalid("ags_results_malformed", "The results page is not a JSON array.");
  std::vector<AgsResult> out;
  const json::array& list = parsed->as_array();
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_object()) return result_invalid(i, "results", "an entry that is not an object");
    const json::object& o = list[i].as_object();
    AgsResult r;
    const json::value* uid = o.if_contains("userId");
    if (uid == nullptr || !uid->is_string() || uid->as_string().empty() || uid->as_string().size() > 255)
      return result_invalid(i, "userId", "no userId of 1 to 255 characters");
    r.user_id = std::string(uid->as_string());
    for (auto [name, target] : {std::pair{"id", &r.id}, std::pair{"scoreOf", &r.score_of}}) {
      const json::value* v = o.if_contains(name);
      if (v == nullptr || v->is_null()) continue;
      if (!v->is_string() || v->as_string().empty() || v->as_string().size() > 2048)
        return result_invalid(i, name, "a value that is not a URL of 1 to 2048 characters");
      *target = std::string(v->as_string());
      if (!same_origin(*target, lineitem))
        return Status::invalid("ags_results_foreign",
                               "Result " + std::to_string(i + 1) +
                                   " of the results page names a site other than "
                                   "the line item's ('" +
                                   name + "').",
                               name);
    }
    if (const json::value* c = o.if_contains("comment"); c != nullptr && !c->is_null() && !c->is_string())
      return result_invalid(i, "comment", "a value that is not text");
    auto score = optional_number(o, "resultScore", i);
    if (!score) return score.status();
    r.result_score = *score;
    auto maximum = optional_number(o, "resultMaximum", i);
    if (!maximum) return maximum.status();
    if (*maximum && **maximum <= 0) return result_invalid(i, "resultMaximum", "a maximum that is not above 0");
    r.result_maximum = *maximum;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<GradebookGap> gradebook_gaps(const std::vector<ReachedMilestone>& reached,
                                         const std::vector<AgsResult>& results) {
  // The best result of each person: a platform may list one twice.
  std::map<std::string, const AgsResult*> best;
  auto fraction = [](const AgsResult& r) {
    return r.result_score ? *r.result_score / r.result_maximum.value_or(1.0) : -1.0;
  };
  for (const AgsResult& r : results) {
    auto [it, inserted] = best.emplace(r.user_id, &r);
    if (!inserted && fraction(r) > fraction(*it->second)) it->second = &r;
  }
  std::vector<GradebookGap> gaps;
  std::set<std::string> seen;
  for (const ReachedMilestone& m : reached) {
    if (!seen.insert(m.user_id).second) continue;
    GradebookGap gap{m.accountid, m.user_id, std::nullopt, std::nullopt};
    auto it = best.find(m.user_id);
    if (it != best.end()) {
      // Full marks, allowing for platforms that store scores as decimals.
      if (fraction(*it->second) >= 1.0 - 1e-9) continue;
      gap.result_score = it->second->result_score;
      gap.result_maximum = it->second->result_maximum;
    }
    gaps.push_back(std::move(gap));
  }
  return gaps;
}

std::string milestone_audit_summary(std::string_view milestone, std::int64_t accountid) {
  return std::string(milestone) + " reached by account " + std::to_string(accountid);
}

std::optional<std::pair<std::string, std::int64_t>> parse_milestone_audit_summary(std::string_view summary) {
  constexpr std::string_view kMiddle = " reached by account ";
  const auto at = summary.find(kMiddle);
  if (at == std::string_view::npos) return std::nullopt;
  const std::string milestone(summary.substr(0, at));
  if (!is_milestone(milestone)) return std::nullopt;
  const std::string_view digits = summary.substr(at + kMiddle.size());
  if (digits.empty() || digits.size() > 18 || digits.front() == '0') return std::nullopt;
  std::int64_t id = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  return std::pair{milestone, id};
}

TokenEndpoint token_endpoint_of(const core::LtiPlatform& platform) {
  return TokenEndpoint{platform.id, platform.client_id, platform.auth_token_url, platform.token_audience};
}

Result<HttpResponse> AdvantageServices::call(const TokenEndpoint& endpoint, const std::vector<std::string>& scopes,
                                             HttpRequest request) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto token = tokens_.access_token(endpoint, scopes);
    if (!token) return token.status();
    HttpRequest r = request;
    r.headers.emplace_back("Authorization", "Bearer " + *token);
    auto res = http_.send(r);
    if (!res) return res.status();
    // A token the platform revoked early: forget it and ask once more.
    if (res->status == 401 && attempt == 0) {
      tokens_.invalidate(endpoint, scopes);
      continue;
    }
    return res;
  }
  return Status::internal("unreachable", "unreachable");
}

Result<RosterSyncResult> AdvantageServices::sync_roster(std::int64_t contextid) {
  std::optional<core::LtiContextTarget> target;
  std::optional<core::LtiContextServices> services;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto t = s.lti_advantage.find_context_target(contextid);
    if (!t) return t.status();
    target = std::move(t).value();
    auto sv = s.lti_advantage.find_context_services(contextid);
    if (!sv) return sv.status();
    services = std::move(sv).value();
    return Status::ok();
  });
  if (!st) return st;
  if (!target) return Status::not_found("lti_context_not_found", "There is no LTI context with that id.");
  if (!services || services->nrps_url.empty())
    return Status::failed_precondition("nrps_not_offered",
                                       "No launch from this context offered Names and Role Provisioning Services.");
  const TokenEndpoint endpoint = token_endpoint_of(target->platform);
  const std::vector<std::string> scopes{kScopeNrps};

  // 1. Every page, before anything is written.
  RosterSyncResult result;
  std::vector<NrpsMember> members;
  std::set<std::string> seen_urls;
  std::optional<std::string> url = services->nrps_url;
  while (url) {
    if (++result.pages > limits_.max_pages)
      return Status::resource_exhausted("nrps_too_many_pages",
                                        "The roster has more than " + std::to_string(limits_.max_pages) + " pages.");
    if (!seen_urls.insert(*url).second)
      return Status::unavailable("nrps_link_invalid", "The roster's next page points back at a page already read.");
    HttpRequest req;
    req.url = *url;
    req.max_bytes = limits_.max_page_bytes;
    req.headers = {{"Accept", "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"}};
    auto res = call(endpoint, scopes, req);
    if (!res) return res.status();
    if (res->status != 200)
      return Status::unavailable("nrps_fetch_failed", "The platform answered HTTP " + std::to_string(res->status) +
                                                          " for roster page " + std::to_string(result.pages) + ".");
    // What the platform sent is unusable: its fault, not the caller's, so
    // the reason is kept but the code says the service failed.
    auto platform_fault = [](const Status& st) { return Status::unavailable(st.reason(), st.message()); };
    auto page = parse_membership_page(res->body);
    if (!page) return platform_fault(page.status());
    if (static_cast<std::int64_t>(members.size() + page->size()) > limits_.max_members)
      return Status::resource_exhausted(
          "nrps_too_many_members", "The roster has more than " + std::to_string(limits_.max_members) + " members.");
    for (auto& m : *page) members.push_back(std::move(m));
    auto next = next_link(res->headers_named("link"));
    if (!next) return platform_fault(next.status());
    if (*next && !same_origin(**next, services->nrps_url))
      return Status::unavailable("nrps_link_foreign",
                                 "The roster's next page is on another site than the roster itself.");
    url = std::move(next).value();
  }
  // The same person twice would make the counts lie; the last entry wins.
  std::map<std::string, std::size_t> by_user;
  for (std::size_t i = 0; i < members.size(); ++i) by_user[members[i].user_id] = i;
  result.members = static_cast<std::int64_t>(by_user.size());

  // 2. One transaction for the whole roster.
  const core::UnixSeconds now = clock_.now();
  st = db_.transact([&](core::Stores& s) -> Status {
    std::set<std::int64_t> listed;
    for (const auto& [user_id, index] : by_user) {
      const NrpsMember& m = members[index];
      auto existing = s.accounts.find_by_subject(target->platform.issuer, m.user_id);
      if (!existing) return existing.status();
      core::AccountInput in{target->platform.issuer, m.user_id, {}, {}};
      if (m.name)
        in.display_name = *m.name;
      else if (m.given_name || m.family_name)
        in.display_name =
            m.given_name.value_or("") + (m.given_name && m.family_name ? " " : "") + m.family_name.value_or("");
      in.email = m.email.value_or("");
      // A platform that withholds names or emails from NRPS must not wipe
      // what its launches told us.
      if (*existing) {
        if (in.display_name.empty()) in.display_name = (*existing)->display_name;
        if (in.email.empty()) in.email = (*existing)->email;
      }
      if (!core::validate(in).is_ok()) in.email = *existing ? (*existing)->email : "";
      if (!core::validate(in).is_ok()) in.display_name = *existing ? (*existing)->display_name : "";
      auto account = s.accounts.upsert(in, now);
      if (!account) return account.status();
      listed.insert(account->id);
      auto change = s.lti_advantage.upsert_roster_member(contextid, account->id, m.roles, m.status, now);
      if (!change) return change.status();
      if (*change == core::RosterChange::kAdded) ++result.added;
      if (*change == core::RosterChange::kUpdated) ++result.updated;
      if (m.status != core::RosterStatus::kActive) ++result.inactive;
    }
    // Whoever the platform no longer lists has left the context.
    auto roster = s.lti_advantage.list_roster(contextid);
    if (!roster) return roster.status();
    for (const auto& e : *roster) {
      if (listed.count(e.accountid) != 0 || e.status == core::RosterStatus::kDeleted) continue;
      auto change =
          s.lti_advantage.upsert_roster_member(contextid, e.accountid, e.roles, core::RosterStatus::kDeleted, now);
      if (!change) return change.status();
      ++result.updated;
      ++result.inactive;
    }
    return Status::ok();
  });
  if (!st) return st;
  return result;
}

Status AdvantageServices::post_milestone(std::int64_t contextid, std::int64_t accountid, std::string_view milestone) {
  return post_milestone_(contextid, accountid, milestone, true);
}

Status AdvantageServices::post_milestone_(std::int64_t contextid, std::int64_t accountid, std::string_view milestone,
                                          bool record) {
  if (!is_milestone(milestone))
    return Status::invalid("milestone_unknown", "The milestone must be 'agreement_signed' or 'scheme_completed'.",
                           "milestone");
  std::optional<core::LtiContextTarget> target;
  std::optional<core::LtiContextServices> services;
  std::optional<core::Account> account;
  std::optional<std::string> lineitem;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto t = s.lti_advantage.find_context_target(contextid);
    if (!t) return t.status();
    target = std::move(t).value();
    if (!target) return Status::ok();
    auto sv = s.lti_advantage.find_context_services(contextid);
    if (!sv) return sv.status();
    services = std::move(sv).value();
    auto a = s.accounts.find(accountid);
    if (!a) return a.status();
    account = std::move(a).value();
    auto li = s.lti_advantage.find_line_item(contextid, std::string(milestone));
    if (!li) return li.status();
    lineitem = std::move(li).value();
    return Status::ok();
  });
  if (!st) return st;
  if (!target) return Status::not_found("lti_context_not_found", "There is no LTI context with that id.");
  if (!account) return Status::not_found("account_not_found", "There is no account with that id.");
  if (!services || services->ags_lineitems_url.empty())
    return Status::failed_precondition("ags_not_offered",
                                       "No launch from this context offered Assignment and Grade Services.");
  for (const char* needed : {kScopeLineItem, kScopeScore}) {
    if (std::find(services->ags_scopes.begin(), services->ags_scopes.end(), needed) == services->ags_scopes.end())
      return Status::failed_precondition("ags_scope_missing",
                                         std::string("The platform did not grant the scope ") + needed + ".");
  }
  if (account->platform != target->platform.issuer)
    return Status::failed_precondition("account_not_from_platform",
                                       "The person is not known to the platform this context belongs to.");
  // Reached, whatever the platform says next: a failed post shows up in the
  // gradebook check and can be repaired.
  if (record) {
    st = db_.transact([&](core::Stores& s) {
      return app::audit(s, core::Actor::service(), core::AuditAction::kCreate, kMilestoneAuditType, contextid,
                        milestone_audit_summary(milestone, accountid), clock_.now());
    });
    if (!st) return st;
  }
  const TokenEndpoint endpoint = token_endpoint_of(target->platform);
  const std::vector<std::string> scopes{kScopeLineItem, kScopeScore};
  const std::string& lineitems_url = services->ags_lineitems_url;

  auto check_item = [&](const json::value& v) -> Result<std::optional<std::string>> {
    if (!v.is_object()) return std::optional<std::string>();
    const json::object& o = v.as_object();
    const json::value* id = o.if_contains("id");
    const json::value* tag = o.if_contains("tag");
    const json::value* resource = o.if_contains("resourceId");
    const bool ours =
        (tag != nullptr && tag->is_string() && tag->as_string() == milestone) &&
        (resource == nullptr || (resource->is_string() && resource->as_string() == milestone_resource_id(milestone)));
    if (!ours) return std::optional<std::string>();
    if (id == nullptr || !id->is_string() || id->as_string().empty() || id->as_string().size() > 2048)
      return Status::unavailable("ags_lineitem_malformed", "A line item from the platform has no usable id.");
    const std::string url(id->as_string());
    if (!is_service_url(url) || !same_origin(url, lineitems_url))
      return Status::unavailable("ags_lineitem_foreign", "A line item's id is not on the platform's line items site.");
    return std::optional<std::string>(url);
  };

  if (!lineitem) {
    // 1. Look for one made earlier (by another instance, or before a restore).
    HttpRequest find;
    const std::string sep = lineitems_url.find('?') == std::string::npos ? "?" : "&";
    find.url = lineitems_url + sep + "resource_id=" + form_encode(milestone_resource_id(milestone)) +
               "&tag=" + form_encode(milestone);
    find.headers = {{"Accept", "application/vnd.ims.lis.v2.lineitemcontainer+json"}};
    auto res = call(endpoint, scopes, find);
    if (!res) return res.status();
    if (res->status != 200)
      return Status::unavailable(
          "ags_call_failed", "The platform answered HTTP " + std::to_string(res->status) + " when listing line items.");
    auto items = parse_json_strict(res->body);
    if (!items || !items->is_array())
      return Status::unavailable("ags_lineitem_malformed", "The platform's line item list is not a JSON array.");
    for (const auto& item : items->as_array()) {
      auto found = check_item(item);
      if (!found) return found.status();
      if (*found) {
        lineitem = **found;
        break;
      }
    }
    // 2. Or create it.
    if (!lineitem) {
      const std::string label =
          milestone == kMilestoneAgreementSigned ? "Mentoring: agreement signed" : "Mentoring: scheme completed";
      HttpRequest create;
      create.method = "POST";
      create.url = lineitems_url;
      create.headers = {{"Content-Type", "application/vnd.ims.lis.v2.lineitem+json"},
                        {"Accept", "application/vnd.ims.lis.v2.lineitem+json"}};
      create.body = json::serialize(milestone_line_item(milestone, label));
      auto created = call(endpoint, scopes, create);
      if (!created) return created.status();
      if (created->status != 200 && created->status != 201)
        return Status::unavailable("ags_call_failed", "The platform answered HTTP " + std::to_string(created->status) +
                                                          " when creating a line item.");
      auto item = parse_json_strict(created->body);
      if (!item) return Status::unavailable("ags_lineitem_malformed", "The created line item is not JSON.");
      auto found = check_item(*item);
      if (!found) return found.status();
      if (!*found)
        return Status::unavailable("ags_lineitem_malformed", "The created line item does not carry our tag.");
      lineitem = **found;
    }
    const std::string url = *lineitem;
    st = db_.transact([&](core::Stores& s) {
      return s.lti_advantage.save_line_item(contextid, std::string(milestone), url, clock_.now());
    });
    if (!st) return st;
  }

  HttpRequest score;
  score.method = "POST";
  score.url = scores_url(*lineitem);
  score.headers = {{"Content-Type", "application/vnd.ims.lis.v1.score+json"}};
  score.body = json::serialize(milestone_score(account->subject, clock_.now()));
  auto res = call(endpoint, scopes, score);
  if (!res) return res.status();
  if (res->status < 200 || res->status > 299)
    return Status::unavailable(
        "ags_call_failed", "The platform answered HTTP " + std::to_string(res->status) + " when the score was posted.");
  return Status::ok();
}

Result<std::vector<AgsResult>> AdvantageServices::read_results(const TokenEndpoint& endpoint,
                                                               const std::string& lineitem, std::int64_t& pages) {
  const std::vector<std::string> scopes{kScopeResultReadonly};
  // What the platform sent is unusable: its fault, not the caller's.
  auto platform_fault = [](const Status& st) { return Status::unavailable(st.reason(), st.message()); };
  std::vector<AgsResult> results;
  std::set<std::string> seen_urls;
  const std::string first = results_url(lineitem);
  std::optional<std::string> url = first;
  pages = 0;
  while (url) {
    if (++pages > limits_.max_pages)
      return Status::resource_exhausted(
          "ags_results_too_many_pages",
          "The results of a line item have more than " + std::to_string(limits_.max_pages) + " pages.");
    if (!seen_urls.insert(*url).second)
      return Status::unavailable("ags_results_malformed", "The results' next page points back at a page already read.");
    HttpRequest req;
    req.url = *url;
    req.max_bytes = limits_.max_page_bytes;
    req.headers = {{"Accept", "application/vnd.ims.lis.v2.resultcontainer+json"}};
    auto res = call(endpoint, scopes, req);
    if (!res) return res.status();
    if (res->status != 200)
      return Status::unavailable("ags_call_failed", "The platform answered HTTP " + std::to_string(res->status) +
                                                        " for results page " + std::to_string(pages) + ".");
    auto page = parse_result_container(res->body, lineitem);
    if (!page) return platform_fault(page.status());
    if (static_cast<std::int64_t>(results.size() + page->size()) > limits_.max_members)
      return Status::resource_exhausted(
          "ags_results_too_many", "A line item has more than " + std::to_string(limits_.max_members) + " results.");
    for (auto& r : *page) results.push_back(std::move(r));
    auto next = next_link(res->headers_named("link"));
    if (!next) return Status::unavailable("ags_results_malformed", "A Link header of the results page cannot be read.");
    if (*next && (!is_service_url(**next) || !same_origin(**next, first)))
      return Status::unavailable("ags_results_foreign",
                                 "The results' next page is on another site than the line item.");
    url = std::move(next).value();
  }
  return results;
}

Result<GradebookCheck> AdvantageServices::check_gradebook(std::int64_t contextid) {
  std::optional<core::LtiContextTarget> target;
  std::optional<core::LtiContextServices> services;
  std::map<std::string, std::optional<std::string>> lineitems;
  std::map<std::string, std::vector<ReachedMilestone>> reached;
  const std::string_view milestones[] = {kMilestoneAgreementSigned, kMilestoneSchemeCompleted};
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto t = s.lti_advantage.find_context_target(contextid);
    if (!t) return t.status();
    target = std::move(t).value();
    if (!target) return Status::ok();
    auto sv = s.lti_advantage.find_context_services(contextid);
    if (!sv) return sv.status();
    services = std::move(sv).value();
    for (std::string_view m : milestones) {
      auto li = s.lti_advantage.find_line_item(contextid, std::string(m));
      if (!li) return li.status();
      lineitems[std::string(m)] = std::move(li).value();
    }
    // Who reached what, from the audit log.
    core::AuditFilter filter;
    filter.entity_type = std::string(kMilestoneAuditType);
    filter.entityid = contextid;
    std::map<std::int64_t, std::optional<std::string>> subjects;  // accountid -> subject at this platform
    std::set<std::pair<std::string, std::int64_t>> seen;
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto entries = s.audit.list(filter, core::Page{core::kMaxPageSize, offset});
      if (!entries) return entries.status();
      for (const auto& e : *entries) {
        auto parsed = parse_milestone_audit_summary(e.summary);
        if (!parsed || !seen.insert(*parsed).second) continue;
        auto known = subjects.find(parsed->second);
        if (known == subjects.end()) {
          auto a = s.accounts.find(parsed->second);
          if (!a) return a.status();
          std::optional<std::string> subject;
          // Someone erased, or from another platform, has no gradebook here.
          if (*a && (*a)->platform == target->platform.issuer) subject = (*a)->subject;
          known = subjects.emplace(parsed->second, subject).first;
        }
        if (known->second) reached[parsed->first].push_back(ReachedMilestone{parsed->second, *known->second});
      }
      if (static_cast<std::int64_t>(entries->size()) < core::kMaxPageSize) break;
    }
    for (auto& [m, people] : reached)
      std::sort(people.begin(), people.end(),
                [](const ReachedMilestone& a, const ReachedMilestone& b) { return a.accountid < b.accountid; });
    return Status::ok();
  });
  if (!st) return st;
  if (!target) return Status::not_found("lti_context_not_found", "There is no LTI context with that id.");
  if (!services || services->ags_lineitems_url.empty())
    return Status::failed_precondition("ags_not_offered",
                                       "No launch from this context offered Assignment and Grade Services.");
  if (std::find(services->ags_scopes.begin(), services->ags_scopes.end(), kScopeResultReadonly) ==
      services->ags_scopes.end())
    return Status::failed_precondition(
        "ags_scope_missing", std::string("The platform did not grant the scope ") + kScopeResultReadonly + ".");
  const TokenEndpoint endpoint = token_endpoint_of(target->platform);
  GradebookCheck check;
  for (std::string_view m : milestones) {
    GradebookLineItemCheck item;
    item.milestone = std::string(m);
    const auto& people = reached[item.milestone];
    item.reached = static_cast<std::int64_t>(people.size());
    std::vector<AgsResult> results;
    if (const auto& li = lineitems[item.milestone]; li) {
      item.lineitem = *li;
      auto read = read_results(endpoint, *li, item.pages);
      if (!read) return read.status();
      results = std::move(read).value();
    }
    item.results = static_cast<std::int64_t>(results.size());
    item.gaps = gradebook_gaps(people, results);
    check.items.push_back(std::move(item));
  }
  return check;
}

Result<GradebookRepair> AdvantageServices::repair_gradebook(std::int64_t contextid) {
  auto check = check_gradebook(contextid);
  if (!check) return check.status();
  GradebookRepair repair;
  repair.before = std::move(check).value();
  for (const auto& item : repair.before.items) {
    for (const auto& gap : item.gaps) {
      MENTORING_RETURN_IF_ERROR(post_milestone_(contextid, gap.accountid, item.milestone, false));
      ++repair.reposted;
    }
  }
  return repair;
}

}  // namespace mentoring::lti
