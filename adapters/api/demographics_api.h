// Demographic monitoring data under /api/v1 (app/demographics.h): the
// questions, one account's answers (read only with the confidential-data
// right, and audited), re-encryption under the current key, and counts by
// group with small numbers suppressed. Every route answers 409
// "demographics_disabled" while no key is configured. See docs/api.md.
#pragma once

#include <string>

#include "adapters/http/router.h"
#include "app/demographics.h"

namespace mentoring::api {

struct DemographicsApiContext {
  app::DemographicsService& demographics;
  std::string service_token;
};

void add_demographics_routes(http::Router& router, const DemographicsApiContext& ctx);

}  // namespace mentoring::api
