// The launch validator against id_tokens made by an independent
// implementation: tests/adapters/lti/make_tokens.py (PyJWT and pyca/
// cryptography, run with Debian's /usr/bin/python3). The script writes RSA
// keys, JWK Sets and one case per attack or mistake, each naming the reason
// the validator must give; every case becomes one named test here.
//
// The script takes a few seconds (it generates RSA keys), and ctest runs each
// test in its own process, so its output is cached in the temporary
// directory under a name derived from the script's SHA-256: a changed script
// always regenerates. Tokens never go stale because the clock is fixed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "adapters/lti/launch_validator.h"
#include "core/clock.h"
#include "lti_test_support.h"

namespace mentoring::lti {
namespace {

namespace json = boost::json;
using namespace mentoring::lti::testing;

struct TokenCase {
  std::string name;
  std::string token;
  std::string expect;  // "ok" or the reason code
  std::string jwks;    // which JWK Set of the fixture
  std::vector<std::string> allowed_algs;
  std::vector<std::string> trusted_audiences;
  std::optional<json::object> claims;  // the payload, for valid cases the test inspects
};

// Failures name the case instead of dumping its bytes.
void PrintTo(const TokenCase& tc, std::ostream* os) { *os << tc.name << " (expect " << tc.expect << ")"; }

struct Fixture {
  bool loaded = false;
  std::string error;
  std::int64_t now = 0;
  json::object expectations;
  std::map<std::string, std::string> jwks_text;
  std::vector<TokenCase> cases;
};

Fixture load_fixture() {
  Fixture fixture;
  std::string script = read_file(script_path());
  if (script.empty()) {
    fixture.error = "cannot read " + script_path();
    return fixture;
  }
  const std::string prefix = "mentoring-lti-cases-" + std::to_string(getuid()) + "-";
  const auto dir = std::filesystem::temp_directory_path();
  auto cache = dir / (prefix + sha256_hex(script).substr(0, 16) + ".json");
  if (!std::filesystem::exists(cache)) {
    // Cases made by earlier versions of the script are of no further use.
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
      if (entry.path().filename().string().rfind(prefix, 0) == 0) std::filesystem::remove(entry.path(), ignored);
    }
    // Write to a private name and rename: parallel test processes never see
    // a half-written file.
    auto partial = temp_path("mentoring-lti-cases-partial");
    int rc = 0;
    run_script({"generate", partial.string()}, rc);
    if (rc != 0) {
      std::filesystem::remove(partial);
      fixture.error = "make_tokens.py generate failed with status " + std::to_string(rc);
      return fixture;
    }
    std::error_code ec;
    std::filesystem::rename(partial, cache, ec);
    if (ec) {
      fixture.error = "cannot move the generated cases into place: " + ec.message();
      return fixture;
    }
  }
  json::value doc;
  try {
    doc = json::parse(read_file(cache));
    const json::object& root = doc.as_object();
    fixture.now = root.at("now").to_number<std::int64_t>();
    fixture.expectations = root.at("expectations").as_object();
    for (const auto& [name, text] : root.at("jwks").as_object()) {
      fixture.jwks_text[std::string(name)] = std::string(text.as_string());
    }
    for (const json::value& v : root.at("cases").as_array()) {
      const json::object& c = v.as_object();
      TokenCase tc;
      tc.name = std::string(c.at("name").as_string());
      tc.token = std::string(c.at("token").as_string());
      tc.expect = std::string(c.at("expect").as_string());
      tc.jwks = std::string(c.at("jwks").as_string());
      if (c.contains("allowed_algs")) {
        for (const json::value& a : c.at("allowed_algs").as_array()) tc.allowed_algs.emplace_back(a.as_string());
      }
      if (c.contains("trusted_audiences")) {
        for (const json::value& a : c.at("trusted_audiences").as_array()) tc.trusted_audiences.emplace_back(a.as_string());
      }
      if (c.contains("claims")) tc.claims = c.at("claims").as_object();
      fixture.cases.push_back(std::move(tc));
    }
  } catch (const std::exception& e) {
    fixture.error = std::string("cannot read the generated cases: ") + e.what();
    std::filesystem::remove(cache);
    return fixture;
  }
  fixture.loaded = true;
  return fixture;
}

const Fixture& fixture() {
  static const Fixture f = load_fixture();
  return f;
}

std::vector<TokenCase> all_cases() { return fixture().cases; }

LaunchExpectations expectations_for(const TokenCase& tc) {
  const json::object& e = fixture().expectations;
  LaunchExpectations x;
  x.issuer = std::string(e.at("issuer").as_string());
  x.client_id = std::string(e.at("client_id").as_string());
  for (const json::value& d : e.at("deployment_ids").as_array()) x.deployment_ids.emplace(d.as_string());
  x.nonce = std::string(e.at("nonce").as_string());
  x.target_link_uri = std::string(e.at("target_link_uri").as_string());
  x.trusted_audiences.insert(tc.trusted_audiences.begin(), tc.trusted_audiences.end());
  if (!tc.allowed_algs.empty()) {
    x.allowed_algs.clear();
    for (const std::string& name : tc.allowed_algs) x.allowed_algs.insert(*jws_alg_from_name(name));
  }
  return x;
}

Jwks jwks_named(const std::string& name) {
  auto parsed = Jwks::parse(fixture().jwks_text.at(name));
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return parsed.is_ok() ? std::move(parsed).value() : Jwks();
}

core::Result<LaunchClaims> validate_case(const TokenCase& tc) {
  core::FixedClock clock(fixture().now * 1000);
  return validate_id_token(tc.token, expectations_for(tc), jwks_named(tc.jwks), clock);
}

const TokenCase* find_case(const std::string& name) {
  for (const TokenCase& tc : fixture().cases) {
    if (tc.name == name) return &tc;
  }
  return nullptr;
}

class GeneratedLaunchTokenTest : public ::testing::TestWithParam<TokenCase> {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(fixture().loaded) << fixture().error; }
};

TEST_P(GeneratedLaunchTokenTest, GivesTheExpectedReason) {
  const TokenCase& tc = GetParam();
  auto result = validate_case(tc);
  if (tc.expect == "ok") {
    EXPECT_TRUE(result.is_ok()) << tc.name << ": " << result.status().to_string();
  } else {
    ASSERT_FALSE(result.is_ok()) << tc.name << " was accepted";
    EXPECT_EQ(result.status().reason(), tc.expect) << tc.name << ": " << result.status().to_string();
    EXPECT_FALSE(result.status().message().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(MakeTokens, GeneratedLaunchTokenTest, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<TokenCase>& info) { return info.param.name; });

TEST(LaunchValidatorTest, IndependentScriptProducedTheFullCaseList) {
  ASSERT_TRUE(fixture().loaded) << fixture().error;
  std::size_t negative = 0;
  for (const TokenCase& tc : fixture().cases) negative += tc.expect != "ok";
  EXPECT_GE(negative, 40u);
  // The cases the security review asked for by name must all be there.
  for (const char* name :
       {"AlgNoneUnsigned", "Hs256SignedWithPublicKeyPem", "SignedWithWrongKey", "UnknownKid",
        "NoKidWithMultiKeyJwks", "TamperedPayloadAfterSigning", "TamperedHeaderAfterSigning", "Expired",
        "IssuedInFuture", "ExpMissing", "WrongIssuer", "WrongAudience", "AudienceArrayWithoutClientId",
        "MultipleAudiencesWithoutAzp", "AzpMismatch", "NonceMissing", "NonceMismatch", "DeploymentUnknown",
        "DeploymentMissing", "MessageTypeUnknown", "MessageTypeMissing", "VersionOnePointOne", "VersionMissing",
        "TargetLinkUriMismatch", "RolesMissing", "RolesNotAnArray", "ResourceLinkMissing", "SubMissing",
        "JkuHeaderRefused", "X5uHeaderRefused", "JwkHeaderRefused", "CritHeaderRefused", "Ps256WhenNotAllowed",
        "OversizedToken", "Base64PaddingInHeader", "IllegalBase64CharacterPlus", "TwoParts", "FourParts",
        "EmptySignature", "PayloadNotJson", "PayloadJsonArray", "HeaderDuplicateAlg", "PayloadDuplicateIss",
        "DeepLinkingRequestWithoutSettings", "ValidDeepLinkingRequest", "ValidAfterKeyRotationWithSecondKid",
        "ValidResourceLinkLaunch"}) {
    EXPECT_NE(find_case(name), nullptr) << name;
  }
}

TEST(LaunchValidatorTest, ValidLaunchExposesEveryClaimAsSent) {
  ASSERT_TRUE(fixture().loaded) << fixture().error;
  const TokenCase* tc = find_case("ValidResourceLinkLaunch");
  ASSERT_NE(tc, nullptr);
  ASSERT_TRUE(tc->claims.has_value());
  const json::object& sent = *tc->claims;
  auto result = validate_case(*tc);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  const LaunchClaims& c = *result;
  auto str = [&](const json::object& o, std::string_view k) { return std::string(o.at(k).as_string()); };
  auto obj = [&](std::string_view k) -> const json::object& { return sent.at(k).as_object(); };

  EXPECT_EQ(c.iss, str(sent, "iss"));
  EXPECT_EQ(c.sub, str(sent, "sub"));
  EXPECT_EQ(c.client_id, str(sent, "aud"));
  EXPECT_EQ(c.aud, std::vector<std::string>{str(sent, "aud")});
  EXPECT_EQ(c.deployment_id, str(sent, kClaimDeploymentId));
  EXPECT_EQ(c.message_type, LtiMessageType::kResourceLinkRequest);
  EXPECT_EQ(c.version, "1.3.0");
  EXPECT_EQ(c.target_link_uri, str(sent, kClaimTargetLinkUri));
  EXPECT_EQ(c.kid, "platform-key-1");
  EXPECT_EQ(c.iat, sent.at("iat").to_number<std::int64_t>());
  EXPECT_EQ(c.exp, sent.at("exp").to_number<std::int64_t>());
  EXPECT_EQ(c.name, str(sent, "name"));
  EXPECT_EQ(c.given_name, str(sent, "given_name"));
  EXPECT_EQ(c.family_name, str(sent, "family_name"));
  EXPECT_EQ(c.email, str(sent, "email"));

  std::vector<std::string> roles;
  for (const json::value& r : sent.at(kClaimRoles).as_array()) roles.emplace_back(r.as_string());
  EXPECT_EQ(c.roles, roles);
  EXPECT_TRUE(c.role_set.has(ContextRole::kLearner));
  EXPECT_TRUE(c.role_set.has(ContextRole::kMentor));
  EXPECT_TRUE(c.role_set.has(InstitutionRole::kStudent));
  EXPECT_FALSE(c.role_set.has(ContextRole::kInstructor));
  EXPECT_EQ(c.role_set.unrecognised(), std::vector<std::string>{"http://example.com/vocab#Custom"});

  ASSERT_TRUE(c.context.has_value());
  EXPECT_EQ(c.context->id, str(obj(kClaimContext), "id"));
  EXPECT_EQ(c.context->label, str(obj(kClaimContext), "label"));
  EXPECT_EQ(c.context->title, str(obj(kClaimContext), "title"));
  ASSERT_EQ(c.context->types.size(), 1u);
  EXPECT_EQ(c.context->types[0], std::string(obj(kClaimContext).at("type").as_array()[0].as_string()));

  ASSERT_TRUE(c.resource_link.has_value());
  EXPECT_EQ(c.resource_link->id, str(obj(kClaimResourceLink), "id"));
  EXPECT_EQ(c.resource_link->title, str(obj(kClaimResourceLink), "title"));
  EXPECT_EQ(c.lis_person_sourcedid, str(obj(kClaimLis), "person_sourcedid"));
  EXPECT_EQ(c.custom, obj(kClaimCustom));

  ASSERT_TRUE(c.nrps.has_value());
  EXPECT_EQ(c.nrps->context_memberships_url, str(obj(kClaimNrps), "context_memberships_url"));
  EXPECT_EQ(c.nrps->service_versions, std::vector<std::string>{"2.0"});
  ASSERT_TRUE(c.ags.has_value());
  EXPECT_EQ(c.ags->scope.size(), obj(kClaimAgs).at("scope").as_array().size());
  EXPECT_EQ(c.ags->lineitems, str(obj(kClaimAgs), "lineitems"));
  EXPECT_EQ(c.ags->lineitem, str(obj(kClaimAgs), "lineitem"));
  ASSERT_TRUE(c.launch_presentation.has_value());
  EXPECT_EQ(c.launch_presentation->document_target, str(obj(kClaimLaunchPresentation), "document_target"));
  EXPECT_EQ(c.launch_presentation->return_url, str(obj(kClaimLaunchPresentation), "return_url"));
  EXPECT_EQ(c.launch_presentation->locale, str(obj(kClaimLaunchPresentation), "locale"));
  EXPECT_FALSE(c.deep_linking_settings.has_value());
}

TEST(LaunchValidatorTest, DeepLinkingRequestExposesItsSettings) {
  ASSERT_TRUE(fixture().loaded) << fixture().error;
  const TokenCase* tc = find_case("ValidDeepLinkingRequest");
  ASSERT_NE(tc, nullptr);
  ASSERT_TRUE(tc->claims.has_value());
  const json::object& settings = tc->claims->at(kClaimDeepLinkingSettings).as_object();
  auto result = validate_case(*tc);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->message_type, LtiMessageType::kDeepLinkingRequest);
  EXPECT_FALSE(result->resource_link.has_value());
  ASSERT_TRUE(result->deep_linking_settings.has_value());
  const DeepLinkingSettings& s = *result->deep_linking_settings;
  EXPECT_EQ(s.deep_link_return_url, std::string(settings.at("deep_link_return_url").as_string()));
  EXPECT_EQ(s.accept_types, std::vector<std::string>{"ltiResourceLink"});
  EXPECT_EQ(s.accept_presentation_document_targets, (std::vector<std::string>{"iframe", "window"}));
  EXPECT_EQ(s.accept_multiple, false);
  EXPECT_EQ(s.data, std::string(settings.at("data").as_string()));
  EXPECT_TRUE(result->role_set.has(ContextRole::kInstructor));
}

TEST(LaunchValidatorTest, ValidTokenExpiresOnceTheClockPassesExpPlusSkew) {
  ASSERT_TRUE(fixture().loaded) << fixture().error;
  const TokenCase* tc = find_case("ValidResourceLinkLaunch");
  ASSERT_NE(tc, nullptr);
  std::int64_t exp = tc->claims->at("exp").to_number<std::int64_t>();
  LaunchExpectations x = expectations_for(*tc);
  Jwks jwks = jwks_named(tc->jwks);
  core::FixedClock clock((exp + x.max_clock_skew_seconds - 1) * 1000);
  EXPECT_TRUE(validate_id_token(tc->token, x, jwks, clock).is_ok());
  clock.set_ms((exp + x.max_clock_skew_seconds) * 1000);
  auto late = validate_id_token(tc->token, x, jwks, clock);
  ASSERT_FALSE(late.is_ok());
  EXPECT_EQ(late.status().reason(), "launch_expired");
}

TEST(LaunchValidatorTest, ValidTokenIsRefusedWhenTheExpectationsDiffer) {
  ASSERT_TRUE(fixture().loaded) << fixture().error;
  const TokenCase* tc = find_case("ValidResourceLinkLaunch");
  ASSERT_NE(tc, nullptr);
  core::FixedClock clock(fixture().now * 1000);
  Jwks jwks = jwks_named(tc->jwks);
  struct Change {
    void (*apply)(LaunchExpectations&);
    const char* reason;
  };
  const Change changes[] = {
      {[](LaunchExpectations& x) { x.issuer += "/"; }, "launch_iss_mismatch"},
      {[](LaunchExpectations& x) { x.client_id = "other-client"; }, "launch_aud_mismatch"},
      {[](LaunchExpectations& x) { x.nonce = "a-different-nonce"; }, "launch_nonce_mismatch"},
      {[](LaunchExpectations& x) { x.nonce.back() ^= 1; }, "launch_nonce_mismatch"},
      {[](LaunchExpectations& x) { x.deployment_ids = {"deployment-2"}; }, "launch_deployment_unknown"},
      {[](LaunchExpectations& x) { x.target_link_uri += "?x=1"; }, "launch_target_link_mismatch"},
      {[](LaunchExpectations& x) { x.max_token_bytes = 100; }, "launch_token_too_large"},
      {[](LaunchExpectations& x) { x.allowed_algs = {JwsAlg::kPs256}; }, "launch_alg_not_allowed"},
      {[](LaunchExpectations& x) { x.nonce.clear(); }, "launch_expectations_incomplete"},
      {[](LaunchExpectations& x) { x.deployment_ids.clear(); }, "launch_expectations_incomplete"},
      {[](LaunchExpectations& x) { x.max_clock_skew_seconds = -1; }, "launch_expectations_incomplete"},
  };
  for (const Change& change : changes) {
    LaunchExpectations x = expectations_for(*tc);
    change.apply(x);
    auto result = validate_id_token(tc->token, x, jwks, clock);
    ASSERT_FALSE(result.is_ok()) << change.reason;
    EXPECT_EQ(result.status().reason(), change.reason);
  }
}

TEST(LaunchValidatorTest, UnknownKidIsReportedSoTheCallerCanRefetchTheJwks) {
  ASSERT_TRUE(fixture().loaded) << fixture().error;
  // A token from the rotated-in key against a JWKS that only has the old one.
  const TokenCase* tc = find_case("ValidAfterKeyRotationWithSecondKid");
  ASSERT_NE(tc, nullptr);
  core::FixedClock clock(fixture().now * 1000);
  auto result = validate_id_token(tc->token, expectations_for(*tc), jwks_named("single"), clock);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "launch_kid_unknown");
  // After the refetch (the full JWKS) the same token passes.
  EXPECT_TRUE(validate_id_token(tc->token, expectations_for(*tc), jwks_named("main"), clock).is_ok());
}

}  // namespace
}  // namespace mentoring::lti
