#include "adapters/webhook/signature.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace mentoring::webhook {
namespace {

// Published test vector from the Standard Webhooks reference libraries:
// standard-webhooks/standard-webhooks, libraries/python/tests/test_webhooks.py
// (test_sign_function); the same values appear in
// libraries/javascript/src/webhook.test.ts ("sign function works") and
// libraries/go/webhook_test.go (TestWebhookSign).
constexpr std::string_view kSecret1 = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kMsgId1 = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp1 = 1614265330;
constexpr std::string_view kPayload1 = R"({"test": 2432232314})";
constexpr std::string_view kExpected1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

// Published test vector from standard-webhooks/standard-webhooks,
// libraries/rust/src/lib.rs (test_sign).
constexpr std::string_view kSecret2 = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
constexpr std::string_view kMsgId2 = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
constexpr std::int64_t kTimestamp2 = 1649367553;
constexpr std::string_view kPayload2 = R"({"email":"test@example.com","username":"test_user"})";
constexpr std::string_view kExpected2 = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

// Signatures the reference tests use as wrong ones, as published.
// libraries/python/tests/test_webhooks.py (test_invalid_signature_raises_error):
// the valid signature above with its last base64 character changed.
constexpr std::string_view kNearMiss1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=";
// libraries/go/webhook_test.go ("invalid signature is invalid") and the
// decoys in the Python multi-signature test.
constexpr std::string_view kDecoy = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
// libraries/javascript/src/webhook.test.ts ("invalid signature throws
// error"): valid base64, but of 18 bytes rather than 32.
constexpr std::string_view kShort = "v1,dawfeoifkpqwoekfpqoekf";

// Base64 through OpenSSL's primitives directly, to build test inputs.
std::string b64encode(const std::vector<unsigned char>& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}
std::vector<unsigned char> b64decode(std::string_view text) {
  std::vector<unsigned char> out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  EXPECT_GE(n, 0);
  std::size_t padding = std::count(text.begin(), text.end(), '=');
  out.resize(static_cast<std::size_t>(std::max(n, 0)) - padding);
  return out;
}

WebhookSecret secret(std::string_view text) {
  auto parsed = WebhookSecret::parse(text);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return *parsed;
}

std::string sig(const WebhookSecret& s, std::string_view id, std::int64_t ts,
                std::string_view body) {
  auto signed_value = sign(s, id, ts, body);
  EXPECT_TRUE(signed_value.is_ok()) << signed_value.status().to_string();
  return signed_value.is_ok() ? *signed_value : std::string();
}

// The published vector as a received request, `now` seconds after signing.
struct Vector1Request {
  std::string ts = std::to_string(kTimestamp1);
  std::string signature = std::string(kExpected1);
  std::string body = std::string(kPayload1);
  Headers headers() const { return {kMsgId1, ts, signature}; }
};

// --- published vectors -----------------------------------------------------

TEST(WebhookSignatureTest, SignReproducesThePublishedPythonJavascriptGoVector) {
  EXPECT_EQ(sig(secret(kSecret1), kMsgId1, kTimestamp1, kPayload1), kExpected1);
}

TEST(WebhookSignatureTest, SignReproducesThePublishedRustVector) {
  EXPECT_EQ(sig(secret(kSecret2), kMsgId2, kTimestamp2, kPayload2), kExpected2);
}

TEST(WebhookSignatureTest, VerifyAcceptsThePublishedVectors) {
  std::string ts1 = std::to_string(kTimestamp1), ts2 = std::to_string(kTimestamp2);
  EXPECT_TRUE(verify({secret(kSecret1)}, {kMsgId1, ts1, kExpected1}, kPayload1, kTimestamp1).is_ok());
  EXPECT_TRUE(verify({secret(kSecret2)}, {kMsgId2, ts2, kExpected2}, kPayload2, kTimestamp2).is_ok());
}

TEST(WebhookSignatureTest, VerifyRejectsAModifiedBodyIdOrTimestamp) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;

  std::string body = r.body;
  body[body.size() - 2] = '5';  // 2432232314 -> 2432232315
  EXPECT_EQ(verify(secrets, r.headers(), body, kTimestamp1).reason(), "webhook_signature_invalid");
  EXPECT_EQ(verify(secrets, r.headers(), r.body + " ", kTimestamp1).reason(),
            "webhook_signature_invalid");
  // Re-serialising the JSON (here: dropping a space) breaks the signature,
  // which is why only raw bytes are verified.
  EXPECT_EQ(verify(secrets, r.headers(), R"({"test":2432232314})", kTimestamp1).reason(),
            "webhook_signature_invalid");

  Headers other_id = r.headers();
  other_id.id = "msg_p5jXN8AQM9LWM0D4loKWxJel";
  EXPECT_EQ(verify(secrets, other_id, r.body, kTimestamp1).reason(), "webhook_signature_invalid");

  std::string later = std::to_string(kTimestamp1 + 1);
  Headers other_ts = r.headers();
  other_ts.timestamp = later;
  EXPECT_EQ(verify(secrets, other_ts, r.body, kTimestamp1).reason(), "webhook_signature_invalid");

  // And the right secret is needed.
  EXPECT_EQ(verify({secret(kSecret2)}, r.headers(), r.body, kTimestamp1).reason(),
            "webhook_signature_invalid");
}

TEST(WebhookSignatureTest, VerifyRejectsThePublishedWrongSignatures) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  for (std::string_view wrong : {kNearMiss1, kDecoy, kShort}) {
    r.signature = std::string(wrong);
    auto status = verify(secrets, r.headers(), r.body, kTimestamp1);
    EXPECT_EQ(status.reason(), "webhook_signature_invalid") << wrong;
    EXPECT_EQ(status.code(), core::Code::kUnauthenticated);
  }
}

// --- secrets ---------------------------------------------------------------

TEST(WebhookSecretTest, ParsesAndSerializesTheSameText) {
  EXPECT_EQ(secret(kSecret1).serialize(), kSecret1);
  EXPECT_EQ(secret(kSecret1).bytes().size(), 24u);
}

TEST(WebhookSecretTest, AcceptsKeysOf24To64BytesOnly) {
  std::vector<unsigned char> key(23, 0x42);
  auto too_short = WebhookSecret::from_bytes(key);
  ASSERT_FALSE(too_short.is_ok());
  EXPECT_EQ(too_short.status().reason(), "webhook_secret_invalid");
  key.push_back(0x42);
  EXPECT_TRUE(WebhookSecret::from_bytes(key).is_ok());
  key.assign(64, 0x42);
  auto longest = WebhookSecret::from_bytes(key);
  ASSERT_TRUE(longest.is_ok());
  // Round trip through the text form, as an administrator would paste it.
  EXPECT_TRUE(WebhookSecret::parse(longest->serialize()).is_ok());
  key.push_back(0x42);
  EXPECT_EQ(WebhookSecret::from_bytes(key).status().reason(), "webhook_secret_invalid");
  EXPECT_EQ(WebhookSecret::parse("whsec_" + b64encode(key)).status().reason(),
            "webhook_secret_invalid");
  key.resize(23);
  EXPECT_EQ(WebhookSecret::parse("whsec_" + b64encode(key)).status().reason(),
            "webhook_secret_invalid");
}

TEST(WebhookSecretTest, RejectsMalformedSecretsWithAClearReason) {
  const char* bad[] = {
      "",
      "whsec_",
      "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",         // prefix missing
      "whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",    // asymmetric key prefix
      "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",   // prefix is case-sensitive
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",    // length not a multiple of 4
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ",  // trailing space
      " whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "whsec_MfKQ9r8GKYqrTwjU PD8ILPZIo2LaLaSw",
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa-w",  // URL-safe alphabet
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=",  // 23 bytes
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La=aSw",  // '=' in the middle
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAB===",
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAB=",  // non-zero padding bits
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n",
  };
  for (const char* text : bad) {
    auto parsed = WebhookSecret::parse(text);
    ASSERT_FALSE(parsed.is_ok()) << '"' << text << '"';
    EXPECT_EQ(parsed.status().reason(), "webhook_secret_invalid") << text;
    EXPECT_EQ(parsed.status().code(), core::Code::kInvalidArgument);
    EXPECT_FALSE(parsed.status().message().empty());
  }
  // The canonical spelling of the same 29 bytes is accepted.
  EXPECT_TRUE(WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAA=").is_ok());
}

TEST(WebhookSecretTest, CopiesAndMovesKeepTheKeyUsable) {
  WebhookSecret original = secret(kSecret1);
  WebhookSecret copy = original;
  WebhookSecret moved = std::move(original);
  EXPECT_EQ(copy.serialize(), kSecret1);
  EXPECT_EQ(moved.serialize(), kSecret1);
  copy = secret(kSecret2);
  EXPECT_EQ(sig(copy, kMsgId2, kTimestamp2, kPayload2), kExpected2);
}

// --- rotation and signature lists --------------------------------------------

TEST(WebhookSignatureTest, EitherSecretOfARotationVerifies) {
  const std::vector<WebhookSecret> both{secret(kSecret2), secret(kSecret1)};
  Vector1Request r;
  EXPECT_TRUE(verify(both, r.headers(), r.body, kTimestamp1).is_ok());

  std::string ts2 = std::to_string(kTimestamp2);
  EXPECT_TRUE(verify(both, {kMsgId2, ts2, kExpected2}, kPayload2, kTimestamp2).is_ok());
}

TEST(WebhookSignatureTest, OneValidEntryAmongSeveralIsEnough) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  // The list from libraries/python/tests/test_webhooks.py
  // (test_multi_sig_payload_is_valid): decoys, a v2 entry, the valid one.
  r.signature = std::string(kDecoy) + " v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " +
                std::string(kExpected1) + " " + std::string(kDecoy);
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1).is_ok());

  // Without the valid entry the same list fails.
  r.signature = std::string(kDecoy) + " v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " +
                std::string(kDecoy);
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(), "webhook_signature_invalid");

  // A valid signature under a v1a label (the asymmetric scheme) is not
  // treated as v1.
  r.signature = "v1a," + std::string(kExpected1.substr(3)) + " " + std::string(kDecoy);
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(), "webhook_signature_invalid");
}

TEST(WebhookSignatureTest, OnlyNonV1EntriesAreUnsupported) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  // The v1a entry of the example headers in spec/standard-webhooks.md.
  r.signature =
      "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==";
  auto status = verify(secrets, r.headers(), r.body, kTimestamp1);
  EXPECT_EQ(status.reason(), "webhook_signature_unsupported");
  EXPECT_EQ(status.code(), core::Code::kUnauthenticated);
  r.signature = "v2," + std::string(kExpected1.substr(3));
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(),
            "webhook_signature_unsupported");
}

TEST(WebhookSignatureTest, MalformedSignatureHeadersAreRejected) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  r.signature = std::string(kExpected1.substr(3));  // no "v1,"
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(),
            "webhook_signature_malformed");
  r.signature = std::string(kExpected1) + " garbage";
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(),
            "webhook_signature_malformed");
  // Too many entries, even with the valid one among them.
  r.signature.clear();
  for (std::size_t i = 0; i < kMaxSignatureEntries; ++i) r.signature += std::string(kDecoy) + " ";
  r.signature += kExpected1;
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(),
            "webhook_signature_malformed");
  // Exactly the maximum is fine.
  r.signature.clear();
  for (std::size_t i = 1; i < kMaxSignatureEntries; ++i) r.signature += std::string(kDecoy) + " ";
  r.signature += kExpected1;
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1).is_ok());
  // Doubled spaces between entries are tolerated.
  r.signature = std::string(kDecoy) + "  " + std::string(kExpected1);
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1).is_ok());
}

TEST(WebhookSignatureTest, BadBase64InASignatureNeverMatches) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  const std::string b64(kExpected1.substr(3));  // 44 characters, one '='
  const std::string variants[] = {
      "v1,",                                  // empty
      "v1," + b64.substr(0, 43),              // padding dropped
      "v1," + b64 + "=",                      // extra padding
      "v1," + b64.substr(0, 10) + "*" + b64.substr(11),  // not in the alphabet
      "v1," + b64.substr(0, 43) + "\t",
      "v1," + std::string(b64.begin(), b64.end() - 2) + "F=",  // non-zero padding bits
  };
  for (const std::string& variant : variants) {
    r.signature = variant;
    EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(),
              "webhook_signature_invalid")
        << variant;
  }
}

TEST(WebhookSignatureTest, SignaturesOfTheWrongLengthAreRejected) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  // The first 30 bytes of the right MAC, and the right MAC with bytes added:
  // a comparison that stopped at the shorter length would accept these.
  std::vector<unsigned char> mac = b64decode(kExpected1.substr(3));
  ASSERT_EQ(mac.size(), 32u);
  std::vector<unsigned char> prefix(mac.begin(), mac.begin() + 31);
  r.signature = "v1," + b64encode(prefix);
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(), "webhook_signature_invalid");
  std::vector<unsigned char> longer = mac;
  longer.push_back(0);
  r.signature = "v1," + b64encode(longer);
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1).reason(), "webhook_signature_invalid");
  // The helpers are sound: the unmodified bytes re-encode to a passing entry.
  r.signature = "v1," + b64encode(mac);
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1).is_ok());
}

// --- headers -----------------------------------------------------------------

TEST(WebhookSignatureTest, MissingHeadersAreNamed) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  Headers h = r.headers();
  h.id = {};
  auto status = verify(secrets, h, r.body, kTimestamp1);
  EXPECT_EQ(status.reason(), "webhook_id_missing");
  EXPECT_EQ(status.field(), "webhook-id");

  h = r.headers();
  h.timestamp = {};
  EXPECT_EQ(verify(secrets, h, r.body, kTimestamp1).reason(), "webhook_timestamp_missing");

  h = r.headers();
  h.signature = {};
  status = verify(secrets, h, r.body, kTimestamp1);
  EXPECT_EQ(status.reason(), "webhook_signature_missing");
  EXPECT_EQ(status.code(), core::Code::kUnauthenticated);
}

TEST(WebhookSignatureTest, MalformedIdsAreRejected) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  const std::string bad_ids[] = {"msg 1", "msg.1", "msg\x01", "msg\xc3\xa9", std::string(257, 'a')};
  for (const std::string& id : bad_ids) {
    Headers h = r.headers();
    h.id = id;
    EXPECT_EQ(verify(secrets, h, r.body, kTimestamp1).reason(), "webhook_id_invalid") << id;
    EXPECT_EQ(sign(secrets[0], id, kTimestamp1, r.body).status().reason(), "webhook_id_invalid");
  }
  // 256 characters is the limit, inclusive, and verifies when signed.
  const std::string longest(256, 'a');
  std::string signature = sig(secrets[0], longest, kTimestamp1, r.body);
  EXPECT_TRUE(verify(secrets, {longest, r.ts, signature}, r.body, kTimestamp1).is_ok());
}

TEST(WebhookSignatureTest, MalformedTimestampsAreRejected) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  // Reference libraries would read "1614265330.0" or "01614265330" as the
  // same instant but sign the re-printed number; only the canonical form is
  // accepted so the signed text is exactly the header.
  for (std::string ts : {"hello", "1614265330.0", "01614265330", "+1614265330", "-1614265330",
                         " 1614265330", "1614265330 ", "1e9", "1234567890123456789"}) {
    Headers h = r.headers();
    h.timestamp = ts;
    auto status = verify(secrets, h, r.body, kTimestamp1);
    EXPECT_EQ(status.reason(), "webhook_timestamp_invalid") << ts;
    EXPECT_EQ(status.code(), core::Code::kInvalidArgument);
  }
  EXPECT_EQ(sign(secrets[0], kMsgId1, -1, r.body).status().reason(), "webhook_timestamp_invalid");
}

TEST(WebhookSignatureTest, TimestampToleranceIsInclusiveAt300Seconds) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1 + 300).is_ok());
  auto old = verify(secrets, r.headers(), r.body, kTimestamp1 + 301);
  EXPECT_EQ(old.reason(), "webhook_timestamp_too_old");
  EXPECT_EQ(old.code(), core::Code::kUnauthenticated);

  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1 - 300).is_ok());
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1 - 301).reason(),
            "webhook_timestamp_in_future");

  // The window is checked before the signature: a stale request with a bad
  // signature reports its age.
  r.signature = std::string(kDecoy);
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1 + 301).reason(),
            "webhook_timestamp_too_old");
}

TEST(WebhookSignatureTest, ToleranceIsConfigurableAndSafeAtExtremes) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  Vector1Request r;
  VerifyOptions strict;
  strict.tolerance_seconds = 10;
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1 + 10, strict).is_ok());
  EXPECT_EQ(verify(secrets, r.headers(), r.body, kTimestamp1 + 11, strict).reason(),
            "webhook_timestamp_too_old");
  // A clock at either end of int64 must not overflow into acceptance.
  EXPECT_EQ(verify(secrets, r.headers(), r.body, INT64_MAX).reason(), "webhook_timestamp_too_old");
  EXPECT_EQ(verify(secrets, r.headers(), r.body, INT64_MIN).reason(),
            "webhook_timestamp_in_future");
}

// --- size limit ----------------------------------------------------------------

TEST(WebhookSignatureTest, OversizedBodyIsRejectedBeforeAnythingElse) {
  const std::vector<WebhookSecret> secrets{secret(kSecret1)};
  VerifyOptions options;
  options.max_body_bytes = 16;
  Vector1Request r;  // body is 20 bytes
  // A correctly signed request still fails on size...
  auto status = verify(secrets, r.headers(), r.body, kTimestamp1, options);
  EXPECT_EQ(status.reason(), "webhook_body_too_large");
  EXPECT_EQ(status.code(), core::Code::kResourceExhausted);
  // ...and the size check comes before headers, secrets and the HMAC: with
  // no headers and no secrets at all, size is still what is reported.
  EXPECT_EQ(verify({}, Headers{}, r.body, kTimestamp1, options).reason(), "webhook_body_too_large");
  // At the limit, inclusive, the request verifies.
  options.max_body_bytes = r.body.size();
  EXPECT_TRUE(verify(secrets, r.headers(), r.body, kTimestamp1, options).is_ok());
}

TEST(WebhookSignatureTest, DefaultLimitIsOneMebibyte) {
  const WebhookSecret s = secret(kSecret1);
  const std::string body(1024 * 1024, 'x');
  std::string ts = std::to_string(kTimestamp1);
  std::string signature = sig(s, kMsgId1, kTimestamp1, body);
  EXPECT_TRUE(verify({s}, {kMsgId1, ts, signature}, body, kTimestamp1).is_ok());
  std::string bigger = body + "x";
  signature = sig(s, kMsgId1, kTimestamp1, bigger);
  EXPECT_EQ(verify({s}, {kMsgId1, ts, signature}, bigger, kTimestamp1).reason(),
            "webhook_body_too_large");
}

TEST(WebhookSignatureTest, NoConfiguredSecretIsAConfigurationError) {
  Vector1Request r;
  auto status = verify({}, r.headers(), r.body, kTimestamp1);
  EXPECT_EQ(status.reason(), "webhook_secret_missing");
  EXPECT_EQ(status.code(), core::Code::kFailedPrecondition);
}

TEST(WebhookSignatureTest, BinaryBodiesAreSignedAsRawBytes) {
  const WebhookSecret s = secret(kSecret1);
  const std::string body("a\0b\xff\xfe\x80", 6);
  std::string signature = sig(s, kMsgId1, kTimestamp1, body);
  std::string ts = std::to_string(kTimestamp1);
  EXPECT_TRUE(verify({s}, {kMsgId1, ts, signature}, body, kTimestamp1).is_ok());
  // Truncating at the NUL (a C-string mistake) must not verify.
  EXPECT_EQ(verify({s}, {kMsgId1, ts, signature}, std::string_view("a"), kTimestamp1).reason(),
            "webhook_signature_invalid");
}

// --- reading headers from a request ---------------------------------------------

TEST(WebhookHeadersTest, ReadsTheThreeHeadersCaseInsensitively) {
  http::Request request;
  request.headers = {{"Content-Type", "application/json"},
                     {"Webhook-Id", "msg_1"},
                     {"WEBHOOK-TIMESTAMP", "1614265330"},
                     {"webhook-signature", "v1,abc="}};
  auto headers = headers_from(request);
  ASSERT_TRUE(headers.is_ok());
  EXPECT_EQ(headers->id, "msg_1");
  EXPECT_EQ(headers->timestamp, "1614265330");
  EXPECT_EQ(headers->signature, "v1,abc=");
}

TEST(WebhookHeadersTest, SvixAliasesAreNotRead) {
  http::Request request;
  request.headers = {{"svix-id", "msg_1"}, {"svix-timestamp", "1"}, {"svix-signature", "v1,a"}};
  auto headers = headers_from(request);
  ASSERT_TRUE(headers.is_ok());
  EXPECT_TRUE(headers->id.empty());
  EXPECT_EQ(verify({secret(kSecret1)}, *headers, "", 1).reason(), "webhook_id_missing");
}

TEST(WebhookHeadersTest, DuplicatedHeadersAreRejected) {
  http::Request request;
  request.headers = {{"webhook-id", "msg_1"},
                     {"webhook-timestamp", "1"},
                     {"webhook-signature", "v1,a"},
                     {"Webhook-Signature", "v1,b"}};
  auto headers = headers_from(request);
  ASSERT_FALSE(headers.is_ok());
  EXPECT_EQ(headers.status().reason(), "webhook_header_duplicated");
  EXPECT_EQ(headers.status().field(), "webhook-signature");
}

}  // namespace
}  // namespace mentoring::webhook
