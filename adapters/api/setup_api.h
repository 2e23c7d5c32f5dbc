// The scheme set-up part of the JSON API under /api/v1: SMART objectives,
// the governance register, the target audience and mentor rules, mentee and
// mentor profiles, mentor training, readiness and CPD, and the agreement
// template. Same authentication and error shape as api.h; see docs/api.md.
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/setup_objectives.h"
#include "app/setup_profiles.h"
#include "app/setup_training.h"

namespace mentoring::api {

struct SetupApiContext {
  app::ObjectiveService& objectives;
  app::GovernanceService& governance;
  app::EligibilityService& eligibility;
  app::ProfileService& profiles;
  app::TrainingService& training;
  app::AgreementService& agreements;
  // Bearer token for host back-end calls; empty disables these routes (401
  // "api_disabled"), as for the rest of /api/v1.
  std::string service_token;
};

// Adds the set-up routes. `ctx` must outlive the router.
void add_setup_routes(http::Router& router, const SetupApiContext& ctx);

}  // namespace mentoring::api
