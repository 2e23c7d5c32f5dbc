#include "core/mentor_training.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mentoring::core {
namespace {

Date d(const char* s) { return *Date::parse(s); }
const Date kToday = d("2026-04-15");

TrainingModule module(const char* code, const char* title, bool required, int months, const char* refresher = "") {
  TrainingModule m;
  m.schemeid = 1;
  m.code = code;
  m.title = title;
  m.required = required;
  m.valid_for_months = months;
  m.refresher_code = refresher;
  return m;
}

std::vector<TrainingModule> modules() {
  return {module("mentoring_skills", "Mentoring skills", true, 24, "mentoring_refresher"),
          module("mentoring_refresher", "Mentoring skills refresher", false, 24),
          module("scheme_induction", "Scheme induction", true, 0),
          module("coaching_extras", "Coaching extras", false, 12)};
}

TrainingRecord record(const char* code, const char* completed, std::optional<Date> expires = std::nullopt) {
  TrainingRecord r;
  r.accountid = 5;
  r.module_code = code;
  r.completed_on = d(completed);
  r.expires_on = expires;
  return r;
}

TEST(TrainingModuleTest, ValidatesCodesTitlesValidityAndRefreshers) {
  EXPECT_TRUE(validate(modules()).is_ok());
  auto m = module("Mentoring Skills", "x", true, 12);
  EXPECT_EQ(validate(m).reason(), "training_code_invalid");
  m = module("ok", " ", true, 12);
  EXPECT_EQ(validate(m).reason(), "training_title_required");
  m = module("ok", "Title", true, 121);
  EXPECT_EQ(validate(m).reason(), "training_validity_invalid");
  EXPECT_EQ(validate(m).field(), "valid_for_months");
  m = module("ok", "Title", true, 12, "ok");
  EXPECT_EQ(validate(m).reason(), "training_refresher_is_self");
  auto list = modules();
  list.push_back(module("scheme_induction", "Again", false, 0));
  EXPECT_EQ(validate(list).reason(), "training_code_duplicate");
  list = modules();
  list[0].refresher_code = "missing_module";
  EXPECT_EQ(validate(list).reason(), "training_refresher_unknown");
}

TEST(TrainingRecordTest, ValidatesAgainstTheSchemesModules) {
  auto r = record("mentoring_skills", "2026-01-10");
  EXPECT_TRUE(validate(r, modules(), kToday).is_ok());
  r.module_code = "unknown";
  EXPECT_EQ(validate(r, modules(), kToday).reason(), "training_module_unknown");
  r = record("mentoring_skills", "2026-04-16");
  EXPECT_EQ(validate(r, modules(), kToday).reason(), "training_completed_in_future");
  r = record("mentoring_skills", "2026-01-10", d("2026-01-10"));
  EXPECT_EQ(validate(r, modules(), kToday).reason(), "training_expiry_before_completion");
  r = record("mentoring_skills", "2026-01-10");
  r.accountid = 0;
  EXPECT_EQ(validate(r, modules(), kToday).reason(), "training_account_required");
}

TEST(TrainingRecordTest, ExpiryIsComputedFromTheModuleUnlessGiven) {
  const auto m = modules();
  EXPECT_EQ(expiry_of(record("mentoring_skills", "2024-03-01"), m[0]), d("2026-03-01"));
  EXPECT_EQ(expiry_of(record("mentoring_skills", "2024-02-29"), m[0]), d("2026-02-28"));
  EXPECT_EQ(expiry_of(record("mentoring_skills", "2024-03-01", d("2025-01-01")), m[0]), d("2025-01-01"));
  EXPECT_FALSE(expiry_of(record("scheme_induction", "2020-01-01"), m[2]).has_value());
}

TEST(MentorReadinessTest, ReadyWhenEveryRequiredModuleIsCurrent) {
  auto r = mentor_readiness(modules(), {record("mentoring_skills", "2025-06-01"), record("scheme_induction", "2019-09-01")},
                            kToday);
  EXPECT_TRUE(r.ready);
  EXPECT_TRUE(r.issues.empty());
}

TEST(MentorReadinessTest, MissingModulesAreListedInModuleOrder) {
  auto r = mentor_readiness(modules(), {record("coaching_extras", "2026-01-01")}, kToday);
  EXPECT_FALSE(r.ready);
  ASSERT_EQ(r.issues.size(), 2u);
  EXPECT_EQ(r.issues[0].module_code, "mentoring_skills");
  EXPECT_EQ(r.issues[0].kind, TrainingIssueKind::kMissing);
  EXPECT_EQ(r.issues[0].reason, "training_missing");
  EXPECT_EQ(r.issues[0].message, "Complete the 'Mentoring skills' training to be matched with a mentee.");
  EXPECT_EQ(r.issues[1].module_code, "scheme_induction");
}

TEST(MentorReadinessTest, ExpiredTrainingNamesTheDateAndTheRefresher) {
  auto r = mentor_readiness(modules(), {record("mentoring_skills", "2024-03-01"), record("scheme_induction", "2024-03-01")},
                            kToday);
  EXPECT_FALSE(r.ready);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, TrainingIssueKind::kExpired);
  EXPECT_EQ(r.issues[0].date, d("2026-03-01"));
  EXPECT_EQ(r.issues[0].message,
            "Your 'Mentoring skills' training expired on 2026-03-01; complete the refresher, 'Mentoring skills "
            "refresher', to be matched.");
}

TEST(MentorReadinessTest, ExpiresOnTheDayItself) {
  auto recs = std::vector<TrainingRecord>{record("mentoring_skills", "2024-04-15"), record("scheme_induction", "2024-01-01")};
  auto r = mentor_readiness(modules(), recs, kToday);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, TrainingIssueKind::kExpired);
  r = mentor_readiness(modules(), recs, kToday.plus_days(-1));
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, TrainingIssueKind::kExpiringSoon);
  EXPECT_TRUE(r.ready);
}

TEST(MentorReadinessTest, TheRefresherRenewsTheModule) {
  auto r = mentor_readiness(modules(),
                            {record("mentoring_skills", "2023-01-01"), record("mentoring_refresher", "2026-02-01"),
                             record("scheme_induction", "2024-01-01")},
                            kToday);
  EXPECT_TRUE(r.ready);
  EXPECT_TRUE(r.issues.empty());
}

TEST(MentorReadinessTest, ExpiringWithinThirtyDaysWarnsButStaysReady) {
  std::vector<TrainingRecord> recs = {record("mentoring_skills", "2024-05-15"), record("scheme_induction", "2024-01-01")};
  auto r = mentor_readiness(modules(), recs, kToday);  // expires 2026-05-15, 30 days away
  EXPECT_TRUE(r.ready);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].kind, TrainingIssueKind::kExpiringSoon);
  EXPECT_EQ(r.issues[0].reason, "training_expiring_soon");
  EXPECT_EQ(r.issues[0].message,
            "Your 'Mentoring skills' training expires on 2026-05-15; complete the refresher, 'Mentoring skills "
            "refresher', before then to stay available for matching.");
  recs[0] = record("mentoring_skills", "2024-05-16");  // 31 days away
  EXPECT_TRUE(mentor_readiness(modules(), recs, kToday).issues.empty());
}

TEST(MentorReadinessTest, WithoutARefresherTheModuleIsRetaken) {
  std::vector<TrainingModule> ms = {module("safeguarding", "Safeguarding", true, 12)};
  auto r = mentor_readiness(ms, {record("safeguarding", "2025-01-01")}, kToday);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].message, "Your 'Safeguarding' training expired on 2026-01-01; complete it again to be matched.");
  r = mentor_readiness(ms, {record("safeguarding", "2025-01-01"), record("safeguarding", "2026-01-05")}, kToday);
  EXPECT_TRUE(r.ready) << "the latest completion counts";
  EXPECT_TRUE(r.issues.empty());
}

TEST(MentorReadinessTest, FutureCompletionsDoNotCount) {
  std::vector<TrainingModule> ms = {module("safeguarding", "Safeguarding", true, 12)};
  auto r = mentor_readiness(ms, {record("safeguarding", "2026-04-16")}, kToday);
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(r.issues[0].kind, TrainingIssueKind::kMissing);
}

TEST(MentorReadinessTest, IssueKindsRoundTrip) {
  for (auto k : {TrainingIssueKind::kMissing, TrainingIssueKind::kExpired, TrainingIssueKind::kExpiringSoon})
    EXPECT_EQ(parse_training_issue_kind(to_string(k)), k);
}

CpdEntry cpd(const char* date, double hours) {
  CpdEntry e;
  e.accountid = 5;
  e.date = d(date);
  e.hours = hours;
  e.activity = "Mentoring meeting";
  return e;
}

TEST(CpdTest, HoursAreQuarterHoursFromAQuarterToADay) {
  EXPECT_TRUE(validate(cpd("2026-04-01", 0.25), kToday).is_ok());
  EXPECT_TRUE(validate(cpd("2026-04-01", 24), kToday).is_ok());
  EXPECT_TRUE(validate(cpd("2026-04-01", 1.75), kToday).is_ok());
  EXPECT_EQ(validate(cpd("2026-04-01", 0), kToday).reason(), "cpd_hours_invalid");
  EXPECT_EQ(validate(cpd("2026-04-01", 24.25), kToday).reason(), "cpd_hours_invalid");
  EXPECT_EQ(validate(cpd("2026-04-01", std::nan("")), kToday).reason(), "cpd_hours_invalid");
  EXPECT_EQ(validate(cpd("2026-04-01", 1.1), kToday).reason(), "cpd_hours_not_quarter");
  EXPECT_EQ(validate(cpd("2026-04-16", 1), kToday).reason(), "cpd_date_in_future");
  auto e = cpd("2026-04-01", 1);
  e.activity = "";
  EXPECT_EQ(validate(e, kToday).reason(), "cpd_activity_required");
  e.activity = std::string(301, 'a');
  EXPECT_EQ(validate(e, kToday).reason(), "cpd_activity_invalid");
}

TEST(CpdTest, TotalsPerMonthYearAndAppraisalYear) {
  std::vector<CpdEntry> entries = {cpd("2026-03-31", 1.25), cpd("2026-03-01", 0.5), cpd("2026-04-01", 2),
                                   cpd("2025-12-31", 0.25), cpd("2026-01-15", 1)};
  auto months = cpd_totals(entries, CpdPeriod::kMonth);
  ASSERT_EQ(months.size(), 4u);
  EXPECT_EQ(months[0].starts_on, d("2025-12-01"));
  EXPECT_EQ(months[0].ends_on, d("2025-12-31"));
  EXPECT_EQ(months[2].starts_on, d("2026-03-01"));
  EXPECT_EQ(months[2].ends_on, d("2026-03-31"));
  EXPECT_DOUBLE_EQ(months[2].hours, 1.75);
  EXPECT_EQ(months[2].entries, 2);

  auto years = cpd_totals(entries, CpdPeriod::kYear);
  ASSERT_EQ(years.size(), 2u);
  EXPECT_DOUBLE_EQ(years[0].hours, 0.25);
  EXPECT_DOUBLE_EQ(years[1].hours, 4.75);
  EXPECT_EQ(years[1].ends_on, d("2026-12-31"));

  auto appraisal = cpd_totals(entries, CpdPeriod::kAppraisalYear);
  ASSERT_EQ(appraisal.size(), 2u);
  EXPECT_EQ(appraisal[0].starts_on, d("2025-04-01"));
  EXPECT_EQ(appraisal[0].ends_on, d("2026-03-31"));
  EXPECT_DOUBLE_EQ(appraisal[0].hours, 3.0);
  EXPECT_EQ(appraisal[0].entries, 4);
  EXPECT_EQ(appraisal[1].starts_on, d("2026-04-01"));
  EXPECT_DOUBLE_EQ(appraisal[1].hours, 2.0);
  EXPECT_TRUE(cpd_totals({}, CpdPeriod::kMonth).empty());
  for (auto p : {CpdPeriod::kMonth, CpdPeriod::kYear, CpdPeriod::kAppraisalYear}) EXPECT_EQ(parse_cpd_period(to_string(p)), p);
}

}  // namespace
}  // namespace mentoring::core
