#include "adapters/web/pages/signed_in_pages.h"

#include <stdexcept>

#include "adapters/web/pages/page_handlers.h"

namespace mentoring::web {
namespace {

void add_or_die(http::Router& router, const char* method, const char* pattern, http::RouteFn fn) {
  core::Status st = router.add(method, pattern, std::move(fn));
  if (!st) throw std::logic_error(std::string("route ") + pattern + ": " + st.to_string());
}

}  // namespace

void add_signed_in_pages(http::Router& router, const PageContext& ctx) {
  using Fn = http::Response (*)(const PageContext&, const http::Request&);
  using FnP = http::Response (*)(const PageContext&, const http::Request&, const http::PathParams&);
  auto page = [&ctx](Fn fn) {
    return [&ctx, fn](const http::Request& r, const http::PathParams&) { return fn(ctx, r); };
  };
  auto page_p = [&ctx](FnP fn) {
    return [&ctx, fn](const http::Request& r, const http::PathParams& p) { return fn(ctx, r, p); };
  };
  add_or_die(router, "GET", "/", page(pages::home));
  add_or_die(router, "GET", "/profile/mentee", page(pages::mentee_profile));
  add_or_die(router, "POST", "/profile/mentee", page(pages::mentee_profile));
  add_or_die(router, "GET", "/profile/mentor", page(pages::mentor_profile));
  add_or_die(router, "POST", "/profile/mentor", page(pages::mentor_profile));
  add_or_die(router, "GET", "/matching/choices", page(pages::matching_choices));
  add_or_die(router, "GET", "/relationship", page(pages::relationship));
  add_or_die(router, "GET", "/feedback", page(pages::feedback));
  add_or_die(router, "GET", "/staff", page(pages::staff_dashboard));
  add_or_die(router, "GET", "/staff/schemes/{id}", page_p(pages::scheme_settings));
  add_or_die(router, "POST", "/staff/schemes/{id}", page_p(pages::scheme_settings));
  add_or_die(router, "GET", "/staff/schemes/{id}/participants", page_p(pages::participants));
  add_or_die(router, "GET", "/staff/matching", page(pages::staff_matching));
  add_or_die(router, "GET", "/staff/reports", page(pages::staff_reports));
  add_or_die(router, "GET", "/staff/audit", page(pages::staff_audit));
  add_or_die(router, "GET", "/staff/jobs/{id}", page_p(pages::job_page));
  add_or_die(router, "GET", "/api/v1/jobs/{id}", page_p(pages::job_json));
}

}  // namespace mentoring::web
