#include "adapters/web/routes.h"

#include "adapters/web/pages/error_pages.h"
#include "adapters/web/static_files.h"

namespace mentoring::web {
namespace {

bool wants_html(const http::Request& req) {
  if (req.path.rfind("/api/", 0) == 0 || req.path == "/api" || req.path == "/healthz" || req.path == "/readyz")
    return false;
  return req.header("Accept").find("text/html") != std::string_view::npos;
}

void add_or_die(http::Router& router, const char* method, const char* pattern, http::RouteFn fn) {
  core::Status st = router.add(method, pattern, std::move(fn));
  if (!st) throw std::logic_error(std::string("route ") + pattern + ": " + st.to_string());
}

}  // namespace

void add_public_web_routes(http::Router& router, const WebContext& ctx) {
  add_or_die(router, "GET", "/static/{*path}", [](const http::Request& req, const http::PathParams& p) {
    return serve_static(req, p.get("path"));
  });
  add_or_die(router, "GET", "/accessibility", [&ctx](const http::Request&, const http::PathParams&) {
    return accessibility_page(ctx.renderer, ctx.policy);
  });
}

http::Response finish_response(const http::Request& req, http::Response res, const WebContext& ctx) {
  const SecurityPolicy policy = ctx.current_policy();
  const bool is_json = res.header("Content-Type").find("application/json") != std::string_view::npos;
  if (res.status >= 400 && is_json && wants_html(req)) {
    switch (res.status) {
      case 400: res = bad_request_page(ctx.renderer, ctx.policy); break;
      case 401:
      case 403: res = forbidden_page(ctx.renderer, ctx.policy); break;
      case 404:
      case 405: {
        const int status = res.status;
        const std::string allow(res.header("Allow"));
        res = not_found_page(ctx.renderer, ctx.policy);
        if (status == 405) {
          res.status = 405;
          res.set_header("Allow", allow);
        }
        break;
      }
      case 503: res = unavailable_page(ctx.renderer, ctx.policy); break;
      default:
        if (res.status >= 500) res = internal_error_page(ctx.renderer, ctx.policy);
        break;
    }
  }
  apply_security_headers(res, policy);
  return res;
}

}  // namespace mentoring::web
