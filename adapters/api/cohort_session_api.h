// A cohort's group sessions under /api/v1 (app/cohort_sessions.h): the
// midpoint group check-in and the end-of-scheme meeting, and who attended.
// The host's back end calls these with the service token;
// X-Mentoring-Actor names the staff member (or the service acts).
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/cohort_sessions.h"

namespace mentoring::api {

struct CohortSessionApiContext {
  app::CohortSessionService& service;
  // Bearer token for host back-end calls; empty disables these routes.
  std::string service_token;
};

// `ctx` must outlive the router.
void add_cohort_session_routes(http::Router& router, const CohortSessionApiContext& ctx);

}  // namespace mentoring::api
