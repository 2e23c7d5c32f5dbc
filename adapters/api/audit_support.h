// What the API routes that write or read personal data share: the service
// token check and the acting person.
//
// The host's back end authenticates with the service token (api.h). It may
// add `X-Mentoring-Actor: <account id>` to say which signed-in person it is
// acting for; the audit log then names that account instead of "service",
// and reads of confidential data (demographics) require it (see
// app/demographics.h for who may read).
#pragma once

#include <functional>
#include <string>

#include "adapters/http/message.h"
#include "adapters/http/router.h"
#include "core/audit.h"
#include "core/status.h"

namespace mentoring::api {

inline constexpr const char* kActorHeader = "X-Mentoring-Actor";

// The bearer token check of /api/v1, in constant time.
core::Status authorise_service(const http::Request& req, const std::string& service_token);

// The actor the request names: service when the header is absent; an
// account id otherwise. invalid_argument "actor_invalid" (field
// X-Mentoring-Actor) for anything but a positive decimal id.
core::Result<core::Actor> actor_from_request(const http::Request& req);

// A handler of an authorised request, with its actor.
using ServiceHandler = std::function<http::Response(const http::Request&, const http::PathParams&, const core::Actor&)>;

// Registers `fn` behind the token check and the actor header. A pattern the
// router refuses is a bug: throws std::logic_error while routes are built.
void add_service_route(http::Router& router, const std::string& service_token, const std::string& method,
                       const std::string& pattern, ServiceHandler fn);

// Reads ?name= as a whole number >= 0 (an empty value is absent).
core::Result<std::optional<std::int64_t>> int_from_query(const http::Request& req, const char* name);

}  // namespace mentoring::api
