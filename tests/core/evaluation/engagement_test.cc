#include "core/evaluation/engagement.h"

#include <gtest/gtest.h>

namespace mentoring::core::evaluation {
namespace {

Date d(const char* s) { return *Date::parse(s); }

EngagementPolicy policy() {
  EngagementPolicy p;  // 3/6 weeks for a first meeting, 6/10 weeks quiet
  p.point_of_contact_accountid = 900;
  return p;
}

PairingActivity pairing(std::int64_t id, const char* matched, std::vector<Date> meetings = {}) {
  PairingActivity p;
  p.pairingid = id;
  p.menteeid = 100 + id;
  p.mentorid = 200 + id;
  p.enrolled_on = d("2026-01-05");
  p.matched_on = d(matched);
  p.meetings_held = std::move(meetings);
  return p;
}

TEST(EngagementTest, MeasuresTimeToMatchFirstMeetingAndMeetingCount) {
  auto p = pairing(1, "2026-01-19", {d("2026-03-02"), d("2026-02-02"), d("2026-04-06")});
  auto e = measure(p, d("2026-03-20"));
  ASSERT_TRUE(e.is_ok()) << e.status().to_string();
  EXPECT_EQ(e->days_to_match, 14);              // 5 Jan -> 19 Jan
  ASSERT_TRUE(e->days_to_first_meeting.has_value());
  EXPECT_EQ(*e->days_to_first_meeting, 14);     // 19 Jan -> 2 Feb, though listed second
  EXPECT_EQ(e->meetings, 2);                    // 6 April has not happened yet
  EXPECT_EQ(e->last_meeting_on, d("2026-03-02"));
  EXPECT_EQ(e->days_since_contact, 18);
  EXPECT_TRUE(e->active);
}

TEST(EngagementTest, PairWithoutFirstMeetingIsRemindedThenEscalated) {
  const auto p = pairing(7, "2026-02-02");
  // Day 20: nothing yet.
  auto none = nudges_due({p}, d("2026-02-22"), policy());
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
  // Day 21 (3 weeks): reminder to mentee and mentor.
  auto reminder = nudges_due({p}, d("2026-02-23"), policy());
  ASSERT_TRUE(reminder.is_ok());
  ASSERT_EQ(reminder->size(), 1u);
  const Nudge& r = reminder->front();
  EXPECT_EQ(r.kind, NudgeKind::kNoFirstMeetingReminder);
  EXPECT_EQ(r.reason, "no_first_meeting_reminder");
  EXPECT_EQ(r.due_on, d("2026-02-23"));
  EXPECT_EQ(r.weeks_without_meeting, 3);
  ASSERT_EQ(r.recipients.size(), 2u);
  EXPECT_EQ(r.recipients[0].role, RecipientRole::kMentee);
  EXPECT_EQ(r.recipients[0].accountid, 107);
  EXPECT_EQ(r.recipients[1].role, RecipientRole::kMentor);
  EXPECT_EQ(r.recipients[1].accountid, 207);
  EXPECT_EQ(r.key, "pairing:7:no_first_meeting_reminder:2026-02-23");
  // A run some days later gives the same key, so the outbox sends it once.
  auto later = nudges_due({p}, d("2026-02-27"), policy());
  ASSERT_TRUE(later.is_ok());
  EXPECT_EQ(later->front().key, r.key);
  // Six weeks: escalation to the point of contact, due on the day it was crossed.
  auto escalation = nudges_due({p}, d("2026-03-20"), policy());
  ASSERT_TRUE(escalation.is_ok());
  ASSERT_EQ(escalation->size(), 1u);
  EXPECT_EQ(escalation->front().kind, NudgeKind::kNoFirstMeetingEscalation);
  EXPECT_EQ(escalation->front().due_on, d("2026-03-16"));
  ASSERT_EQ(escalation->front().recipients.size(), 1u);
  EXPECT_EQ(escalation->front().recipients[0].role, RecipientRole::kPointOfContact);
  EXPECT_EQ(escalation->front().recipients[0].accountid, 900);
  EXPECT_EQ(escalation->front().weeks_without_meeting, 6);
}

TEST(EngagementTest, PairThatStopsMeetingGoesQuietAndANewMeetingStartsANewSpell) {
  auto p = pairing(3, "2026-01-12", {d("2026-01-20"), d("2026-02-17")});
  auto fine = nudges_due({p}, d("2026-03-30"), policy());  // 41 days since 17 Feb
  ASSERT_TRUE(fine.is_ok());
  EXPECT_TRUE(fine->empty());
  auto quiet = nudges_due({p}, d("2026-03-31"), policy());  // 42 days
  ASSERT_TRUE(quiet.is_ok());
  ASSERT_EQ(quiet->size(), 1u);
  EXPECT_EQ(quiet->front().kind, NudgeKind::kGoneQuietReminder);
  EXPECT_EQ(quiet->front().key, "pairing:3:gone_quiet_reminder:2026-03-31");
  auto escalated = nudges_due({p}, d("2026-04-28"), policy());  // 70 days
  ASSERT_TRUE(escalated.is_ok());
  EXPECT_EQ(escalated->front().kind, NudgeKind::kGoneQuietEscalation);
  EXPECT_EQ(escalated->front().due_on, d("2026-04-28"));

  p.meetings_held.push_back(d("2026-04-20"));
  auto after = nudges_due({p}, d("2026-06-01"), policy());  // 42 days after 20 April
  ASSERT_TRUE(after.is_ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ(after->front().kind, NudgeKind::kGoneQuietReminder);
  EXPECT_NE(after->front().key, quiet->front().key);
}

TEST(EngagementTest, BookedMeetingEndedPairAndFuturePairGetNoNudge) {
  auto booked = pairing(1, "2026-02-02");
  booked.next_meeting_on = d("2026-03-10");
  auto ended = pairing(2, "2026-01-05");
  ended.ended_on = d("2026-02-01");
  auto future = pairing(3, "2026-05-01");
  auto far_booking = pairing(4, "2026-02-02");
  far_booking.next_meeting_on = d("2026-06-30");  // beyond the reminder window
  auto r = nudges_due({booked, ended, future, far_booking}, d("2026-03-02"), policy());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->front().pairingid, 4);
}

TEST(EngagementTest, SummaryGivesMediansAndQuietCount) {
  const Date today = d("2026-04-01");
  auto a = pairing(1, "2026-01-09", {d("2026-01-16"), d("2026-02-20"), d("2026-03-20")});  // match 4, first 7
  auto b = pairing(2, "2026-01-15", {d("2026-02-04")});  // match 10, first 20; quiet since 4 Feb
  auto c = pairing(3, "2026-02-04");                     // match 30, never met: escalated
  auto s = summarise({a, b, c}, today, policy());
  ASSERT_TRUE(s.is_ok()) << s.status().to_string();
  EXPECT_EQ(s->pairings, 3);
  EXPECT_EQ(s->active, 3);
  EXPECT_EQ(s->with_first_meeting, 2);
  EXPECT_EQ(s->meetings, 4);
  EXPECT_DOUBLE_EQ(s->mean_meetings_per_pairing, 4.0 / 3.0);
  EXPECT_DOUBLE_EQ(*s->median_days_to_match, 10.0);
  EXPECT_DOUBLE_EQ(*s->median_days_to_first_meeting, 13.5);  // (7 + 20) / 2
  EXPECT_EQ(s->gone_quiet, 2);
  auto empty = summarise({}, today, policy());
  ASSERT_TRUE(empty.is_ok());
  EXPECT_FALSE(empty->median_days_to_match.has_value());
}

TEST(EngagementTest, InvalidPolicyAndPairingsAreRejected) {
  auto p = policy();
  p.quiet_escalation_weeks = 6;
  EXPECT_EQ(validate(p).reason(), "engagement_escalation_before_reminder");
  p = policy();
  p.first_meeting_reminder_weeks = 0;
  EXPECT_EQ(validate(p).reason(), "engagement_weeks_out_of_range");
  p = policy();
  p.point_of_contact_accountid = 0;
  EXPECT_EQ(nudges_due({}, d("2026-01-01"), p).status().reason(),
            "engagement_point_of_contact_required");

  auto early = pairing(5, "2026-01-01");  // before enrolment on 5 Jan
  EXPECT_EQ(validate(early).reason(), "engagement_matched_before_enrolled");
  auto meeting = pairing(6, "2026-01-10", {d("2026-01-09")});
  auto r = nudges_due({pairing(1, "2026-01-10"), meeting}, d("2026-03-01"), policy());
  EXPECT_EQ(r.status().reason(), "engagement_meeting_before_match");
  EXPECT_NE(r.status().message().find("Pairing 6"), std::string::npos);
  auto ended = pairing(8, "2026-01-10", {d("2026-02-10")});
  ended.ended_on = d("2026-02-01");
  EXPECT_EQ(validate(ended).reason(), "engagement_meeting_after_end");
  ended.meetings_held.clear();
  ended.ended_on = d("2026-01-09");
  EXPECT_EQ(validate(ended).reason(), "engagement_ended_before_matched");
  EXPECT_EQ(validate(pairing(0, "2026-01-10")).reason(), "engagement_pairing_required");
  EXPECT_STREQ(to_string(NudgeKind::kGoneQuietEscalation), "gone_quiet_escalation");
  EXPECT_STREQ(to_string(RecipientRole::kPointOfContact), "point_of_contact");
}

}  // namespace
}  // namespace mentoring::core::evaluation
