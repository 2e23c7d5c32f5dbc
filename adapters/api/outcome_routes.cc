#include "adapters/api/json_fields.h"
#include "adapters/api/survey_api.h"
#include "adapters/api/survey_codec.h"
#include "adapters/api/survey_routing.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Status;
using evaluation_routes::Body;
using evaluation_routes::Call;
using http::Response;

namespace {

// text/csv, with an optional charset parameter (the reader detects UTF-8
// and Windows-1252 itself).
bool is_csv(std::string_view content_type) {
  const auto semi = content_type.find(';');
  std::string type(content_type.substr(0, semi));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return type == "text/csv";
}

}  // namespace

void add_outcome_routes(http::Router& router, const EvaluationApiContext& ctx) {
  using evaluation_routes::add;
  add(router, ctx, "PUT", "/api/v1/accounts/{id}/evaluation-consent", Body::kJson, [&ctx](const Call& c) {
    if (Status st = unknown_fields(*c.body, {"given"}); !st) return http::error_response(st);
    if (!c.body->contains("given")) return http::error_response(field_required("given"));
    bool given = false;
    if (Status st = read_bool(*c.body, "given", given); !st) return http::error_response(st);
    auto saved = ctx.outcomes.record_consent(c.id, given);
    if (!saved) return http::error_response(saved.status());
    return http::json_response(200, to_json(*saved));
  });
  // The file is the body; ?apply=true stores it, anything else is a dry run.
  add(router, ctx, "POST", "/api/v1/schemes/{id}/outcomes/import", Body::kNone, [&ctx](const Call& c) {
    if (!is_csv(c.req.header("Content-Type")))
      return http::error_response(
          Status::invalid("unsupported_media_type", "Send the outcomes file as text/csv.", "Content-Type"));
    const std::string_view apply_text = c.req.query_param("apply");
    if (!apply_text.empty() && apply_text != "true" && apply_text != "false")
      return http::error_response(
          Status::invalid("query_not_boolean", "The query parameter 'apply' must be true or false.", "apply"));
    auto summary = ctx.outcomes.import_csv(c.id, c.req.body, apply_text == "true");
    if (!summary) return http::error_response(summary.status());
    return http::json_response(200, to_json(*summary));
  });
}

}  // namespace mentoring::api
