// base64url, strict JSON, JWK Sets, compact JWS verification and the tool's
// own RS256 signer. Published vectors (RFC 4648 section 10, RFC 7515
// appendices A.1, A.2 and C) go in exactly as printed; the signer is checked
// by PyJWT through tests/adapters/lti/make_tokens.py.
#include "adapters/lti/jose.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "lti_test_support.h"

namespace mentoring::lti {
namespace {

namespace json = boost::json;
using namespace mentoring::lti::testing;

// RFC 7515 appendix A.2: RS256 over the A.1 payload, and its public key.
constexpr const char* kA2Token =
    "eyJhbGciOiJSUzI1NiJ9"
    "."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7"
    "AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4"
    "BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv"
    "hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB"
    "p0igcN_IoypGlUPQGe77Rw";
constexpr const char* kA2Jwks =
    R"({"keys":[{"kty":"RSA",)"
    R"("n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx)"
    R"(HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs)"
    R"(D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH)"
    R"(SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV)"
    R"(MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8)"
    R"(NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",)"
    R"("e":"AQAB"}]})";
// RFC 7515 appendix A.1: the same payload with HS256.
constexpr const char* kA1Token =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    "."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    "."
    "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

std::string reason_of(const core::Status& st) { return st.reason(); }

template <typename T>
std::string reason_of(const core::Result<T>& r) {
  return r.status().reason();
}

// ---------------------------------------------------------------------------
// base64url

TEST(Base64urlTest, EncodesRfc4648Vectors) {
  // RFC 4648 section 10, with the padding JOSE leaves off.
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("foob"), "Zm9vYg");
  EXPECT_EQ(base64url_encode("fooba"), "Zm9vYmE");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64urlTest, DecodesRfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"Zg", "f"},       {"Zm8", "fo"},
                                                         {"Zm9v", "foo"},  {"Zm9vYg", "foob"}, {"Zm9vYmE", "fooba"},
                                                         {"Zm9vYmFy", "foobar"}};
  for (const auto& [text, bytes] : vectors) {
    auto decoded = base64url_decode(text);
    ASSERT_TRUE(decoded.is_ok()) << text;
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64urlTest, MatchesRfc7515AppendixC) {
  const std::string octets = {char(3), char(236), char(255), char(224), char(193)};
  EXPECT_EQ(base64url_encode(octets), "A-z_4ME");
  auto decoded = base64url_decode("A-z_4ME");
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(*decoded, octets);
}

TEST(Base64urlTest, DecodesRfc7515AppendixA1Header) {
  auto decoded = base64url_decode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9");
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(*decoded, "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
}

TEST(Base64urlTest, RejectsPaddingWhitespaceAndTheStandardAlphabet) {
  for (const char* bad : {"Zg==", "Zm8=", "Zm9v\n", " Zm9v", "Zm 9v", "ab+/", "Zm9v.", "Zm9vYmFy=", "\xc3\xa9"}) {
    auto decoded = base64url_decode(bad);
    EXPECT_FALSE(decoded.is_ok()) << bad;
    EXPECT_EQ(reason_of(decoded), "base64url_invalid") << bad;
  }
}

TEST(Base64urlTest, RejectsImpossibleLengths) {
  for (const char* bad : {"Z", "Zm9vY", "Zm9vYmFyZ"}) {
    EXPECT_EQ(reason_of(base64url_decode(bad)), "base64url_invalid") << bad;
  }
}

TEST(Base64urlTest, RejectsNonCanonicalTrailingBits) {
  // "Zg" is the only encoding of "f"; "Zh".."Zv" carry set bits past the byte.
  EXPECT_TRUE(base64url_decode("Zg").is_ok());
  EXPECT_EQ(reason_of(base64url_decode("Zh")), "base64url_invalid");
  EXPECT_EQ(reason_of(base64url_decode("Zv")), "base64url_invalid");
  EXPECT_TRUE(base64url_decode("Zm8").is_ok());
  EXPECT_EQ(reason_of(base64url_decode("Zm9")), "base64url_invalid");
  EXPECT_EQ(reason_of(base64url_decode("A-z_4MF")), "base64url_invalid");
}

TEST(Base64urlTest, RoundTripsEveryByteAndLength) {
  std::mt19937 rng(7515);
  for (std::size_t len = 0; len < 70; ++len) {
    std::string bytes(len, '\0');
    for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
    std::string text = base64url_encode(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = base64url_decode(text);
    ASSERT_TRUE(back.is_ok()) << len;
    EXPECT_EQ(*back, bytes);
  }
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(*base64url_decode(base64url_encode(all)), all);
}

// ---------------------------------------------------------------------------
// Strict JSON

TEST(StrictJsonTest, ParsesOrdinaryJson) {
  auto v = parse_json_strict(R"({"a":[1,{"b":"x\u00e9"},2.5,true,null],"c":{"a":1},"d":18446744073709551615})");
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  EXPECT_EQ(v->at("a").at(1).at("b").as_string(), "x\xc3\xa9");
  EXPECT_EQ(v->at("c").at("a").as_int64(), 1);
  EXPECT_TRUE(v->at("d").is_uint64());
}

TEST(StrictJsonTest, RefusesDuplicateMembersAtAnyDepth) {
  for (const char* text : {R"({"alg":"RS256","alg":"none"})", R"({"a":{"b":1,"c":2,"b":3}})",
                           R"({"a":[{"x":1},{"y":2,"y":2}]})", R"([{"k":1,"k":1}])",
                           R"({"a\u0062":1,"ab":2})"}) {
    auto v = parse_json_strict(text);
    EXPECT_FALSE(v.is_ok()) << text;
    EXPECT_EQ(reason_of(v), "json_duplicate_member") << text;
  }
}

TEST(StrictJsonTest, AllowsTheSameNameInDifferentObjects) {
  auto v = parse_json_strict(R"({"id":1,"a":{"id":2},"b":[{"id":3},{"id":4}]})");
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  EXPECT_EQ(v->at("b").at(1).at("id").as_int64(), 4);
}

TEST(StrictJsonTest, RefusesInvalidJson) {
  for (const char* text : {"", "{", "{} {}", "{\"a\":1,}", "// c\n{}", "{'a':1}", "{\"a\":\"\xff\"}", "nul"}) {
    EXPECT_EQ(reason_of(parse_json_strict(text)), "json_invalid") << text;
  }
}

TEST(StrictJsonTest, RefusesDeepNesting) {
  std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(reason_of(parse_json_strict(deep)), "json_too_deep");
  EXPECT_TRUE(parse_json_strict(deep, 64).is_ok());
}

// ---------------------------------------------------------------------------
// Published JWS vectors

TEST(JwsTest, VerifiesRfc7515AppendixA2AsPublished) {
  auto jwks = Jwks::parse(kA2Jwks);
  ASSERT_TRUE(jwks.is_ok()) << jwks.status().to_string();
  EXPECT_EQ(jwks->keys().front().modulus_bits, 2048);
  auto jws = parse_compact_jws(kA2Token, 16 * 1024);
  ASSERT_TRUE(jws.is_ok()) << jws.status().to_string();
  EXPECT_EQ(jws->alg, "RS256");
  EXPECT_FALSE(jws->kid.has_value());
  EXPECT_EQ(jws->payload.at("iss").as_string(), "joe");
  EXPECT_EQ(jws->payload.at("exp").as_int64(), 1300819380);
  EXPECT_EQ(jws->payload.at("http://example.com/is_root").as_bool(), true);
  EXPECT_EQ(jws->signature.size(), 256u);
  EXPECT_EQ(jws->signing_input, std::string(kA2Token).substr(0, std::string(kA2Token).rfind('.')));
  core::Status st = verify_signature(*jws, *jwks, default_jws_algs());
  EXPECT_TRUE(st.is_ok()) << st.to_string();
}

TEST(JwsTest, RejectsRfc7515AppendixA2WithOneSignatureBitFlipped) {
  auto jwks = Jwks::parse(kA2Jwks);
  ASSERT_TRUE(jwks.is_ok());
  auto jws = parse_compact_jws(kA2Token, 16 * 1024);
  ASSERT_TRUE(jws.is_ok());
  for (std::size_t byte : {0u, 100u, 255u}) {
    Jws copy = *jws;
    copy.signature[byte] = static_cast<char>(copy.signature[byte] ^ 0x01);
    EXPECT_EQ(reason_of(verify_signature(copy, *jwks, default_jws_algs())), "jws_signature_invalid");
  }
  Jws other_input = *jws;
  other_input.signing_input.back() = 'R';  // was 'Q'
  EXPECT_EQ(reason_of(verify_signature(other_input, *jwks, default_jws_algs())), "jws_signature_invalid");
}

TEST(JwsTest, RefusesRfc7515AppendixA1BecauseHmacIsNeverAllowed) {
  auto jwks = Jwks::parse(kA2Jwks);
  ASSERT_TRUE(jwks.is_ok());
  auto jws = parse_compact_jws(kA1Token, 16 * 1024);
  ASSERT_TRUE(jws.is_ok()) << jws.status().to_string();
  EXPECT_EQ(jws->alg, "HS256");
  JwsAlgSet everything = {JwsAlg::kRs256, JwsAlg::kRs384, JwsAlg::kRs512, JwsAlg::kPs256};
  EXPECT_EQ(reason_of(verify_signature(*jws, *jwks, everything)), "jws_alg_not_allowed");
  EXPECT_FALSE(jws_alg_from_name("HS256").has_value());
  EXPECT_FALSE(jws_alg_from_name("none").has_value());
  EXPECT_FALSE(jws_alg_from_name("rs256").has_value());
}

TEST(JwsTest, SizeLimitIsCheckedBeforeDecoding) {
  std::string token = kA2Token;
  EXPECT_TRUE(parse_compact_jws(token, token.size()).is_ok());
  EXPECT_EQ(reason_of(parse_compact_jws(token, token.size() - 1)), "jws_too_large");
  // Even garbage is refused for size, not for shape, when it is too big.
  EXPECT_EQ(reason_of(parse_compact_jws(std::string(20000, '!'), 16 * 1024)), "jws_too_large");
}

// ---------------------------------------------------------------------------
// JWK Sets

struct TestKey {
  EvpPkey key;
  json::object jwk;
};

TestKey make_key(const std::string& kid) {
  auto key = generate_rsa_key();
  EXPECT_TRUE(key.is_ok());
  auto jwk = public_jwk(key->get(), kid);
  EXPECT_TRUE(jwk.is_ok());
  return TestKey{*key, *jwk};
}

std::string jwks_of(std::initializer_list<json::value> keys) {
  json::array arr(keys.begin(), keys.end());
  return json::serialize(json::object{{"keys", arr}});
}

const json::object kEcKey = {{"kty", "EC"},
                             {"crv", "P-256"},
                             {"kid", "ec"},
                             {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
                             {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};

TEST(JwksTest, KeepsRsaSigningKeysAndIgnoresOtherKeys) {
  TestKey a = make_key("a");
  TestKey b = make_key("b");
  json::object enc = b.jwk;
  enc["use"] = "enc";
  enc["kid"] = "enc";
  json::object oaep = b.jwk;
  oaep["alg"] = "RSA-OAEP";
  oaep["kid"] = "oaep";
  json::object oct = {{"kty", "oct"}, {"k", "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}};
  auto jwks = Jwks::parse(jwks_of({kEcKey, a.jwk, enc, oaep, oct, b.jwk}));
  ASSERT_TRUE(jwks.is_ok()) << jwks.status().to_string();
  ASSERT_EQ(jwks->size(), 2u);
  EXPECT_NE(jwks->find("a"), nullptr);
  EXPECT_NE(jwks->find("b"), nullptr);
  EXPECT_EQ(jwks->find("ec"), nullptr);
  EXPECT_EQ(jwks->find("enc"), nullptr);
  EXPECT_EQ(jwks->find("oaep"), nullptr);
  EXPECT_EQ(jwks->find("a")->alg, JwsAlg::kRs256);
  EXPECT_EQ(jwks->find("a")->modulus_bits, 2048);
  EXPECT_EQ(EVP_PKEY_eq(jwks->find("a")->key.get(), a.key.get()), 1);
}

TEST(JwksTest, RefusesModulusShorterThan2048Bits) {
  // An odd 2040-bit number: long enough to look plausible, too short to use.
  std::string n(255, '\xc5');
  json::object short_key = {{"kty", "RSA"}, {"kid", "short"}, {"n", base64url_encode(n)}, {"e", "AQAB"}};
  auto jwks = Jwks::parse(jwks_of({short_key}));
  EXPECT_EQ(reason_of(jwks), "jwk_key_too_short");
  // The same construction at 2048 bits is accepted, so it is the length
  // that was refused.
  short_key["n"] = base64url_encode(std::string(256, '\xc5'));
  EXPECT_TRUE(Jwks::parse(jwks_of({short_key})).is_ok());
}

TEST(JwksTest, RefusesGarbage) {
  TestKey a = make_key("a");
  auto with = [&](const char* member, json::value v) {
    json::object k = a.jwk;
    k[member] = std::move(v);
    return jwks_of({k});
  };
  auto without = [&](const char* member) {
    json::object k = a.jwk;
    k.erase(member);
    return jwks_of({k});
  };
  std::string n = std::string(a.jwk.at("n").as_string());
  const std::pair<std::string, const char*> cases[] = {
      {"not json", "json_invalid"},
      {"[]", "jwks_malformed"},
      {R"({"keys":{}})", "jwks_malformed"},
      {R"({"keys":[1]})", "jwks_malformed"},
      {R"({"keys":[]})", "jwks_no_usable_keys"},
      {jwks_of({kEcKey}), "jwks_no_usable_keys"},
      {R"({"keys":[{"n":"AQAB"}]})", "jwk_malformed"},
      {without("n"), "jwk_malformed"},
      {without("e"), "jwk_malformed"},
      {with("n", json::value(n + "==")), "jwk_malformed"},
      {with("n", json::value(42)), "jwk_malformed"},
      {with("e", json::value("AQAA")), "jwk_exponent_invalid"},  // 65536: even
      {with("e", json::value("AQ")), "jwk_exponent_invalid"},    // 1
      {with("kid", json::value(7)), "jwk_malformed"},
      {jwks_of({a.jwk, a.jwk}), "jwks_duplicate_kid"},
      {R"({"keys":[],"keys":[]})", "json_duplicate_member"},
      {std::string(kMaxJwksBytes + 1, ' '), "jwks_too_large"},
  };
  for (const auto& [text, reason] : cases) {
    auto jwks = Jwks::parse(text);
    EXPECT_FALSE(jwks.is_ok()) << text.substr(0, 80);
    EXPECT_EQ(reason_of(jwks), reason) << text.substr(0, 80);
  }
}

// ---------------------------------------------------------------------------
// The tool's own keys and signer

TEST(SignerTest, SignedTokenVerifiesWithTheExportedJwk) {
  TestKey k = make_key("tool-1");
  json::object payload = {{"iss", "mentoring-tool"}, {"n", 1}};
  auto token = sign_rs256(json::object{{"typ", "JWT"}}, payload, k.key.get(), "tool-1");
  ASSERT_TRUE(token.is_ok()) << token.status().to_string();
  auto jwks = Jwks::parse(jwks_of({k.jwk}));
  ASSERT_TRUE(jwks.is_ok());
  auto jws = parse_compact_jws(*token, 16 * 1024);
  ASSERT_TRUE(jws.is_ok());
  EXPECT_EQ(jws->kid, "tool-1");
  EXPECT_EQ(jws->header.at("typ").as_string(), "JWT");
  EXPECT_EQ(jws->payload, payload);
  EXPECT_TRUE(verify_signature(*jws, *jwks, default_jws_algs()).is_ok());
  // Another key with the same kid does not verify it.
  TestKey impostor = make_key("tool-1");
  auto other = Jwks::parse(jwks_of({impostor.jwk}));
  ASSERT_TRUE(other.is_ok());
  EXPECT_EQ(reason_of(verify_signature(*jws, *other, default_jws_algs())), "jws_signature_invalid");
}

TEST(SignerTest, HeaderAlgAndKidCannotBeOverriddenByTheCaller) {
  TestKey k = make_key("");
  auto token = sign_rs256(json::object{{"alg", "none"}, {"kid", "x"}}, json::object{}, k.key.get(), "real");
  ASSERT_TRUE(token.is_ok());
  auto jws = parse_compact_jws(*token, 16 * 1024);
  ASSERT_TRUE(jws.is_ok());
  EXPECT_EQ(jws->alg, "RS256");
  EXPECT_EQ(jws->kid, "real");
}

TEST(SignerTest, PemRoundTripKeepsTheKey) {
  TestKey k = make_key("");
  auto private_pem = private_key_to_pem(k.key.get());
  auto public_pem = public_key_to_pem(k.key.get());
  ASSERT_TRUE(private_pem.is_ok());
  ASSERT_TRUE(public_pem.is_ok());
  EXPECT_EQ(private_pem->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(public_pem->rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  auto private_back = private_key_from_pem(*private_pem);
  auto public_back = public_key_from_pem(*public_pem);
  ASSERT_TRUE(private_back.is_ok());
  ASSERT_TRUE(public_back.is_ok());
  EXPECT_EQ(EVP_PKEY_eq(private_back->get(), k.key.get()), 1);
  EXPECT_EQ(EVP_PKEY_eq(public_back->get(), k.key.get()), 1);
  // A token from the re-imported private key verifies with the original JWK.
  auto token = sign_rs256({}, json::object{{"x", 1}}, private_back->get(), "");
  ASSERT_TRUE(token.is_ok());
  auto jws = parse_compact_jws(*token, 16 * 1024);
  auto jwks = Jwks::parse(jwks_of({k.jwk}));
  ASSERT_TRUE(jws.is_ok());
  ASSERT_TRUE(jwks.is_ok());
  EXPECT_TRUE(verify_signature(*jws, *jwks, default_jws_algs()).is_ok());
}

TEST(SignerTest, RefusesBadKeys) {
  EXPECT_EQ(reason_of(private_key_from_pem("not a key")), "pem_invalid");
  EXPECT_EQ(reason_of(public_key_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")),
            "pem_invalid");
  EXPECT_EQ(reason_of(sign_rs256({}, {}, nullptr, "")), "key_not_rsa");
  EXPECT_EQ(reason_of(public_jwk(nullptr, "")), "key_not_rsa");
  EXPECT_EQ(reason_of(generate_rsa_key(1024)), "key_too_short");
  // A public key cannot sign.
  TestKey k = make_key("");
  auto public_only = public_key_from_pem(*public_key_to_pem(k.key.get()));
  ASSERT_TRUE(public_only.is_ok());
  EXPECT_FALSE(sign_rs256({}, {}, public_only->get(), "").is_ok());
}

TEST(SignerTest, PyJwtVerifiesTheToolsTokensAndAgreesOnTheThumbprint) {
  TestKey k = make_key("");
  auto kid = jwk_thumbprint(k.key.get());
  ASSERT_TRUE(kid.is_ok());
  auto jwk = public_jwk(k.key.get(), *kid);
  ASSERT_TRUE(jwk.is_ok());
  json::object payload = {
      {"iss", "https://tool.example.nhs.uk"},
      {"aud", "https://platform.example.ac.uk"},
      {"https://purl.imsglobal.org/spec/lti/claim/message_type", "LtiDeepLinkingResponse"},
      {"name", "Dr Si\xc3\xa2n \xc3\x93 Briain"},
      {"https://purl.imsglobal.org/spec/lti-dl/claim/content_items",
       json::array{json::object{{"type", "ltiResourceLink"}, {"title", "Mentoring \"scheme\" </script>"}}}},
      {"iat", 1700000000},
  };
  auto token = sign_rs256(json::object{{"typ", "JWT"}}, payload, k.key.get(), *kid);
  ASSERT_TRUE(token.is_ok()) << token.status().to_string();

  auto jwk_path = temp_path("mentoring-lti-jwk");
  auto pem_path = temp_path("mentoring-lti-pem");
  write_file(jwk_path, json::serialize(*jwk));
  write_file(pem_path, *public_key_to_pem(k.key.get()));
  int rc = 0;
  std::string out = run_script({"verify", jwk_path.string(), pem_path.string(), *token}, rc);
  std::filesystem::remove(jwk_path);
  std::filesystem::remove(pem_path);
  ASSERT_EQ(rc, 0) << out;
  json::value verified = json::parse(out);
  EXPECT_EQ(verified.at("header").at("alg").as_string(), "RS256");
  EXPECT_EQ(verified.at("header").at("kid").as_string(), *kid);
  EXPECT_EQ(verified.at("payload").as_object(), payload);
  EXPECT_EQ(verified.at("thumbprint").as_string(), *kid);

  // And PyJWT refuses the same token once a payload byte changes, so the
  // check above is not vacuous.
  std::string tampered = *token;
  std::size_t dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  write_file(jwk_path, json::serialize(*jwk));
  write_file(pem_path, *public_key_to_pem(k.key.get()));
  run_script({"verify", jwk_path.string(), pem_path.string(), tampered}, rc);
  std::filesystem::remove(jwk_path);
  std::filesystem::remove(pem_path);
  EXPECT_NE(rc, 0);
}

}  // namespace
}  // namespace mentoring::lti
