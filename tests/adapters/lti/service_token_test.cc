// OAuth 2 client_credentials with a JWT client assertion (RFC 7523). The
// assertion is checked by PyJWT (Debian's python3-jwt), an implementation
// independent of the plugin's JOSE code.
#include "adapters/lti/service_token.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "adapters/lti/jose.h"
#include "fake_http.h"
#include "lti_test_support.h"

namespace mentoring::lti {
namespace {
using testing::form_value;
using testing::json_answer;
using testing::RoutedHttp;

constexpr std::int64_t kT0 = 1780000000000;

struct Signer {
  EvpPkey key;
  std::string kid = "tool-key-1";
  Signer() { key = std::move(generate_rsa_key(2048)).value(); }
  ClaimsSigner fn() {
    return [this](const boost::json::object& claims) {
      return sign_rs256(boost::json::object{{"typ", "JWT"}}, claims, key.get(), kid);
    };
  }
};

TokenEndpoint endpoint() { return TokenEndpoint{7, "client-42", "https://platform.example/token", ""}; }

std::string token_body(const std::string& token, std::int64_t expires_in) {
  return boost::json::serialize(
      boost::json::object{{"access_token", token}, {"token_type", "Bearer"}, {"expires_in", expires_in}});
}

TEST(ServiceTokenTest, TokenRequestCarriesAClientAssertionThatPyJwtAccepts) {
  Signer signer;
  core::FixedClock clock(kT0);
  RoutedHttp http([](const HttpRequest&) { return json_answer(200, token_body("tok-1", 3600)); });
  ServiceTokens tokens(http, signer.fn(), clock);
  auto token = tokens.access_token(endpoint(), {kScopeNrps});
  ASSERT_TRUE(token.is_ok()) << token.status().to_string();
  EXPECT_EQ(*token, "tok-1");
  ASSERT_EQ(http.requests.size(), 1u);
  const HttpRequest& req = http.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.url, "https://platform.example/token");
  EXPECT_EQ(form_value(req.body, "grant_type"), "client_credentials");
  EXPECT_EQ(form_value(req.body, "client_assertion_type"), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
  EXPECT_EQ(form_value(req.body, "scope"), kScopeNrps);
  const std::string assertion = form_value(req.body, "client_assertion");
  ASSERT_FALSE(assertion.empty());

  // PyJWT checks signature, audience, issuer and the claims' presence.
  const auto dir = testing::temp_path("assertion");
  std::filesystem::create_directories(dir);
  testing::write_file(dir / "key.pem", *public_key_to_pem(signer.key.get()));
  testing::write_file(dir / "jwt", assertion);
  testing::write_file(dir / "check.py", R"(import sys, json, jwt
key = open(sys.argv[1]).read(); token = open(sys.argv[2]).read()
h = jwt.get_unverified_header(token)
c = jwt.decode(token, key, algorithms=["RS256"], audience="https://platform.example/token", issuer="client-42",
               options={"require": ["exp", "iat", "jti", "sub", "iss", "aud"], "verify_exp": False, "verify_iat": False})
print(json.dumps({"kid": h.get("kid"), "sub": c["sub"], "life": c["exp"] - c["iat"], "iat": c["iat"], "jti": c["jti"]}))
)");
  std::string out;
  {
    const std::string cmd = std::string(testing::kPython) + " " + (dir / "check.py").string() + " " +
                            (dir / "key.pem").string() + " " + (dir / "jwt").string();
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buf[1024];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    ASSERT_EQ(pclose(pipe), 0) << out;
  }
  std::filesystem::remove_all(dir);
  auto claims = boost::json::parse(out).as_object();
  EXPECT_EQ(claims.at("kid").as_string(), "tool-key-1");
  EXPECT_EQ(claims.at("sub").as_string(), "client-42");
  EXPECT_EQ(claims.at("iat").as_int64(), kT0 / 1000);
  EXPECT_GT(claims.at("life").as_int64(), 0);
  EXPECT_LE(claims.at("life").as_int64(), 300);
  EXPECT_GE(claims.at("jti").as_string().size(), 16u);
}

TEST(ServiceTokenTest, AudienceIsTheRegisteredTokenAudienceWhenGiven) {
  TokenEndpoint e = endpoint();
  auto claims = client_assertion_claims(e, "j", 100);
  EXPECT_EQ(claims.at("aud").as_string(), "https://platform.example/token");
  e.audience = "https://platform.example/oauth2/aud";
  claims = client_assertion_claims(e, "j", 100);
  EXPECT_EQ(claims.at("aud").as_string(), "https://platform.example/oauth2/aud");
  EXPECT_EQ(claims.at("iss").as_string(), "client-42");
  EXPECT_EQ(claims.at("sub").as_string(), "client-42");
}

TEST(ServiceTokenTest, EveryAssertionHasItsOwnJti) {
  Signer signer;
  core::FixedClock clock(kT0);
  RoutedHttp http([](const HttpRequest&) { return json_answer(200, token_body("t", 3600)); });
  ServiceTokens tokens(http, signer.fn(), clock);
  ASSERT_TRUE(tokens.access_token(endpoint(), {kScopeNrps}).is_ok());
  ASSERT_TRUE(tokens.access_token(endpoint(), {kScopeScore}).is_ok());
  ASSERT_EQ(http.requests.size(), 2u);
  auto jti = [](const HttpRequest& r) {
    auto jws = parse_compact_jws(form_value(r.body, "client_assertion"), 16384);
    return std::string(jws->payload.at("jti").as_string());
  };
  EXPECT_NE(jti(http.requests[0]), jti(http.requests[1]));
}

TEST(ServiceTokenTest, TokensAreCachedPerScopeSetUntilShortlyBeforeExpiry) {
  Signer signer;
  core::FixedClock clock(kT0);
  int issued = 0;
  RoutedHttp http(
      [&](const HttpRequest&) { return json_answer(200, token_body("tok-" + std::to_string(++issued), 600)); });
  ServiceTokens tokens(http, signer.fn(), clock);
  EXPECT_EQ(*tokens.access_token(endpoint(), {kScopeLineItem, kScopeScore}), "tok-1");
  // The same set in another order is the same set.
  EXPECT_EQ(*tokens.access_token(endpoint(), {kScopeScore, kScopeLineItem}), "tok-1");
  EXPECT_EQ(*tokens.access_token(endpoint(), {kScopeNrps}), "tok-2");
  TokenEndpoint other = endpoint();
  other.platformid = 8;
  EXPECT_EQ(*tokens.access_token(other, {kScopeNrps}), "tok-3");
  EXPECT_EQ(http.requests.size(), 3u);
  // Still cached just before the margin...
  clock.advance_ms((600 - kAccessTokenMarginSeconds - 1) * 1000);
  EXPECT_EQ(*tokens.access_token(endpoint(), {kScopeNrps}), "tok-2");
  // ...and renewed within it.
  clock.advance_ms(1000);
  EXPECT_EQ(*tokens.access_token(endpoint(), {kScopeNrps}), "tok-4");
  tokens.invalidate(endpoint(), {kScopeNrps});
  EXPECT_EQ(*tokens.access_token(endpoint(), {kScopeNrps}), "tok-5");
}

TEST(ServiceTokenTest, RefusalNamesThePlatformsErrorCode) {
  Signer signer;
  core::FixedClock clock(kT0);
  RoutedHttp http([](const HttpRequest&) { return json_answer(401, R"({"error":"invalid_client"})"); });
  ServiceTokens tokens(http, signer.fn(), clock);
  auto token = tokens.access_token(endpoint(), {kScopeNrps});
  ASSERT_FALSE(token.is_ok());
  EXPECT_EQ(token.status().reason(), "service_token_refused");
  EXPECT_EQ(token.status().code(), core::Code::kPermissionDenied);
  EXPECT_NE(token.status().message().find("invalid_client"), std::string::npos);
}

TEST(ServiceTokenTest, ServerErrorsAndMalformedAnswersAreRefusedAndNotCached) {
  Signer signer;
  core::FixedClock clock(kT0);
  std::vector<HttpResponse> answers = {
      json_answer(503, "{}"),
      json_answer(200, "not json"),
      json_answer(200, R"({"token_type":"Bearer","expires_in":3600})"),
      json_answer(200, R"({"access_token":"x","token_type":"mac","expires_in":3600})"),
      json_answer(200, R"({"access_token":"x","token_type":"Bearer","expires_in":"soon"})"),
      json_answer(200, R"({"access_token":"x","token_type":"Bearer","expires_in":-1})"),
  };
  std::size_t i = 0;
  RoutedHttp http([&](const HttpRequest&) { return answers[i++]; });
  ServiceTokens tokens(http, signer.fn(), clock);
  const char* reasons[] = {"service_token_unavailable", "service_token_malformed", "service_token_malformed",
                           "service_token_malformed",   "service_token_malformed", "service_token_malformed"};
  for (const char* reason : reasons) {
    auto token = tokens.access_token(endpoint(), {kScopeNrps});
    ASSERT_FALSE(token.is_ok());
    EXPECT_EQ(token.status().reason(), reason);
  }
  EXPECT_EQ(http.requests.size(), answers.size());
}

TEST(ServiceTokenTest, TransportFailureIsUnavailable) {
  Signer signer;
  core::FixedClock clock(kT0);
  RoutedHttp http([](const HttpRequest&) -> core::Result<HttpResponse> {
    return core::Status::unavailable("http_fetch_failed", "refused");
  });
  ServiceTokens tokens(http, signer.fn(), clock);
  EXPECT_EQ(tokens.access_token(endpoint(), {kScopeNrps}).status().reason(), "http_fetch_failed");
}

TEST(ServiceTokenTest, RegistrationWithoutTokenUrlCannotCallServices) {
  Signer signer;
  core::FixedClock clock(kT0);
  RoutedHttp http([](const HttpRequest&) { return json_answer(200, "{}"); });
  ServiceTokens tokens(http, signer.fn(), clock);
  TokenEndpoint e = endpoint();
  e.token_url.clear();
  EXPECT_EQ(tokens.access_token(e, {kScopeNrps}).status().reason(), "service_token_url_missing");
  EXPECT_TRUE(http.requests.empty());
}

TEST(ServiceTokenTest, FormEncodingKeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(form_encode("a b+c/d:e~f.g-h_i"), "a%20b%2Bc%2Fd%3Ae~f.g-h_i");
  EXPECT_EQ(form_encode("\xC3\xA9"), "%C3%A9");
}

}  // namespace
}  // namespace mentoring::lti
