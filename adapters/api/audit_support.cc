#include "adapters/api/audit_support.h"

#include <openssl/crypto.h>

#include <stdexcept>

#include "adapters/http/json.h"

namespace mentoring::api {
using core::Result;
using core::Status;

Status authorise_service(const http::Request& req, const std::string& service_token) {
  if (service_token.empty())
    return Status::unauthenticated("api_disabled", "The API is not enabled: set api.service_token.");
  const std::string_view auth = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer)
    return Status::unauthenticated("api_token_missing", "Send the service token as 'Authorization: Bearer <token>'.");
  const std::string_view token = auth.substr(kBearer.size());
  if (token.size() != service_token.size() || CRYPTO_memcmp(token.data(), service_token.data(), token.size()) != 0)
    return Status::unauthenticated("api_token_invalid", "The service token is not valid.");
  return Status::ok();
}

Result<core::Actor> actor_from_request(const http::Request& req) {
  bool present = false;
  for (const auto& h : req.headers) {
    if (h.name.size() != std::string_view(kActorHeader).size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < h.name.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(h.name[i])) ==
             std::tolower(static_cast<unsigned char>(kActorHeader[i]));
    present = present || same;
  }
  if (!present) return core::Actor::service();
  auto actor = core::parse_actor(req.header(kActorHeader));
  if (!actor || actor->is_service())
    return Status::invalid("actor_invalid", "The X-Mentoring-Actor header must be the id of an account.", kActorHeader);
  return *actor;
}

void add_service_route(http::Router& router, const std::string& service_token, const std::string& method,
                       const std::string& pattern, ServiceHandler fn) {
  Status st = router.add(method, pattern,
                         [&service_token, fn = std::move(fn)](const http::Request& req, const http::PathParams& p) {
                           if (Status auth = authorise_service(req, service_token); !auth) {
                             http::Response res = http::error_response(auth);
                             res.set_header("WWW-Authenticate", "Bearer");
                             return res;
                           }
                           auto actor = actor_from_request(req);
                           if (!actor) return http::error_response(actor.status());
                           return fn(req, p, *actor);
                         });
  if (!st) throw std::logic_error("route " + method + " " + pattern + ": " + st.to_string());
}

Result<std::optional<std::int64_t>> int_from_query(const http::Request& req, const char* name) {
  const std::string_view v = req.query_param(name);
  if (v.empty()) return std::optional<std::int64_t>();
  if (v.size() > 18)
    return Status::invalid("query_value_invalid", std::string("The parameter '") + name + "' is too large.", name);
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9')
      return Status::invalid("query_value_invalid", std::string("The parameter '") + name + "' must be a whole number.",
                             name);
    n = n * 10 + (c - '0');
  }
  return std::optional<std::int64_t>(n);
}

}  // namespace mentoring::api
