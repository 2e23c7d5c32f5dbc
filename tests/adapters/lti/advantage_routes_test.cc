// The pure parts of Deep Linking 2.0 and Dynamic Registration 1.0. The
// routes themselves run end to end in integration/lti/advantage_test.py,
// where the platform simulator checks the signed response with PyJWT.
#include "adapters/lti/advantage_routes.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "adapters/lti/launch_validator.h"

namespace mentoring::lti {
namespace {
namespace json = boost::json;

constexpr const char* kDl = "https://purl.imsglobal.org/spec/lti-dl/claim/";

TEST(DeepLinkingResponseTest, ClaimsNameThePlatformTheSchemeAndEchoData) {
  DeepLinkResponseInput in;
  in.client_id = "client-1";
  in.issuer = "https://portal.example.nhs.uk";
  in.deployment_id = "d1";
  in.nonce = "n-123";
  in.now = 1000;
  in.data = "opaque-data";
  in.schemeid = 42;
  in.scheme_name = "Foundation mentoring";
  in.launch_url = "https://mentoring.example/lti/launch";
  json::object c = deep_linking_response_claims(in);
  EXPECT_EQ(c.at("iss").as_string(), "client-1");
  EXPECT_EQ(c.at("aud").as_string(), "https://portal.example.nhs.uk");
  EXPECT_EQ(c.at("nonce").as_string(), "n-123");
  EXPECT_EQ(c.at("iat").as_int64(), 1000);
  EXPECT_EQ(c.at("exp").as_int64(), 1000 + kDeepLinkResponseSeconds);
  EXPECT_EQ(c.at(std::string(kClaimDeploymentId)).as_string(), "d1");
  EXPECT_EQ(c.at(std::string(kClaimMessageType)).as_string(), "LtiDeepLinkingResponse");
  EXPECT_EQ(c.at(std::string(kClaimVersion)).as_string(), "1.3.0");
  EXPECT_EQ(c.at(std::string(kDl) + "data").as_string(), "opaque-data");
  const json::array& items = c.at(std::string(kDl) + "content_items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("type").as_string(), "ltiResourceLink");
  EXPECT_EQ(items[0].at("title").as_string(), "Foundation mentoring");
  EXPECT_EQ(items[0].at("url").as_string(), "https://mentoring.example/lti/launch");
  EXPECT_EQ(items[0].at("custom").at("mentoring_scheme_id").as_string(), "42");
}

TEST(DeepLinkingResponseTest, DataClaimIsLeftOutWhenTheRequestHadNone) {
  DeepLinkResponseInput in;
  in.schemeid = 1;
  EXPECT_EQ(deep_linking_response_claims(in).if_contains(std::string(kDl) + "data"), nullptr);
}

json::object good_configuration() {
  return json::object{
      {"issuer", "https://moodle.example.ac.uk"},
      {"authorization_endpoint", "https://moodle.example.ac.uk/mod/lti/auth.php"},
      {"token_endpoint", "https://moodle.example.ac.uk/mod/lti/token.php"},
      {"jwks_uri", "https://moodle.example.ac.uk/mod/lti/certs.php"},
      {"registration_endpoint", "https://moodle.example.ac.uk/mod/lti/openid-registration.php"},
      {"token_endpoint_auth_methods_supported", json::array{"private_key_jwt"}},
      {"id_token_signing_alg_values_supported", json::array{"RS256"}},
      {"scopes_supported", json::array{"openid"}},
      {"https://purl.imsglobal.org/spec/lti-platform-configuration",
       json::object{{"product_family_code", "moodle"},
                    {"messages_supported", json::array{json::object{{"type", "LtiResourceLinkRequest"}},
                                                       json::object{{"type", "LtiDeepLinkingRequest"}}}}}}};
}

constexpr const char* kConfigUrl = "https://moodle.example.ac.uk/mod/lti/openid-configuration.php";

TEST(DynamicRegistrationTest, ValidConfigurationIsRead) {
  auto c = validate_openid_configuration(json::serialize(good_configuration()), kConfigUrl);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c->issuer, "https://moodle.example.ac.uk");
  EXPECT_EQ(c->token_endpoint, "https://moodle.example.ac.uk/mod/lti/token.php");
  EXPECT_EQ(c->registration_endpoint, "https://moodle.example.ac.uk/mod/lti/openid-registration.php");
  EXPECT_EQ(c->messages_supported, (std::vector<std::string>{"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}));
}

TEST(DynamicRegistrationTest, IssuerOnAnotherSiteIsRefused) {
  auto c = validate_openid_configuration(json::serialize(good_configuration()),
                                         "https://evil.example/.well-known/openid-configuration");
  EXPECT_EQ(c.status().reason(), "registration_issuer_mismatch");
  EXPECT_EQ(c.status().field(), "issuer");
}

TEST(DynamicRegistrationTest, EachBadFieldIsNamed) {
  struct Case {
    const char* field;
    json::value value;
    const char* reason;
  } cases[] = {
      {"issuer", "http://moodle.example.ac.uk", "registration_config_field_invalid"},
      {"token_endpoint", nullptr, "registration_config_field_invalid"},
      {"jwks_uri", 5, "registration_config_field_invalid"},
      {"registration_endpoint", "file:///etc/passwd", "registration_config_field_invalid"},
      {"authorization_endpoint", "not a url", "registration_config_field_invalid"},
      {"token_endpoint_auth_methods_supported", json::array{"client_secret_basic"}, "registration_config_unsupported"},
      {"id_token_signing_alg_values_supported", json::array{"HS256"}, "registration_config_unsupported"},
      {"scopes_supported", json::array{}, "registration_config_unsupported"},
      {"https://purl.imsglobal.org/spec/lti-platform-configuration", "x", "registration_config_unsupported"},
  };
  for (const auto& c : cases) {
    json::object o = good_configuration();
    if (c.value.is_null())
      o.erase(c.field);
    else
      o[c.field] = c.value;
    auto r = validate_openid_configuration(json::serialize(o), kConfigUrl);
    ASSERT_FALSE(r.is_ok()) << c.field;
    EXPECT_EQ(r.status().reason(), c.reason) << c.field;
    EXPECT_EQ(r.status().field(), c.field);
  }
  EXPECT_EQ(validate_openid_configuration("[]", kConfigUrl).status().reason(), "registration_config_malformed");
  EXPECT_EQ(validate_openid_configuration(R"({"issuer":"a","issuer":"b"})", kConfigUrl).status().reason(),
            "registration_config_malformed");
}

TEST(DynamicRegistrationTest, RequestDescribesTheTool) {
  auto config = validate_openid_configuration(json::serialize(good_configuration()), kConfigUrl);
  ASSERT_TRUE(config.is_ok());
  json::object r = tool_registration_request("https://mentoring.example.nhs.uk:8443", *config);
  EXPECT_EQ(r.at("client_name").as_string(), "Mentoring");
  EXPECT_EQ(r.at("jwks_uri").as_string(), "https://mentoring.example.nhs.uk:8443/lti/jwks");
  EXPECT_EQ(r.at("initiate_login_uri").as_string(), "https://mentoring.example.nhs.uk:8443/lti/login");
  EXPECT_EQ(r.at("redirect_uris").as_array().at(0).as_string(), "https://mentoring.example.nhs.uk:8443/lti/launch");
  EXPECT_EQ(r.at("token_endpoint_auth_method").as_string(), "private_key_jwt");
  const std::string scope(r.at("scope").as_string());
  EXPECT_NE(scope.find(kScopeNrps), std::string::npos);
  EXPECT_NE(scope.find(kScopeLineItem), std::string::npos);
  EXPECT_NE(scope.find(kScopeScore), std::string::npos);
  const json::object& tool = r.at("https://purl.imsglobal.org/spec/lti-tool-configuration").as_object();
  EXPECT_EQ(tool.at("domain").as_string(), "mentoring.example.nhs.uk:8443");
  EXPECT_EQ(tool.at("target_link_uri").as_string(), "https://mentoring.example.nhs.uk:8443/lti/launch");
  const json::array& messages = tool.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[1].at("type").as_string(), "LtiDeepLinkingRequest");

  // A platform without Deep Linking is not offered it.
  config->messages_supported = {"LtiResourceLinkRequest"};
  r = tool_registration_request("https://mentoring.example.nhs.uk", *config);
  EXPECT_EQ(r.at("https://purl.imsglobal.org/spec/lti-tool-configuration").at("messages").as_array().size(), 1u);
}

TEST(DynamicRegistrationTest, ResponseNeedsAClientId) {
  auto r = parse_registration_response(
      R"({"client_id":"abc","https://purl.imsglobal.org/spec/lti-tool-configuration":{"deployment_id":"7"}})");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->client_id, "abc");
  EXPECT_EQ(r->deployment_id.value_or(""), "7");
  EXPECT_FALSE(parse_registration_response(R"({"client_id":"abc"})")->deployment_id.has_value());
  EXPECT_EQ(parse_registration_response(R"({"client_id":""})").status().reason(), "registration_response_malformed");
  EXPECT_EQ(parse_registration_response(
                R"({"client_id":"a","https://purl.imsglobal.org/spec/lti-tool-configuration":{"deployment_id":3}})")
                .status()
                .field(),
            "deployment_id");
  EXPECT_EQ(parse_registration_response("nope").status().reason(), "registration_response_malformed");
}

}  // namespace
}  // namespace mentoring::lti
