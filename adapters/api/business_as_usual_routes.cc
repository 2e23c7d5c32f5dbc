// GET  /api/v1/schemes/{id}/business-as-usual        readiness, plan and figures per pair
// PUT  /api/v1/schemes/{id}/business-as-usual/plan   the plan (every field optional)
// POST /api/v1/schemes/{id}/phase                    {"phase", "note"?}
// GET  /api/v1/schemes/{id}/phase-history            the phase changes, oldest first
#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/business_as_usual_api.h"
#include "adapters/api/json_fields.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

json::value date_or_null(const std::optional<core::Date>& d) {
  return d ? json::value(d->to_string()) : json::value(nullptr);
}

json::object to_json(const core::BusinessAsUsualPlan& p) {
  return json::object{{"schemeid", p.schemeid},
                      {"senior_sponsor", p.senior_sponsor},
                      {"funding_source", p.funding_source},
                      {"funding_ends_on", date_or_null(p.funding_ends_on)},
                      {"funding_review_on", date_or_null(p.funding_review_on)},
                      {"admin_hours_per_month", p.admin_hours_per_month},
                      {"annual_cost_pence", p.annual_cost_pence},
                      {"mentor_recruitment_plan", p.mentor_recruitment_plan},
                      {"promotion_plan", p.promotion_plan},
                      {"timemodified", p.timemodified}};
}

json::object to_json(const core::PhaseChange& c) {
  return json::object{{"id", c.id},
                      {"schemeid", c.schemeid},
                      {"from", core::to_string(c.from)},
                      {"to", core::to_string(c.to)},
                      {"changed_by", c.changed_by ? json::value(*c.changed_by) : json::value(nullptr)},
                      {"note", c.note},
                      {"changed_at", c.changed_at}};
}

json::object to_json(const app::BusinessAsUsualReadiness& r) {
  json::array unmet;
  for (const core::Finding& f : r.unmet)
    unmet.push_back(json::object{{"reason", f.reason}, {"field", f.field}, {"message", f.message}});
  const core::PerPairFigures& pp = r.per_pair;
  return json::object{
      {"schemeid", r.schemeid},
      {"phase", core::to_string(r.phase)},
      {"ready", r.ready()},
      {"unmet", std::move(unmet)},
      {"plan", to_json(r.plan)},
      {"per_pair",
       json::object{{"active_pairs", pp.active_pairs},
                    {"admin_hours_per_pair_per_month", pp.admin_hours_per_pair_per_month
                                                           ? json::value(*pp.admin_hours_per_pair_per_month)
                                                           : json::value(nullptr)},
                    {"annual_cost_pence_per_pair", pp.annual_cost_pence_per_pair
                                                       ? json::value(*pp.annual_cost_pence_per_pair)
                                                       : json::value(nullptr)}}}};
}

Result<core::BusinessAsUsualPlan> plan_from_json(std::int64_t schemeid, const json::object& body) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(
      body, {"senior_sponsor", "funding_source", "funding_ends_on", "funding_review_on", "admin_hours_per_month",
             "annual_cost_pence", "mentor_recruitment_plan", "promotion_plan"}));
  core::BusinessAsUsualPlan p;
  p.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(read_string(body, "senior_sponsor", p.senior_sponsor));
  MENTORING_RETURN_IF_ERROR(read_string(body, "funding_source", p.funding_source));
  MENTORING_RETURN_IF_ERROR(read_date(body, "funding_ends_on", p.funding_ends_on));
  MENTORING_RETURN_IF_ERROR(read_date(body, "funding_review_on", p.funding_review_on));
  std::optional<double> hours;
  MENTORING_RETURN_IF_ERROR(read_number(body, "admin_hours_per_month", hours));
  if (hours) p.admin_hours_per_month = *hours;
  MENTORING_RETURN_IF_ERROR(read_int64(body, "annual_cost_pence", p.annual_cost_pence));
  MENTORING_RETURN_IF_ERROR(read_string(body, "mentor_recruitment_plan", p.mentor_recruitment_plan));
  MENTORING_RETURN_IF_ERROR(read_string(body, "promotion_plan", p.promotion_plan));
  return p;
}

template <typename T>
Response respond(const Result<T>& r, int ok_status = 200) {
  if (!r) return http::error_response(r.status());
  return http::json_response(ok_status, to_json(*r));
}

}  // namespace

void add_business_as_usual_routes(http::Router& router, const BusinessAsUsualApiContext& ctx) {
  auto& svc = ctx.service;
  add_service_route(router, ctx.service_token, "GET", "/api/v1/schemes/{id}/business-as-usual",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      return respond(svc.readiness(*id));
                    });
  add_service_route(router, ctx.service_token, "PUT", "/api/v1/schemes/{id}/business-as-usual/plan",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      auto plan = plan_from_json(*id, *body);
                      if (!plan) return http::error_response(plan.status());
                      return respond(svc.save_plan(*plan, actor));
                    });
  add_service_route(router, ctx.service_token, "POST", "/api/v1/schemes/{id}/phase",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      if (Status st = unknown_fields(*body, {"phase", "note"}); !st) return http::error_response(st);
                      std::string phase_text, note;
                      if (Status st = read_string(*body, "phase", phase_text, true); !st)
                        return http::error_response(st);
                      auto phase = core::parse_scheme_phase(phase_text);
                      if (!phase)
                        return http::error_response(Status::invalid(
                            "scheme_phase_invalid", "The field 'phase' must be pilot or business_as_usual.", "phase"));
                      if (Status st = read_string(*body, "note", note); !st) return http::error_response(st);
                      return respond(svc.change_phase(*id, *phase, note, actor), 201);
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/schemes/{id}/phase-history",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto changes = svc.history(*id);
                      if (!changes) return http::error_response(changes.status());
                      json::array items;
                      for (const auto& c : *changes) items.push_back(to_json(c));
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
}

}  // namespace mentoring::api
