#include "adapters/api/survey_api.h"
#include "adapters/api/survey_codec.h"
#include "adapters/api/survey_routing.h"

namespace mentoring::api {
namespace json = boost::json;
using evaluation_routes::Body;
using evaluation_routes::Call;
using http::Response;

namespace {

template <typename T>
Response respond(const core::Result<T>& r, int ok_status = 200) {
  if (!r) return http::error_response(r.status());
  return http::json_response(ok_status, to_json(*r));
}

template <typename T>
Response respond_list(const core::Result<std::vector<T>>& r) {
  if (!r) return http::error_response(r.status());
  json::array items;
  for (const auto& x : *r) items.push_back(to_json(x));
  return http::json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void add_survey_routes(http::Router& router, const EvaluationApiContext& ctx) {
  using evaluation_routes::add;
  add(router, ctx, "GET", "/api/v1/schemes/{id}/surveys", Body::kNone,
      [&ctx](const Call& c) { return respond_list(ctx.surveys.list_questionnaires(c.id)); });
  add(router, ctx, "POST", "/api/v1/schemes/{id}/surveys", Body::kJson, [&ctx](const Call& c) {
    auto input = questionnaire_from_json(c.id, *c.body);
    if (!input) return http::error_response(input.status());
    return respond(*input ? ctx.surveys.create_questionnaire(**input) : ctx.surveys.create_default_questionnaire(c.id),
                   201);
  });
  add(router, ctx, "GET", "/api/v1/schemes/{id}/rounds", Body::kNone,
      [&ctx](const Call& c) { return respond_list(ctx.surveys.list_rounds(c.id)); });
  add(router, ctx, "POST", "/api/v1/schemes/{id}/rounds", Body::kJson, [&ctx](const Call& c) {
    auto round = round_from_json(*c.body);
    if (!round) return http::error_response(round.status());
    return respond(ctx.surveys.create_round(c.id, *round), 201);
  });
  add(router, ctx, "POST", "/api/v1/rounds/{id}/responses", Body::kJson, [&ctx](const Call& c) {
    auto in = response_from_json(*c.body);
    if (!in) return http::error_response(in.status());
    return respond(ctx.surveys.submit(c.id, in->accountid, in->audience, std::move(in->answers)), 201);
  });
  add(router, ctx, "PUT", "/api/v1/rounds/{id}/responses", Body::kJson, [&ctx](const Call& c) {
    auto in = response_from_json(*c.body);
    if (!in) return http::error_response(in.status());
    return respond(ctx.surveys.change(c.id, in->accountid, in->audience, std::move(in->answers)));
  });
}

}  // namespace mentoring::api
