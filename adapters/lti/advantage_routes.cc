#include "adapters/lti/advantage_routes.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <kainjow/mustache.hpp>

#include "adapters/http/json.h"
#include "adapters/lti/jose.h"
#include "adapters/lti/launch_validator.h"
#include "adapters/web/pages/error_pages.h"
#include "adapters/web/secrets.h"
#include "core/lti_capabilities.h"

namespace mentoring::lti {
namespace json = boost::json;
namespace km = kainjow::mustache;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxJsonDepth = 8;
constexpr std::size_t kMaxConfigurationBytes = 64 * 1024;
constexpr const char* kToolConfiguration = "https://purl.imsglobal.org/spec/lti-tool-configuration";
constexpr const char* kPlatformConfiguration = "https://purl.imsglobal.org/spec/lti-platform-configuration";

void add_route(http::Router& router, const char* method, const char* pattern, http::RouteFn fn) {
  Status st = router.add(method, pattern, std::move(fn));
  if (!st) throw std::logic_error(std::string("route ") + pattern + ": " + st.to_string());
}

std::string param(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return {};
}

Status config_invalid(const char* field, const std::string& why) {
  return Status::invalid("registration_config_field_invalid",
                         std::string("The platform's configuration has ") + why + " ('" + field + "').", field);
}

Result<std::string> config_url(const json::object& o, const char* field) {
  const json::value* v = o.if_contains(field);
  if (v == nullptr || !v->is_string() || v->as_string().size() > 2048 || !is_service_url(v->as_string()))
    return config_invalid(field, "no https URL");
  return std::string(v->as_string());
}

bool array_has(const json::object& o, const char* field, std::string_view value) {
  const json::value* v = o.if_contains(field);
  if (v == nullptr || !v->is_array()) return false;
  for (const auto& item : v->as_array())
    if (item.is_string() && item.as_string() == value) return true;
  return false;
}

Result<std::int64_t> context_id(const PathParams& p) { return p.get_int64("id"); }

// ---------------------------------------------------------------------------
// Administration API

json::object roster_json(const core::RosterEntry& e) {
  json::array roles;
  for (const auto& r : e.roles) roles.emplace_back(r);
  return json::object{{"accountid", e.accountid},       {"subject", e.subject},
                      {"display_name", e.display_name}, {"email", e.email},
                      {"roles", std::move(roles)},      {"status", core::roster_status_name(e.status)},
                      {"timeseen", e.timeseen}};
}

Response sync_roster(const AdvantageRoutesContext& ctx, const PathParams& p) {
  auto id = context_id(p);
  if (!id) return http::error_response(id.status());
  auto result = ctx.services.sync_roster(*id);
  if (!result) return http::error_response(result.status());
  return http::json_response(200, json::object{{"added", result->added},
                                               {"updated", result->updated},
                                               {"inactive", result->inactive},
                                               {"members", result->members},
                                               {"pages", result->pages}});
}

Response get_roster(const AdvantageRoutesContext& ctx, const PathParams& p) {
  auto id = context_id(p);
  if (!id) return http::error_response(id.status());
  json::array items;
  Status st = ctx.lti.db.transact([&](core::Stores& s) -> Status {
    auto target = s.lti_advantage.find_context_target(*id);
    if (!target) return target.status();
    if (!*target) return Status::not_found("lti_context_not_found", "There is no LTI context with that id.");
    auto roster = s.lti_advantage.list_roster(*id);
    if (!roster) return roster.status();
    for (const auto& e : *roster) items.push_back(roster_json(e));
    return Status::ok();
  });
  if (!st) return http::error_response(st);
  return http::json_response(200, json::object{{"contextid", *id}, {"items", std::move(items)}});
}

Response post_milestone_route(const AdvantageRoutesContext& ctx, const Request& req, const PathParams& p) {
  auto id = context_id(p);
  if (!id) return http::error_response(id.status());
  auto body = http::parse_json_object_body(req, kMaxJsonDepth);
  if (!body) return http::error_response(body.status());
  for (const auto& [k, v] : *body) {
    if (k != "accountid" && k != "milestone")
      return http::error_response(
          Status::invalid("unknown_field", "The field '" + std::string(k) + "' is not accepted.", std::string(k)));
  }
  const json::value* account = body->if_contains("accountid");
  if (account == nullptr || !account->is_int64() || account->as_int64() <= 0)
    return http::error_response(
        Status::invalid("field_required", "The field 'accountid' must be an account's id.", "accountid"));
  const json::value* milestone = body->if_contains("milestone");
  if (milestone == nullptr || !milestone->is_string())
    return http::error_response(Status::invalid(
        "field_required", "The field 'milestone' must be 'agreement_signed' or 'scheme_completed'.", "milestone"));
  const std::string name(milestone->as_string());
  Status st = ctx.services.post_milestone(*id, account->as_int64(), name);
  if (!st) return http::error_response(st);
  return http::json_response(
      200, json::object{{"contextid", *id}, {"accountid", account->as_int64()}, {"milestone", name}, {"posted", true}});
}

json::value number_or_null(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object gradebook_json(std::int64_t contextid, const GradebookCheck& check) {
  json::array items;
  for (const auto& item : check.items) {
    json::array missing;
    for (const auto& gap : item.gaps)
      missing.push_back(json::object{{"accountid", gap.accountid},
                                     {"user_id", gap.user_id},
                                     {"result_score", number_or_null(gap.result_score)},
                                     {"result_maximum", number_or_null(gap.result_maximum)}});
    items.push_back(
        json::object{{"milestone", item.milestone},
                     {"lineitem", item.lineitem.empty() ? json::value(nullptr) : json::value(item.lineitem)},
                     {"reached", item.reached},
                     {"results", item.results},
                     {"pages", item.pages},
                     {"missing", std::move(missing)}});
  }
  return json::object{{"contextid", contextid}, {"in_step", check.in_step()}, {"items", std::move(items)}};
}

Response check_gradebook_route(const AdvantageRoutesContext& ctx, const Request& req, const PathParams& p) {
  auto id = context_id(p);
  if (!id) return http::error_response(id.status());
  if (!req.query.empty())
    return http::error_response(
        Status::invalid("unknown_field", "The gradebook check takes no query parameters.", req.query.front().first));
  auto check = ctx.services.check_gradebook(*id);
  if (!check) return http::error_response(check.status());
  return http::json_response(200, gradebook_json(*id, *check));
}

Response repair_gradebook_route(const AdvantageRoutesContext& ctx, const Request& req, const PathParams& p) {
  auto id = context_id(p);
  if (!id) return http::error_response(id.status());
  // No body, or an empty JSON object: there is nothing to choose.
  if (!req.body.empty()) {
    auto body = http::parse_json_object_body(req, kMaxJsonDepth);
    if (!body) return http::error_response(body.status());
    if (!body->empty())
      return http::error_response(
          Status::invalid("unknown_field", "The field '" + std::string(body->begin()->key()) + "' is not accepted.",
                          std::string(body->begin()->key())));
  }
  auto repair = ctx.services.repair_gradebook(*id);
  if (!repair) return http::error_response(repair.status());
  json::object out = gradebook_json(*id, repair->before);
  return http::json_response(
      200, json::object{{"contextid", *id}, {"reposted", repair->reposted}, {"before", std::move(out)}});
}

// ---------------------------------------------------------------------------
// Deep Linking

// The pending request named by `token`, checked against the signed-in
// person. Errors are reasons for launch_error_page.
Result<core::DeepLinkRequest> pending_request(core::Stores& s, const std::string& token, const web::SignedIn& who,
                                              core::UnixSeconds now) {
  if (token.size() != 43)
    return Status::unauthenticated("deep_link_request_unknown", "The request to add Mentoring is not valid.");
  auto found = s.lti_advantage.find_deep_link_request(web::sha256_hex(token));
  if (!found) return found.status();
  if (!*found || (*found)->accountid != who.account.id)
    return Status::unauthenticated("deep_link_request_unknown", "The request to add Mentoring is not valid.");
  if ((*found)->used_at != 0)
    return Status::unauthenticated("deep_link_request_used", "The request to add Mentoring was already used.");
  if ((*found)->expires_at <= now)
    return Status::unauthenticated("deep_link_request_expired", "The request to add Mentoring has expired.");
  return **found;
}

Result<web::SignedIn> staff(const AdvantageRoutesContext& ctx, const Request& req) {
  auto who = ctx.lti.sessions.authenticate(req);
  if (!who) return who.status();
  if (!who->has(core::capability::kSchemeManage))
    return Status::permission_denied("deep_link_not_staff", "Only scheme managers can add Mentoring to a course.");
  return who;
}

Response deep_link_page(const AdvantageRoutesContext& ctx, const Request& req) {
  auto who = staff(ctx, req);
  if (!who) return launch_error_page(ctx.lti, who.status());
  const std::string token(req.query_param("request"));
  const core::UnixSeconds now = ctx.lti.clock.now();
  km::data schemes{km::data::type::list};
  bool any = false;
  Status st = ctx.lti.db.transact([&](core::Stores& s) -> Status {
    auto pending = pending_request(s, token, *who, now);
    if (!pending) return pending.status();
    auto list = s.schemes.list(core::Page{core::kMaxPageSize, 0});
    if (!list) return list.status();
    for (const auto& scheme : *list) {
      km::data item;
      item.set("id", std::to_string(scheme.id));
      item.set("name", scheme.name);
      if (!any) item.set("first", true);
      any = true;
      schemes.push_back(item);
    }
    return Status::ok();
  });
  if (!st) return launch_error_page(ctx.lti, st);
  const web::Strings& strings = ctx.lti.web.renderer.strings();
  km::data data = web::page_data(strings.text("lti:deep_link_title"), {});
  data.set("has_schemes", any);
  data.set("schemes", schemes);
  data.set("request", token);
  data.set("csrf_token", who->csrf_token());
  return web::html_response(200, ctx.lti.web.renderer.render("lti_deep_link", data), ctx.lti.web.policy);
}

Response deep_link_choose(const AdvantageRoutesContext& ctx, const Request& req) {
  auto who = staff(ctx, req);
  if (!who) return launch_error_page(ctx.lti, who.status());
  auto form = read_form(req);
  if (!form) return launch_error_page(ctx.lti, form.status());
  if (Status st = ctx.lti.sessions.check_csrf(*who, param(*form, "csrf_token")); !st)
    return launch_error_page(ctx.lti, Status::permission_denied("deep_link_csrf_invalid", st.message()));
  const std::string token = param(*form, "request");
  const std::string scheme_text = param(*form, "schemeid");
  std::int64_t schemeid = 0;
  try {
    std::size_t used = 0;
    schemeid = std::stoll(scheme_text, &used);
    if (used != scheme_text.size() || schemeid <= 0) schemeid = 0;
  } catch (...) {
    schemeid = 0;
  }
  if (schemeid == 0)
    return launch_error_page(
        ctx.lti, Status::invalid("deep_link_scheme_invalid", "Choose one of the schemes listed.", "schemeid"));
  const core::UnixSeconds now = ctx.lti.clock.now();
  DeepLinkResponseInput in;
  std::string return_url;
  Status st = ctx.lti.db.transact([&](core::Stores& s) -> Status {
    auto pending = pending_request(s, token, *who, now);
    if (!pending) return pending.status();
    auto scheme = s.schemes.find(schemeid);
    if (!scheme) return scheme.status();
    if (!*scheme) return Status::invalid("deep_link_scheme_invalid", "Choose one of the schemes listed.", "schemeid");
    auto deployment = s.lti_advantage.find_deployment_by_id(pending->deploymentid);
    if (!deployment) return deployment.status();
    if (!*deployment) return Status::unauthenticated("deep_link_request_unknown", "The deployment is gone.");
    auto platform = s.lti.find_platform((*deployment)->platformid);
    if (!platform) return platform.status();
    if (!*platform) return Status::unauthenticated("deep_link_request_unknown", "The platform is gone.");
    auto consumed = s.lti_advantage.consume_deep_link_request(web::sha256_hex(token), now);
    if (!consumed) return consumed.status();
    if (*consumed != core::OneTimeOutcome::kConsumed)
      return Status::unauthenticated("deep_link_request_used", "The request to add Mentoring was already used.");
    auto nonce = web::random_token(24);
    if (!nonce) return nonce.status();
    in.client_id = (*platform)->client_id;
    in.issuer = (*platform)->issuer;
    in.deployment_id = (*deployment)->deployment_id;
    in.nonce = *nonce;
    in.now = now;
    in.data = pending->data;
    in.schemeid = schemeid;
    in.scheme_name = (*scheme)->name;
    in.launch_url = ctx.lti.settings.public_url + "/lti/launch";
    return_url = pending->return_url;
    return Status::ok();
  });
  if (!st) return launch_error_page(ctx.lti, st);
  // Signed after the commit: a request is used once even if signing fails.
  auto jwt = ctx.lti.keys.sign(deep_linking_response_claims(in));
  if (!jwt) return launch_error_page(ctx.lti, jwt.status());
  const web::Strings& strings = ctx.lti.web.renderer.strings();
  km::data data = web::page_data(strings.text("lti:deep_link_return_title"), {});
  data.set("return_url", return_url);
  data.set("jwt", *jwt);
  return web::html_response(200, ctx.lti.web.renderer.render("lti_deep_link_return", data), ctx.lti.web.policy);
}

// ---------------------------------------------------------------------------
// Dynamic Registration

Response registration_failed(const AdvantageRoutesContext& ctx, const Status& st) {
  if (ctx.lti.log) {
    std::string line = "lti: registration refused: " + st.to_string();
    for (char& c : line)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    ctx.lti.log(http::kLogWarning, line);
  }
  return launch_error_page(ctx.lti, st);
}

Response register_tool(const AdvantageRoutesContext& ctx, const Request& req) {
  const std::string configuration_url(req.query_param("openid_configuration"));
  const std::string registration_token(req.query_param("registration_token"));
  if (configuration_url.empty())
    return registration_failed(
        ctx, Status::invalid("registration_configuration_missing", "The request names no openid_configuration.",
                             "openid_configuration"));
  if (!is_service_url(configuration_url) || configuration_url.size() > 2048)
    return registration_failed(
        ctx, Status::invalid("registration_configuration_invalid", "The openid_configuration must be an https URL.",
                             "openid_configuration"));
  if (registration_token.size() > 4096)
    return registration_failed(ctx, Status::invalid("registration_token_invalid", "The registration_token is too long.",
                                                    "registration_token"));
  if (ctx.lti.settings.public_url.empty())
    return registration_failed(
        ctx, Status::failed_precondition("registration_public_url_missing", "Set http.public_url before registering."));

  HttpRequest get;
  get.url = configuration_url;
  get.max_bytes = kMaxConfigurationBytes;
  get.headers = {{"Accept", "application/json"}};
  if (!registration_token.empty()) get.headers.emplace_back("Authorization", "Bearer " + registration_token);
  auto fetched = ctx.http.send(get);
  if (!fetched)
    return registration_failed(
        ctx, Status::unavailable("registration_configuration_unavailable", fetched.status().message()));
  if (fetched->status != 200)
    return registration_failed(ctx, Status::unavailable("registration_configuration_unavailable",
                                                        "The platform's configuration answered HTTP " +
                                                            std::to_string(fetched->status) + "."));
  auto config = validate_openid_configuration(fetched->body, configuration_url);
  if (!config) return registration_failed(ctx, config.status());

  HttpRequest post;
  post.method = "POST";
  post.url = config->registration_endpoint;
  post.max_bytes = kMaxConfigurationBytes;
  post.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!registration_token.empty()) post.headers.emplace_back("Authorization", "Bearer " + registration_token);
  post.body = json::serialize(tool_registration_request(ctx.lti.settings.public_url, *config));
  auto answered = ctx.http.send(post);
  if (!answered)
    return registration_failed(ctx, Status::unavailable("registration_refused", answered.status().message()));
  if (answered->status != 200 && answered->status != 201)
    return registration_failed(
        ctx, Status::unavailable("registration_refused", "The platform answered the registration with HTTP " +
                                                             std::to_string(answered->status) + "."));
  auto registered = parse_registration_response(answered->body);
  if (!registered) return registration_failed(ctx, registered.status());

  const bool deep_linking = std::find(config->messages_supported.begin(), config->messages_supported.end(),
                                      "LtiDeepLinkingRequest") != config->messages_supported.end();
  Status st = ctx.lti.db.transact([&](core::Stores& s) -> Status {
    core::LtiPlatformInput in;
    in.issuer = config->issuer;
    in.client_id = registered->client_id;
    in.auth_login_url = config->authorization_endpoint;
    in.auth_token_url = config->token_endpoint;
    in.jwks_url = config->jwks_uri;
    std::vector<std::string> deployments;
    if (registered->deployment_id) deployments.push_back(*registered->deployment_id);
    auto platform = s.lti.upsert_platform(in, deployments, ctx.lti.clock.now());
    if (!platform) return platform.status();
    for (const auto& d : deployments) {
      auto dep = s.lti.find_deployment(platform->id, d);
      if (!dep) return dep.status();
      if (*dep)
        MENTORING_RETURN_IF_ERROR(
            s.lti_advantage.set_deep_linking_allowed((*dep)->id, deep_linking, ctx.lti.clock.now()));
    }
    return Status::ok();
  });
  if (!st) return registration_failed(ctx, st);
  if (ctx.lti.log)
    ctx.lti.log(http::kLogInfo, "lti: registered with " + config->issuer + " as client " + registered->client_id);
  const web::Strings& strings = ctx.lti.web.renderer.strings();
  km::data data = web::page_data(strings.text("lti:registered_title"), {});
  return web::html_response(200, ctx.lti.web.renderer.render("lti_registered", data), ctx.lti.web.policy);
}

}  // namespace

boost::json::object deep_linking_response_claims(const DeepLinkResponseInput& in) {
  const std::string id = std::to_string(in.schemeid);
  json::object item{{"type", "ltiResourceLink"},
                    {"title", in.scheme_name},
                    {"url", in.launch_url},
                    {"custom", json::object{{"mentoring_scheme_id", id}}}};
  json::object claims{{"iss", in.client_id},
                      {"aud", in.issuer},
                      {"iat", in.now},
                      {"exp", in.now + kDeepLinkResponseSeconds},
                      {"nonce", in.nonce},
                      {std::string(kClaimDeploymentId), in.deployment_id},
                      {std::string(kClaimMessageType), "LtiDeepLinkingResponse"},
                      {std::string(kClaimVersion), std::string(kLtiVersion)},
                      {"https://purl.imsglobal.org/spec/lti-dl/claim/content_items", json::array{std::move(item)}}};
  if (in.data) claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = *in.data;
  return claims;
}

Result<PlatformConfiguration> validate_openid_configuration(std::string_view body, std::string_view configuration_url) {
  auto parsed = parse_json_strict(body);
  if (!parsed || !parsed->is_object())
    return Status::invalid("registration_config_malformed", "The platform's configuration is not a JSON object.");
  const json::object& o = parsed->as_object();
  PlatformConfiguration c;
  for (auto [field, target] :
       {std::pair{"issuer", &c.issuer}, std::pair{"authorization_endpoint", &c.authorization_endpoint},
        std::pair{"token_endpoint", &c.token_endpoint}, std::pair{"jwks_uri", &c.jwks_uri},
        std::pair{"registration_endpoint", &c.registration_endpoint}}) {
    auto url = config_url(o, field);
    if (!url) return url.status();
    *target = std::move(url).value();
  }
  if (c.issuer.size() > 1024) return config_invalid("issuer", "an issuer longer than 1024 characters");
  // Section 3.5.1: the issuer must be on the host the configuration came from.
  if (!same_origin(c.issuer, configuration_url))
    return Status::invalid("registration_issuer_mismatch",
                           "The platform's issuer is not on the site its configuration was fetched from.", "issuer");
  if (!array_has(o, "token_endpoint_auth_methods_supported", "private_key_jwt"))
    return Status::invalid("registration_config_unsupported",
                           "The platform does not accept private_key_jwt client authentication.",
                           "token_endpoint_auth_methods_supported");
  if (!array_has(o, "id_token_signing_alg_values_supported", "RS256"))
    return Status::invalid("registration_config_unsupported", "The platform does not sign id_tokens with RS256.",
                           "id_token_signing_alg_values_supported");
  if (!array_has(o, "scopes_supported", "openid"))
    return Status::invalid("registration_config_unsupported", "The platform's scopes_supported lacks 'openid'.",
                           "scopes_supported");
  const json::value* lti = o.if_contains(kPlatformConfiguration);
  if (lti == nullptr || !lti->is_object())
    return Status::invalid("registration_config_unsupported", "The configuration has no LTI platform configuration.",
                           kPlatformConfiguration);
  if (const json::value* m = lti->as_object().if_contains("messages_supported"); m != nullptr && m->is_array()) {
    for (const auto& message : m->as_array()) {
      if (!message.is_object()) continue;
      const json::value* type = message.as_object().if_contains("type");
      if (type != nullptr && type->is_string()) c.messages_supported.emplace_back(type->as_string());
    }
  }
  return c;
}

boost::json::object tool_registration_request(const std::string& public_url, const PlatformConfiguration& platform) {
  std::string domain;
  if (auto u = boost::urls::parse_absolute_uri(public_url)) {
    domain = u->host();
    if (u->has_port()) domain += ":" + std::string(u->port());
  }
  const std::string launch = public_url + "/lti/launch";
  json::array messages{json::object{{"type", "LtiResourceLinkRequest"}, {"target_link_uri", launch}}};
  if (std::find(platform.messages_supported.begin(), platform.messages_supported.end(), "LtiDeepLinkingRequest") !=
      platform.messages_supported.end())
    messages.push_back(
        json::object{{"type", "LtiDeepLinkingRequest"},
                     {"target_link_uri", launch},
                     {"label", "Mentoring scheme"},
                     {"roles", json::array{"http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
                                           "http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator"}}});
  return json::object{
      {"application_type", "web"},
      {"response_types", json::array{"id_token"}},
      {"grant_types", json::array{"implicit", "client_credentials"}},
      {"initiate_login_uri", public_url + "/lti/login"},
      {"redirect_uris", json::array{launch}},
      {"client_name", "Mentoring"},
      {"jwks_uri", public_url + "/lti/jwks"},
      {"token_endpoint_auth_method", "private_key_jwt"},
      {"scope", std::string(kScopeNrps) + " " + kScopeLineItem + " " + kScopeResultReadonly + " " + kScopeScore},
      {kToolConfiguration,
       json::object{{"domain", domain},
                    {"description", "A formal mentoring scheme for postgraduate medical training."},
                    {"target_link_uri", launch},
                    {"claims", json::array{"iss", "sub", "name", "given_name", "family_name", "email"}},
                    {"messages", std::move(messages)}}}};
}

Result<RegistrationResult> parse_registration_response(std::string_view body) {
  auto parsed = parse_json_strict(body);
  if (!parsed || !parsed->is_object())
    return Status::invalid("registration_response_malformed",
                           "The platform's registration answer is not a JSON object.");
  const json::object& o = parsed->as_object();
  const json::value* client = o.if_contains("client_id");
  if (client == nullptr || !client->is_string() || client->as_string().empty() || client->as_string().size() > 255)
    return Status::invalid("registration_response_malformed", "The platform's registration answer has no client_id.",
                           "client_id");
  RegistrationResult r;
  r.client_id = std::string(client->as_string());
  if (const json::value* tool = o.if_contains(kToolConfiguration); tool != nullptr && tool->is_object()) {
    if (const json::value* d = tool->as_object().if_contains("deployment_id"); d != nullptr && !d->is_null()) {
      if (!d->is_string() || d->as_string().empty() || d->as_string().size() > 255)
        return Status::invalid("registration_response_malformed",
                               "The platform's deployment_id is not text of 1 to 255 characters.", "deployment_id");
      r.deployment_id = std::string(d->as_string());
    }
  }
  return r;
}

void add_advantage_routes(http::Router& router, const AdvantageRoutesContext& ctx) {
  const LtiContext& lti = ctx.lti;
  add_route(router, "GET", "/lti/deep-link",
            [&ctx](const Request& r, const PathParams&) { return deep_link_page(ctx, r); });
  add_route(router, "POST", "/lti/deep-link",
            [&ctx](const Request& r, const PathParams&) { return deep_link_choose(ctx, r); });
  add_route(router, "GET", "/lti/register",
            [&ctx](const Request& r, const PathParams&) { return register_tool(ctx, r); });
  add_route(router, "POST", "/api/v1/lti/contexts/{id}/roster/sync",
            admin_route(lti, [&ctx](const Request&, const PathParams& p) { return sync_roster(ctx, p); }));
  add_route(router, "GET", "/api/v1/lti/contexts/{id}/roster",
            admin_route(lti, [&ctx](const Request&, const PathParams& p) { return get_roster(ctx, p); }));
  add_route(
      router, "POST", "/api/v1/lti/contexts/{id}/milestones",
      admin_route(lti, [&ctx](const Request& r, const PathParams& p) { return post_milestone_route(ctx, r, p); }));
  add_route(
      router, "GET", "/api/v1/lti/contexts/{id}/gradebook/check",
      admin_route(lti, [&ctx](const Request& r, const PathParams& p) { return check_gradebook_route(ctx, r, p); }));
  add_route(
      router, "POST", "/api/v1/lti/contexts/{id}/gradebook/repair",
      admin_route(lti, [&ctx](const Request& r, const PathParams& p) { return repair_gradebook_route(ctx, r, p); }));
}

}  // namespace mentoring::lti
