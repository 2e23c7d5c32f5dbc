// Point-of-contact concerns and midpoint and end check-ins under /api/v1
// (app/concerns.h, app/checkins.h). The host's back end calls them with the
// service token and names the person it acts for in X-Mentoring-Actor; every
// route about a person's own concerns or check-ins requires that header
// (invalid_argument "actor_required"). Concern text is returned only to the
// raiser, the scheme's point of contact and the scheme lead, and each such
// read is audited. See docs/concerns-and-check-ins.md and docs/api.md.
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/checkins.h"
#include "app/concerns.h"

namespace mentoring::api {

struct ConcernApiContext {
  app::ConcernService& concerns;
  app::CheckinService& checkins;
  // Bearer token for host back-end calls; empty disables these routes.
  std::string service_token;
};

// `ctx` must outlive the router.
void add_concern_routes(http::Router& router, const ConcernApiContext& ctx);
void add_checkin_routes(http::Router& router, const ConcernApiContext& ctx);
// POST /api/v1/concerns/rekey (adapters/api/concern_rekey_routes.cc).
void add_concern_rekey_routes(http::Router& router, const ConcernApiContext& ctx);

// invalid_argument "actor_required" unless `actor` names an account.
core::Result<std::int64_t> acting_account(const core::Actor& actor);

}  // namespace mentoring::api
