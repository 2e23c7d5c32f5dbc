// Route registration shared by the evaluation routes (survey_routes.cc,
// outcome_routes.cc, report_routes.cc): the bearer-token check, the path id
// and the JSON body, as for the rest of /api/v1.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <string>

#include "adapters/api/survey_api.h"
#include "adapters/http/json.h"
#include "adapters/http/router.h"

namespace mentoring::api::evaluation_routes {

struct Call {
  const http::Request& req;
  std::int64_t id;
  const boost::json::object* body;  // null unless the route takes a JSON body
};
using Handler = std::function<http::Response(const Call&)>;

enum class Body { kNone, kJson };

// Registers `pattern` (with one "{id}"): checks the token, reads the id and,
// for Body::kJson, the JSON object body, then runs `fn`.
void add(http::Router& router, const EvaluationApiContext& ctx, std::string method, std::string pattern, Body body,
         Handler fn);

}  // namespace mentoring::api::evaluation_routes
