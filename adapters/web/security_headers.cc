#include "adapters/web/security_headers.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace mentoring::web {
namespace {

core::Status bad_origin(std::string_view origin, std::string_view why) {
  // The entry is quoted as given but cut short: it comes from configuration
  // and ends up in logs.
  std::string shown(origin.substr(0, 200));
  return core::Status::invalid("portal_origin_invalid",
                               "The portal origin \"" + shown + "\" is not valid: " + std::string(why) + ".");
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool is_dns_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      std::string_view label = host.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
      label_start = i + 1;
      continue;
    }
    char c = host[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

}  // namespace

core::Result<std::string> normalise_origin(std::string_view origin) {
  if (origin.empty()) return bad_origin(origin, "it is empty");
  for (char c : origin) {
    // Spaces, ';' and ',' would let an entry add its own CSP directives.
    if (static_cast<unsigned char>(c) <= 0x20 || c == ';' || c == ',' || c == '\'' || c == '"' ||
        static_cast<unsigned char>(c) >= 0x7f)
      return bad_origin(origin, "it contains a space, quote, ';', ',' or a non-ASCII character");
  }
  auto parsed = boost::urls::parse_absolute_uri(origin);
  if (!parsed) return bad_origin(origin, "it is not an absolute URL such as https://portal.example.ac.uk");
  const boost::urls::url_view& url = *parsed;
  const std::string scheme = to_lower(url.scheme());
  if (scheme != "https" && scheme != "http") return bad_origin(origin, "the scheme must be https");
  if (!url.has_authority()) return bad_origin(origin, "it has no host");
  if (url.has_userinfo()) return bad_origin(origin, "it must not contain a user name or password");
  if (!url.encoded_path().empty()) return bad_origin(origin, "it must not have a path, not even \"/\"");
  if (url.has_query()) return bad_origin(origin, "it must not have a query");
  if (url.has_fragment()) return bad_origin(origin, "it must not have a fragment");

  std::string host;
  bool loopback = false;
  switch (url.host_type()) {
    case boost::urls::host_type::name: {
      host = to_lower(url.encoded_host());
      if (!is_dns_name(host)) return bad_origin(origin, "the host is not a valid DNS name");
      loopback = host == "localhost";
      break;
    }
    case boost::urls::host_type::ipv4: {
      auto address = url.host_ipv4_address();
      host = address.to_string();
      loopback = address.is_loopback();
      break;
    }
    case boost::urls::host_type::ipv6: {
      auto address = url.host_ipv6_address();
      host = "[" + address.to_string() + "]";
      loopback = address.is_loopback();
      break;
    }
    default:
      return bad_origin(origin, "it has no host");
  }
  if (scheme == "http" && !loopback)
    return bad_origin(origin, "the scheme must be https (http is allowed for loopback hosts only)");

  std::string result = scheme + "://" + host;
  if (url.has_port()) {
    std::string_view port = url.port();
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return bad_origin(origin, "the port must be a number from 1 to 65535");
    unsigned long number = std::stoul(std::string(port));
    if (number == 0 || number > 65535) return bad_origin(origin, "the port must be a number from 1 to 65535");
    const bool default_port = (scheme == "https" && number == 443) || (scheme == "http" && number == 80);
    if (!default_port) result += ":" + std::to_string(number);
  }
  return result;
}

SecurityPolicy SecurityPolicy::parse(std::span<const std::string> origins, std::vector<core::Status>& rejected) {
  SecurityPolicy policy;
  for (const std::string& origin : origins) {
    auto normalised = normalise_origin(origin);
    if (!normalised.is_ok()) {
      rejected.push_back(normalised.status());
      continue;
    }
    if (std::find(policy.portal_origins.begin(), policy.portal_origins.end(), normalised.value()) ==
        policy.portal_origins.end())
      policy.portal_origins.push_back(std::move(normalised).value());
  }
  return policy;
}

core::Result<SecurityPolicy> SecurityPolicy::parse_strict(std::span<const std::string> origins) {
  std::vector<core::Status> rejected;
  SecurityPolicy policy = parse(origins, rejected);
  if (!rejected.empty()) return rejected.front();
  return policy;
}

std::string SecurityPolicy::content_security_policy() const {
  std::string portals;
  for (const std::string& origin : portal_origins) portals += " " + origin;
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
         "connect-src 'self'; form-action 'self'" + portals + "; frame-ancestors 'self'" + portals +
         "; base-uri 'none'; object-src 'none'";
}

void apply_security_headers(http::Response& response, const SecurityPolicy& policy) {
  response.set_header("Content-Security-Policy", policy.content_security_policy());
  response.set_header("X-Content-Type-Options", "nosniff");
  // Not no-referrer: under that policy browsers send "Origin: null" on form
  // posts, and our own CSRF checks compare the Origin header.
  response.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  response.set_header("Permissions-Policy",
                      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=()");
}

}  // namespace mentoring::web
