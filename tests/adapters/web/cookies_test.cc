#include "adapters/web/cookies.h"

#include <gtest/gtest.h>

#include "adapters/web/secrets.h"

namespace mentoring::web {
namespace {

TEST(CookiesTest, SecureCookieIsThirdPartyReady) {
  CookieAttributes a;
  a.path = "/lti/";
  a.max_age = 600;
  EXPECT_EQ(set_cookie_header("lti_state_ab", "xyz", a),
            "lti_state_ab=xyz; Path=/lti/; Max-Age=600; HttpOnly; SameSite=None; Secure; Partitioned");
}

TEST(CookiesTest, InsecureCookieIsLaxWithoutSecure) {
  CookieAttributes a;
  a.secure = false;
  EXPECT_EQ(set_cookie_header("mentoring_session", "v", a), "mentoring_session=v; Path=/; HttpOnly; SameSite=Lax");
}

TEST(CookiesTest, SecureIsDroppedOnlyForPlainHttpLoopback) {
  EXPECT_TRUE(cookies_secure_for("https://mentoring.example.nhs.uk", true));
  EXPECT_TRUE(cookies_secure_for("https://127.0.0.1:8443", true));
  EXPECT_TRUE(cookies_secure_for("http://mentoring.example.nhs.uk", true));
  EXPECT_FALSE(cookies_secure_for("http://127.0.0.1:8080", true));
  EXPECT_FALSE(cookies_secure_for("http://localhost:8080", true));
  EXPECT_FALSE(cookies_secure_for("http://[::1]:8080", true));
  EXPECT_FALSE(cookies_secure_for("https://mentoring.example.nhs.uk", false));
}

TEST(CookiesTest, ReadCookieFindsTheNamedCookieAmongOthers) {
  http::Request req;
  req.headers.push_back({"Cookie", "a=1; mentoring_session=abc;b=2"});
  req.headers.push_back({"cookie", "c=3"});
  EXPECT_EQ(read_cookie(req, "mentoring_session"), "abc");
  EXPECT_EQ(read_cookie(req, "c"), "3");
  EXPECT_EQ(read_cookie(req, "mentoring"), std::nullopt);
  EXPECT_EQ(read_cookie(req, "session"), std::nullopt);
}

TEST(SecretsTest, RandomTokensAreLongAndDistinct) {
  auto a = random_token();
  auto b = random_token();
  ASSERT_TRUE(a.is_ok());
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(a->size(), 43u);
  EXPECT_NE(*a, *b);
  EXPECT_FALSE(random_token(8).is_ok());
}

TEST(SecretsTest, Sha256HexMatchesThePublishedVector) {
  // FIPS 180-2 appendix B.1.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace mentoring::web
