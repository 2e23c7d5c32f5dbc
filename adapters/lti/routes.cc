#include "adapters/lti/routes.h"

#include <kainjow/mustache.hpp>

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <openssl/crypto.h>
#include <atomic>
#include <set>

#include "adapters/http/json.h"
#include "adapters/lti/advantage.h"
#include "adapters/lti/client_storage.h"
#include "adapters/lti/context_scheme_link.h"
#include "adapters/web/cookies.h"
#include "adapters/lti/launch_validator.h"
#include "adapters/lti/role_mapping.h"
#include "adapters/web/secrets.h"
#include "adapters/web/pages/error_pages.h"
#include "core/lti_capabilities.h"

namespace mentoring::lti {
namespace json = boost::json;
namespace km = kainjow::mustache;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;
using web::add_set_cookie;
using web::constant_time_equals;
using web::CookieAttributes;
using web::kSessionCookie;
using web::random_token;
using web::read_cookie;
using web::set_cookie_header;
using web::sha256_hex;
using web::SessionGrant;
using web::SignedIn;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

constexpr std::size_t kMaxJsonDepth = 8;

void add_route(http::Router& router, const char* method, const char* pattern, http::RouteFn fn) {
  Status st = router.add(method, pattern, std::move(fn));
  if (!st) throw std::logic_error(std::string("route ") + pattern + ": " + st.to_string());
}

// ---------------------------------------------------------------------------
// Request helpers

// The query's parameters, then (POST) the form body's.
Result<Params> form_params(const Request& req) {
  Params out = req.query;
  if (req.method != "POST") return out;
  const std::string_view type = req.header("Content-Type");
  if (!req.body.empty() && type.substr(0, 33) != "application/x-www-form-urlencoded")
    return Status::invalid("form_content_type_invalid",
                           "The form must be sent as application/x-www-form-urlencoded.");
  // Forms encode spaces as '+'; the URL parser would keep them as '+'.
  std::string body;
  body.reserve(req.body.size());
  for (char c : req.body) body += c == '+' ? std::string("%20") : std::string(1, c);
  Request tmp;
  tmp.target = "/?" + body;
  if (!http::parse_target(tmp)) return Status::invalid("form_invalid", "The form data is not valid.");
  out.insert(out.end(), tmp.query.begin(), tmp.query.end());
  return out;
}

std::string param(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

bool has_param(const Params& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return true;
  return false;
}

bool looks_like_token(std::string_view t) {
  if (t.size() != 43) return false;
  for (char c : t)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

std::string state_cookie_name(const std::string& state) { return "lti_state_" + sha256_hex(state).substr(0, 16); }

bool is_loopback_host(const std::string& host) {
  return host == "127.0.0.1" || host == "[::1]" || host == "localhost";
}

// A registration URL: absolute https, or http on a loopback host (tests and
// local development).
Status check_url(const std::string& value, const char* field, bool required) {
  if (value.empty()) {
    if (!required) return Status::ok();
    return Status::invalid("field_required", std::string("The field '") + field + "' is required.", field);
  }
  auto u = boost::urls::parse_absolute_uri(value);
  if (!u || u->host().empty() || (u->scheme() != "https" && !(u->scheme() == "http" && is_loopback_host(u->host()))))
    return Status::invalid("url_invalid",
                           std::string("The field '") + field +
                               "' must be an absolute https URL (http only for a loopback address).",
                           field);
  if (u->has_fragment())
    return Status::invalid("url_invalid", std::string("The field '") + field + "' must not have a fragment.", field);
  return Status::ok();
}

// ---------------------------------------------------------------------------
// Pages

Response page(const LtiContext& ctx, int status, const std::string& title, const std::string& body_html) {
  km::data data = web::page_data(title, {});
  // The layout draws {{{content}}}: HTML this file produced with escaping.
  data.set("content", body_html);
  auto html = ctx.web.renderer.render_fragment("layout", data);
  if (!html) return web::internal_error_page(ctx.web.renderer, ctx.web.policy);
  return web::html_response(status, std::move(html).value(), ctx.web.policy);
}

std::string render_html(const char* tmpl, const km::data& data) {
  km::mustache m{std::string(tmpl)};
  return m.render(data);
}

constexpr const char* kErrorBody = R"(<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
<h1>{{title}}</h1>
<p>{{explanation}}</p>
{{#description}}<p><code>{{description}}</code></p>{{/description}}
<h2>{{what_next}}</h2>
<p>{{next}}</p>
<p class="nhsuk-body-s" id="reason">{{reason_line}}</p>
</div></div>
)";

const char* explanation_key(const std::string& reason) {
  auto starts = [&](std::string_view p) { return reason.rfind(p, 0) == 0; };
  if (reason == "launch_platform_error") return "lti:launch_error_platform";
  if (starts("launch_state") || reason == "launch_nonce_replayed") return "lti:launch_error_state";
  if (starts("launch_jwks")) return "lti:launch_error_keys";
  if (reason == "launch_account_suspended") return "lti:launch_error_suspended";
  if (starts("handoff_")) return "lti:launch_error_handoff";
  if (starts("launch_storage_")) return "lti:launch_error_storage";
  if (starts("deep_link_") || reason == "launch_deep_linking_not_allowed") return "lti:launch_error_deep_link";
  if (starts("registration_")) return "lti:launch_error_registration_failed";
  if (starts("login_") || reason == "launch_deployment_unknown" || reason == "launch_iss_mismatch" ||
      reason == "launch_aud_mismatch")
    return "lti:launch_error_registration";
  return "lti:launch_error_token";
}

int status_for(const Status& st) {
  switch (st.code()) {
    case core::Code::kUnauthenticated:
    case core::Code::kAlreadyExists:
    case core::Code::kConflict:
      return 401;
    case core::Code::kPermissionDenied:
      return 403;
    case core::Code::kUnavailable:
      return 503;
    case core::Code::kInternal:
      return 500;
    default:
      return 400;
  }
}

Response fail(const LtiContext& ctx, const Status& st, const std::string& description = {}) {
  if (ctx.log) {
    // Messages may quote what the request sent: keep each entry one line.
    std::string line = "lti: rejected: " + st.to_string();
    for (char& c : line)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    ctx.log(http::kLogWarning, line);
  }
  return launch_error_page(ctx, st, description);
}

// ---------------------------------------------------------------------------
// Login initiation

// Expired states, nonces, handoffs and sessions are deleted at most once a
// minute, piggy-backing on logins (every launch starts with one).
void purge_now_and_then(const LtiContext& ctx, core::UnixSeconds now) {
  static std::atomic<core::UnixSeconds> last_purge{0};
  core::UnixSeconds last = last_purge.load();
  if (now - last < 60 || !last_purge.compare_exchange_strong(last, now)) return;
  Status st = ctx.db.transact([&](core::Stores& s) { return s.lti_launch.purge_expired(now).status(); });
  if (!st && ctx.log) ctx.log(http::kLogWarning, "lti: purging expired values failed: " + st.to_string());
}

Response handle_login(const LtiContext& ctx, const Request& req) {
  auto params = form_params(req);
  if (!params) return fail(ctx, params.status());
  const std::string iss = param(*params, "iss");
  const std::string login_hint = param(*params, "login_hint");
  const std::string target = param(*params, "target_link_uri");
  const std::string client_id = param(*params, "client_id");
  const std::string deployment_id = param(*params, "lti_deployment_id");
  const std::string storage_target = param(*params, "lti_storage_target");
  if (iss.empty()) return fail(ctx, Status::invalid("login_issuer_missing", "The login request names no issuer (iss)."));
  if (login_hint.empty())
    return fail(ctx, Status::invalid("login_hint_missing", "The login request has no login_hint."));
  const std::string ours = ctx.settings.public_url + "/lti/";
  if (target.size() <= ours.size() || target.compare(0, ours.size(), ours) != 0)
    return fail(ctx, Status::invalid("login_target_link_uri_invalid",
                                     "The login request's target_link_uri is not one of this tool's launch URLs."));
  if (!storage_target.empty()) {
    if (Status st = check_storage_target(storage_target); !st) return fail(ctx, st);
  }

  const core::UnixSeconds now = ctx.clock.now();
  auto state = random_token(32);
  auto nonce = random_token(32);
  if (!state || !nonce) return fail(ctx, state ? nonce.status() : state.status());
  core::LtiPlatform platform;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto platforms = s.lti.find_platforms(iss);
    if (!platforms) return platforms.status();
    if (platforms->empty())
      return Status::invalid("login_issuer_unknown", "The issuer " + iss + " is not registered.");
    const core::LtiPlatform* chosen = nullptr;
    if (!client_id.empty()) {
      for (const auto& p : *platforms)
        if (p.client_id == client_id) chosen = &p;
      if (!chosen)
        return Status::invalid("login_client_id_unknown", "The client_id is not registered for this issuer.");
    } else if (platforms->size() == 1) {
      chosen = &platforms->front();
    } else {
      return Status::invalid("login_client_id_required",
                             "This issuer has several registrations; the login request must name its client_id.");
    }
    if (!deployment_id.empty() && std::find(chosen->deployment_ids.begin(), chosen->deployment_ids.end(),
                                            deployment_id) == chosen->deployment_ids.end())
      return Status::invalid("login_deployment_unknown", "The lti_deployment_id is not registered.");
    platform = *chosen;
    core::LoginStateInput in;
    in.state = *state;
    in.nonce = *nonce;
    in.platformid = chosen->id;
    in.target_link_uri = target;
    in.storage_target = storage_target;
    in.expires_at = now + ctx.settings.state_ttl_seconds;
    return s.lti_launch.create_login_state(in, now);
  });
  if (!st) return fail(ctx, st);
  purge_now_and_then(ctx, now);

  auto base = boost::urls::parse_absolute_uri(platform.auth_login_url);
  if (!base)
    return fail(ctx, Status::internal("login_auth_url_invalid", "The platform's registered login URL is not valid."));
  boost::urls::url u(*base);
  auto ps = u.params();
  ps.append({"scope", "openid"});
  ps.append({"response_type", "id_token"});
  ps.append({"response_mode", "form_post"});
  ps.append({"prompt", "none"});
  ps.append({"client_id", platform.client_id});
  ps.append({"redirect_uri", ctx.settings.public_url + "/lti/launch"});
  ps.append({"login_hint", login_hint});
  ps.append({"state", *state});
  ps.append({"nonce", *nonce});
  if (has_param(*params, "lti_message_hint")) ps.append({"lti_message_hint", param(*params, "lti_message_hint")});

  Response res;
  if (storage_target.empty()) {
    res.status = 302;
    res.set_header("Location", std::string(u.buffer()));
  } else {
    // The platform offers client-side storage: a page keeps the state and
    // nonce in the platform's frame (lti_storage.js), then goes on to it.
    auto origin = url_origin(platform.auth_login_url);
    if (!origin) return fail(ctx, Status::internal("login_auth_url_invalid", origin.status().message()));
    const web::Strings& strings = ctx.web.renderer.strings();
    km::data data = web::page_data(strings.text("lti:storage_login_title"), {});
    data.set("platform_origin", *origin);
    data.set("storage_target", storage_target);
    data.set("state", *state);
    data.set("nonce", *nonce);
    data.set("redirect", std::string(u.buffer()));
    res = web::html_response(200, ctx.web.renderer.render("lti_storage_login", data), ctx.web.policy);
  }
  res.set_header("Cache-Control", "no-store");
  CookieAttributes a;
  a.path = "/lti/";
  a.max_age = ctx.settings.state_ttl_seconds;
  a.secure = ctx.settings.cookie_secure;
  // With lti_storage_target the platform offers client-side storage and the
  // cookie may well be blocked; it is still set, and checked when it comes back.
  add_set_cookie(res, set_cookie_header(state_cookie_name(*state), *state, a));
  return res;
}

// ---------------------------------------------------------------------------
// Launch

Status jwks_failure(const Status& st) {
  if (st.reason() == "jwks_invalid") return Status::unavailable("launch_jwks_invalid", st.message());
  return Status::unavailable("launch_jwks_unavailable", st.message());
}

Status state_outcome_error(core::OneTimeOutcome outcome) {
  switch (outcome) {
    case core::OneTimeOutcome::kAlreadyUsed:
      return Status::unauthenticated("launch_state_used", "This sign-in was already used.");
    case core::OneTimeOutcome::kExpired:
      return Status::unauthenticated("launch_state_expired", "This sign-in has expired.");
    default:
      return Status::unauthenticated("launch_state_unknown", "This sign-in was not started here.");
  }
}

core::AccountInput account_input(const LaunchClaims& c) {
  core::AccountInput in{c.iss, c.sub, {}, {}};
  if (c.name) in.display_name = *c.name;
  else in.display_name = c.given_name.value_or("") + (c.given_name && c.family_name ? " " : "") + c.family_name.value_or("");
  in.email = c.email.value_or("");
  // Display details are the platform's to get wrong: a bad email or an
  // over-long name is dropped rather than refusing the person.
  if (!core::validate(in).is_ok()) in.email.clear();
  if (!core::validate(in).is_ok()) in.display_name.clear();
  return in;
}

// Records the service endpoints the launch announced for its context. Each
// service a launch names replaces what an earlier launch said; one it does
// not name is left as it was (a Deep Linking launch may carry fewer claims).
// An endpoint that is not an https URL (or http on loopback) is ignored:
// the person's launch still succeeds, and the service stays unavailable.
Status save_services(const LtiContext& ctx, core::Stores& s, std::int64_t contextid, const LaunchClaims& c,
                     core::UnixSeconds now) {
  if (!c.nrps && !c.ags) return Status::ok();
  auto existing = s.lti_advantage.find_context_services(contextid);
  if (!existing) return existing.status();
  core::LtiContextServices services = existing->value_or(core::LtiContextServices{});
  services.contextid = contextid;
  bool changed = false;
  auto warn = [&](const char* what) {
    if (ctx.log) ctx.log(http::kLogWarning, std::string("lti: ignored the launch's ") + what + ": not an https URL");
  };
  if (c.nrps) {
    if (is_service_url(c.nrps->context_memberships_url) && c.nrps->context_memberships_url.size() <= 2048) {
      changed |= services.nrps_url != c.nrps->context_memberships_url;
      services.nrps_url = c.nrps->context_memberships_url;
    } else {
      warn("context_memberships_url");
    }
  }
  if (c.ags) {
    const std::string lineitems = c.ags->lineitems.value_or("");
    const std::string lineitem = c.ags->lineitem.value_or("");
    if ((lineitems.empty() || (is_service_url(lineitems) && lineitems.size() <= 2048)) &&
        (lineitem.empty() || (is_service_url(lineitem) && lineitem.size() <= 2048))) {
      std::vector<std::string> scopes = c.ags->scope;
      std::sort(scopes.begin(), scopes.end());
      scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
      changed |= services.ags_lineitems_url != lineitems || services.ags_lineitem_url != lineitem ||
                 services.ags_scopes != scopes;
      services.ags_lineitems_url = lineitems;
      services.ags_lineitem_url = lineitem;
      services.ags_scopes = std::move(scopes);
    } else {
      warn("AGS endpoint");
    }
  }
  // Most launches repeat what the last one said: no write then.
  if (!changed && existing->has_value()) return Status::ok();
  return s.lti_advantage.save_context_services(services, now);
}

Response handle_launch(const LtiContext& ctx, const Request& req) {
  auto params = form_params(req);
  if (!params) return fail(ctx, params.status());
  const std::string error = param(*params, "error");
  if (!error.empty()) {
    std::string description = error;
    const std::string detail = param(*params, "error_description");
    if (!detail.empty()) description += ": " + detail;
    if (description.size() > 500) description.resize(500);
    return fail(ctx, Status::invalid("launch_platform_error", "The platform answered the login with an error."),
                description);
  }
  const std::string state = param(*params, "state");
  const std::string id_token = param(*params, "id_token");
  if (state.empty()) return fail(ctx, Status::invalid("launch_state_missing", "The launch has no state."));
  if (id_token.empty()) return fail(ctx, Status::invalid("launch_token_missing", "The launch has no id_token."));
  if (state.size() > 128) return fail(ctx, state_outcome_error(core::OneTimeOutcome::kUnknown));

  // 1. The login this launch answers (read only: nothing is written until
  // every check has passed).
  std::optional<core::LoginState> row;
  std::optional<core::LtiPlatform> platform;
  Status st = ctx.db.read_only([&](core::Stores& s) -> Status {
    auto r = s.lti_launch.find_login_state(state);
    if (!r) return r.status();
    row = *r;
    if (!row) return Status::ok();
    auto p = s.lti.find_platform(row->platformid);
    if (!p) return p.status();
    platform = *p;
    return Status::ok();
  });
  if (!st) return fail(ctx, st);
  const core::UnixSeconds now = ctx.clock.now();
  if (!row) return fail(ctx, state_outcome_error(core::OneTimeOutcome::kUnknown));
  if (row->used_at != 0) return fail(ctx, state_outcome_error(core::OneTimeOutcome::kAlreadyUsed));
  if (row->expires_at <= now) return fail(ctx, state_outcome_error(core::OneTimeOutcome::kExpired));
  if (!platform) return fail(ctx, Status::internal("launch_platform_missing", "The login's platform is gone."));

  // 2. The browser that started the login is the one finishing it: the
  // state cookie says so, or else (when the platform offered client-side
  // storage) the values kept in the platform's frame, read back by the
  // tool's own page (client_storage.h).
  const auto cookie = read_cookie(req, state_cookie_name(state));
  bool storage_check_page = false;
  if (cookie) {
    if (!constant_time_equals(*cookie, state))
      return fail(ctx, Status::unauthenticated("launch_state_cookie_mismatch",
                                               "The sign-in was started in another browser."));
  } else if (row->storage_target.empty()) {
    return fail(ctx, Status::unauthenticated("launch_state_cookie_missing",
                                             "The browser did not send back the sign-in cookie."));
  } else if (has_param(*params, kStorageStateField) || has_param(*params, kStorageErrorField)) {
    auto tool_origin = url_origin(ctx.settings.public_url);
    if (!tool_origin) return fail(ctx, Status::internal("public_url_invalid", tool_origin.status().message()));
    StorageProof proof{std::string(req.header("Origin")), param(*params, kStorageStateField),
                       param(*params, kStorageNonceField), param(*params, kStorageErrorField)};
    if (Status st = check_storage_proof(proof, *tool_origin, state, row->nonce); !st) return fail(ctx, st);
  } else {
    storage_check_page = true;
  }

  // 3. The token, checked against the platform's keys.
  const std::string cache_key = std::to_string(platform->id);
  auto jwks = ctx.jwks.get(cache_key, platform->jwks_url);
  if (!jwks) return fail(ctx, jwks_failure(jwks.status()));
  LaunchExpectations expected;
  expected.issuer = platform->issuer;
  expected.client_id = platform->client_id;
  expected.deployment_ids = std::set<std::string>(platform->deployment_ids.begin(), platform->deployment_ids.end());
  expected.nonce = row->nonce;
  expected.target_link_uri = row->target_link_uri;
  expected.max_clock_skew_seconds = ctx.settings.clock_skew_seconds;
  auto claims = validate_id_token(id_token, expected, **jwks, ctx.clock);
  if (!claims && claims.status().reason() == "launch_kid_unknown") {
    // Key rotation at the platform looks like this: refetch once.
    auto again = ctx.jwks.refetch(cache_key, platform->jwks_url);
    if (!again) {
      if (again.status().reason() != "jwks_refetch_rate_limited") return fail(ctx, jwks_failure(again.status()));
    } else {
      claims = validate_id_token(id_token, expected, **again, ctx.clock);
    }
  }
  if (!claims) return fail(ctx, claims.status());
  if (claims->message_type == LtiMessageType::kDeepLinkingRequest &&
      !is_service_url(claims->deep_linking_settings->deep_link_return_url))
    return fail(ctx, Status::invalid("launch_deep_link_return_url_invalid",
                                     "The deep_link_return_url must be an https URL."));
  if (storage_check_page) {
    // Nothing is written yet: the page reads the values back from the
    // platform's frame and posts this launch again with them.
    auto origin = url_origin(platform->auth_login_url);
    if (!origin) return fail(ctx, Status::internal("login_auth_url_invalid", origin.status().message()));
    const web::Strings& strings = ctx.web.renderer.strings();
    km::data data = web::page_data(strings.text("lti:storage_launch_title"), {});
    data.set("platform_origin", *origin);
    data.set("storage_target", row->storage_target);
    data.set("state", state);
    data.set("nonce", row->nonce);
    data.set("id_token", id_token);
    Response res = web::html_response(200, ctx.web.renderer.render("lti_storage_launch", data), ctx.web.policy);
    res.set_header("Cache-Control", "no-store");
    return res;
  }

  // 4. Everything that is written, in one transaction.
  const bool deep_linking = claims->message_type == LtiMessageType::kDeepLinkingRequest;
  std::string session_token, handoff_token, deep_link_token, claim_warning;
  st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto consumed = s.lti_launch.consume_login_state(state, now);
    if (!consumed) return consumed.status();
    if (consumed->outcome != core::OneTimeOutcome::kConsumed) return state_outcome_error(consumed->outcome);
    Status nonce = s.lti_launch.record_nonce(platform->id, row->nonce, claims->exp + ctx.settings.clock_skew_seconds, now);
    if (nonce.reason() == "lti_nonce_replayed")
      return Status::unauthenticated("launch_nonce_replayed", "This launch's nonce was used before.");
    MENTORING_RETURN_IF_ERROR(nonce);
    auto deployment = s.lti.find_deployment(platform->id, claims->deployment_id);
    if (!deployment) return deployment.status();
    if (!*deployment)
      return Status::unauthenticated("launch_deployment_unknown", "The deployment is no longer registered.");
    if (deep_linking) {
      auto allowed = s.lti_advantage.deep_linking_allowed((*deployment)->id);
      if (!allowed) return allowed.status();
      if (!*allowed)
        return Status::permission_denied("launch_deep_linking_not_allowed",
                                         "This deployment does not accept Deep Linking requests.");
    }
    auto account = s.accounts.upsert(account_input(*claims), now);
    if (!account) return account.status();
    if (account->status == core::AccountStatus::kSuspended)
      return Status::permission_denied("launch_account_suspended", "The account is suspended.");
    auto mappings = s.lti.role_mappings((*deployment)->id);
    if (!mappings) return mappings.status();
    SessionGrant grant;
    grant.accountid = account->id;
    grant.deploymentid = (*deployment)->id;
    grant.capabilities = capabilities_for_roles(claims->roles, *mappings);
    if (claims->context) {
      auto link = s.lti.upsert_context((*deployment)->id, claims->context->id, claims->context->label.value_or(""),
                                       claims->context->title.value_or(""), now);
      if (!link) return link.status();
      // A placement made by Deep Linking names its scheme in the custom
      // claim: it links a context that has none (never replaces a link).
      auto claimed = link_from_custom_claim(s, *link, claims->custom, account->id, now);
      if (!claimed) return claimed.status();
      claim_warning = std::move(claimed->warning);
      *link = std::move(claimed->link);
      grant.contextid = link->id;
      grant.schemeid = link->schemeid;
      MENTORING_RETURN_IF_ERROR(save_services(ctx, s, link->id, *claims, now));
    }
    auto session = ctx.sessions.create(s, grant);
    if (!session) return session.status();
    if (deep_linking) {
      // The choice is made on the next page; what the platform needs back
      // is kept here, bound to this person and deployment.
      auto token = random_token(32);
      if (!token) return token.status();
      core::DeepLinkRequestInput dl;
      dl.token_hash = sha256_hex(*token);
      dl.accountid = account->id;
      dl.deploymentid = (*deployment)->id;
      dl.return_url = claims->deep_linking_settings->deep_link_return_url;
      dl.data = claims->deep_linking_settings->data;
      dl.expires_at = now + ctx.settings.state_ttl_seconds;
      MENTORING_RETURN_IF_ERROR(s.lti_advantage.create_deep_link_request(dl, now));
      deep_link_token = std::move(token).value();
    }
    auto handoff = random_token(32);
    if (!handoff) return handoff.status();
    MENTORING_RETURN_IF_ERROR(s.lti_launch.create_handoff(sha256_hex(*handoff), session->session.id,
                                                          now + ctx.settings.handoff_ttl_seconds, now));
    session_token = std::move(session->token);
    handoff_token = std::move(handoff).value();
    return Status::ok();
  });
  if (!st) return fail(ctx, st);
  if (!claim_warning.empty() && ctx.log) ctx.log(http::kLogWarning, "lti: launch custom claim ignored: " + claim_warning);

  Response res;
  res.status = 303;
  const std::string home =
      deep_linking ? "/lti/deep-link?request=" + deep_link_token : "/?handoff=" + handoff_token;
  res.set_header("Location", home);
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Type", "text/html; charset=utf-8");
  res.body = "<!doctype html><title>Mentoring</title><p><a href=\"" + home + "\">Continue</a></p>";
  add_set_cookie(res, ctx.sessions.session_cookie(session_token));
  CookieAttributes a;
  a.path = "/lti/";
  a.max_age = 0;
  a.secure = ctx.settings.cookie_secure;
  add_set_cookie(res, set_cookie_header(state_cookie_name(state), "", a));
  return res;
}

// ---------------------------------------------------------------------------
// Handoff to a new window

Response handle_handoff(const LtiContext& ctx, const Request& req) {
  const std::string token(req.query_param("token"));
  if (!looks_like_token(token))
    return fail(ctx, Status::unauthenticated("handoff_invalid", "The new-window link is not valid."));
  const core::UnixSeconds now = ctx.clock.now();
  std::string session_token;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto consumed = s.lti_launch.consume_handoff(sha256_hex(token), now);
    if (!consumed) return consumed.status();
    switch (consumed->outcome) {
      case core::OneTimeOutcome::kConsumed: break;
      case core::OneTimeOutcome::kAlreadyUsed:
        return Status::unauthenticated("handoff_used", "The new-window link was already used.");
      case core::OneTimeOutcome::kExpired:
        return Status::unauthenticated("handoff_expired", "The new-window link has expired.");
      default:
        return Status::unauthenticated("handoff_invalid", "The new-window link is not valid.");
    }
    auto original = s.sessions.find(consumed->sessionid);
    if (!original) return original.status();
    if (!*original || (*original)->expires_at <= now)
      return Status::unauthenticated("handoff_expired", "The session the link belongs to has ended.");
    SessionGrant grant;
    grant.accountid = (*original)->accountid;
    grant.deploymentid = (*original)->deploymentid;
    grant.contextid = (*original)->contextid;
    grant.schemeid = (*original)->schemeid;
    grant.capabilities = (*original)->capabilities;
    auto session = ctx.sessions.create(s, grant);
    if (!session) return session.status();
    session_token = std::move(session->token);
    return Status::ok();
  });
  if (!st) return fail(ctx, st);
  Response res;
  res.status = 303;
  res.set_header("Location", "/");
  res.set_header("Cache-Control", "no-store");
  add_set_cookie(res, ctx.sessions.session_cookie(session_token));
  return res;
}

// ---------------------------------------------------------------------------
// Home page and /api/v1/me


json::value optional_id(const std::optional<std::int64_t>& id) { return id ? json::value(*id) : json::value(nullptr); }

Response handle_me(const LtiContext& ctx, const Request& req) {
  auto signed_in = ctx.sessions.authenticate(req);
  if (!signed_in) return http::error_response(signed_in.status());
  const auto& a = signed_in->account;
  const auto& s = signed_in->session;
  json::array caps;
  for (const auto& c : s.capabilities) caps.emplace_back(c);
  return http::json_response(
      200, json::object{{"person", json::object{{"id", a.id},
                                                {"display_name", a.display_name},
                                                {"email", a.email},
                                                {"platform", a.platform},
                                                {"subject", a.subject}}},
                        {"capabilities", std::move(caps)},
                        {"role", primary_role_name(s.capabilities)},
                        {"schemeid", optional_id(s.schemeid)},
                        {"contextid", optional_id(s.contextid)},
                        {"csrf_token", s.csrf_token},
                        {"session_expires_at", s.expires_at}});
}

// ---------------------------------------------------------------------------
// Administration API (service token)

Status authorise(const Request& req, const LtiContext& ctx) {
  const std::string& token = ctx.settings.service_token;
  if (token.empty()) return Status::unauthenticated("api_disabled", "The API is not enabled: set api.service_token.");
  const std::string_view auth = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer)
    return Status::unauthenticated("api_token_missing", "Send the service token as 'Authorization: Bearer <token>'.");
  if (!constant_time_equals(auth.substr(kBearer.size()), token))
    return Status::unauthenticated("api_token_invalid", "The service token is not valid.");
  return Status::ok();
}

http::RouteFn admin(const LtiContext& ctx, http::RouteFn inner) {
  return [&ctx, inner = std::move(inner)](const Request& req, const PathParams& p) {
    if (Status st = authorise(req, ctx); !st) {
      Response res = http::error_response(st);
      res.set_header("WWW-Authenticate", "Bearer");
      return res;
    }
    return inner(req, p);
  };
}

json::object platform_json(const core::LtiPlatform& p) {
  json::array deployments;
  for (const auto& d : p.deployment_ids) deployments.emplace_back(d);
  return json::object{{"id", p.id},
                      {"issuer", p.issuer},
                      {"client_id", p.client_id},
                      {"auth_login_url", p.auth_login_url},
                      {"auth_token_url", p.auth_token_url},
                      {"jwks_url", p.jwks_url},
                      {"token_audience", p.token_audience},
                      {"deployment_ids", std::move(deployments)},
                      {"timecreated", p.timecreated},
                      {"timemodified", p.timemodified}};
}

json::object context_json(const core::LtiContextLink& c) {
  return json::object{{"id", c.id},          {"deploymentid", c.deploymentid}, {"context_id", c.context_id},
                      {"label", c.label},    {"title", c.title},               {"schemeid", optional_id(c.schemeid)}};
}

Result<std::string> string_field(const json::object& body, const char* name, bool required) {
  const json::value* v = body.if_contains(name);
  if (v == nullptr || v->is_null()) {
    if (required) return Status::invalid("field_required", std::string("The field '") + name + "' is required.", name);
    return std::string();
  }
  if (!v->is_string()) return Status::invalid("field_not_string", std::string("The field '") + name + "' must be text.", name);
  return std::string(v->as_string());
}

Status only_fields(const json::object& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : body) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(k)) == allowed.end())
      return Status::invalid("unknown_field", "The field '" + std::string(k) + "' is not accepted.", std::string(k));
  }
  return Status::ok();
}

Response put_platform(const LtiContext& ctx, const Request& req) {
  auto body = http::parse_json_object_body(req, kMaxJsonDepth);
  if (!body) return http::error_response(body.status());
  if (Status st = only_fields(*body, {"issuer", "client_id", "auth_login_url", "auth_token_url", "jwks_url",
                                      "token_audience", "deployment_ids", "deployment_id", "deep_linking"});
      !st)
    return http::error_response(st);
  core::LtiPlatformInput in;
  std::vector<std::string> deployments;
  for (auto [name, target, required] :
       {std::tuple{"issuer", &in.issuer, true}, std::tuple{"client_id", &in.client_id, true},
        std::tuple{"auth_login_url", &in.auth_login_url, true}, std::tuple{"auth_token_url", &in.auth_token_url, false},
        std::tuple{"jwks_url", &in.jwks_url, true}, std::tuple{"token_audience", &in.token_audience, false}}) {
    auto v = string_field(*body, name, required);
    if (!v) return http::error_response(v.status());
    *target = std::move(v).value();
  }
  for (auto [name, value, required] : {std::tuple{"issuer", &in.issuer, true},
                                       std::tuple{"auth_login_url", &in.auth_login_url, true},
                                       std::tuple{"auth_token_url", &in.auth_token_url, false},
                                       std::tuple{"jwks_url", &in.jwks_url, true}}) {
    if (Status st = check_url(*value, name, required); !st) return http::error_response(st);
  }
  if (const json::value* d = body->if_contains("deployment_ids")) {
    if (!d->is_array())
      return http::error_response(Status::invalid("field_not_array", "The field 'deployment_ids' must be a list of text.",
                                                  "deployment_ids"));
    for (const auto& item : d->as_array()) {
      if (!item.is_string() || item.as_string().empty())
        return http::error_response(Status::invalid("field_not_string", "Every deployment id must be non-empty text.",
                                                    "deployment_ids"));
      deployments.emplace_back(item.as_string());
    }
  }
  auto single = string_field(*body, "deployment_id", false);
  if (!single) return http::error_response(single.status());
  if (!single->empty()) deployments.push_back(*single);
  if (deployments.empty())
    return http::error_response(Status::invalid("field_required", "Give at least one deployment id.", "deployment_ids"));
  std::optional<bool> deep_linking;
  if (const json::value* d = body->if_contains("deep_linking"); d != nullptr && !d->is_null()) {
    if (!d->is_bool())
      return http::error_response(
          Status::invalid("field_not_boolean", "The field 'deep_linking' must be true or false.", "deep_linking"));
    deep_linking = d->as_bool();
  }
  std::optional<core::LtiPlatform> saved;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto p = s.lti.upsert_platform(in, deployments, ctx.clock.now());
    if (!p) return p.status();
    // Deep Linking is switched on or off for the deployments this request names.
    if (deep_linking) {
      for (const auto& d : deployments) {
        auto dep = s.lti.find_deployment(p->id, d);
        if (!dep) return dep.status();
        if (*dep) MENTORING_RETURN_IF_ERROR(s.lti_advantage.set_deep_linking_allowed((*dep)->id, *deep_linking,
                                                                                     ctx.clock.now()));
      }
    }
    saved = std::move(p).value();
    return Status::ok();
  });
  if (!st) return http::error_response(st);
  return http::json_response(200, platform_json(*saved));
}

Response list_platforms(const LtiContext& ctx) {
  json::array items;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto list = s.lti.list_platforms();
    if (!list) return list.status();
    for (const auto& p : *list) items.push_back(platform_json(p));
    return Status::ok();
  });
  if (!st) return http::error_response(st);
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Response post_role_mapping(const LtiContext& ctx, const Request& req) {
  auto body = http::parse_json_object_body(req, kMaxJsonDepth);
  if (!body) return http::error_response(body.status());
  if (Status st = only_fields(*body, {"issuer", "client_id", "deployment_id", "lti_role", "capability"}); !st)
    return http::error_response(st);
  std::string fields[5];
  const char* names[5] = {"issuer", "client_id", "deployment_id", "lti_role", "capability"};
  for (int i = 0; i < 5; ++i) {
    auto v = string_field(*body, names[i], true);
    if (!v) return http::error_response(v.status());
    fields[i] = std::move(v).value();
  }
  std::optional<core::RoleMapping> saved;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto platforms = s.lti.find_platforms(fields[0]);
    if (!platforms) return platforms.status();
    for (const auto& p : *platforms) {
      if (p.client_id != fields[1]) continue;
      auto d = s.lti.find_deployment(p.id, fields[2]);
      if (!d) return d.status();
      if (!*d) break;
      auto m = s.lti.add_role_mapping((*d)->id, fields[3], fields[4], ctx.clock.now());
      if (!m) return m.status();
      saved = *m;
      return Status::ok();
    }
    return Status::not_found("lti_deployment_not_found", "No registered deployment matches issuer, client_id and deployment_id.");
  });
  if (!st) return http::error_response(st);
  return http::json_response(201, json::object{{"id", saved->id},
                                               {"deploymentid", saved->deploymentid},
                                               {"lti_role", saved->lti_role},
                                               {"capability", saved->capability}});
}

Response put_context_scheme(const LtiContext& ctx, const Request& req, const PathParams& p) {
  auto id = p.get_int64("id");
  if (!id) return http::error_response(id.status());
  auto body = http::parse_json_object_body(req, kMaxJsonDepth);
  if (!body) return http::error_response(body.status());
  if (Status st = only_fields(*body, {"schemeid"}); !st) return http::error_response(st);
  const json::value* v = body->if_contains("schemeid");
  if (v == nullptr || !(v->is_null() || v->is_int64()))
    return http::error_response(
        Status::invalid("field_required", "The field 'schemeid' must be a scheme's id or null.", "schemeid"));
  std::optional<std::int64_t> schemeid;
  if (v->is_int64()) schemeid = v->as_int64();
  std::optional<core::LtiContextLink> saved;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto link = link_context_scheme(s, *id, schemeid, core::Actor::service(), ctx.clock.now());
    if (!link) return link.status();
    saved = *link;
    return Status::ok();
  });
  if (!st) return http::error_response(st);
  return http::json_response(200, context_json(*saved));
}

}  // namespace

http::RouteFn admin_route(const LtiContext& ctx, http::RouteFn inner) { return admin(ctx, std::move(inner)); }

Result<std::vector<std::pair<std::string, std::string>>> read_form(const Request& req) { return form_params(req); }

Response launch_error_page(const LtiContext& ctx, const Status& status, const std::string& platform_description) {
  if (status.code() == core::Code::kInternal)
    return web::internal_error_page(ctx.web.renderer, ctx.web.policy, {}, status.reason());
  const web::Strings& strings = ctx.web.renderer.strings();
  km::data data;
  const std::string title = strings.text("lti:launch_error_title");
  data.set("title", title);
  data.set("explanation", strings.text(explanation_key(status.reason())));
  if (!platform_description.empty()) data.set("description", platform_description);
  data.set("what_next", strings.text("error:what_next"));
  data.set("next", strings.text("lti:launch_error_next"));
  data.set("reason_line", strings.format("lti:reason_code", {{"reason", status.reason()}}));
  Response res = page(ctx, status_for(status), title, render_html(kErrorBody, data));
  res.set_header("X-Mentoring-Reason", status.reason());
  if (status.code() == core::Code::kUnavailable) res.set_header("Retry-After", "30");
  return res;
}

void add_lti_routes(http::Router& router, const LtiContext& ctx) {
  add_route(router, "GET", "/lti/login", [&ctx](const Request& r, const PathParams&) { return handle_login(ctx, r); });
  add_route(router, "POST", "/lti/login", [&ctx](const Request& r, const PathParams&) { return handle_login(ctx, r); });
  add_route(router, "POST", "/lti/launch", [&ctx](const Request& r, const PathParams&) { return handle_launch(ctx, r); });
  add_route(router, "GET", "/lti/handoff", [&ctx](const Request& r, const PathParams&) { return handle_handoff(ctx, r); });
  add_route(router, "GET", "/lti/jwks", [&ctx](const Request&, const PathParams&) {
    auto jwks = ctx.keys.public_jwks();
    if (!jwks) return http::error_response(jwks.status());
    Response res = http::json_response(200, *jwks);
    // Short enough that a rotation reaches platforms quickly.
    res.set_header("Cache-Control", "public, max-age=300");
    return res;
  });
  add_route(router, "GET", "/api/v1/me", [&ctx](const Request& r, const PathParams&) { return handle_me(ctx, r); });

  add_route(router, "PUT", "/api/v1/lti/platforms",
            admin(ctx, [&ctx](const Request& r, const PathParams&) { return put_platform(ctx, r); }));
  add_route(router, "GET", "/api/v1/lti/platforms",
            admin(ctx, [&ctx](const Request&, const PathParams&) { return list_platforms(ctx); }));
  add_route(router, "POST", "/api/v1/lti/keys/rotate", admin(ctx, [&ctx](const Request&, const PathParams&) {
              auto kid = ctx.keys.rotate();
              if (!kid) return http::error_response(kid.status());
              return http::json_response(200, json::object{{"kid", *kid}});
            }));
  add_route(router, "POST", "/api/v1/lti/keys/retire", admin(ctx, [&ctx](const Request&, const PathParams&) {
              auto n = ctx.keys.retire_previous();
              if (!n) return http::error_response(n.status());
              return http::json_response(200, json::object{{"retired", *n}});
            }));
  add_route(router, "GET", "/api/v1/lti/contexts", admin(ctx, [&ctx](const Request&, const PathParams&) {
              json::array items;
              Status st = ctx.db.transact([&](core::Stores& s) -> Status {
                auto list = s.lti.list_contexts();
                if (!list) return list.status();
                for (const auto& c : *list) items.push_back(context_json(c));
                return Status::ok();
              });
              if (!st) return http::error_response(st);
              return http::json_response(200, json::object{{"items", std::move(items)}});
            }));
  add_route(router, "PUT", "/api/v1/lti/contexts/{id}/scheme",
            admin(ctx, [&ctx](const Request& r, const PathParams& p) { return put_context_scheme(ctx, r, p); }));
  add_route(router, "POST", "/api/v1/lti/role-mappings",
            admin(ctx, [&ctx](const Request& r, const PathParams&) { return post_role_mapping(ctx, r); }));
}

}  // namespace mentoring::lti
