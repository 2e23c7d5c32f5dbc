#include <stdexcept>

#include "adapters/api/audit_support.h"
#include "adapters/api/setup_api.h"
#include "adapters/api/setup_codec.h"
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

// What a handler sees: the request with its path id already read, and for
// write methods the parsed body.
struct Call {
  const Request& req;
  std::int64_t id;
  const json::object* body;  // null for GET
  core::Actor actor;         // X-Mentoring-Actor, or the service; named in the audit log
};
using Handler = std::function<Response(const Call&)>;

// Registers a route whose pattern has one "{id}": checks the token, reads
// the id and (when `with_body`) the JSON object body, then runs `fn`.
// Routes are fixed at build time; a pattern the router refuses is a bug.
void add(http::Router& router, const SetupApiContext& ctx, std::string method, std::string pattern, bool with_body,
         Handler fn) {
  Status st =
      router.add(method, pattern, [&ctx, with_body, fn = std::move(fn)](const Request& req, const PathParams& params) {
        if (Status auth = authorise_service(req, ctx.service_token); !auth) {
          Response res = http::error_response(auth);
          res.set_header("WWW-Authenticate", "Bearer");
          return res;
        }
        auto actor = actor_from_request(req);
        if (!actor) return http::error_response(actor.status());
        auto id = params.get_int64("id");
        if (!id) return http::error_response(id.status());
        if (!with_body) return fn(Call{req, *id, nullptr, *actor});
        auto body = http::parse_json_object_body(req, kMaxJsonDepth);
        if (!body) return http::error_response(body.status());
        return fn(Call{req, *id, &*body, *actor});
      });
  if (!st) throw std::logic_error("route " + method + " " + pattern + ": " + st.to_string());
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

}  // namespace

void add_setup_routes(http::Router& router, const SetupApiContext& ctx) {
  // SMART objectives and their progress.
  add(router, ctx, "GET", "/api/v1/schemes/{id}/objectives", false,
      [&ctx](const Call& c) { return respond_list(ctx.objectives.list(c.id)); });
  add(router, ctx, "POST", "/api/v1/schemes/{id}/objectives", true, [&ctx](const Call& c) {
    auto input = objective_input_from_json(c.id, *c.body);
    if (!input) return http::error_response(input.status());
    return respond(ctx.objectives.create(*input, c.actor), 201);
  });
  add(router, ctx, "PUT", "/api/v1/objectives/{id}", true, [&ctx](const Call& c) {
    auto input = objective_input_from_json(0, *c.body);
    if (!input) return http::error_response(input.status());
    return respond(ctx.objectives.update(c.id, *input, c.actor));
  });
  add(router, ctx, "POST", "/api/v1/objectives/{id}/measurements", true, [&ctx](const Call& c) {
    auto m = measurement_from_json(*c.body);
    if (!m) return http::error_response(m.status());
    return respond(ctx.objectives.record(c.id, m->first, m->second, c.actor), 201);
  });
  add(router, ctx, "GET", "/api/v1/schemes/{id}/objectives/progress", false, [&ctx](const Call& c) {
    auto on = date_from_query(c.req.query_param("on"), "on");
    if (!on) return http::error_response(on.status());
    return respond_list(ctx.objectives.progress(c.id, *on));
  });

  // Governance register.
  add(router, ctx, "GET", "/api/v1/schemes/{id}/governance", false,
      [&ctx](const Call& c) { return respond_list(ctx.governance.list(c.id)); });
  add(router, ctx, "PUT", "/api/v1/schemes/{id}/governance", true, [&ctx](const Call& c) {
    auto assignments = governance_from_json(c.id, *c.body);
    if (!assignments) return http::error_response(assignments.status());
    return respond_list(ctx.governance.replace(c.id, std::move(assignments).value(), c.actor));
  });
  add(router, ctx, "GET", "/api/v1/schemes/{id}/governance/gaps", false, [&ctx](const Call& c) {
    auto on = date_from_query(c.req.query_param("on"), "on");
    if (!on) return http::error_response(on.status());
    return respond(ctx.governance.gaps(c.id, *on));
  });

  // Who may join: target audience and mentor rules.
  add(router, ctx, "GET", "/api/v1/schemes/{id}/audience", false,
      [&ctx](const Call& c) { return respond(ctx.eligibility.get(c.id)); });
  add(router, ctx, "PUT", "/api/v1/schemes/{id}/audience", true, [&ctx](const Call& c) {
    auto rules = eligibility_from_json(c.id, *c.body);
    if (!rules) return http::error_response(rules.status());
    return respond(ctx.eligibility.save(std::move(rules).value(), c.actor));
  });

  // Profiles.
  add(router, ctx, "GET", "/api/v1/accounts/{id}/mentee-profile", false,
      [&ctx](const Call& c) { return respond(ctx.profiles.get_mentee(c.id)); });
  add(router, ctx, "PUT", "/api/v1/accounts/{id}/mentee-profile", true, [&ctx](const Call& c) {
    auto profile = mentee_profile_from_json(c.id, *c.body);
    if (!profile) return http::error_response(profile.status());
    return respond(ctx.profiles.save_mentee(std::move(profile).value(), c.actor));
  });
  add(router, ctx, "GET", "/api/v1/accounts/{id}/mentor-profile", false,
      [&ctx](const Call& c) { return respond(ctx.profiles.get_mentor(c.id)); });
  add(router, ctx, "PUT", "/api/v1/accounts/{id}/mentor-profile", true, [&ctx](const Call& c) {
    auto profile = mentor_profile_from_json(c.id, *c.body);
    if (!profile) return http::error_response(profile.status());
    return respond(ctx.profiles.save_mentor(std::move(profile).value(), c.actor));
  });

  // Mentor training, readiness and CPD.
  add(router, ctx, "GET", "/api/v1/schemes/{id}/training-modules", false,
      [&ctx](const Call& c) { return respond_list(ctx.training.modules(c.id)); });
  add(router, ctx, "PUT", "/api/v1/schemes/{id}/training-modules", true, [&ctx](const Call& c) {
    auto modules = training_modules_from_json(c.id, *c.body);
    if (!modules) return http::error_response(modules.status());
    return respond_list(ctx.training.replace_modules(c.id, std::move(modules).value(), c.actor));
  });
  add(router, ctx, "GET", "/api/v1/accounts/{id}/training-records", false, [&ctx](const Call& c) {
    auto scheme = id_from_query(c.req.query_param("schemeid"), "schemeid");
    if (!scheme) return http::error_response(scheme.status());
    return respond_list(ctx.training.records(c.id, *scheme));
  });
  add(router, ctx, "POST", "/api/v1/accounts/{id}/training-records", true, [&ctx](const Call& c) {
    auto record = training_record_from_json(c.id, *c.body);
    if (!record) return http::error_response(record.status());
    return respond(ctx.training.add_record(record->first, record->second, c.actor), 201);
  });
  add(router, ctx, "GET", "/api/v1/accounts/{id}/mentor-readiness", false, [&ctx](const Call& c) {
    auto scheme = id_from_query(c.req.query_param("schemeid"), "schemeid");
    if (!scheme) return http::error_response(scheme.status());
    return respond(ctx.training.readiness(c.id, *scheme));
  });
  add(router, ctx, "GET", "/api/v1/accounts/{id}/cpd", false,
      [&ctx](const Call& c) { return respond_list(ctx.training.cpd(c.id)); });
  add(router, ctx, "POST", "/api/v1/accounts/{id}/cpd", true, [&ctx](const Call& c) {
    auto entry = cpd_entry_from_json(c.id, *c.body);
    if (!entry) return http::error_response(entry.status());
    return respond(ctx.training.add_cpd(*entry, c.actor), 201);
  });
  add(router, ctx, "GET", "/api/v1/accounts/{id}/cpd/totals", false, [&ctx](const Call& c) {
    const std::string_view text = c.req.query_param("period");
    auto period = core::parse_cpd_period(text.empty() ? std::string_view("appraisal_year") : text);
    if (!period)
      return http::error_response(
          Status::invalid("cpd_period_invalid", "The period must be month, year or appraisal_year.", "period"));
    return respond_list(ctx.training.cpd_totals(c.id, *period));
  });

  // Agreement template.
  add(router, ctx, "GET", "/api/v1/schemes/{id}/agreement", false,
      [&ctx](const Call& c) { return respond(ctx.agreements.get(c.id)); });
  add(router, ctx, "PUT", "/api/v1/schemes/{id}/agreement", true, [&ctx](const Call& c) {
    auto agreement = agreement_from_json(c.id, *c.body);
    if (!agreement) return http::error_response(agreement.status());
    return respond(ctx.agreements.save(std::move(agreement).value(), c.actor));
  });
}

}  // namespace mentoring::api
