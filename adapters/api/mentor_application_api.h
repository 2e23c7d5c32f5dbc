// Mentor recruitment by application under /api/v1 (app/mentor_recruitment.h).
// The host's back end calls these with the service token. Applying and
// listing one's own applications act for the person named in
// X-Mentoring-Actor (invalid_argument "actor_required" without it); a
// decision names its decider the same way (or the service). See
// docs/api.md, "Mentor applications".
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/mentor_recruitment.h"

namespace mentoring::api {

struct MentorApplicationApiContext {
  app::MentorRecruitmentService& recruitment;
  // Bearer token for host back-end calls; empty disables these routes.
  std::string service_token;
};

// `ctx` must outlive the router.
void add_mentor_application_routes(http::Router& router, const MentorApplicationApiContext& ctx);

}  // namespace mentoring::api
