#include "core/governance.h"

#include <gtest/gtest.h>

#include <set>

namespace mentoring::core {
namespace {

Date d(const char* s) { return *Date::parse(s); }
const Date kToday = d("2026-04-15");

GovernanceAssignment assign(Responsibility r, std::int64_t account, Date due,
                            ReportingCadence cadence = ReportingCadence::kQuarterly) {
  GovernanceAssignment a;
  a.schemeid = 1;
  a.responsibility = r;
  a.accountid = account;
  a.reports_to = "Director of Postgraduate Medical Education";
  a.cadence = cadence;
  a.next_report_due = due;
  return a;
}

std::vector<GovernanceAssignment> full_governance() {
  std::vector<GovernanceAssignment> all;
  std::int64_t account = 10;
  for (auto r : kAllResponsibilities) all.push_back(assign(r, account++, d("2026-06-30")));
  return all;
}

TEST(GovernanceTest, ResponsibilitiesHaveStableNamesAndDisplayKeys) {
  std::set<std::string> names;
  for (auto r : kAllResponsibilities) {
    EXPECT_EQ(parse_responsibility(to_string(r)), r);
    names.insert(to_string(r));
    EXPECT_EQ(display_key(r), std::string("governance:responsibility_") + to_string(r));
    EXPECT_STRNE(describe(r), "");
  }
  EXPECT_EQ(names.size(), 7u);
  EXPECT_STREQ(to_string(Responsibility::kDayToDayManagementAndPointOfContact),
               "day_to_day_management_and_point_of_contact");
  EXPECT_FALSE(parse_responsibility("training ").has_value());
}

TEST(GovernanceTest, CadencesMapToMonths) {
  EXPECT_EQ(cadence_months(ReportingCadence::kMonthly), 1);
  EXPECT_EQ(cadence_months(ReportingCadence::kQuarterly), 3);
  EXPECT_EQ(cadence_months(ReportingCadence::kTermly), 4);
  EXPECT_EQ(cadence_months(ReportingCadence::kAnnually), 12);
  for (auto c : {ReportingCadence::kMonthly, ReportingCadence::kQuarterly, ReportingCadence::kTermly,
                 ReportingCadence::kAnnually})
    EXPECT_EQ(parse_reporting_cadence(to_string(c)), c);
  EXPECT_FALSE(parse_reporting_cadence("weekly").has_value());
}

TEST(GovernanceTest, ValidatesAnAssignmentNamingTheField) {
  auto a = assign(Responsibility::kTraining, 5, d("2026-07-15"));
  EXPECT_TRUE(validate(a, kToday).is_ok());
  a.accountid = 0;
  EXPECT_EQ(validate(a, kToday).reason(), "governance_account_required");
  a = assign(Responsibility::kTraining, 5, d("2026-07-15"));
  a.reports_to = "  ";
  EXPECT_EQ(validate(a, kToday).reason(), "governance_reports_to_required");
  EXPECT_EQ(validate(a, kToday).field(), "reports_to");
  a.reports_to = "Board\nsecretly";
  EXPECT_EQ(validate(a, kToday).reason(), "governance_reports_to_invalid");
  a = assign(Responsibility::kTraining, 5, d("2026-04-14"));
  EXPECT_EQ(validate(a, kToday).reason(), "governance_report_due_in_past");
  a = assign(Responsibility::kTraining, 5, d("2026-07-16"));  // more than a quarter ahead
  EXPECT_EQ(validate(a, kToday).reason(), "governance_report_due_too_far");
  a.cadence = ReportingCadence::kAnnually;
  EXPECT_TRUE(validate(a, kToday).is_ok());
  a.schemeid = 0;
  EXPECT_EQ(validate(a, kToday).reason(), "governance_scheme_required");
}

TEST(GovernanceTest, NextReportDueStepsWholePeriodsFromTheOriginalDate) {
  auto a = assign(Responsibility::kTraining, 5, d("2026-03-31"));
  EXPECT_EQ(next_report_due_after(a, d("2026-03-20")), d("2026-03-31"));
  EXPECT_EQ(next_report_due_after(a, d("2026-03-31")), d("2026-06-30"));
  EXPECT_EQ(next_report_due_after(a, d("2026-07-01")), d("2026-09-30"));
  EXPECT_EQ(next_report_due_after(a, d("2026-10-01")), d("2026-12-31")) << "no drift to the 30th";
  a.cadence = ReportingCadence::kMonthly;
  a.next_report_due = d("2026-01-31");
  EXPECT_EQ(next_report_due_after(a, d("2026-02-01")), d("2026-02-28"));
  EXPECT_EQ(next_report_due_after(a, d("2026-03-01")), d("2026-03-31"));
}

TEST(GovernanceTest, GapsListUnassignedResponsibilitiesInToolkitOrder) {
  std::vector<GovernanceAssignment> some = {
      assign(Responsibility::kTraining, 5, d("2026-06-30")),
      assign(Responsibility::kSetUpAndInitialDelivery, 6, d("2026-06-30")),
      assign(Responsibility::kConfidentialData, 0, d("2026-06-30")),  // nobody named yet
  };
  auto gaps = governance_gaps(some, kToday);
  std::vector<Responsibility> expected = {
      Responsibility::kFundingAndProcurement, Responsibility::kConfidentialData, Responsibility::kRecruitment,
      Responsibility::kDayToDayManagementAndPointOfContact, Responsibility::kEvaluationAndImprovement};
  EXPECT_EQ(gaps.unassigned, expected);
  EXPECT_TRUE(gaps.overdue.empty());
  EXPECT_FALSE(gaps.empty());
  EXPECT_TRUE(governance_gaps(full_governance(), kToday).empty());
}

TEST(GovernanceTest, GapsListOverdueReportsWithDaysAndAMessage) {
  auto all = full_governance();
  all[1].next_report_due = d("2026-03-31");
  all[4].next_report_due = kToday;  // due today is not yet overdue
  auto gaps = governance_gaps(all, kToday);
  EXPECT_TRUE(gaps.unassigned.empty());
  ASSERT_EQ(gaps.overdue.size(), 1u);
  EXPECT_EQ(gaps.overdue[0].responsibility, Responsibility::kFundingAndProcurement);
  EXPECT_EQ(gaps.overdue[0].days_overdue, 15);
  EXPECT_EQ(gaps.overdue[0].due, d("2026-03-31"));
  EXPECT_EQ(gaps.overdue[0].message,
            "The quarterly report on funding and procurement to Director of Postgraduate Medical Education was due "
            "on 2026-03-31.");
}

BusinessAsUsualFacts ready_facts() {
  BusinessAsUsualFacts f;
  f.senior_sponsor = "Dr A Patel, Director of Medical Education";
  f.governance = full_governance();
  f.funding_source = "NHS England workforce, training and education";
  f.funding_ends_on = d("2027-03-31");
  f.funding_review_on = d("2026-10-01");
  f.admin_hours_per_month = 16;
  f.mentor_recruitment_plan = "Recruit at the August induction and from outgoing mentees.";
  TrainingModule m;
  m.code = "mentoring_skills";
  m.title = "Mentoring skills";
  m.required = true;
  m.valid_for_months = 24;
  f.mentor_training = {m};
  f.smart_objectives = 2;
  f.promotion_plan = "Part of FY1 induction; trainee network newsletter each term.";
  return f;
}

std::vector<std::string> reasons(const std::vector<Finding>& unmet) {
  std::vector<std::string> r;
  for (const auto& f : unmet) r.push_back(f.reason);
  return r;
}

TEST(BusinessAsUsualTest, ReadyWhenEveryFactorIsMet) {
  EXPECT_TRUE(business_as_usual_readiness(ready_facts(), kToday).empty());
  EXPECT_TRUE(check_business_as_usual_transition(ready_facts(), kToday).is_ok());
}

TEST(BusinessAsUsualTest, AnEmptyPilotListsEveryFactor) {
  auto unmet = business_as_usual_readiness(BusinessAsUsualFacts{}, kToday);
  std::vector<std::string> expected = {
      "bau_no_senior_sponsor",     "bau_governance_unassigned",      "bau_no_funding_source",
      "bau_no_funding_end_date",   "bau_no_funding_review",          "bau_no_admin_time",
      "bau_no_mentor_recruitment_plan", "bau_no_required_mentor_training", "bau_no_smart_objectives",
      "bau_no_promotion_plan"};
  EXPECT_EQ(reasons(unmet), expected);
  for (const auto& f : unmet) {
    EXPECT_FALSE(f.field.empty()) << f.reason;
    EXPECT_FALSE(f.message.empty()) << f.reason;
  }
  auto st = check_business_as_usual_transition(BusinessAsUsualFacts{}, kToday);
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_EQ(st.reason(), "scheme_not_ready_for_business_as_usual");
  EXPECT_EQ(st.field(), "senior_sponsor");
}

TEST(BusinessAsUsualTest, GovernanceMustBeCompleteCurrentAndShared) {
  auto f = ready_facts();
  f.governance.pop_back();
  auto unmet = business_as_usual_readiness(f, kToday);
  ASSERT_EQ(reasons(unmet), std::vector<std::string>{"bau_governance_unassigned"});
  EXPECT_EQ(unmet[0].message, "Assign someone to be responsible for evaluation and improvement.");

  f = ready_facts();
  f.governance[0].next_report_due = d("2026-01-31");
  f.governance[2].next_report_due = d("2026-02-28");
  unmet = business_as_usual_readiness(f, kToday);
  ASSERT_EQ(reasons(unmet), std::vector<std::string>{"bau_governance_reports_overdue"});
  EXPECT_NE(unmet[0].message.find("2 reports are overdue"), std::string::npos);

  f = ready_facts();
  for (auto& a : f.governance) a.accountid = 42;
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)), std::vector<std::string>{"bau_relies_on_one_person"});
}

TEST(BusinessAsUsualTest, FundingNeedsAnEndDateInTheFutureAndAReviewBeforeIt) {
  auto f = ready_facts();
  f.funding_ends_on = d("2026-03-31");
  f.funding_review_on = d("2026-01-01");
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)), std::vector<std::string>{"bau_funding_ended"});
  f = ready_facts();
  f.funding_review_on = d("2027-04-01");
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)), std::vector<std::string>{"bau_funding_review_too_late"});
  f = ready_facts();
  f.admin_hours_per_month = 0;
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)), std::vector<std::string>{"bau_no_admin_time"});
}

TEST(BusinessAsUsualTest, MentorTrainingMustBeRequiredAndRefreshed) {
  auto f = ready_facts();
  f.mentor_training[0].valid_for_months = 0;
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)), std::vector<std::string>{"bau_no_refresher_training"});
  f.mentor_training[0].required = false;
  f.mentor_training[0].valid_for_months = 12;  // an optional module does not count
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)),
            std::vector<std::string>{"bau_no_required_mentor_training"});
}

TEST(BusinessAsUsualTest, EvaluationAndPromotionPlansAreRequired) {
  auto f = ready_facts();
  f.smart_objectives = 0;
  f.promotion_plan = " ";
  EXPECT_EQ(reasons(business_as_usual_readiness(f, kToday)),
            (std::vector<std::string>{"bau_no_smart_objectives", "bau_no_promotion_plan"}));
}

}  // namespace
}  // namespace mentoring::core
