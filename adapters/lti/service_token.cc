#include "adapters/lti/service_token.h"

#include <algorithm>

#include "adapters/lti/jose.h"
#include "adapters/web/secrets.h"

namespace mentoring::lti {
namespace json = boost::json;
using core::Result;
using core::Status;

boost::json::object client_assertion_claims(const TokenEndpoint& endpoint, const std::string& jti,
                                            core::UnixSeconds now) {
  const std::string& aud = endpoint.audience.empty() ? endpoint.token_url : endpoint.audience;
  return json::object{{"iss", endpoint.client_id},
                      {"sub", endpoint.client_id},
                      {"aud", aud},
                      {"iat", now},
                      {"exp", now + kClientAssertionSeconds},
                      {"jti", jti}};
}

std::string form_encode(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size() * 3);
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string ServiceTokens::cache_key(const TokenEndpoint& endpoint, std::vector<std::string>& scopes) {
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  // The URL and client_id are part of the key: a changed registration must
  // not reuse a token issued under the old one.
  std::string key = std::to_string(endpoint.platformid) + "\n" + endpoint.client_id + "\n" + endpoint.token_url;
  for (const auto& s : scopes) key += "\n" + s;
  return key;
}

void ServiceTokens::invalidate(const TokenEndpoint& endpoint, std::vector<std::string> scopes) {
  const std::string key = cache_key(endpoint, scopes);
  std::lock_guard<std::mutex> lock(mu_);
  cache_.erase(key);
}

Result<std::string> ServiceTokens::access_token(const TokenEndpoint& endpoint, std::vector<std::string> scopes) {
  if (endpoint.token_url.empty())
    return Status::failed_precondition("service_token_url_missing",
                                       "The platform's registration has no token URL (auth_token_url).");
  const std::string key = cache_key(endpoint, scopes);
  const core::UnixSeconds now = clock_.now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (it->second.expires_at - kAccessTokenMarginSeconds > now) return it->second.token;
      cache_.erase(it);
    }
  }
  auto jti = web::random_token(24);
  if (!jti) return jti.status();
  auto assertion = signer_(client_assertion_claims(endpoint, *jti, now));
  if (!assertion) return assertion.status();
  std::string scope;
  for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;

  HttpRequest req;
  req.method = "POST";
  req.url = endpoint.token_url;
  req.max_bytes = 64 * 1024;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  req.body = "grant_type=client_credentials&client_assertion_type=" +
             form_encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") +
             "&client_assertion=" + form_encode(*assertion) + "&scope=" + form_encode(scope);
  auto res = http_.send(req);
  if (!res) return res.status();
  auto body = parse_json_strict(res->body);
  if (res->status >= 500)
    return Status::unavailable("service_token_unavailable",
                               "The platform's token endpoint answered HTTP " + std::to_string(res->status) + ".");
  if (res->status != 200) {
    std::string error = "no error code";
    if (body && body->is_object()) {
      if (const json::value* e = body->as_object().if_contains("error"); e && e->is_string())
        error = std::string(std::string_view(e->as_string()).substr(0, 100));
    }
    return Status::permission_denied("service_token_refused", "The platform refused the access token request (HTTP " +
                                                                  std::to_string(res->status) + ", " + error + ").");
  }
  if (!body || !body->is_object())
    return Status::unavailable("service_token_malformed", "The token endpoint's answer is not a JSON object.");
  const json::object& o = body->as_object();
  const json::value* token = o.if_contains("access_token");
  const json::value* type = o.if_contains("token_type");
  const json::value* expires = o.if_contains("expires_in");
  if (token == nullptr || !token->is_string() || token->as_string().empty() || token->as_string().size() > 4096)
    return Status::unavailable("service_token_malformed", "The token endpoint's answer has no usable access_token.");
  std::string type_text = type != nullptr && type->is_string() ? std::string(type->as_string()) : "";
  std::transform(type_text.begin(), type_text.end(), type_text.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (type_text != "bearer")
    return Status::unavailable("service_token_malformed", "The token endpoint's answer is not a Bearer token.");
  // RFC 6749 makes expires_in optional; without it the token is used once.
  std::int64_t lifetime = 0;
  if (expires != nullptr) {
    if (expires->is_int64() && expires->as_int64() > 0)
      lifetime = expires->as_int64();
    else if (expires->is_uint64())
      lifetime = 86400;
    else
      return Status::unavailable("service_token_malformed",
                                 "The token endpoint's expires_in is not a positive number.");
  }
  std::string out(token->as_string());
  if (lifetime > kAccessTokenMarginSeconds) {
    std::lock_guard<std::mutex> lock(mu_);
    cache_[key] = Cached{out, now + std::min<std::int64_t>(lifetime, 86400)};
  }
  return out;
}

}  // namespace mentoring::lti
