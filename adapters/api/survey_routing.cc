#include "adapters/api/survey_routing.h"

#include <stdexcept>

#include "adapters/api/audit_support.h"

namespace mentoring::api::evaluation_routes {
using core::Status;

namespace {

constexpr std::size_t kMaxJsonDepth = 16;

}  // namespace

void add(http::Router& router, const EvaluationApiContext& ctx, std::string method, std::string pattern, Body body,
         Handler fn) {
  Status st = router.add(method, pattern,
                         [&ctx, body, fn = std::move(fn)](const http::Request& req, const http::PathParams& params) {
                           if (Status auth = authorise_service(req, ctx.service_token); !auth) {
                             http::Response res = http::error_response(auth);
                             res.set_header("WWW-Authenticate", "Bearer");
                             return res;
                           }
                           auto id = params.get_int64("id");
                           if (!id) return http::error_response(id.status());
                           if (body == Body::kNone) return fn(Call{req, *id, nullptr});
                           auto parsed = http::parse_json_object_body(req, kMaxJsonDepth);
                           if (!parsed) return http::error_response(parsed.status());
                           return fn(Call{req, *id, &*parsed});
                         });
  // Routes are fixed at build time; a pattern the router refuses is a bug.
  if (!st) throw std::logic_error("route " + method + " " + pattern + ": " + st.to_string());
}

}  // namespace mentoring::api::evaluation_routes
