// A cohort with mentees and mentors on a real database, for the matching
// use-case and API tests. Runs on SQLite, and on PostgreSQL when
// MENTORING_TEST_POSTGRES_URL is set (each test on its own table prefix,
// dropped afterwards); MENTORING_REQUIRE_POSTGRES=1 turns a missing server
// into a failure.
#pragma once

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "app/jobs.h"
#include "app/matching_pairings.h"
#include "app/matching_runs.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/database.h"

namespace mentoring::testing {

// 2026-07-01T12:00:00Z.
inline constexpr std::int64_t kNowMs = 1782907200000;
inline constexpr core::UnixSeconds kDaySeconds = 86400;

class MatchingFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      const char* url = std::getenv("MENTORING_TEST_POSTGRES_URL");
      if (!url || !*url) {
        const char* req = std::getenv("MENTORING_REQUIRE_POSTGRES");
        if (req && std::string(req) == "1") FAIL() << "MENTORING_REQUIRE_POSTGRES=1 but no PostgreSQL URL is set";
        GTEST_SKIP() << "MENTORING_TEST_POSTGRES_URL is not set";
      }
      settings_.url = url;
      std::random_device rd;
      char buf[16];
      std::snprintf(buf, sizeof buf, "m%08x_", rd());
      settings_.table_prefix = buf;
    } else {
      std::random_device rd;
      dir_ = std::filesystem::temp_directory_path() /
             ("mentoring-matching-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
      std::filesystem::create_directories(dir_);
      settings_.url = "sqlite3:" + (dir_ / "matching.db").string();
    }
    settings_.busy_timeout_ms = 60000;
    auto db = storage::open_database(settings_);
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    matching_ = std::make_unique<app::MatchingService>(*db_, clock_);
    pairings_ = std::make_unique<app::PairingService>(*db_, clock_);
    commit([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kTraditional, "Support", core::SchemePhase::kPilot},
          now());
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
    });
  }

  void TearDown() override {
    matching_.reset();
    pairings_.reset();
    if (db_ && GetParam() == "postgresql") {
      core::Status st = db_->with_session([&](soci::session& sql) {
        for (const std::string& t : storage::list_tables(sql, db_->dialect()))
          if (t.compare(0, settings_.table_prefix.size(), settings_.table_prefix) == 0)
            sql << "DROP TABLE IF EXISTS " + t + " CASCADE";
        return core::Status::ok();
      });
      EXPECT_TRUE(st.is_ok()) << st.to_string();
    }
    db_.reset();
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  core::UnixSeconds now() const { return clock_.now(); }

  template <typename Fn>
  void commit(Fn&& fn) {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      fn(s);
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t make_cohort(core::MatchingModel model) {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      core::CohortInput c;
      c.schemeid = schemeid_;
      c.name = "August 2026";
      c.opens_on = *core::Date::parse("2026-06-10");
      c.closes_on = *core::Date::parse("2026-08-05");
      c.starts_on = *core::Date::parse("2026-08-05");
      c.ends_on = *core::Date::parse("2027-08-04");
      c.matching_model = model;
      auto cohort = s.schemes.create_cohort(c, now());
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      id = cohort->id;
    });
    return id;
  }

  std::int64_t new_account(core::Stores& s, const std::string& subject) {
    auto a =
        s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, now());
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a->id;
  }

  // A mentee enrolment with a profile; returns the enrolment id.
  std::int64_t mentee(std::int64_t cohortid, const std::string& subject, std::vector<std::string> topics,
                      const std::string& specialty = "") {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      const std::int64_t account = new_account(s, subject);
      core::MenteeProfile p;
      p.accountid = account;
      p.career_stage = core::CareerStage::kFy1;
      p.specialty = specialty;
      p.region = "North West";
      p.goals = "Settle into my first post and plan my next steps.";
      p.topics = std::move(topics);
      ASSERT_TRUE(s.profiles.save_mentee(p, now()).is_ok());
      auto e = s.enrolments.create(cohortid, account, core::Role::kMentee, now());
      ASSERT_TRUE(e.is_ok()) << e.status().to_string();
      id = e->id;
    });
    return id;
  }

  std::int64_t mentor(std::int64_t cohortid, const std::string& subject, int capacity,
                      std::vector<std::string> expertise, const std::string& specialty = "") {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      const std::int64_t account = new_account(s, subject);
      core::MentorProfile p;
      p.accountid = account;
      p.career_stage = core::CareerStage::kConsultant;
      p.specialty = specialty;
      p.region = "North West";
      p.expertise_areas = std::move(expertise);
      p.capacity = capacity;
      p.bio = "Consultant who enjoys supporting doctors in training.";
      ASSERT_TRUE(s.profiles.save_mentor(p, now()).is_ok());
      auto e = s.enrolments.create(cohortid, account, core::Role::kMentor, now());
      ASSERT_TRUE(e.is_ok()) << e.status().to_string();
      id = e->id;
    });
    return id;
  }

  void set_capacity(std::int64_t mentor_enrolment, int capacity) {
    commit([&](core::Stores& s) {
      auto e = s.enrolments.find(mentor_enrolment);
      auto p = s.profiles.find_mentor((*e)->accountid);
      core::MentorProfile profile = **p;
      profile.capacity = capacity;
      ASSERT_TRUE(s.profiles.save_mentor(profile, now()).is_ok());
    });
  }

  std::vector<core::Pairing> active_pairings(std::int64_t cohortid) {
    auto list = pairings_->pairings(cohortid, core::PairingState::kActive, core::Page{});
    EXPECT_TRUE(list.is_ok()) << list.status().to_string();
    return list.is_ok() ? *list : std::vector<core::Pairing>{};
  }

  int active_of(std::int64_t mentor_enrolment) {
    int n = -1;
    commit([&](core::Stores& s) {
      auto place = s.pairings.find_place(mentor_enrolment);
      ASSERT_TRUE(place.is_ok());
      n = *place ? (*place)->active : 0;
    });
    return n;
  }

  core::FixedClock clock_{kNowMs};
  storage::ConnectionSettings settings_;
  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<app::MatchingService> matching_;
  std::unique_ptr<app::PairingService> pairings_;
  std::int64_t schemeid_ = 0;
};

inline std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace mentoring::testing
