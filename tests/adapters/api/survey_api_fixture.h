// An in-process evaluation API over a real SQLite database: the router,
// the survey, outcome and report use cases, driven with HTTP request values.
// Set-up rows (schemes, cohorts, accounts, enrolments, profiles) are written
// through the stores directly so each test states only what it is about.
#pragma once

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>
#include <string>

#include "adapters/api/survey_api.h"
#include "adapters/http/router.h"
#include "app/evaluation_report.h"
#include "app/outcome_import.h"
#include "app/survey.h"
#include "core/evaluation_stores.h"
#include "core/setup_stores.h"
#include "storage/database.h"

namespace mentoring::testing {

inline constexpr const char* kEvalToken = "test-service-token-0123456789";
// 2026-07-01T12:00:00Z.
inline constexpr std::int64_t kEvalNowMs = 1782907200000;
inline constexpr std::int64_t kDayMs = 86400000;

class EvaluationApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("mentoring-eval-api-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "api.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    surveys_ = std::make_unique<app::SurveyService>(*db_, clock_);
    outcomes_ = std::make_unique<app::OutcomeService>(*db_, clock_);
    reports_ = std::make_unique<app::EvaluationReportService>(*db_, clock_, demographics_, engagement_);
    ctx_ = std::make_unique<api::EvaluationApiContext>(
        api::EvaluationApiContext{*surveys_, *outcomes_, *reports_, nullptr, kEvalToken});
    api::add_survey_routes(router_, *ctx_);
    api::add_outcome_routes(router_, *ctx_);
    api::add_report_routes(router_, *ctx_);
    write([&](core::Stores& s) {
      auto scheme = s.schemes.create(core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer,
                                                       "- Prepare FY1 doctors for practice", core::SchemePhase::kPilot},
                                     1);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      scheme_ = scheme->id;
      cohort_ = add_cohort(s, "August 2026");
    });
  }

  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  template <typename Fn>
  void write(Fn&& fn) {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      fn(s);
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t add_cohort(core::Stores& s, const std::string& name) {
    core::CohortInput ci{scheme_,
                         name,
                         *core::Date::parse("2026-06-01"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2027-08-04"),
                         core::MatchingModel::kAssigned};
    auto c = s.schemes.create_cohort(ci, 1);
    EXPECT_TRUE(c.is_ok()) << c.status().to_string();
    return c.is_ok() ? c->id : 0;
  }

  // An account enrolled in `cohort` as `role`, with a mentee profile and,
  // when `consent`, evaluation consent given.
  std::int64_t person(const std::string& subject, std::int64_t cohort, core::Role role = core::Role::kMentee,
                      bool consent = false, const std::string& email = "") {
    std::int64_t id = 0;
    write([&](core::Stores& s) {
      auto a =
          s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, email}, 1);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      id = a->id;
      if (cohort) {
        ASSERT_TRUE(s.enrolments.create(cohort, id, role, 1).is_ok());
      }
      core::MenteeProfile p;
      p.accountid = id;
      p.region = "North West";
      p.goals = "Settle into my first post and plan for core training.";
      ASSERT_TRUE(s.profiles.save_mentee(p, 1).is_ok());
      if (consent) {
        core::EvaluationConsent c;
        c.accountid = id;
        c.given = true;
        c.recorded_on = *core::Date::parse("2026-06-01");
        ASSERT_TRUE(s.evaluation.save_consent(c, 1).is_ok());
      }
    });
    return id;
  }

  http::Response call(const std::string& method, const std::string& target, const boost::json::value* body = nullptr,
                      bool with_token = true) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    if (with_token) req.headers.push_back({"Authorization", std::string("Bearer ") + kEvalToken});
    if (body) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = boost::json::serialize(*body);
    }
    return router_.handle(req);
  }
  http::Response call(const std::string& method, const std::string& target, const boost::json::value& body) {
    return call(method, target, &body);
  }
  http::Response post_csv(const std::string& target, const std::string& csv) {
    http::Request req;
    req.method = "POST";
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    req.headers.push_back({"Authorization", std::string("Bearer ") + kEvalToken});
    req.headers.push_back({"Content-Type", "text/csv"});
    req.body = csv;
    return router_.handle(req);
  }

  static boost::json::object body_of(const http::Response& res) { return boost::json::parse(res.body).as_object(); }
  static std::string reason_of(const http::Response& res) {
    auto v = boost::json::parse(res.body);
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    return std::string(v.as_object()["error"].as_object()["reason"].as_string());
  }

  std::int64_t count_rows(const std::string& table) {
    int n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM mentoring_" + table, soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  std::string scheme_path(const std::string& rest) { return "/api/v1/schemes/" + std::to_string(scheme_) + rest; }
  std::string round_path(std::int64_t round) { return "/api/v1/rounds/" + std::to_string(round) + "/responses"; }

  // The default questionnaire; returns its id.
  std::int64_t default_survey() {
    http::Response res =
        call("POST", scheme_path("/surveys"), boost::json::value(boost::json::object{{"default", true}}));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? body_of(res)["id"].as_int64() : 0;
  }

  std::int64_t round(std::int64_t questionnaire, std::int64_t cohort, const char* phase, const char* opens,
                     const char* closes) {
    http::Response res = call(
        "POST", scheme_path("/rounds"),
        boost::json::value(boost::json::object{{"questionnaireid", questionnaire},
                                               {"cohortid", cohort},
                                               {"phase", phase},
                                               {"audiences", boost::json::array{"mentees", "mentors", "supervisors"}},
                                               {"opens_on", opens},
                                               {"closes_on", closes}}));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? body_of(res)["id"].as_int64() : 0;
  }

  // Answers for the four required Likert questions of the default questionnaire.
  static boost::json::object likert_answers(int confidence, int satisfaction, int preparedness, int clarity) {
    return {{"confidence", confidence},
            {"job_satisfaction", satisfaction},
            {"preparedness", preparedness},
            {"career_clarity", clarity}};
  }

  http::Response respond(const char* method, std::int64_t round, std::int64_t account, const char* audience,
                         const boost::json::object& answers) {
    return call(
        method, round_path(round),
        boost::json::value(boost::json::object{{"accountid", account}, {"audience", audience}, {"answers", answers}}));
  }

  std::filesystem::path dir_;
  core::FixedClock clock_{kEvalNowMs};
  std::unique_ptr<storage::SociDatabase> db_;
  core::NullDemographicAggregates demographics_;
  core::NullEngagementAggregates engagement_;
  std::unique_ptr<app::SurveyService> surveys_;
  std::unique_ptr<app::OutcomeService> outcomes_;
  std::unique_ptr<app::EvaluationReportService> reports_;
  std::unique_ptr<api::EvaluationApiContext> ctx_;
  http::Router router_;
  std::int64_t scheme_ = 0, cohort_ = 0;
};

}  // namespace mentoring::testing
