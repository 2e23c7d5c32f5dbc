// Equity of access from the encrypted monitoring answers
// (app/demographic_aggregates.h) over a real SQLite database: counts by
// group checked by hand, and the evaluation report built on them withholds
// small groups so that no withheld group can be worked out from what is
// published.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "app/demographic_aggregates.h"
#include "app/demographics.h"
#include "app/evaluation_report.h"
#include "core/matching_stores.h"
#include "storage/aes_gcm.h"
#include "storage/database.h"

namespace mentoring::testing {
namespace {

constexpr const char* kKey = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class DemographicAggregatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("mentoring-demo-agg-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    auto c = storage::AesGcmCipher::from_config(kKey, 1);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    cipher_ = std::move(c).value();
    demographics_ = std::make_unique<app::DemographicsService>(*db_, clock_, *cipher_);
  }
  void TearDown() override {
    demographics_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // A cohort of mentees: `sex` answers ("" = none given), and whether each
  // was matched with the one mentor.
  void build(const std::vector<std::pair<std::string, bool>>& people) {
    std::vector<std::pair<std::int64_t, std::string>> answers;
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "- Support FY1", core::SchemePhase::kPilot},
          1);
      if (!scheme) return scheme.status();
      scheme_ = scheme->id;
      auto cohort = s.schemes.create_cohort(
          core::CohortInput{scheme_, "August 2026", *core::Date::parse("2026-06-01"), *core::Date::parse("2026-08-05"),
                            *core::Date::parse("2026-08-05"), *core::Date::parse("2027-08-04"),
                            core::MatchingModel::kAssigned},
          1);
      if (!cohort) return cohort.status();
      cohort_ = cohort->id;
      auto mentor_account = s.accounts.upsert({"https://p.example", "mentor", "Dr Mentor", ""}, 1);
      if (!mentor_account) return mentor_account.status();
      auto mentor = s.enrolments.create(cohort_, mentor_account->id, core::Role::kMentor, 1);
      if (!mentor) return mentor.status();
      auto place = s.pairings.sync_place(cohort_, mentor->id, 100, 1);
      if (!place) return place.status();
      int i = 0;
      for (const auto& [sex, matched] : people) {
        auto a = s.accounts.upsert({"https://p.example", "m" + std::to_string(i++), "Dr M", ""}, 1);
        if (!a) return a.status();
        auto e = s.enrolments.create(cohort_, a->id, core::Role::kMentee, 1);
        if (!e) return e.status();
        if (matched) {
          auto p = s.pairings.create_active(core::PairingInput{cohort_, e->id, mentor->id}, 1780000000);
          if (!p) return p.status();
        }
        if (!sex.empty()) answers.push_back({a->id, sex});
      }
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    for (const auto& [id, sex] : answers) {
      auto saved = demographics_->save(id, {{"sex", sex}}, core::Actor::service());
      ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
    }
  }

  static std::vector<std::pair<std::string, bool>> people(int n, const std::string& sex, int matched) {
    std::vector<std::pair<std::string, bool>> out;
    for (int i = 0; i < n; ++i) out.push_back({sex, i < matched});
    return out;
  }

  core::FixedClock clock_{1780000000000};
  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<storage::AesGcmCipher> cipher_;
  std::unique_ptr<app::DemographicsService> demographics_;
  std::int64_t scheme_ = 0, cohort_ = 0;
};

TEST_F(DemographicAggregatesTest, CountsMenteesAndMatchesByAnswer) {
  auto all = people(14, "female", 12);
  for (auto& p : people(7, "male", 3)) all.push_back(p);
  for (auto& p : people(3, "", 1)) all.push_back(p);
  build(all);
  app::DemographicEquityAggregates agg(*db_, *cipher_);
  auto b = agg.breakdowns(scheme_, cohort_);
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  ASSERT_TRUE(b->has_value());
  const core::DemographicBreakdown* sex = nullptr;
  for (const auto& x : **b)
    if (x.dimension == "sex") sex = &x;
  ASSERT_NE(sex, nullptr);
  EXPECT_EQ(sex->measure, "matched");
  ASSERT_EQ(sex->groups.size(), 3u);
  EXPECT_EQ(sex->groups[0].group, "female");
  EXPECT_EQ(sex->groups[0].numerator, 12);
  EXPECT_EQ(sex->groups[0].denominator, 14);
  EXPECT_EQ(sex->groups[1].group, "male");
  EXPECT_EQ(sex->groups[1].numerator, 3);
  EXPECT_EQ(sex->groups[1].denominator, 7);
  EXPECT_EQ(sex->groups[2].group, "not_answered");
  EXPECT_EQ(sex->groups[2].numerator, 1);
  EXPECT_EQ(sex->groups[2].denominator, 3);
  // A question nobody answered has everyone in not_answered.
  for (const auto& x : **b) {
    if (x.dimension != "ethnicity") continue;
    ASSERT_EQ(x.groups.size(), 1u);
    EXPECT_EQ(x.groups[0].denominator, 24);
    EXPECT_EQ(x.groups[0].numerator, 16);
  }
  // The wrong scheme for the cohort is refused.
  EXPECT_FALSE(agg.breakdowns(scheme_ + 1, cohort_).is_ok());
}

TEST_F(DemographicAggregatesTest, WithoutAKeyTheSectionIsNotAvailable) {
  auto none = storage::AesGcmCipher::from_config("", 0);
  ASSERT_TRUE(none.is_ok());
  build(people(12, "", 2));
  app::DemographicEquityAggregates agg(*db_, **none);
  auto b = agg.breakdowns(scheme_, cohort_);
  ASSERT_TRUE(b.is_ok());
  EXPECT_FALSE(b->has_value());
}

TEST_F(DemographicAggregatesTest, TheReportHidesSmallGroupsSoNoneCanBeRecovered) {
  auto all = people(14, "female", 12);
  for (auto& p : people(7, "male", 3)) all.push_back(p);
  for (auto& p : people(3, "", 1)) all.push_back(p);
  build(all);
  app::DemographicEquityAggregates agg(*db_, *cipher_);
  core::NullEngagementAggregates engagement;
  app::EvaluationReportService reports(*db_, clock_, agg, engagement);
  auto r = reports.report(scheme_, cohort_, std::nullopt);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const app::EquityBreakdown* sex = nullptr;
  for (const auto& e : r->equity)
    if (e.dimension == "sex") sex = &e;
  ASSERT_NE(sex, nullptr);
  // Try to recover each group's size and matches from what is published:
  // a withheld cell is recoverable when it is the only withheld cell of a
  // published total.
  auto published = [](const core::evaluation::PublishedCount& c) { return c.value.has_value(); };
  for (bool numerators : {false, true}) {
    const auto& total = numerators ? sex->rates.overall.numerator : sex->rates.overall.denominator;
    int withheld = 0;
    for (const auto& g : sex->rates.groups) {
      const auto& c = numerators ? g.numerator : g.denominator;
      if (!published(c)) ++withheld;
      // Nothing below ten is ever shown.
      if (published(c) && *c.value > 0) {
        EXPECT_GE(*c.value, 10) << g.group;
      }
    }
    if (published(total)) {
      EXPECT_NE(withheld, 1) << "one withheld cell beside its total can be worked out";
    }
  }
  // The male group (7) and the unanswered (3) show nothing.
  for (const auto& g : sex->rates.groups) {
    if (g.group == "male" || g.group == "not_answered") {
      EXPECT_FALSE(g.denominator.value.has_value()) << g.group;
      EXPECT_FALSE(g.rate.has_value()) << g.group;
    }
  }
}

}  // namespace
}  // namespace mentoring::testing
