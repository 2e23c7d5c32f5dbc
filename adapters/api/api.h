// The JSON API under /api/v1 and the health endpoints. Handlers translate
// JSON into use-case calls and Status into JSON errors; no rule lives here.
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/accounts.h"
#include "app/enrolment.h"
#include "app/scheme_setup.h"
#include "core/stores.h"

namespace mentoring::api {

struct ApiContext {
  core::Database& db;
  app::Accounts& accounts;
  app::SchemeSetup& schemes;
  app::EnrolmentService& enrolments;
  // Bearer token for host back-end calls; empty disables /api/v1.
  std::string service_token;
  std::string version;  // plugin release, e.g. "0.1.0"
};

// GET /healthz, GET /readyz.
void add_health_routes(http::Router& router, const ApiContext& ctx);
// Everything under /api/v1. `ctx` must outlive the router.
void add_api_routes(http::Router& router, const ApiContext& ctx);

}  // namespace mentoring::api
