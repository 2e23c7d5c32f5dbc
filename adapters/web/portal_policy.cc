#include "adapters/web/portal_policy.h"

#include <algorithm>
#include <boost/url/parse.hpp>

namespace mentoring::web {

namespace {

std::optional<std::string> origin_of(const std::string& url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u || u->host().empty()) return std::nullopt;
  std::string origin = std::string(u->scheme()) + "://" + std::string(u->encoded_host_and_port());
  auto normalised = normalise_origin(origin);
  if (!normalised) return std::nullopt;
  return std::move(normalised).value();
}

}  // namespace

std::vector<std::string> platform_origins(const core::LtiPlatform& platform) {
  std::vector<std::string> out;
  for (const std::string* url : {&platform.issuer, &platform.auth_login_url}) {
    auto o = origin_of(*url);
    if (o && std::find(out.begin(), out.end(), *o) == out.end()) out.push_back(*o);
  }
  return out;
}

PortalPolicyCache::PortalPolicyCache(core::Database& db, const core::Clock& clock, SecurityPolicy base,
                                     std::int64_t ttl_seconds)
    : db_(db), clock_(clock), base_(std::move(base)), ttl_seconds_(ttl_seconds), cached_(base_) {}

SecurityPolicy PortalPolicyCache::current() const {
  const std::int64_t now = clock_.now_ms();
  std::lock_guard<std::mutex> lock(mu_);
  if (loaded_ && now - loaded_at_ms_ < ttl_seconds_ * 1000 && now >= loaded_at_ms_) return cached_;
  std::vector<std::string> origins = base_.portal_origins;
  core::Status st = db_.transact([&](core::Stores& s) -> core::Status {
    auto platforms = s.lti.list_platforms();
    if (!platforms) return platforms.status();
    for (const auto& p : *platforms)
      for (auto& o : platform_origins(p))
        if (std::find(origins.begin(), origins.end(), o) == origins.end()) origins.push_back(std::move(o));
    return core::Status::ok();
  });
  // A failed read keeps what was known, and is retried after the same wait
  // rather than on every response while the database is down.
  loaded_ = true;
  loaded_at_ms_ = now;
  if (!st) return cached_;
  SecurityPolicy policy = base_;
  policy.portal_origins = std::move(origins);
  cached_ = std::move(policy);
  return cached_;
}

}  // namespace mentoring::web
