// GET /api/v1/audit: the audit log (core/audit.h), newest first, filtered by
// entity, actor, action and time range, and paged. See docs/api.md.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "adapters/http/router.h"
#include "app/audit.h"

namespace mentoring::api {

struct AuditApiContext {
  app::AuditService& audit;
  // Bearer token for host back-end calls; empty disables these routes.
  std::string service_token;
};

boost::json::object to_json(const core::AuditEntry& e);

// Adds the route. `ctx` must outlive the router.
void add_audit_routes(http::Router& router, const AuditApiContext& ctx);

}  // namespace mentoring::api
