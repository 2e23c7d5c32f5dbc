#include <charconv>

#include "adapters/api/json_fields.h"
#include "adapters/api/survey_api.h"
#include "adapters/api/survey_codec.h"
#include "adapters/api/survey_routing.h"
#include "app/evaluation_report_csv.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using evaluation_routes::Body;
using evaluation_routes::Call;
using http::Response;

namespace {

Result<std::optional<std::int64_t>> id_param(const http::Request& req, const char* name, bool required) {
  if (!req.has_query_param(name)) {
    if (required)
      return Status::invalid("query_required", std::string("Give the query parameter '") + name + "'.", name);
    return std::optional<std::int64_t>();
  }
  const std::string_view v = req.query_param(name);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || out <= 0)
    return Status::invalid("query_not_id", std::string("The query parameter '") + name + "' must be an id.", name);
  return std::optional<std::int64_t>(out);
}

Result<app::EvaluationReport> build(const EvaluationApiContext& ctx, const Call& c) {
  auto cohort = id_param(c.req, "cohort", true);
  if (!cohort) return cohort.status();
  auto compare = id_param(c.req, "compare", false);
  if (!compare) return compare.status();
  return ctx.reports.report(c.id, **cohort, *compare);
}

// The cohort's check-in tallies, as the report page shows them; none when
// this installation has no check-ins service.
Result<std::vector<app::PublishedCheckinTally>> tallies(const EvaluationApiContext& ctx,
                                                        const app::EvaluationReport& r) {
  if (!ctx.checkins) return std::vector<app::PublishedCheckinTally>();
  return ctx.checkins->tallies(r.cohort.id);
}

// "report-<scheme>-<cohort>.<ext>": ids only, so the header needs no escaping.
std::string attachment(const app::EvaluationReport& r, const char* ext) {
  return "attachment; filename=\"report-" + std::to_string(r.scheme.id) + "-" + std::to_string(r.cohort.id) + "." +
         ext + "\"";
}

Response file_response(std::string content_type, std::string disposition, std::string body) {
  Response res;
  res.status = 200;
  res.set_header("Content-Type", std::move(content_type));
  res.set_header("Content-Disposition", std::move(disposition));
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.body = std::move(body);
  return res;
}

}  // namespace

void add_report_routes(http::Router& router, const EvaluationApiContext& ctx) {
  using evaluation_routes::add;
  add(router, ctx, "GET", "/api/v1/schemes/{id}/report", Body::kNone, [&ctx](const Call& c) {
    auto r = build(ctx, c);
    if (!r) return http::error_response(r.status());
    auto t = tallies(ctx, *r);
    if (!t) return http::error_response(t.status());
    json::object out = to_json(*r);
    if (ctx.checkins) out["checkins"] = checkins_json(*t);
    return http::json_response(200, out);
  });
  add(router, ctx, "GET", "/api/v1/schemes/{id}/report.csv", Body::kNone, [&ctx](const Call& c) {
    auto r = build(ctx, c);
    if (!r) return http::error_response(r.status());
    auto t = tallies(ctx, *r);
    if (!t) return http::error_response(t.status());
    return file_response("text/csv; charset=utf-8", attachment(*r, "csv"), app::report_csv(*r, *t));
  });
  add(router, ctx, "GET", "/api/v1/schemes/{id}/report.pdf", Body::kNone, [&ctx](const Call& c) {
    if (!ctx.render_pdf)
      return http::error_response(
          Status::unavailable("report_pdf_unavailable", "This installation cannot render reports as PDF."));
    auto r = build(ctx, c);
    if (!r) return http::error_response(r.status());
    auto t = tallies(ctx, *r);
    if (!t) return http::error_response(t.status());
    auto pdf = ctx.render_pdf(*r, *t);
    if (!pdf) return http::error_response(pdf.status());
    return file_response("application/pdf", attachment(*r, "pdf"), std::string(pdf->begin(), pdf->end()));
  });
  add(router, ctx, "PUT", "/api/v1/cohorts/{id}/audience-size", Body::kJson, [&ctx](const Call& c) {
    if (Status st = unknown_fields(*c.body, {"size"}); !st) return http::error_response(st);
    std::int64_t size = 0;
    if (Status st = read_int64(*c.body, "size", size, true); !st) return http::error_response(st);
    if (Status st = ctx.reports.set_audience_size(c.id, size); !st) return http::error_response(st);
    return http::json_response(200, json::object{{"cohortid", c.id}, {"size", size}});
  });
}

}  // namespace mentoring::api
