// The set-up API and eligibility at enrolment, end to end in process: the
// real router, use cases and SQLite database, driven with HTTP request values.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>

#include "adapters/api/api.h"
#include "adapters/api/setup_api.h"
#include "adapters/http/router.h"
#include "app/setup_objectives.h"
#include "app/setup_profiles.h"
#include "app/setup_training.h"
#include "storage/database.h"
#include "storage/setup_soci_stores.h"

namespace mentoring {
namespace {
namespace json = boost::json;
namespace fs = std::filesystem;

constexpr const char* kToken = "test-service-token-0123456789";
// 2026-07-01T12:00:00Z: inside the cohort's enrolment window below.
constexpr std::int64_t kNowMs = 1782907200000;

class SetupApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("mentoring-setup-api-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(rd()));
    fs::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "api.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();

    setup_db_ = std::make_unique<storage::SociSetupDatabase>(*db_);
    accounts_ = std::make_unique<app::Accounts>(*db_, clock_);
    schemes_ = std::make_unique<app::SchemeSetup>(*db_, clock_);
    enrolments_ = std::make_unique<app::EnrolmentService>(*db_, clock_);
    objectives_ = std::make_unique<app::ObjectiveService>(*setup_db_, clock_);
    governance_ = std::make_unique<app::GovernanceService>(*setup_db_, clock_);
    eligibility_ = std::make_unique<app::EligibilityService>(*setup_db_, clock_);
    profiles_ = std::make_unique<app::ProfileService>(*setup_db_, clock_);
    training_ = std::make_unique<app::TrainingService>(*setup_db_, clock_);
    agreements_ = std::make_unique<app::AgreementService>(*setup_db_, clock_);
    gate_ = std::make_unique<app::EligibleEnrolment>(*setup_db_, clock_);
    enrolments_->set_gate(gate_.get());
    api_ = std::make_unique<api::ApiContext>(
        api::ApiContext{*db_, *accounts_, *schemes_, *enrolments_, kToken, "test"});
    setup_api_ = std::make_unique<api::SetupApiContext>(api::SetupApiContext{
        *objectives_, *governance_, *eligibility_, *profiles_, *training_, *agreements_, kToken});
    api::add_api_routes(router_, *api_);
    api::add_setup_routes(router_, *setup_api_);

    scheme_ = create("POST", "/api/v1/schemes",
                     {{"name", "FY1 mentoring"},
                      {"type", "near_peer"},
                      {"aims", "- Prepare FY1 doctors for practice\n- Improve retention"}});
    cohort_ = create("POST", "/api/v1/schemes/" + std::to_string(scheme_) + "/cohorts",
                     {{"name", "August 2026"},
                      {"opens_on", "2026-06-10"},
                      {"closes_on", "2026-08-05"},
                      {"starts_on", "2026-08-05"},
                      {"ends_on", "2027-08-04"}});
    ada_ = account("sub-ada");
    bea_ = account("sub-bea");
  }

  void TearDown() override {
    router_ = http::Router();
    setup_api_.reset();
    api_.reset();
    gate_.reset();
    db_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  http::Response call(const std::string& method, const std::string& target, const json::value* body = nullptr,
                      bool with_token = true) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    if (with_token) req.headers.push_back({"Authorization", std::string("Bearer ") + kToken});
    if (body) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = json::serialize(*body);
    }
    return router_.handle(req);
  }
  http::Response call(const std::string& method, const std::string& target, const json::value& body) {
    return call(method, target, &body);
  }

  static json::object body_of(const http::Response& res) {
    json::value v = json::parse(res.body);
    return v.as_object();
  }
  static std::string reason_of(const http::Response& res) {
    json::object o = body_of(res);
    if (!o.contains("error")) return "";
    return std::string(o["error"].as_object()["reason"].as_string());
  }

  std::int64_t create(const std::string& method, const std::string& target, const json::object& body) {
    http::Response res = call(method, target, json::value(body));
    EXPECT_TRUE(res.status == 200 || res.status == 201) << target << ": " << res.status << " " << res.body;
    if (res.status >= 300) return 0;
    return body_of(res)["id"].as_int64();
  }

  std::int64_t account(const std::string& subject) {
    return create("PUT", "/api/v1/accounts",
                  {{"platform", "https://portal.example.nhs.uk"}, {"subject", subject}, {"display_name", "Dr X"}});
  }

  std::string scheme_path(const std::string& rest = "") { return "/api/v1/schemes/" + std::to_string(scheme_) + rest; }
  std::string account_path(std::int64_t id, const std::string& rest) {
    return "/api/v1/accounts/" + std::to_string(id) + rest;
  }
  http::Response enrol(std::int64_t accountid, const char* role) {
    return call("POST", "/api/v1/cohorts/" + std::to_string(cohort_) + "/enrolments",
                json::value(json::object{{"accountid", accountid}, {"role", role}}));
  }
  std::int64_t enrolment_count() {
    auto n = enrolments_->count(cohort_, std::nullopt);
    EXPECT_TRUE(n.is_ok()) << n.status().to_string();
    return n.is_ok() ? *n : -1;
  }
  json::object mentee_profile(const char* stage) {
    return {{"career_stage", stage},
            {"region", "North West"},
            {"goals", "Settle into my first post and plan for core training."},
            {"transition_points", json::array{"first_post"}},
            {"languages", json::array{"EN"}}};
  }

  fs::path dir_;
  core::FixedClock clock_{kNowMs};
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<storage::SociSetupDatabase> setup_db_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<app::SchemeSetup> schemes_;
  std::unique_ptr<app::EnrolmentService> enrolments_;
  std::unique_ptr<app::ObjectiveService> objectives_;
  std::unique_ptr<app::GovernanceService> governance_;
  std::unique_ptr<app::EligibilityService> eligibility_;
  std::unique_ptr<app::ProfileService> profiles_;
  std::unique_ptr<app::TrainingService> training_;
  std::unique_ptr<app::AgreementService> agreements_;
  std::unique_ptr<app::EligibleEnrolment> gate_;
  std::unique_ptr<api::ApiContext> api_;
  std::unique_ptr<api::SetupApiContext> setup_api_;
  http::Router router_;
  std::int64_t scheme_ = 0, cohort_ = 0, ada_ = 0, bea_ = 0;
};

TEST_F(SetupApiTest, EnrolmentIsRefusedWithTheCoreReasonAndWritesNothing) {
  http::Response put = call("PUT", scheme_path("/audience"),
                            json::value(json::object{{"career_stages", json::array{"fy1"}}}));
  ASSERT_EQ(put.status, 200) << put.body;

  // No profile yet: the audience cannot be checked.
  http::Response no_profile = enrol(ada_, "mentee");
  EXPECT_EQ(no_profile.status, 409) << no_profile.body;
  EXPECT_EQ(reason_of(no_profile), "mentee_profile_required");

  ASSERT_EQ(call("PUT", account_path(ada_, "/mentee-profile"), json::value(mentee_profile("fy2"))).status, 200);
  http::Response refused = enrol(ada_, "mentee");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(reason_of(refused), "not_eligible_career_stage");
  std::string message(body_of(refused)["error"].as_object()["message"].as_string());
  EXPECT_NE(message.find("FY1"), std::string::npos) << message;
  EXPECT_NE(message.find("FY2"), std::string::npos) << message;
  EXPECT_EQ(enrolment_count(), 0);

  ASSERT_EQ(call("PUT", account_path(ada_, "/mentee-profile"), json::value(mentee_profile("fy1"))).status, 200);
  http::Response accepted = enrol(ada_, "mentee");
  EXPECT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(enrolment_count(), 1);
}

TEST_F(SetupApiTest, WideningParticipationIsSelfDeclaredAtEnrolment) {
  ASSERT_EQ(call("PUT", scheme_path("/audience"),
                 json::value(json::object{{"widening_participation_only", true}}))
                .status,
            200);
  ASSERT_EQ(call("PUT", account_path(ada_, "/mentee-profile"), json::value(mentee_profile("fy1"))).status, 200);
  EXPECT_EQ(reason_of(enrol(ada_, "mentee")), "not_eligible_widening_participation");
  http::Response declared =
      call("POST", "/api/v1/cohorts/" + std::to_string(cohort_) + "/enrolments",
           json::value(json::object{{"accountid", ada_}, {"role", "mentee"}, {"widening_participation", true}}));
  EXPECT_EQ(declared.status, 201) << declared.body;
  EXPECT_EQ(enrolment_count(), 1);
}

TEST_F(SetupApiTest, MentorRulesNeedAMentorProfileThatPasses) {
  ASSERT_EQ(call("PUT", scheme_path("/audience"),
                 json::value(json::object{{"mentors", json::object{{"minimum_stage", "st3"}}}}))
                .status,
            200);
  // Mentees are not restricted by mentor rules.
  EXPECT_EQ(enrol(bea_, "mentee").status, 201);
  EXPECT_EQ(reason_of(enrol(ada_, "mentor")), "mentor_profile_required");
  json::object profile{{"career_stage", "st1"}, {"bio", "Core surgical trainee."}, {"capacity", 2}};
  ASSERT_EQ(call("PUT", account_path(ada_, "/mentor-profile"), json::value(profile)).status, 200);
  EXPECT_EQ(reason_of(enrol(ada_, "mentor")), "mentor_not_eligible_career_stage");
  profile["career_stage"] = "consultant";
  ASSERT_EQ(call("PUT", account_path(ada_, "/mentor-profile"), json::value(profile)).status, 200);
  EXPECT_EQ(enrol(ada_, "mentor").status, 201);
  EXPECT_EQ(enrolment_count(), 2);
}

TEST_F(SetupApiTest, ProfilesAreNormalisedStoredAndReadBack) {
  json::object body = mentee_profile("fy1");
  body["topics"] = json::array{" Career Planning ", "career planning", "Exams"};
  http::Response put = call("PUT", account_path(ada_, "/mentee-profile"), json::value(body));
  ASSERT_EQ(put.status, 200) << put.body;
  http::Response got = call("GET", account_path(ada_, "/mentee-profile"));
  ASSERT_EQ(got.status, 200) << got.body;
  json::object p = body_of(got);
  EXPECT_EQ(p["topics"], (json::array{"career planning", "exams"}));
  EXPECT_EQ(p["languages"], (json::array{"en"}));
  EXPECT_EQ(p["career_stage"], "fy1");

  EXPECT_EQ(reason_of(call("GET", account_path(bea_, "/mentee-profile"))), "profile_not_found");
  body["favourite_colour"] = "red";
  http::Response unknown = call("PUT", account_path(ada_, "/mentee-profile"), json::value(body));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(reason_of(unknown), "unknown_field");
  json::object short_goals = mentee_profile("fy1");
  short_goals["goals"] = "Help";
  EXPECT_EQ(reason_of(call("PUT", account_path(ada_, "/mentee-profile"), json::value(short_goals))),
            "goals_too_short");
}

TEST_F(SetupApiTest, ObjectivesAreValidatedStoredAndReportProgress) {
  json::object objective{{"what", "Increase the share of FY1 doctors who feel prepared for practice"},
                         {"metric", "FY1 preparedness survey, % agreeing"},
                         {"baseline", 40},
                         {"unit", "%"},
                         {"baseline_on", "2026-06-01"},
                         {"target", 60},
                         {"deadline", "2027-06-01"},
                         {"ownerid", ada_},
                         {"aim_index", 0}};
  http::Response created = call("POST", scheme_path("/objectives"), json::value(objective));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = body_of(created)["id"].as_int64();
  EXPECT_TRUE(body_of(created)["warnings"].is_array());

  json::object unknown_aim = objective;
  unknown_aim["aim_index"] = 7;
  EXPECT_EQ(reason_of(call("POST", scheme_path("/objectives"), json::value(unknown_aim))), "objective_aim_unknown");

  http::Response progress = call("GET", scheme_path("/objectives/progress?on=2026-07-01"));
  ASSERT_EQ(progress.status, 200) << progress.body;
  EXPECT_EQ(body_of(progress)["items"].as_array()[0].as_object()["state"], "no_data");

  ASSERT_EQ(call("POST", "/api/v1/objectives/" + std::to_string(id) + "/measurements",
                 json::value(json::object{{"measured_on", "2026-06-30"}, {"value", 61}}))
                .status,
            201);
  progress = call("GET", scheme_path("/objectives/progress?on=2026-07-01"));
  json::object report = body_of(progress)["items"].as_array()[0].as_object();
  EXPECT_EQ(report["state"], "achieved");
  EXPECT_EQ(report["latest"].as_object()["value"].to_number<double>(), 61);

  EXPECT_EQ(reason_of(call("POST", "/api/v1/objectives/" + std::to_string(id) + "/measurements",
                           json::value(json::object{{"measured_on", "2026-07-02"}, {"value", 1}}))),
            "objective_measurement_in_future");

  objective["target"] = 70;
  http::Response updated = call("PUT", "/api/v1/objectives/" + std::to_string(id), json::value(objective));
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(body_of(updated)["target"].to_number<double>(), 70);
  EXPECT_EQ(body_of(call("GET", scheme_path("/objectives")))["items"].as_array().size(), 1u);
}

TEST_F(SetupApiTest, GovernanceGapsShrinkAsResponsibilitiesAreAssigned) {
  http::Response gaps = call("GET", scheme_path("/governance/gaps"));
  ASSERT_EQ(gaps.status, 200) << gaps.body;
  EXPECT_EQ(body_of(gaps)["unassigned"].as_array().size(), 7u);

  json::object body{{"assignments", json::array{json::object{{"responsibility", "training"},
                                                             {"accountid", ada_},
                                                             {"reports_to", "Director of PGME"},
                                                             {"cadence", "quarterly"},
                                                             {"next_report_due", "2026-09-30"}}}}};
  http::Response put = call("PUT", scheme_path("/governance"), json::value(body));
  ASSERT_EQ(put.status, 200) << put.body;
  json::object g = body_of(call("GET", scheme_path("/governance/gaps")));
  EXPECT_EQ(g["unassigned"].as_array().size(), 6u);
  for (const auto& r : g["unassigned"].as_array()) EXPECT_NE(r, "training");
  // A day after the report was due, it is overdue.
  g = body_of(call("GET", scheme_path("/governance/gaps?on=2026-10-01")));
  ASSERT_EQ(g["overdue"].as_array().size(), 1u);
  EXPECT_EQ(g["overdue"].as_array()[0].as_object()["days_overdue"], 1);

  body["assignments"].as_array()[0].as_object()["next_report_due"] = "2026-06-30";
  EXPECT_EQ(reason_of(call("PUT", scheme_path("/governance"), json::value(body))), "governance_report_due_in_past");
  EXPECT_EQ(body_of(call("GET", scheme_path("/governance")))["items"].as_array()[0].as_object()["next_report_due"],
            "2026-09-30");
}

TEST_F(SetupApiTest, MentorReadinessFollowsTrainingRecords) {
  json::object modules{{"modules", json::array{json::object{{"code", "mentoring_skills"},
                                                            {"title", "Mentoring skills"},
                                                            {"required", true},
                                                            {"valid_for_months", 24}}}}};
  ASSERT_EQ(call("PUT", scheme_path("/training-modules"), json::value(modules)).status, 200);
  const std::string readiness = account_path(ada_, "/mentor-readiness?schemeid=" + std::to_string(scheme_));
  json::object r = body_of(call("GET", readiness));
  EXPECT_EQ(r["ready"], false);
  EXPECT_EQ(r["issues"].as_array()[0].as_object()["kind"], "missing");

  http::Response unknown = call("POST", account_path(ada_, "/training-records"),
                                json::value(json::object{{"schemeid", scheme_},
                                                         {"module_code", "juggling"},
                                                         {"completed_on", "2026-05-01"}}));
  EXPECT_EQ(reason_of(unknown), "training_module_unknown");
  ASSERT_EQ(call("POST", account_path(ada_, "/training-records"),
                 json::value(json::object{{"schemeid", scheme_},
                                          {"module_code", "mentoring_skills"},
                                          {"completed_on", "2026-05-01"}}))
                .status,
            201);
  r = body_of(call("GET", readiness));
  EXPECT_EQ(r["ready"], true);
  EXPECT_EQ(reason_of(call("GET", account_path(ada_, "/mentor-readiness"))), "query_not_id");
}

TEST_F(SetupApiTest, AgreementVersionRisesOnlyWhenTheTermsChange) {
  json::object a = body_of(call("GET", scheme_path("/agreement")));
  EXPECT_EQ(a["version"], 0);
  json::object terms{{"frequency", "monthly"}, {"meeting_minutes", 60}, {"boundaries", "No clinical supervision."}};
  EXPECT_EQ(body_of(call("PUT", scheme_path("/agreement"), json::value(terms)))["version"], 1);
  EXPECT_EQ(body_of(call("PUT", scheme_path("/agreement"), json::value(terms)))["version"], 1);
  terms["meeting_minutes"] = 45;
  EXPECT_EQ(body_of(call("PUT", scheme_path("/agreement"), json::value(terms)))["version"], 2);
  terms["meeting_minutes"] = 5;
  EXPECT_EQ(reason_of(call("PUT", scheme_path("/agreement"), json::value(terms))), "agreement_minutes_invalid");
  EXPECT_EQ(body_of(call("GET", scheme_path("/agreement")))["meeting_minutes"], 45);
}

TEST_F(SetupApiTest, SetupRoutesNeedTheServiceToken) {
  http::Response res = call("GET", scheme_path("/objectives"), nullptr, false);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(reason_of(res), "api_token_missing");
}

}  // namespace
}  // namespace mentoring
