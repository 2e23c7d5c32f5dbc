#include "core/checkin.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }

TEST(CheckinTest, MidpointIsHalfwayFromTheStartToTheEndOfTheCohort) {
  // 2026-08-05 .. 2027-08-04 is 364 days: the midpoint is 182 days on.
  CheckinSchedule s = checkin_schedule(day("2026-08-05"), day("2027-08-04"));
  EXPECT_EQ(s.midpoint.due_on, day("2027-02-03"));
  EXPECT_EQ(s.midpoint.opens_on, day("2027-01-20"));  // 14 days before
  EXPECT_EQ(s.midpoint.closes_on, day("2027-03-03"));  // 28 days after
  EXPECT_EQ(s.end.due_on, day("2027-08-04"));
  EXPECT_EQ(s.end.opens_on, day("2027-07-07"));  // 28 days before
  EXPECT_EQ(s.end.closes_on, day("2027-09-01"));
  EXPECT_EQ(&s.window(CheckinPhase::kEnd), &s.end);
}

TEST(CheckinTest, ALateStartShortensTheWindowsButNeverOpensBeforeTheStart) {
  // Started 10 days before the end: midpoint due 5 days in, opening on the start day.
  CheckinSchedule s = checkin_schedule(day("2027-07-25"), day("2027-08-04"));
  EXPECT_EQ(s.midpoint.due_on, day("2027-07-30"));
  EXPECT_EQ(s.midpoint.opens_on, day("2027-07-25"));
  EXPECT_EQ(s.end.opens_on, day("2027-07-25"));
  // Started on or after the end: both due at the end.
  CheckinSchedule late = checkin_schedule(day("2027-08-10"), day("2027-08-04"));
  EXPECT_EQ(late.midpoint.due_on, day("2027-08-04"));
  EXPECT_EQ(late.end.due_on, day("2027-08-04"));
  EXPECT_EQ(late.end.opens_on, day("2027-08-04"));
}

TEST(CheckinTest, WindowIsOpenFromItsFirstToItsLastDayInclusive) {
  CheckinWindow w{day("2027-01-20"), day("2027-02-03"), day("2027-03-03")};
  EXPECT_EQ(check_checkin_open(w, day("2027-01-19")).reason(), "checkin_not_open");
  EXPECT_TRUE(check_checkin_open(w, day("2027-01-20")).is_ok());
  EXPECT_TRUE(check_checkin_open(w, day("2027-03-03")).is_ok());
  EXPECT_EQ(check_checkin_open(w, day("2027-03-04")).reason(), "checkin_closed");
}

TEST(CheckinTest, AnswersAreChecked) {
  CheckinAnswers a{CheckinWorking::kYes, CheckinFrequency::kMonthly, 4, WouldContinue::kYes, "  Going well. "};
  auto ok = validate(a);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->comments, "Going well.");
  a.goals_progress = 0;
  EXPECT_EQ(validate(a).status().reason(), "checkin_goals_progress_invalid");
  a.goals_progress = 6;
  EXPECT_EQ(validate(a).status().field(), "goals_progress");
  a.goals_progress = 5;
  a.comments = std::string(2001, 'x');
  EXPECT_EQ(validate(a).status().reason(), "checkin_comments_too_long");
  a.comments = "bell\a";
  EXPECT_EQ(validate(a).status().reason(), "checkin_comments_invalid");
}

TEST(CheckinTest, TalliesCountByPhaseAndRoleWithoutComments) {
  auto r = [](CheckinPhase p, Role role, CheckinWorking w, CheckinFrequency f, int g, WouldContinue c) {
    CheckinResponse x;
    x.phase = p;
    x.role = role;
    x.answers = CheckinAnswers{w, f, g, c, "private"};
    return x;
  };
  std::vector<CheckinResponse> v = {
      r(CheckinPhase::kMidpoint, Role::kMentee, CheckinWorking::kYes, CheckinFrequency::kMonthly, 4, WouldContinue::kYes),
      r(CheckinPhase::kMidpoint, Role::kMentee, CheckinWorking::kNo, CheckinFrequency::kNotMet, 1, WouldContinue::kNo),
      r(CheckinPhase::kMidpoint, Role::kMentee, CheckinWorking::kPartly, CheckinFrequency::kLessOften, 2,
        WouldContinue::kUnsure),
      r(CheckinPhase::kMidpoint, Role::kMentor, CheckinWorking::kYes, CheckinFrequency::kWeekly, 5, WouldContinue::kYes),
      r(CheckinPhase::kEnd, Role::kMentee, CheckinWorking::kYes, CheckinFrequency::kFortnightly, 5, WouldContinue::kYes),
  };
  auto t = tally_checkins(v);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].phase, CheckinPhase::kMidpoint);
  EXPECT_EQ(t[0].role, Role::kMentee);
  EXPECT_EQ(t[0].responses, 3);
  EXPECT_EQ(t[0].working_yes, 1);
  EXPECT_EQ(t[0].working_partly, 1);
  EXPECT_EQ(t[0].working_no, 1);
  EXPECT_EQ(t[0].not_met, 1);
  EXPECT_EQ(t[0].would_continue_yes, 1);
  EXPECT_DOUBLE_EQ(t[0].mean_goals_progress, 7.0 / 3.0);  // (4 + 1 + 2) / 3
  EXPECT_EQ(t[1].role, Role::kMentor);
  EXPECT_EQ(t[1].responses, 1);
  EXPECT_DOUBLE_EQ(t[1].mean_goals_progress, 5.0);
  EXPECT_EQ(t[2].phase, CheckinPhase::kEnd);
  EXPECT_EQ(t[2].responses, 1);
  EXPECT_EQ(t[3].responses, 0);
  EXPECT_DOUBLE_EQ(t[3].mean_goals_progress, 0.0);
}

TEST(CheckinTest, NamesRoundTrip) {
  for (auto f : {CheckinFrequency::kWeekly, CheckinFrequency::kFortnightly, CheckinFrequency::kMonthly,
                 CheckinFrequency::kLessOften, CheckinFrequency::kNotMet})
    EXPECT_EQ(parse_checkin_frequency(to_string(f)), f);
  EXPECT_EQ(parse_checkin_phase("midpoint"), CheckinPhase::kMidpoint);
  EXPECT_FALSE(parse_checkin_phase("baseline").has_value());
  EXPECT_EQ(parse_would_continue("unsure"), WouldContinue::kUnsure);
  EXPECT_EQ(parse_checkin_working("partly"), CheckinWorking::kPartly);
}

}  // namespace
}  // namespace mentoring::core
