// POST /api/v1/concerns/rekey: seals the text of every concern and concern
// action again under the current key of privacy.demographics_keys
// (app::ConcernService::rekey), so that an older key can be removed from the
// keyring. The service token and an actor (X-Mentoring-Actor) who holds the
// confidential data responsibility are required; each batch is audited in
// that actor's name. The body is empty or {}.
#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/concern_api.h"
#include "adapters/api/json_fields.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using http::PathParams;
using http::Request;

namespace {

json::object counts_json(const app::RekeyReport& r) {
  return json::object{{"reencrypted", r.reencrypted}, {"already_current", r.already_current}};
}

}  // namespace

void add_concern_rekey_routes(http::Router& router, const ConcernApiContext& ctx) {
  auto& svc = ctx.concerns;
  add_service_route(router, ctx.service_token, "POST", "/api/v1/concerns/rekey",
                    [&svc](const Request& req, const PathParams&, const core::Actor& actor) {
                      if (!req.body.empty()) {
                        auto body = http::parse_json_object_body(req, 1);
                        if (!body) return http::error_response(body.status());
                        if (core::Status st = unknown_fields(*body, {}); !st) return http::error_response(st);
                      }
                      auto report = svc.rekey(actor);
                      if (!report) return http::error_response(report.status());
                      return http::json_response(200, json::object{{"key_version", report->key_version},
                                                                   {"concerns", counts_json(report->concerns)},
                                                                   {"actions", counts_json(report->actions)}});
                    });
}

}  // namespace mentoring::api
