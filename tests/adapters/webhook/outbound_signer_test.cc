#include "adapters/webhook/outbound_signer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mentoring::webhook {
namespace {

// Published vectors: standard-webhooks/standard-webhooks,
// libraries/python/tests/test_webhooks.py (test_sign_function) and
// libraries/rust/src/lib.rs (test_sign).
constexpr std::string_view kSecret1 = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kSecret2 = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
constexpr std::string_view kMsgId1 = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kTimestamp1 = 1614265330;
constexpr std::string_view kPayload1 = R"({"test": 2432232314})";
constexpr std::string_view kExpected1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

WebhookSecret secret(std::string_view text) {
  auto parsed = WebhookSecret::parse(text);
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return *parsed;
}

TEST(OutboundSignerTest, BuildsTheThreeHeadersForThePublishedVector) {
  auto headers = sign_outbound({secret(kSecret1)}, kMsgId1, kTimestamp1, kPayload1);
  ASSERT_TRUE(headers.is_ok()) << headers.status().to_string();
  EXPECT_EQ(headers->id, kMsgId1);
  EXPECT_EQ(headers->timestamp, "1614265330");
  EXPECT_EQ(headers->signature, kExpected1);

  auto list = headers->to_list();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].name, "webhook-id");
  EXPECT_EQ(list[0].value, kMsgId1);
  EXPECT_EQ(list[1].name, "webhook-timestamp");
  EXPECT_EQ(list[1].value, "1614265330");
  EXPECT_EQ(list[2].name, "webhook-signature");
  EXPECT_EQ(list[2].value, kExpected1);
}

TEST(OutboundSignerTest, SignsOncePerSecretInOrderSeparatedBySpaces) {
  const WebhookSecret a = secret(kSecret1), b = secret(kSecret2);
  auto headers = sign_outbound({b, a}, kMsgId1, kTimestamp1, kPayload1);
  ASSERT_TRUE(headers.is_ok());
  auto sig_b = sign(b, kMsgId1, kTimestamp1, kPayload1);
  ASSERT_TRUE(sig_b.is_ok());
  EXPECT_EQ(headers->signature, *sig_b + " " + std::string(kExpected1));

  // A receiver holding either secret alone accepts it.
  Headers received{headers->id, headers->timestamp, headers->signature};
  EXPECT_TRUE(verify({a}, received, kPayload1, kTimestamp1).is_ok());
  EXPECT_TRUE(verify({b}, received, kPayload1, kTimestamp1).is_ok());
}

TEST(OutboundSignerTest, RejectsMissingSecretsAndBadIdsOrTimestamps) {
  EXPECT_EQ(sign_outbound({}, kMsgId1, kTimestamp1, kPayload1).status().reason(),
            "webhook_secret_missing");
  EXPECT_EQ(sign_outbound({secret(kSecret1)}, "", kTimestamp1, kPayload1).status().reason(),
            "webhook_id_invalid");
  EXPECT_EQ(sign_outbound({secret(kSecret1)}, "evt.1", kTimestamp1, kPayload1).status().reason(),
            "webhook_id_invalid");
  EXPECT_EQ(sign_outbound({secret(kSecret1)}, kMsgId1, -5, kPayload1).status().reason(),
            "webhook_timestamp_invalid");
}

}  // namespace
}  // namespace mentoring::webhook
