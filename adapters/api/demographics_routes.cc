#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/demographics_api.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

json::object to_json(const app::DemographicsView& v) {
  json::object answers;
  for (const auto& [name, answer] : v.answers) answers[name] = answer;
  return json::object{{"accountid", v.accountid},
                      {"answers", std::move(answers)},
                      {"key_version", v.key_version},
                      {"timemodified", v.timemodified}};
}

json::object to_json(const core::evaluation::PublishedCount& c) {
  json::object o;
  if (c.value)
    o["count"] = *c.value;
  else
    o["count"] = nullptr;
  o["suppression"] = core::evaluation::to_string(c.suppression);
  return o;
}

Result<core::DemographicAnswers> answers_from_json(const json::object& body) {
  core::DemographicAnswers answers;
  for (const auto& kv : body) {
    const std::string key(kv.key());
    if (!core::find_demographic_question(key))
      return Status::invalid("demographics_question_unknown",
                             "There is no monitoring question called '" + key.substr(0, 60) + "'.", key.substr(0, 60));
    if (kv.value().is_null()) continue;  // not answered
    if (!kv.value().is_string())
      return Status::invalid("field_not_string", "The answer to '" + key + "' must be a string or null.", key);
    answers[key] = std::string(kv.value().as_string());
  }
  MENTORING_RETURN_IF_ERROR(core::validate(answers));
  return answers;
}

Response disabled_or(const app::DemographicsService& s, const std::function<Response()>& fn) {
  if (!s.enabled())
    return http::error_response(Status::failed_precondition(
        "demographics_disabled",
        "Demographic monitoring is switched off: no key is configured in privacy.demographics_keys."));
  return fn();
}

}  // namespace

void add_demographics_routes(http::Router& router, const DemographicsApiContext& ctx) {
  auto& svc = ctx.demographics;
  add_service_route(router, ctx.service_token, "GET", "/api/v1/demographics/questions",
                    [&svc](const Request&, const PathParams&, const core::Actor&) {
                      return disabled_or(svc, [] {
                        json::array items;
                        for (const auto& q : core::demographic_questions()) {
                          json::array answers;
                          for (const char* a : q.answers) answers.emplace_back(a);
                          items.push_back(json::object{{"name", q.name}, {"answers", std::move(answers)}});
                        }
                        return http::json_response(200, json::object{{"items", std::move(items)}});
                      });
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/accounts/{id}/demographics",
                    [&svc](const Request&, const PathParams& p, const core::Actor& actor) {
                      return disabled_or(svc, [&] {
                        auto id = p.get_int64("id");
                        if (!id) return http::error_response(id.status());
                        auto view = svc.read(*id, actor);
                        if (!view) return http::error_response(view.status());
                        return http::json_response(200, to_json(*view));
                      });
                    });
  add_service_route(router, ctx.service_token, "PUT", "/api/v1/accounts/{id}/demographics",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      return disabled_or(svc, [&] {
                        auto id = p.get_int64("id");
                        if (!id) return http::error_response(id.status());
                        auto body = http::parse_json_object_body(req, 4);
                        if (!body) return http::error_response(body.status());
                        auto answers = answers_from_json(*body);
                        if (!answers) return http::error_response(answers.status());
                        auto view = svc.save(*id, *answers, actor);
                        if (!view) return http::error_response(view.status());
                        // The answers just sent come back: no read of stored data.
                        return http::json_response(200, to_json(*view));
                      });
                    });
  add_service_route(router, ctx.service_token, "DELETE", "/api/v1/accounts/{id}/demographics",
                    [&svc](const Request&, const PathParams& p, const core::Actor& actor) {
                      return disabled_or(svc, [&] {
                        auto id = p.get_int64("id");
                        if (!id) return http::error_response(id.status());
                        auto removed = svc.remove(*id, actor);
                        if (!removed) return http::error_response(removed.status());
                        return http::json_response(200, json::object{{"removed", *removed}});
                      });
                    });
  add_service_route(router, ctx.service_token, "POST", "/api/v1/demographics/rekey",
                    [&svc](const Request&, const PathParams&, const core::Actor& actor) {
                      return disabled_or(svc, [&] {
                        auto report = svc.rekey(actor);
                        if (!report) return http::error_response(report.status());
                        return http::json_response(200, json::object{{"key_version", report->key_version},
                                                                     {"reencrypted", report->reencrypted},
                                                                     {"already_current", report->already_current}});
                      });
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/demographics/counts",
                    [&svc](const Request& req, const PathParams&, const core::Actor&) {
                      return disabled_or(svc, [&] {
                        const std::string question(req.query_param("question"));
                        if (question.empty())
                          return http::error_response(
                              Status::invalid("field_required", "The parameter 'question' is required.", "question"));
                        auto cohort = int_from_query(req, "cohortid");
                        if (!cohort) return http::error_response(cohort.status());
                        auto counts = svc.counts(question, *cohort);
                        if (!counts) return http::error_response(counts.status());
                        json::array groups;
                        for (std::size_t i = 0; i < counts->labels.size(); ++i) {
                          json::object g = to_json(counts->cells[i]);
                          g["group"] = counts->labels[i];
                          groups.push_back(std::move(g));
                        }
                        return http::json_response(200, json::object{{"question", question},
                                                                     {"groups", std::move(groups)},
                                                                     {"total", to_json(counts->total)}});
                      });
                    });
}

}  // namespace mentoring::api
