#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/import_api.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

boost::json::object to_json(const app::ImportReport& r) {
  json::array rows;
  for (const auto& row : r.rows) {
    json::object o{{"row", row.row}, {"outcome", app::to_string(row.outcome)}, {"detail", row.detail}};
    if (row.accountid > 0)
      o["accountid"] = row.accountid;
    else
      o["accountid"] = nullptr;
    rows.push_back(std::move(o));
  }
  json::array errors;
  for (const auto& e : r.errors)
    errors.push_back(json::object{{"row", e.row},
                                  {"column", e.column},
                                  {"column_name", e.column_name},
                                  {"reason", e.reason},
                                  {"message", e.message}});
  return json::object{{"kind", app::to_string(r.kind)},
                      {"dry_run", r.dry_run},
                      {"applied", r.applied},
                      {"encoding", core::to_string(r.encoding)},
                      {"rows_read", r.rows_read},
                      {"created", r.created},
                      {"updated", r.updated},
                      {"unchanged", r.unchanged},
                      {"error_count", r.error_count()},
                      {"rows", std::move(rows)},
                      {"rows_not_listed", r.rows_read > r.rows.size() ? r.rows_read - r.rows.size() : 0},
                      {"errors", std::move(errors)},
                      {"errors_not_listed", r.errors_not_listed}};
}

namespace {

Result<app::ImportKind> kind_of(const PathParams& p) {
  auto kind = app::parse_import_kind(p.get("kind"));
  if (!kind)
    return Status::not_found("import_kind_unknown",
                             "There is no import of that kind: use mentees, mentors or training.");
  return *kind;
}

Status check_csv_content_type(const Request& req) {
  std::string type(req.header("Content-Type"));
  const std::size_t semi = type.find(';');
  std::string params = semi == std::string::npos ? std::string() : type.substr(semi + 1);
  type = type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "text/csv")
    return Status::invalid("unsupported_media_type", "Send the file as Content-Type: text/csv.", "Content-Type");
  // The reader detects UTF-8 and Windows-1252 itself; a declared charset is
  // accepted but not trusted.
  return Status::ok();
}

Result<bool> dry_run_of(const Request& req) {
  const std::string_view v = req.query_param("dry_run");
  if (!req.has_query_param("dry_run") || v == "false" || v == "0") return false;
  if (v == "true" || v == "1" || v.empty()) return true;
  return Status::invalid("dry_run_invalid", "The parameter 'dry_run' must be true or false.", "dry_run");
}

Response csv_response(std::string body, const std::string& filename) {
  Response res;
  res.status = 200;
  res.body = std::move(body);
  res.set_header("Content-Type", "text/csv; charset=utf-8");
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  return res;
}

}  // namespace

void add_import_routes(http::Router& router, const ImportApiContext& ctx) {
  add_service_route(router, ctx.service_token, "GET", "/api/v1/imports/{kind}/template",
                    [](const Request&, const PathParams& p, const core::Actor&) {
                      auto kind = kind_of(p);
                      if (!kind) return http::error_response(kind.status());
                      return csv_response(app::import_template_csv(*kind),
                                          std::string(app::to_string(*kind)) + "-template.csv");
                    });
  add_service_route(router, ctx.service_token, "POST", "/api/v1/imports/{kind}",
                    [&ctx](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto kind = kind_of(p);
                      if (!kind) return http::error_response(kind.status());
                      auto dry_run = dry_run_of(req);
                      if (!dry_run) return http::error_response(dry_run.status());
                      if (Status st = check_csv_content_type(req); !st) return http::error_response(st);
                      auto report = ctx.imports.run(*kind, req.body, *dry_run, actor, ctx.limits);
                      if (!report) {
                        Response res = http::error_response(report.status());
                        // Every file limit (bytes, rows, columns, cell size) is
                        // "the upload is too large", not a rate limit.
                        if (report.status().code() == core::Code::kResourceExhausted) res.status = 413;
                        return res;
                      }
                      if (!*dry_run && !report->applied) {
                        // The error body, with the preview so the rows can be fixed.
                        Response res = http::error_response(Status::invalid(
                            "import_rows_invalid",
                            std::to_string(report->error_count()) +
                                " rows have errors; nothing was imported. Fix them and send the file again.",
                            "file"));
                        json::value body = json::parse(res.body);
                        body.as_object()["report"] = to_json(*report);
                        return http::json_response(res.status, body);
                      }
                      return http::json_response(200, to_json(*report));
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/exports/{kind}",
                    [&ctx](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto kind = kind_of(p);
                      if (!kind) return http::error_response(kind.status());
                      const char* scope = *kind == app::ImportKind::kTraining ? "schemeid" : "cohortid";
                      auto id = int_from_query(req, scope);
                      if (!id) return http::error_response(id.status());
                      if (!id->has_value())
                        return http::error_response(Status::invalid(
                            "field_required", std::string("The parameter '") + scope + "' is required.", scope));
                      auto csv = ctx.imports.export_csv(*kind, **id, actor);
                      if (!csv) return http::error_response(csv.status());
                      return csv_response(std::move(csv).value(),
                                          std::string(app::to_string(*kind)) + "-" + std::to_string(**id) + ".csv");
                    });
}

}  // namespace mentoring::api
