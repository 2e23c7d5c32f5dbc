#include "adapters/lti/jwks_cache.h"

#include <algorithm>
#include <cctype>

namespace mentoring::lti {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace

std::optional<std::int64_t> cache_control_max_age(std::string_view cache_control) {
  std::optional<std::int64_t> max_age;
  std::size_t start = 0;
  while (start <= cache_control.size()) {
    auto comma = cache_control.find(',', start);
    if (comma == std::string_view::npos) comma = cache_control.size();
    const std::string directive = lower(trim(cache_control.substr(start, comma - start)));
    start = comma + 1;
    if (directive == "no-store" || directive == "no-cache") return 0;
    constexpr std::string_view kMaxAge = "max-age=";
    if (directive.rfind(kMaxAge, 0) == 0) {
      std::string value = directive.substr(kMaxAge.size());
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      if (value.empty() || value.size() > 12 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        continue;  // unreadable: treated as absent
      max_age = std::stoll(value);
    }
  }
  return max_age;
}

JwksCache::JwksCache(HttpClient& client, const core::Clock& clock, JwksCachePolicy policy)
    : client_(client), clock_(clock), policy_(policy) {}

std::int64_t JwksCache::fetch_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetches_;
}

core::Result<std::shared_ptr<const Jwks>> JwksCache::fetch_locked(Entry& entry, const std::string& url) {
  ++fetches_;
  auto response = client_.get(url, kMaxJwksBytes);
  if (!response)
    return core::Status::unavailable("jwks_unavailable",
                                     "The platform's key set could not be fetched: " + response.status().message());
  if (response->status != 200)
    return core::Status::unavailable("jwks_unavailable", "The platform's key set at " + url + " answered HTTP " +
                                                             std::to_string(response->status) + ".");
  auto parsed = Jwks::parse(response->body);
  if (!parsed)
    return core::Status::unavailable("jwks_invalid", "The platform's key set at " + url + " is not usable (" +
                                                         parsed.status().reason() + ").");
  std::int64_t max_age = cache_control_max_age(response->cache_control).value_or(policy_.default_max_age_seconds);
  max_age = std::clamp<std::int64_t>(max_age, 0, policy_.max_max_age_seconds);
  entry.jwks = std::make_shared<const Jwks>(std::move(parsed).value());
  entry.url = url;
  entry.expires_ms = clock_.now_ms() + max_age * 1000;
  return entry.jwks;
}

core::Result<std::shared_ptr<const Jwks>> JwksCache::get(const std::string& key, const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& entry = entries_[key];
  // A changed registration (new JWKS URL) makes the cached set stale at once.
  if (entry.jwks && entry.url == url && clock_.now_ms() < entry.expires_ms) return entry.jwks;
  return fetch_locked(entry, url);
}

core::Result<std::shared_ptr<const Jwks>> JwksCache::refetch(const std::string& key, const std::string& url) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& entry = entries_[key];
  const std::int64_t now = clock_.now_ms();
  if (entry.last_refetch_ms && now - *entry.last_refetch_ms < policy_.min_refetch_interval_seconds * 1000)
    return core::Status::resource_exhausted(
        "jwks_refetch_rate_limited",
        "The platform's key set was refetched less than " + std::to_string(policy_.min_refetch_interval_seconds) +
            " seconds ago; the token's key is not in it.");
  entry.last_refetch_ms = now;
  return fetch_locked(entry, url);
}

}  // namespace mentoring::lti
