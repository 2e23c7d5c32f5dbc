// The JWKS cache's policy with a fixed clock and a scripted fetcher. The key
// set itself is made by OpenSSL here (generate_rsa_key + public_jwk); its
// parsing is tested against PyJWT in jose_test.cc.
#include "adapters/lti/jwks_cache.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <deque>

namespace mentoring::lti {
namespace {

constexpr std::int64_t kT0 = 1780000000000;

std::string jwks_with(const std::vector<std::string>& kids) {
  boost::json::array keys;
  for (const auto& kid : kids) {
    auto key = generate_rsa_key(2048);
    EXPECT_TRUE(key.is_ok());
    keys.push_back(*public_jwk(key->get(), kid));
  }
  return boost::json::serialize(boost::json::object{{"keys", keys}});
}

class FakeHttp final : public HttpClient {
 public:
  std::deque<core::Result<HttpGetResponse>> answers;
  std::vector<std::string> urls;
  core::Result<HttpGetResponse> get(const std::string& url, std::size_t) override {
    urls.push_back(url);
    if (answers.empty()) return core::Status::unavailable("http_fetch_failed", "no answer scripted");
    auto a = answers.front();
    answers.pop_front();
    return a;
  }
  void ok(const std::string& body, const std::string& cache_control = "") {
    answers.push_back(HttpGetResponse{200, body, cache_control});
  }
};

TEST(JwksCacheTest, CacheControlMaxAgeIsRead) {
  EXPECT_EQ(cache_control_max_age("max-age=120"), 120);
  EXPECT_EQ(cache_control_max_age("public, Max-Age=\"60\""), 60);
  EXPECT_EQ(cache_control_max_age("no-store"), 0);
  EXPECT_EQ(cache_control_max_age("public, no-cache, max-age=60"), 0);
  EXPECT_EQ(cache_control_max_age("public"), std::nullopt);
  EXPECT_EQ(cache_control_max_age("max-age=-5"), std::nullopt);
  EXPECT_EQ(cache_control_max_age(""), std::nullopt);
}

TEST(JwksCacheTest, MaxAgeIsHonouredThenTheSetIsFetchedAgain) {
  FakeHttp http;
  core::FixedClock clock(kT0);
  JwksCache cache(http, clock);
  http.ok(jwks_with({"a"}), "max-age=120");
  http.ok(jwks_with({"b"}), "max-age=120");
  auto first = cache.get("p1", "https://p/jwks");
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  EXPECT_NE((*first)->find("a"), nullptr);
  clock.advance_ms(119000);
  EXPECT_EQ((*cache.get("p1", "https://p/jwks"))->find("a") != nullptr, true);
  EXPECT_EQ(cache.fetch_count(), 1);
  clock.advance_ms(1000);
  auto second = cache.get("p1", "https://p/jwks");
  ASSERT_TRUE(second.is_ok());
  EXPECT_NE((*second)->find("b"), nullptr);
  EXPECT_EQ(cache.fetch_count(), 2);
}

TEST(JwksCacheTest, DefaultAgeIsFiveMinutesAndLongAgesAreCappedAtADay) {
  FakeHttp http;
  core::FixedClock clock(kT0);
  JwksCache cache(http, clock);
  const std::string set = jwks_with({"a"});
  http.ok(set);
  ASSERT_TRUE(cache.get("p", "u").is_ok());
  clock.advance_ms(299000);
  ASSERT_TRUE(cache.get("p", "u").is_ok());
  EXPECT_EQ(cache.fetch_count(), 1);
  clock.advance_ms(1000);
  http.ok(set, "max-age=31536000");
  ASSERT_TRUE(cache.get("p", "u").is_ok());
  EXPECT_EQ(cache.fetch_count(), 2);
  clock.advance_ms(86400000 - 1000);
  ASSERT_TRUE(cache.get("p", "u").is_ok());
  EXPECT_EQ(cache.fetch_count(), 2);
  clock.advance_ms(1000);
  http.ok(set);
  ASSERT_TRUE(cache.get("p", "u").is_ok());
  EXPECT_EQ(cache.fetch_count(), 3);
}

TEST(JwksCacheTest, UnknownKidRefetchesOnceThenIsRateLimitedPerPlatform) {
  FakeHttp http;
  core::FixedClock clock(kT0);
  JwksCache cache(http, clock);
  http.ok(jwks_with({"old"}), "max-age=3600");
  ASSERT_TRUE(cache.get("p1", "u1").is_ok());
  http.ok(jwks_with({"old", "new"}), "max-age=3600");
  auto again = cache.refetch("p1", "u1");
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_NE((*again)->find("new"), nullptr);
  // The refetched set is what get() serves now.
  EXPECT_NE((*cache.get("p1", "u1"))->find("new"), nullptr);

  clock.advance_ms(29000);
  auto limited = cache.refetch("p1", "u1");
  EXPECT_EQ(limited.status().reason(), "jwks_refetch_rate_limited");
  EXPECT_EQ(cache.fetch_count(), 2);

  // Another platform has its own allowance.
  http.ok(jwks_with({"x"}));
  EXPECT_TRUE(cache.refetch("p2", "u2").is_ok());

  clock.advance_ms(1000);
  http.ok(jwks_with({"newer"}));
  EXPECT_TRUE(cache.refetch("p1", "u1").is_ok());
  EXPECT_EQ(cache.fetch_count(), 4);
}

TEST(JwksCacheTest, DownOrGarbageFailsWithASpecificReasonAndRecovers) {
  FakeHttp http;
  core::FixedClock clock(kT0);
  JwksCache cache(http, clock);
  http.answers.push_back(core::Status::unavailable("http_fetch_failed", "connection refused"));
  EXPECT_EQ(cache.get("p", "u").status().reason(), "jwks_unavailable");
  http.answers.push_back(HttpGetResponse{503, "{}", ""});
  auto down = cache.get("p", "u");
  EXPECT_EQ(down.status().reason(), "jwks_unavailable");
  EXPECT_NE(down.status().message().find("503"), std::string::npos);
  http.ok("<<not json>>");
  EXPECT_EQ(cache.get("p", "u").status().reason(), "jwks_invalid");
  http.ok("{\"keys\":[]}");
  EXPECT_EQ(cache.get("p", "u").status().reason(), "jwks_invalid");
  // Back: the next call fetches (failures are not cached).
  http.ok(jwks_with({"a"}));
  EXPECT_TRUE(cache.get("p", "u").is_ok());
  EXPECT_EQ(cache.fetch_count(), 5);
}

TEST(JwksCacheTest, AFailedRefetchKeepsTheGoodSet) {
  FakeHttp http;
  core::FixedClock clock(kT0);
  JwksCache cache(http, clock);
  http.ok(jwks_with({"a"}), "max-age=600");
  ASSERT_TRUE(cache.get("p", "u").is_ok());
  http.ok("garbage");
  EXPECT_EQ(cache.refetch("p", "u").status().reason(), "jwks_invalid");
  auto still = cache.get("p", "u");
  ASSERT_TRUE(still.is_ok());
  EXPECT_NE((*still)->find("a"), nullptr);
  EXPECT_EQ(cache.fetch_count(), 2);
}

TEST(JwksCacheTest, AChangedUrlIsFetchedAtOnce) {
  FakeHttp http;
  core::FixedClock clock(kT0);
  JwksCache cache(http, clock);
  http.ok(jwks_with({"a"}), "max-age=600");
  http.ok(jwks_with({"b"}), "max-age=600");
  ASSERT_TRUE(cache.get("p", "u1").is_ok());
  auto moved = cache.get("p", "u2");
  ASSERT_TRUE(moved.is_ok());
  EXPECT_NE((*moved)->find("b"), nullptr);
  EXPECT_EQ(http.urls, (std::vector<std::string>{"u1", "u2"}));
}

}  // namespace
}  // namespace mentoring::lti
