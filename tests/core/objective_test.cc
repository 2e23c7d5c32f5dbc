#include "core/objective.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mentoring::core {
namespace {

Date d(const char* s) { return *Date::parse(s); }

const Date kToday = d("2026-03-10");

std::vector<std::string> aims() { return {"Improve trainee outcomes", "Reduce the attainment gap"}; }

ObjectiveInput valid_input() {
  ObjectiveInput in;
  in.schemeid = 7;
  in.what = "Increase the share of FY1 doctors who feel prepared for practice";
  in.metric = "Annual FY1 preparedness survey, share agreeing";
  in.baseline = 55;
  in.unit = "%";
  in.target = 70;
  in.direction = ObjectiveDirection::kIncrease;
  in.deadline = d("2027-08-01");
  in.ownerid = 3;
  in.aim_index = 0;
  return in;
}

std::string reason_of(const ObjectiveInput& in) { return validate(in, aims(), kToday).status().reason(); }
std::string field_of(const ObjectiveInput& in) { return validate(in, aims(), kToday).status().field(); }

TEST(ObjectiveTest, AcceptsASmartObjectiveWithNoWarnings) {
  auto r = validate(valid_input(), aims(), kToday);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->empty());
}

TEST(ObjectiveTest, SpecificRefusesBlankAndVagueDescriptions) {
  auto in = valid_input();
  in.what = "   ";
  EXPECT_EQ(reason_of(in), "objective_what_required");
  EXPECT_EQ(field_of(in), "what");
  for (const char* vague : {"Improve things", "Make everything better for everyone", "improve the experience overall",
                            "Increase mentoring"}) {
    in.what = vague;
    EXPECT_EQ(reason_of(in), "objective_what_too_vague") << vague;
  }
  in.what = "Raise ARCP outcome 1 rates among IMG trainees";
  EXPECT_TRUE(validate(in, aims(), kToday).is_ok());
  in.what = "Line one\nline two of the objective";
  EXPECT_EQ(reason_of(in), "objective_what_invalid");
  in.what = std::string(501, 'a');
  EXPECT_EQ(reason_of(in), "objective_what_invalid");
}

TEST(ObjectiveTest, MeasurableNeedsMetricBaselineUnitAndTarget) {
  auto in = valid_input();
  in.metric = "";
  EXPECT_EQ(reason_of(in), "objective_metric_required");
  in = valid_input();
  in.baseline.reset();
  EXPECT_EQ(reason_of(in), "objective_baseline_required");
  EXPECT_EQ(field_of(in), "baseline");
  in.baseline = std::nan("");
  EXPECT_EQ(reason_of(in), "objective_baseline_invalid");
  in = valid_input();
  in.unit = " ";
  EXPECT_EQ(reason_of(in), "objective_unit_required");
  in = valid_input();
  in.target.reset();
  EXPECT_EQ(reason_of(in), "objective_target_required");
  in.target = INFINITY;
  EXPECT_EQ(reason_of(in), "objective_target_invalid");
  in.target = 55;
  EXPECT_EQ(reason_of(in), "objective_target_equals_baseline");
}

TEST(ObjectiveTest, MeasurableTargetMustMoveInTheStatedDirection) {
  auto in = valid_input();
  in.target = 40;
  auto r = validate(in, aims(), kToday);
  EXPECT_EQ(r.status().reason(), "objective_target_wrong_direction");
  EXPECT_EQ(r.status().message(), "The target (40) is lower than the baseline (55) but the objective is to increase it.");
  in.direction = ObjectiveDirection::kDecrease;
  EXPECT_TRUE(validate(in, aims(), kToday).is_ok());
  in.target = 60;
  EXPECT_EQ(reason_of(in), "objective_target_wrong_direction");
}

TEST(ObjectiveTest, PercentagesMustStayBetweenZeroAndHundred) {
  auto in = valid_input();
  in.target = 120;
  EXPECT_EQ(reason_of(in), "objective_percentage_out_of_range");
  EXPECT_EQ(field_of(in), "target");
  in.unit = "trainees";
  EXPECT_TRUE(validate(in, aims(), kToday).is_ok()) << "counts may exceed 100";
}

TEST(ObjectiveTest, AchievableGivesWarningsNotRefusals) {
  auto in = valid_input();
  in.unit = "applications";
  in.baseline = 3;
  in.target = 30;  // exactly ten times
  auto r = validate(in, aims(), kToday);
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].reason, "objective_target_ambitious");
  EXPECT_EQ((*r)[0].field, "target");
  in.target = 29;
  r = validate(in, aims(), kToday);
  ASSERT_TRUE(r.is_ok());
  EXPECT_TRUE(r->empty());

  in = valid_input();
  in.unit = "complaints";
  in.direction = ObjectiveDirection::kDecrease;
  in.baseline = 12;
  in.target = 0;
  in.deadline = kToday.plus_days(89);
  r = validate(in, aims(), kToday);
  ASSERT_TRUE(r.is_ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].reason, "objective_target_zero");
  EXPECT_EQ((*r)[1].reason, "objective_deadline_soon");
  in.deadline = kToday.plus_days(90);
  r = validate(in, aims(), kToday);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->size(), 1u);
}

TEST(ObjectiveTest, RelevantMustPointAtOneOfTheSchemesAims) {
  auto in = valid_input();
  in.aim_index.reset();
  EXPECT_EQ(reason_of(in), "objective_aim_required");
  in.aim_index = 2;
  EXPECT_EQ(reason_of(in), "objective_aim_unknown");
  in.aim_index = -1;
  EXPECT_EQ(reason_of(in), "objective_aim_unknown");
  in.aim_index = 1;
  EXPECT_TRUE(validate(in, aims(), kToday).is_ok());
  EXPECT_EQ(validate(in, {}, kToday).status().reason(), "objective_scheme_has_no_aims");
}

TEST(ObjectiveTest, TimeBoundDeadlineIsAfterTodayAndWithinFiveYears) {
  auto in = valid_input();
  in.deadline.reset();
  EXPECT_EQ(reason_of(in), "objective_deadline_required");
  in.deadline = kToday;
  EXPECT_EQ(reason_of(in), "objective_deadline_not_future");
  in.deadline = d("2031-03-10");  // exactly five years
  EXPECT_TRUE(validate(in, aims(), kToday).is_ok());
  in.deadline = d("2031-03-11");
  EXPECT_EQ(reason_of(in), "objective_deadline_too_far");
  EXPECT_EQ(field_of(in), "deadline");
}

TEST(ObjectiveTest, BaselineDateAndOwnerAreChecked) {
  auto in = valid_input();
  in.baseline_on = kToday.plus_days(1);
  EXPECT_EQ(reason_of(in), "objective_baseline_date_in_future");
  in.baseline_on = d("2025-09-01");
  EXPECT_TRUE(validate(in, aims(), kToday).is_ok());
  in.ownerid = 0;
  EXPECT_EQ(reason_of(in), "objective_owner_required");
  in = valid_input();
  in.schemeid = 0;
  EXPECT_EQ(reason_of(in), "objective_scheme_required");
}

TEST(ObjectiveTest, MakeObjectiveTrimsAndDefaultsTheBaselineDate) {
  auto in = valid_input();
  in.what = "  " + in.what + " ";
  Objective o = make_objective(in, kToday);
  EXPECT_EQ(o.what, "Increase the share of FY1 doctors who feel prepared for practice");
  EXPECT_EQ(o.baseline_on, kToday);
  EXPECT_EQ(o.baseline, 55);
  EXPECT_EQ(o.target, 70);
  EXPECT_EQ(o.deadline, d("2027-08-01"));
}

TEST(ObjectiveTest, SplitAimsTakesOneAimPerLineWithoutListMarkers) {
  auto a = split_aims("- improving staff experience\n\n* improving trainee outcomes\r\n"
                      "\xE2\x80\xA2 increasing diversity\n3. improving culture\n  4) reducing the attainment gap  \n");
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0], "improving staff experience");
  EXPECT_EQ(a[1], "improving trainee outcomes");
  EXPECT_EQ(a[2], "increasing diversity");
  EXPECT_EQ(a[3], "improving culture");
  EXPECT_EQ(a[4], "reducing the attainment gap");
  EXPECT_TRUE(split_aims("  \n\n").empty());
  EXPECT_EQ(split_aims("2026 intake priorities")[0], "2026 intake priorities");
}

TEST(ObjectiveTest, AddMonthsClampsToTheEndOfShorterMonths) {
  EXPECT_EQ(add_months(d("2026-01-31"), 1), d("2026-02-28"));
  EXPECT_EQ(add_months(d("2028-01-31"), 1), d("2028-02-29"));
  EXPECT_EQ(add_months(d("2026-03-10"), 60), d("2031-03-10"));
  EXPECT_EQ(add_months(d("2026-03-31"), -1), d("2026-02-28"));
  EXPECT_EQ(add_months(d("2026-11-15"), 3), d("2027-02-15"));
}

TEST(ObjectiveTest, DirectionAndStateNamesRoundTrip) {
  for (auto v : {ObjectiveDirection::kIncrease, ObjectiveDirection::kDecrease})
    EXPECT_EQ(parse_objective_direction(to_string(v)), v);
  for (auto v : {ObjectiveState::kNoData, ObjectiveState::kOnTrack, ObjectiveState::kAtRisk, ObjectiveState::kAchieved,
                 ObjectiveState::kMissed})
    EXPECT_EQ(parse_objective_state(to_string(v)), v);
  EXPECT_FALSE(parse_objective_direction("up").has_value());
}

// Baseline 40% on 2026-01-01, target 60% by 2027-01-01 (365 days).
Objective preparedness() {
  Objective o;
  o.baseline = 40;
  o.target = 60;
  o.unit = "%";
  o.baseline_on = d("2026-01-01");
  o.deadline = d("2027-01-01");
  return o;
}

TEST(ObjectiveProgressTest, NoMeasurementMeansNoData) {
  auto p = progress(preparedness(), std::nullopt, d("2026-07-02"));
  EXPECT_EQ(p.state, ObjectiveState::kNoData);
  EXPECT_DOUBLE_EQ(p.time_elapsed, 182.0 / 365.0);
}

TEST(ObjectiveProgressTest, ComparesProgressWithTimeElapsed) {
  const Date mid = d("2026-07-02");  // 182 of 365 days: 0.4986; at risk below 0.3486
  auto p = progress(preparedness(), 50, mid);
  EXPECT_DOUBLE_EQ(p.fraction, 0.5);
  EXPECT_EQ(p.state, ObjectiveState::kOnTrack);
  p = progress(preparedness(), 48, mid);
  EXPECT_DOUBLE_EQ(p.fraction, 0.4);
  EXPECT_EQ(p.state, ObjectiveState::kOnTrack);
  p = progress(preparedness(), 46, mid);
  EXPECT_DOUBLE_EQ(p.fraction, 0.3);
  EXPECT_EQ(p.state, ObjectiveState::kAtRisk);
  p = progress(preparedness(), 30, mid);  // went backwards
  EXPECT_DOUBLE_EQ(p.fraction, 0.0);
  EXPECT_EQ(p.state, ObjectiveState::kAtRisk);
  p = progress(preparedness(), 41, d("2026-01-20"));  // early: 19/365 = 0.052 elapsed
  EXPECT_DOUBLE_EQ(p.fraction, 0.05);
  EXPECT_EQ(p.state, ObjectiveState::kOnTrack);
}

TEST(ObjectiveProgressTest, ReachingTheTargetIsAchievedEvenAfterTheDeadline) {
  auto p = progress(preparedness(), 60, d("2026-05-01"));
  EXPECT_EQ(p.state, ObjectiveState::kAchieved);
  EXPECT_DOUBLE_EQ(p.fraction, 1.0);
  p = progress(preparedness(), 65, d("2027-02-01"));
  EXPECT_EQ(p.state, ObjectiveState::kAchieved);
  EXPECT_DOUBLE_EQ(p.fraction, 1.0);
  EXPECT_DOUBLE_EQ(p.time_elapsed, 1.0);
}

TEST(ObjectiveProgressTest, PastTheDeadlineShortOfTheTargetIsMissed) {
  auto p = progress(preparedness(), 55, d("2027-01-02"));
  EXPECT_EQ(p.state, ObjectiveState::kMissed);
  EXPECT_DOUBLE_EQ(p.fraction, 0.75);
  // The deadline day itself is not yet missed: 0.75 done against 1.0 elapsed is at risk.
  p = progress(preparedness(), 55, d("2027-01-01"));
  EXPECT_EQ(p.state, ObjectiveState::kAtRisk);
  p = progress(preparedness(), 58, d("2027-01-01"));  // 0.9 >= 1.0 - 0.15
  EXPECT_EQ(p.state, ObjectiveState::kOnTrack);
}

TEST(ObjectiveProgressTest, DecreasingObjectivesCountDownwards) {
  Objective o = preparedness();
  o.direction = ObjectiveDirection::kDecrease;
  o.baseline = 20;
  o.target = 10;
  o.unit = "complaints";
  auto p = progress(o, 15, d("2026-07-02"));
  EXPECT_DOUBLE_EQ(p.fraction, 0.5);
  EXPECT_EQ(p.state, ObjectiveState::kOnTrack);
  p = progress(o, 8, d("2026-07-02"));
  EXPECT_EQ(p.state, ObjectiveState::kAchieved);
  p = progress(o, 19, d("2026-10-01"));  // 273/365 = 0.748 elapsed, 0.1 done
  EXPECT_DOUBLE_EQ(p.fraction, 0.1);
  EXPECT_EQ(p.state, ObjectiveState::kAtRisk);
}

}  // namespace
}  // namespace mentoring::core
