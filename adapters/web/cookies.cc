#include "adapters/web/cookies.h"

#include <boost/url/parse.hpp>
#include <strings.h>

namespace mentoring::web {

std::string set_cookie_header(std::string_view name, std::string_view value, const CookieAttributes& a) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + a.path;
  if (a.max_age >= 0) out += "; Max-Age=" + std::to_string(a.max_age);
  out += "; HttpOnly";
  out += a.secure ? "; SameSite=None; Secure; Partitioned" : "; SameSite=Lax";
  return out;
}

std::optional<std::string> read_cookie(const http::Request& request, std::string_view name) {
  for (const auto& h : request.headers) {
    if (h.name.size() != 6 || strncasecmp(h.name.data(), "cookie", 6) != 0) continue;
    std::string_view rest = h.value;
    while (!rest.empty()) {
      auto semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && (pair.front() == ' ' || pair.front() == '\t')) pair.remove_prefix(1);
      while (!pair.empty() && (pair.back() == ' ' || pair.back() == '\t')) pair.remove_suffix(1);
      const auto eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (pair.substr(0, eq) != name) continue;
      std::string_view value = pair.substr(eq + 1);
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
  }
  return std::nullopt;
}

bool cookies_secure_for(std::string_view public_url, bool configured) {
  if (!configured) return false;
  auto u = boost::urls::parse_absolute_uri(public_url);
  if (!u) return true;
  if (u->scheme() != "http") return true;
  const std::string host = u->host();
  return !(host == "127.0.0.1" || host == "[::1]" || host == "::1" || host == "localhost");
}

void add_set_cookie(http::Response& response, std::string value) {
  response.headers.push_back({"Set-Cookie", std::move(value)});
}

}  // namespace mentoring::web
