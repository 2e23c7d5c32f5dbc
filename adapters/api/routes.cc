#include "adapters/api/audit_support.h"

#include "adapters/api/api.h"
#include "adapters/api/codec.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

constexpr std::size_t kMaxJsonDepth = 16;

// Host back-end calls carry `Authorization: Bearer <api.service_token>`,
// checked in constant time by authorise_service (audit_support.h).
using Handler = std::function<Response(const Request&, const PathParams&)>;

// Routes are fixed at build time; a pattern the router refuses is a bug, so
// it stops the plugin from opening instead of leaving an endpoint missing.
void add_route(http::Router& router, std::string method, std::string pattern, Handler fn) {
  core::Status st = router.add(method, pattern, std::move(fn));
  if (!st) throw std::logic_error("route " + method + " " + pattern + ": " + st.to_string());
}

// Wraps a handler with the API's authentication.
Handler guarded(const ApiContext& ctx, Handler inner) {
  return [&ctx, inner = std::move(inner)](const Request& req, const PathParams& params) {
    if (Status st = authorise_service(req, ctx.service_token); !st) {
      Response res = http::error_response(st);
      res.set_header("WWW-Authenticate", "Bearer");
      return res;
    }
    return inner(req, params);
  };
}

template <typename T>
Response respond(const Result<T>& r, int ok_status = 200) {
  if (!r) return http::error_response(r.status());
  return http::json_response(ok_status, to_json(*r));
}

template <typename T>
Response respond_list(const Result<std::vector<T>>& r) {
  if (!r) return http::error_response(r.status());
  json::array items;
  for (const auto& x : *r) items.push_back(to_json(x));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

Result<std::optional<core::Role>> role_from_query(const Request& req) {
  if (!req.has_query_param("role")) return std::optional<core::Role>();
  auto role = core::parse_role(req.query_param("role"));
  if (!role) return Status::invalid("role_invalid", "The role must be mentee or mentor.", "role");
  return std::optional<core::Role>(*role);
}

}  // namespace

void add_health_routes(http::Router& router, const ApiContext& ctx) {
  // Liveness: the process answers. Never touches the database.
  add_route(router, "GET", "/healthz", [&ctx](const Request&, const PathParams&) {
    return http::json_response(200, json::object{{"status", "ok"}, {"version", ctx.version}});
  });
  // Readiness: the database answers and its schema is current.
  add_route(router, "GET", "/readyz", [&ctx](const Request&, const PathParams&) {
    Status st = ctx.db.check_ready();
    if (!st) return http::error_response(Status::unavailable(st.reason(), st.message()));
    return http::json_response(200, json::object{{"status", "ready"}});
  });
}

void add_api_routes(http::Router& router, const ApiContext& ctx) {
  add_route(router, "GET", "/api/v1", guarded(ctx, [&ctx](const Request&, const PathParams&) {
               return http::json_response(200, json::object{{"version", ctx.version}, {"api", "v1"}});
             }));

  // Accounts: the host says who a person is; (platform, subject) is the key.
  add_route(router, "PUT", "/api/v1/accounts", guarded(ctx, [&ctx](const Request& req, const PathParams&) {
               auto body = http::parse_json_object_body(req, kMaxJsonDepth);
               if (!body) return http::error_response(body.status());
               auto input = account_input_from_json(*body);
               if (!input) return http::error_response(input.status());
               return respond(ctx.accounts.upsert(*input));
             }));
  add_route(router, "GET", "/api/v1/accounts/{id}", guarded(ctx, [&ctx](const Request&, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               return respond(ctx.accounts.get(*id));
             }));

  // Schemes and cohorts.
  add_route(router, "GET", "/api/v1/schemes", guarded(ctx, [&ctx](const Request& req, const PathParams&) {
               auto page = page_from_query(req.query_param("limit"), req.query_param("offset"));
               if (!page) return http::error_response(page.status());
               return respond_list(ctx.schemes.list(*page));
             }));
  add_route(router, "POST", "/api/v1/schemes", guarded(ctx, [&ctx](const Request& req, const PathParams&) {
               auto body = http::parse_json_object_body(req, kMaxJsonDepth);
               if (!body) return http::error_response(body.status());
               auto input = scheme_input_from_json(*body);
               if (!input) return http::error_response(input.status());
               return respond(ctx.schemes.create(*input), 201);
             }));
  add_route(router, "GET", "/api/v1/schemes/{id}", guarded(ctx, [&ctx](const Request&, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               return respond(ctx.schemes.get(*id));
             }));
  add_route(router, "PUT", "/api/v1/schemes/{id}", guarded(ctx, [&ctx](const Request& req, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               auto body = http::parse_json_object_body(req, kMaxJsonDepth);
               if (!body) return http::error_response(body.status());
               auto input = scheme_input_from_json(*body);
               if (!input) return http::error_response(input.status());
               return respond(ctx.schemes.update(*id, *input));
             }));
  add_route(router, "GET", "/api/v1/schemes/{id}/cohorts", guarded(ctx, [&ctx](const Request&, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               return respond_list(ctx.schemes.list_cohorts(*id));
             }));
  add_route(router, "POST", "/api/v1/schemes/{id}/cohorts", guarded(ctx, [&ctx](const Request& req, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               auto body = http::parse_json_object_body(req, kMaxJsonDepth);
               if (!body) return http::error_response(body.status());
               auto input = cohort_input_from_json(*id, *body);
               if (!input) return http::error_response(input.status());
               return respond(ctx.schemes.add_cohort(*input), 201);
             }));
  add_route(router, "GET", "/api/v1/cohorts/{id}", guarded(ctx, [&ctx](const Request&, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               return respond(ctx.schemes.get_cohort(*id));
             }));

  // Enrolments.
  add_route(router, "GET", "/api/v1/cohorts/{id}/enrolments", guarded(ctx, [&ctx](const Request& req, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               auto role = role_from_query(req);
               if (!role) return http::error_response(role.status());
               auto page = page_from_query(req.query_param("limit"), req.query_param("offset"));
               if (!page) return http::error_response(page.status());
               return respond_list(ctx.enrolments.list(*id, *role, *page));
             }));
  add_route(router, "POST", "/api/v1/cohorts/{id}/enrolments", guarded(ctx, [&ctx](const Request& req, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               auto body = http::parse_json_object_body(req, kMaxJsonDepth);
               if (!body) return http::error_response(body.status());
               const json::value* account = body->if_contains("accountid");
               const json::value* role_v = body->if_contains("role");
               if (!account || !account->is_int64())
                 return http::error_response(Status::invalid("field_required", "The field 'accountid' must be a whole number.", "accountid"));
               if (!role_v || !role_v->is_string())
                 return http::error_response(Status::invalid("field_required", "The field 'role' must be mentee or mentor.", "role"));
               // Self-declared on enrolment for audiences that ask for it
               // (core/eligibility.h); never stored.
               const json::value* widening = body->if_contains("widening_participation");
               if (widening && !widening->is_bool())
                 return http::error_response(Status::invalid("field_not_boolean", "The field 'widening_participation' must be true or false.", "widening_participation"));
               if (body->size() != (widening ? 3u : 2u))
                 return http::error_response(Status::invalid("unknown_field", "Only 'accountid', 'role' and 'widening_participation' are accepted.", ""));
               auto role = core::parse_role(role_v->as_string());
               if (!role) return http::error_response(Status::invalid("role_invalid", "The role must be mentee or mentor.", "role"));
               return respond(ctx.enrolments.enrol(*id, account->as_int64(), *role, widening && widening->as_bool()), 201);
             }));
  add_route(router, "POST", "/api/v1/enrolments/{id}/withdraw", guarded(ctx, [&ctx](const Request&, const PathParams& p) {
               auto id = p.get_int64("id");
               if (!id) return http::error_response(id.status());
               return respond(ctx.enrolments.withdraw(*id));
             }));
}

}  // namespace mentoring::api
