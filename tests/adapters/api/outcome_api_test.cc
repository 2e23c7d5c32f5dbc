// Evaluation consent and outcome imports end to end: a dry run lists every
// row problem and stores nothing, applying is all or nothing, rows about
// people without consent are counted and never stored, and no route returns
// a person's outcomes.
#include <algorithm>

#include "tests/adapters/api/survey_api_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::EvaluationApiTest;

class OutcomeApiTest : public EvaluationApiTest {
 protected:
  std::string import_path(const char* apply = nullptr) {
    return scheme_path("/outcomes/import") + (apply ? std::string("?apply=") + apply : std::string());
  }
};

TEST_F(OutcomeApiTest, ConsentNeedsAMenteeProfileAndAStrictBody) {
  const std::int64_t ada = person("ada", cohort_);
  std::int64_t no_profile = 0;
  write([&](core::Stores& s) {
    no_profile = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", "np", "Dr N", ""}, 1)->id;
  });
  const std::string path = "/api/v1/accounts/" + std::to_string(ada) + "/evaluation-consent";
  EXPECT_EQ(reason_of(call("PUT", path, json::value(json::object{{"given", "yes"}}))), "field_not_boolean");
  EXPECT_EQ(reason_of(call("PUT", path, json::value(json::object{{"given", true}, {"scope", "all"}}))),
            "unknown_field");
  EXPECT_EQ(reason_of(call("PUT", path, json::value(json::object{}))), "field_required");
  EXPECT_EQ(count_rows("evaluation_consents"), 0);
  http::Response ok = call("PUT", path, json::value(json::object{{"given", true}}));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(body_of(ok)["given"].as_bool());
  EXPECT_EQ(body_of(ok)["recorded_on"].as_string(), "2026-07-01");
  http::Response refused = call("PUT", "/api/v1/accounts/" + std::to_string(no_profile) + "/evaluation-consent",
                                json::value(json::object{{"given", true}}));
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(reason_of(refused), "mentee_profile_required");
  EXPECT_EQ(count_rows("evaluation_consents"), 1);
}

TEST_F(OutcomeApiTest, DryRunListsEveryRowErrorAndApplyIsAllOrNothing) {
  const std::int64_t ada = person("ada", cohort_, core::Role::kMentee, true, "ada@example.nhs.uk");
  const std::int64_t bea = person("bea", cohort_, core::Role::kMentee, false, "bea@example.nhs.uk");
  const std::string header = "email,account_id,type,date,arcp_outcome,exam_name,exam_result,rating\r\n";
  const std::string good =
      "ada@example.nhs.uk,,arcp,20/06/2026,1,,,\r\n"
      "BEA@example.nhs.uk,,arcp,2026-06-20,3,,,\r\n"
      "," +
      std::to_string(ada) + ",exam,2026-05-01,,MRCP Part 1,pass,\r\n";
  const std::string bad =
      "nobody@example.nhs.uk,,arcp,2026-06-20,1,,,\r\n"
      "," +
      std::to_string(ada) +
      ",arcp,2026-06-20,7,,,\r\n"
      "ada@example.nhs.uk," +
      std::to_string(bea) +
      ",arcp,2026-06-20,2,,,\r\n"
      "ada@example.nhs.uk,,arcp,2026-07-02,2,,,\r\n";

  http::Response dry = post_csv(import_path(), header + good + bad);
  ASSERT_EQ(dry.status, 200) << dry.body;
  json::object s = body_of(dry);
  EXPECT_EQ(s["rows_read"].as_int64(), 7);
  EXPECT_EQ(s["rows_to_store"].as_int64(), 2);
  EXPECT_EQ(s["rows_skipped_no_consent"].as_int64(), 1);
  EXPECT_FALSE(s["applied"].as_bool());
  std::vector<std::pair<std::int64_t, std::string>> errors;
  for (const auto& e : s["errors"].as_array())
    errors.emplace_back(e.as_object().at("row").as_int64(), std::string(e.as_object().at("reason").as_string()));
  std::sort(errors.begin(), errors.end());
  EXPECT_EQ(errors, (std::vector<std::pair<std::int64_t, std::string>>{{5, "outcome_person_unknown"},
                                                                       {6, "outcome_arcp_code_unknown"},
                                                                       {7, "outcome_person_mismatch"},
                                                                       {8, "outcome_date_in_future"}}));
  EXPECT_EQ(s["rows_with_errors"].as_int64(), 4);
  EXPECT_EQ(count_rows("outcome_records"), 0);

  http::Response refused = post_csv(import_path("true"), header + good + bad);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(reason_of(refused), "outcome_import_has_errors");
  EXPECT_EQ(count_rows("outcome_records"), 0);

  http::Response applied = post_csv(import_path("true"), header + good);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_TRUE(body_of(applied)["applied"].as_bool());
  EXPECT_EQ(body_of(applied)["rows_skipped_no_consent"].as_int64(), 1);
  // Only Ada's two rows: Bea has not consented, so nothing of hers is stored.
  EXPECT_EQ(count_rows("outcome_records"), 2);
  int beas = -1;
  ASSERT_TRUE(db_->with_session([&](soci::session& sql) {
                   sql << "SELECT count(*) FROM mentoring_outcome_records WHERE accountid = :a", soci::use(bea),
                       soci::into(beas);
                   return core::Status::ok();
                 })
                  .is_ok());
  EXPECT_EQ(beas, 0);
}

TEST_F(OutcomeApiTest, FileProblemsAreRefusedBeforeAnyRowIsRead) {
  person("ada", cohort_, core::Role::kMentee, true, "ada@example.nhs.uk");
  http::Request req;
  req.method = "POST";
  req.target = import_path("true");
  ASSERT_TRUE(http::parse_target(req));
  req.headers = {{"Authorization", std::string("Bearer ") + testing::kEvalToken}, {"Content-Type", "application/json"}};
  req.body = "{}";
  EXPECT_EQ(router_.handle(req).status, 415);
  EXPECT_EQ(reason_of(post_csv(import_path("yes"), "email,type,date\r\n")), "query_not_boolean");
  EXPECT_EQ(reason_of(post_csv(import_path("true"), "email,date\r\nada@example.nhs.uk,2026-01-01\r\n")),
            "csv_missing_column");
  EXPECT_EQ(
      reason_of(post_csv(import_path("true"), "email,type,date,colour\r\nada@example.nhs.uk,arcp,2026-01-01,red\r\n")),
      "csv_unknown_column");
  EXPECT_EQ(reason_of(post_csv("/api/v1/schemes/999/outcomes/import", "email,type,date\r\nx@y.uk,arcp,2026-01-01\r\n")),
            "scheme_not_found");
  EXPECT_EQ(count_rows("outcome_records"), 0);
}

TEST_F(OutcomeApiTest, NoRouteReturnsAPersonsOutcomes) {
  const std::int64_t ada = person("ada", cohort_, core::Role::kMentee, true, "ada@example.nhs.uk");
  ASSERT_EQ(
      post_csv(import_path("true"), "email,type,date,arcp_outcome\r\nada@example.nhs.uk,arcp,2026-06-20,4\r\n").status,
      200);
  for (const std::string& path : {"/api/v1/accounts/" + std::to_string(ada) + "/outcomes",
                                  "/api/v1/accounts/" + std::to_string(ada) + "/evaluation-consent",
                                  scheme_path("/outcomes"), scheme_path("/outcomes/import")}) {
    http::Response res = call("GET", path);
    EXPECT_TRUE(res.status == 404 || res.status == 405) << path << " " << res.status;
  }
  // The report shows the one outcome only as a withheld count.
  http::Response report = call("GET", scheme_path("/report?cohort=" + std::to_string(cohort_)));
  ASSERT_EQ(report.status, 200) << report.body;
  json::object arcp = body_of(report)["outcomes"].as_object()["arcp"].as_object();
  for (const auto& cell : arcp["cells"].as_array()) {
    if (cell.as_object().at("label").as_string() == "4") {
      EXPECT_TRUE(cell.as_object().at("value").is_null());
      EXPECT_EQ(cell.as_object().at("suppression").as_string(), "primary");
    }
  }
  EXPECT_TRUE(arcp["total"].as_object()["value"].is_null());
}

}  // namespace
}  // namespace mentoring
