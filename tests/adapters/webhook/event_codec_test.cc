// Decoding verified webhook bodies into catalogue events, and refusing
// everything else with a specific reason.
#include "adapters/webhook/event_codec.h"

#include <gtest/gtest.h>

namespace mentoring::webhook {
namespace {
using core::InboundEventType;

std::string envelope(const std::string& type, const std::string& data,
                     const std::string& timestamp = "2026-11-25T10:00:00.250Z") {
  return "{\"type\":\"" + type + "\",\"timestamp\":\"" + timestamp + "\",\"data\":" + data + "}";
}

const std::string kPerson = R"("platform":"https://portal.example.nhs.uk","subject":"trainee-1")";

std::string reason_of(const std::string& body) { return decode_event(body).status().reason(); }

TEST(EventCodecTest, AccountUpdatedCarriesEveryField) {
  auto e = decode_event(envelope("account.updated", "{" + kPerson +
                                                        R"(,"name":"Dr Ada Lovelace","email":"ada@example.nhs.uk",)"
                                                        R"("gmc_number":"7654321","career_stage":"st3",)"
                                                        R"("specialty":"Cardiology","programme":"Cardiology ST3+",)"
                                                        R"("site":"St Elsewhere","region":"London"})"));
  ASSERT_TRUE(e.is_ok()) << e.status().to_string();
  EXPECT_EQ(e->type, InboundEventType::kAccountUpdated);
  EXPECT_EQ(e->occurred_at_ms, 1795600800250);
  EXPECT_EQ(e->person.platform, "https://portal.example.nhs.uk");
  EXPECT_EQ(e->person.subject, "trainee-1");
  EXPECT_EQ(e->account.name, "Dr Ada Lovelace");
  EXPECT_EQ(e->account.gmc_number, "7654321");
  ASSERT_TRUE(e->account.career_stage.has_value());
  EXPECT_EQ(*e->account.career_stage, core::CareerStage::kSt3);
  EXPECT_EQ(e->account.region, "London");
  // sha256("https://portal.example.nhs.uk\ntrainee-1") from Python's hashlib.
  EXPECT_EQ(e->person.subject_key, "dfbc79baa650eb1e7a476da501707170152e29febbba3ea88f85446696a5253a");
}

TEST(EventCodecTest, EachEventTypeDecodesItsOwnFields) {
  auto placement = decode_event(envelope(
      "placement.changed", "{" + kPerson + R"(,"site":"Royal Infirmary","region":"North","starts_on":"2026-12-02"})"));
  ASSERT_TRUE(placement.is_ok()) << placement.status().to_string();
  EXPECT_EQ(placement->placement.site, "Royal Infirmary");
  EXPECT_EQ(placement->placement.starts_on->to_string(), "2026-12-02");

  auto programme = decode_event(
      envelope("programme_enrolment.changed", "{" + kPerson + R"(,"programme":"GP VTS","status":"out_of_programme"})"));
  ASSERT_TRUE(programme.is_ok()) << programme.status().to_string();
  EXPECT_EQ(programme->programme.status, core::ProgrammeStatus::kOutOfProgramme);

  auto outcome = decode_event(
      envelope("training_outcome.recorded", "{" + kPerson + R"(,"outcome":"10.1","recorded_on":"2026-06-30"})"));
  ASSERT_TRUE(outcome.is_ok()) << outcome.status().to_string();
  EXPECT_EQ(outcome->outcome.outcome, "10.1");

  for (const char* t : {"account.created", "account.suspended", "account.deleted"}) {
    auto e = decode_event(envelope(t, "{" + kPerson + "}"));
    ASSERT_TRUE(e.is_ok()) << t << ": " << e.status().to_string();
    EXPECT_EQ(core::to_string(e->type), std::string(t));
  }
}

TEST(EventCodecTest, MalformedBodiesAreRefusedWithTheirOwnReason) {
  EXPECT_EQ(reason_of("{\"type\":"), "webhook_body_invalid_json");
  EXPECT_EQ(reason_of(""), "webhook_body_invalid_json");
  EXPECT_EQ(reason_of("[1,2]"), "webhook_body_not_object");
  EXPECT_EQ(reason_of(std::string(50, '[') + std::string(50, ']')), "webhook_body_invalid_json");
  EXPECT_EQ(reason_of(envelope("account.updated", "[]")), "webhook_body_not_object");
  EXPECT_EQ(reason_of(envelope("account.renamed", "{" + kPerson + "}")), "webhook_event_type_unknown");
  EXPECT_EQ(reason_of(R"({"timestamp":"2026-11-25T10:00:00Z","data":{}})"), "webhook_field_required");
  EXPECT_EQ(reason_of(R"({"type":7,"timestamp":"2026-11-25T10:00:00Z","data":{}})"), "webhook_field_invalid");
  EXPECT_EQ(reason_of(envelope("account.updated", "{" + kPerson + "}") + " "), "");  // trailing space is fine
  EXPECT_EQ(reason_of(R"({"type":"account.updated","timestamp":"2026-11-25T10:00:00Z","data":{},"extra":1})"),
            "webhook_field_unknown");
}

TEST(EventCodecTest, TimestampsMustBeRfc3339Utc) {
  const std::string data = "{" + kPerson + "}";
  EXPECT_EQ(reason_of(envelope("account.updated", data, "2026-11-25 10:00:00Z")), "webhook_timestamp_field_invalid");
  EXPECT_EQ(reason_of(envelope("account.updated", data, "2026-11-25T10:00:00+01:00")),
            "webhook_timestamp_field_invalid");
  EXPECT_EQ(reason_of(envelope("account.updated", data, "2026-02-30T10:00:00Z")), "webhook_timestamp_field_invalid");
  EXPECT_EQ(reason_of(envelope("account.updated", data, "2026-11-25T24:00:00Z")), "webhook_timestamp_field_invalid");
  EXPECT_EQ(reason_of(envelope("account.updated", data, "2026-11-25T10:00:00.Z")), "webhook_timestamp_field_invalid");
  EXPECT_EQ(reason_of(R"({"type":"account.updated","timestamp":1764064800,"data":{}})"),
            "webhook_timestamp_field_invalid");
  auto fine = decode_event(envelope("account.updated", data, "1970-01-01T00:00:01.123456Z"));
  ASSERT_TRUE(fine.is_ok());
  EXPECT_EQ(fine->occurred_at_ms, 1123);
  EXPECT_EQ(core::format_rfc3339_ms(1795600800250), "2026-11-25T10:00:00.250Z");
  EXPECT_EQ(core::parse_rfc3339_ms(core::format_rfc3339_ms(1795600800250)), 1795600800250);
}

TEST(EventCodecTest, FieldRulesNameTheField) {
  auto bad = [](const std::string& type, const std::string& data) { return decode_event(envelope(type, data)).status(); };
  auto st = bad("account.updated", "{" + kPerson + R"(,"gmc_number":"12345"})");
  EXPECT_EQ(st.reason(), "event_gmc_number_invalid");
  EXPECT_EQ(st.field(), "data.gmc_number");
  EXPECT_EQ(bad("account.updated", "{" + kPerson + R"(,"career_stage":"registrar"})").reason(),
            "event_career_stage_invalid");
  st = bad("account.updated", "{" + kPerson + R"(,"email":"not-an-email"})");
  EXPECT_EQ(st.reason(), "event_email_invalid");
  EXPECT_EQ(st.field(), "data.email");
  st = bad("account.updated", R"({"platform":"https://portal.example.nhs.uk"})");
  EXPECT_EQ(st.reason(), "webhook_field_required");
  EXPECT_EQ(st.field(), "data.subject");
  st = bad("account.suspended", "{" + kPerson + R"(,"name":"Dr A"})");
  EXPECT_EQ(st.reason(), "webhook_field_unknown");
  EXPECT_EQ(st.field(), "data.name");
  EXPECT_EQ(bad("placement.changed", "{" + kPerson + "}").reason(), "webhook_field_required");
  EXPECT_EQ(bad("placement.changed", "{" + kPerson + R"(,"site":"X","starts_on":"02/12/2026"})").reason(),
            "webhook_field_invalid");
  EXPECT_EQ(bad("programme_enrolment.changed", "{" + kPerson + R"(,"programme":"GP","status":"paused"})").reason(),
            "webhook_field_invalid");
  EXPECT_EQ(bad("training_outcome.recorded", "{" + kPerson + R"(,"outcome":"7","recorded_on":"2026-06-30"})").reason(),
            "event_outcome_invalid");
  EXPECT_EQ(bad("account.updated", "{" + kPerson + R"(,"name":42})").reason(), "webhook_field_invalid");
  EXPECT_EQ(bad("account.updated", "{" + kPerson + R"(,"site":"line one\nline two"})").reason(), "event_site_invalid");
}

TEST(EventCatalogueTest, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(core::OutboundEventType::kCertificateIssued); ++i) {
    const auto t = static_cast<core::OutboundEventType>(i);
    EXPECT_EQ(core::parse_outbound_event_type(core::to_string(t)), t);
  }
  for (int i = 0; i <= static_cast<int>(InboundEventType::kTrainingOutcomeRecorded); ++i) {
    const auto t = static_cast<InboundEventType>(i);
    EXPECT_EQ(core::parse_inbound_event_type(core::to_string(t)), t);
  }
  EXPECT_FALSE(core::parse_inbound_event_type("mentoring.enrolled"));
}

}  // namespace
}  // namespace mentoring::webhook
