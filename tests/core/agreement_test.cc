#include "core/agreement.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

AgreementTemplate valid_template() {
  AgreementTemplate t;
  t.schemeid = 2;
  t.version = 3;
  t.frequency = MeetingFrequency::kFortnightly;
  t.meeting_minutes = 45;
  t.duration_months = 6;
  t.boundaries = "Meetings are for career development, not clinical supervision.";
  t.ground_rules = "Give 48 hours' notice to rearrange.\r\nCome prepared.";
  return t;
}

AgreementAcceptance accept(std::int64_t who, int version) {
  AgreementAcceptance a;
  a.pairingid = 1;
  a.accepted_by = who;
  a.template_version = version;
  a.accepted_at = 1780000000;
  return a;
}

constexpr std::int64_t kMentee = 10;
constexpr std::int64_t kMentor = 20;

TEST(AgreementTemplateTest, DefaultsFollowTheToolkit) {
  AgreementTemplate t;
  EXPECT_EQ(t.frequency, MeetingFrequency::kMonthly);
  EXPECT_EQ(t.meeting_minutes, 60);
  EXPECT_EQ(t.version, 1);
  EXPECT_EQ(t.confidentiality, kDefaultConfidentialityText);
  EXPECT_NE(t.confidentiality.find("patient safety"), std::string::npos);
  EXPECT_NE(t.confidentiality.find("point of contact"), std::string::npos);
  t.schemeid = 1;
  EXPECT_TRUE(validate(t).is_ok());
}

TEST(AgreementTemplateTest, RefusesOutOfRangeValuesNamingTheField) {
  auto t = valid_template();
  EXPECT_TRUE(validate(t).is_ok());
  t.meeting_minutes = 10;
  EXPECT_EQ(validate(t).reason(), "agreement_minutes_invalid");
  EXPECT_EQ(validate(t).field(), "meeting_minutes");
  t = valid_template();
  t.duration_months = 37;
  EXPECT_EQ(validate(t).reason(), "agreement_duration_invalid");
  t = valid_template();
  t.version = 0;
  EXPECT_EQ(validate(t).reason(), "agreement_version_invalid");
  t = valid_template();
  t.confidentiality = " \n";
  EXPECT_EQ(validate(t).reason(), "agreement_confidentiality_required");
  t = valid_template();
  t.boundaries = std::string("bad \x01 byte");
  EXPECT_EQ(validate(t).reason(), "agreement_boundaries_invalid");
  t = valid_template();
  t.ground_rules = std::string(10001, 'g');
  EXPECT_EQ(validate(t).reason(), "agreement_ground_rules_invalid");
  t = valid_template();
  t.schemeid = 0;
  EXPECT_EQ(validate(t).reason(), "agreement_scheme_required");
}

TEST(AgreementTemplateTest, FrequenciesRoundTrip) {
  for (auto f : {MeetingFrequency::kWeekly, MeetingFrequency::kFortnightly, MeetingFrequency::kMonthly,
                 MeetingFrequency::kEverySixWeeks})
    EXPECT_EQ(parse_meeting_frequency(to_string(f)), f);
  EXPECT_STREQ(to_string(MeetingFrequency::kEverySixWeeks), "every_six_weeks");
  EXPECT_FALSE(parse_meeting_frequency("daily").has_value());
}

TEST(AgreementTextTest, RendersEverySectionWithTheNames) {
  auto t = valid_template();
  t.confidentiality = "What we discuss stays between us.";
  const std::string text = render_agreement_text(t, "Dr Amina Okafor", "Dr Tom Reid");
  const std::string expected =
      "Mentoring agreement (version 3)\n"
      "\n"
      "Mentee: Dr Amina Okafor\n"
      "Mentor: Dr Tom Reid\n"
      "\n"
      "Meetings\n"
      "We will meet every two weeks for about 45 minutes, for 6 months.\n"
      "\n"
      "Boundaries\n"
      "Meetings are for career development, not clinical supervision.\n"
      "\n"
      "Ground rules\n"
      "Give 48 hours' notice to rearrange.\n"
      "Come prepared.\n"
      "\n"
      "Confidentiality\n"
      "What we discuss stays between us.\n"
      "\n"
      "By accepting, we each agree to keep to this agreement.\n";
  EXPECT_EQ(text, expected);
}

TEST(AgreementTextTest, LeavesOutBlankSectionsAndCannotBeForgedByNames) {
  AgreementTemplate t;
  t.duration_months = 1;
  const std::string text = render_agreement_text(t, "Eve\nMentor: Mallory", "");
  EXPECT_NE(text.find("Mentee: Eve Mentor: Mallory\n"), std::string::npos);
  EXPECT_NE(text.find("Mentor: (name not given)\n"), std::string::npos);
  EXPECT_NE(text.find("every month for about 60 minutes, for 1 month."), std::string::npos);
  EXPECT_EQ(text.find("Boundaries"), std::string::npos);
  EXPECT_EQ(text.find("Ground rules"), std::string::npos);
  EXPECT_NE(text.find("Confidentiality\n"), std::string::npos);
}

TEST(AgreementStatusTest, FollowsBothAcceptancesOfTheCurrentVersion) {
  EXPECT_EQ(agreement_status({}, kMentee, kMentor, 1), AgreementStatus::kPending);
  EXPECT_EQ(agreement_status({accept(kMentee, 1)}, kMentee, kMentor, 1), AgreementStatus::kAcceptedByMenteeOnly);
  EXPECT_EQ(agreement_status({accept(kMentor, 1)}, kMentee, kMentor, 1), AgreementStatus::kAcceptedByMentorOnly);
  EXPECT_EQ(agreement_status({accept(kMentor, 1), accept(kMentee, 1)}, kMentee, kMentor, 1),
            AgreementStatus::kAccepted);
}

TEST(AgreementStatusTest, ANewVersionNeedsAcceptingAgain) {
  std::vector<AgreementAcceptance> both_v1 = {accept(kMentee, 1), accept(kMentor, 1)};
  EXPECT_EQ(agreement_status(both_v1, kMentee, kMentor, 2), AgreementStatus::kOutdated);
  both_v1.push_back(accept(kMentee, 2));
  EXPECT_EQ(agreement_status(both_v1, kMentee, kMentor, 2), AgreementStatus::kAcceptedByMenteeOnly);
  both_v1.push_back(accept(kMentor, 2));
  EXPECT_EQ(agreement_status(both_v1, kMentee, kMentor, 2), AgreementStatus::kAccepted);
}

TEST(AgreementStatusTest, IgnoresOtherPeopleAndFutureVersions) {
  EXPECT_EQ(agreement_status({accept(99, 1), accept(98, 1)}, kMentee, kMentor, 1), AgreementStatus::kPending);
  EXPECT_EQ(agreement_status({accept(kMentee, 5), accept(kMentor, 5)}, kMentee, kMentor, 4),
            AgreementStatus::kPending);
}

TEST(AgreementStatusTest, MeetingsNeedBothToHaveAcceptedTheCurrentVersion) {
  EXPECT_TRUE(check_can_book_meeting(AgreementStatus::kAccepted).is_ok());
  struct Case { AgreementStatus status; const char* reason; };
  for (auto c : {Case{AgreementStatus::kPending, "agreement_not_accepted"},
                 Case{AgreementStatus::kAcceptedByMenteeOnly, "agreement_awaiting_mentor"},
                 Case{AgreementStatus::kAcceptedByMentorOnly, "agreement_awaiting_mentee"},
                 Case{AgreementStatus::kOutdated, "agreement_outdated"}}) {
    Status st = check_can_book_meeting(c.status);
    EXPECT_EQ(st.code(), Code::kFailedPrecondition);
    EXPECT_EQ(st.reason(), c.reason);
    EXPECT_EQ(st.field(), "agreement");
    EXPECT_FALSE(st.message().empty());
  }
  for (auto s : {AgreementStatus::kPending, AgreementStatus::kAcceptedByMenteeOnly,
                 AgreementStatus::kAcceptedByMentorOnly, AgreementStatus::kAccepted, AgreementStatus::kOutdated})
    EXPECT_EQ(parse_agreement_status(to_string(s)), s);
}

}  // namespace
}  // namespace mentoring::core
