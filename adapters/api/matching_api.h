// The matching part of the JSON API under /api/v1: matching runs (start,
// read with report and explanations, publish, discard, resolve a hybrid
// choice period), pins and bans, the mentor directory, mentee requests,
// pairings and their endings. Same authentication and error shape as api.h;
// see docs/api.md ("Matching").
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/matching_pairings.h"
#include "app/matching_runs.h"

namespace mentoring::api {

struct MatchingApiContext {
  app::MatchingService& matching;
  app::PairingService& pairings;
  // Bearer token for host back-end calls; empty disables these routes (401
  // "api_disabled"), as for the rest of /api/v1.
  std::string service_token;
};

// Adds the matching routes. `ctx` must outlive the router.
void add_matching_routes(http::Router& router, const MatchingApiContext& ctx);

}  // namespace mentoring::api
