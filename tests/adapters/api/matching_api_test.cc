// The matching routes of the JSON API (adapters/api/matching_api.h), driven
// with HTTP request values through the real router, use cases and database:
// authentication, validation errors naming their field, and the shapes of
// runs, publish conflicts, requests and pairings.
#include "adapters/api/matching_api.h"

#include <boost/json.hpp>

#include "adapters/http/router.h"
#include "tests/adapters/api/matching_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::MatchingFixture;

constexpr const char* kToken = "test-service-token-0123456789";

class MatchingApiTest : public MatchingFixture {
 protected:
  void SetUp() override {
    MatchingFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ctx_ = std::make_unique<api::MatchingApiContext>(api::MatchingApiContext{*matching_, *pairings_, kToken});
    api::add_matching_routes(router_, *ctx_);
  }
  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    MatchingFixture::TearDown();
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
  http::Response post(const std::string& target, const json::object& body) {
    json::value v(body);
    return call("POST", target, &v);
  }
  static json::object body_of(const http::Response& res) { return json::parse(res.body).as_object(); }
  static std::string reason_of(const http::Response& res) {
    json::object o = body_of(res);
    if (!o.contains("error")) return "";
    return std::string(o["error"].as_object()["reason"].as_string());
  }
  static std::string field_of(const http::Response& res) {
    json::object e = body_of(res)["error"].as_object();
    return e.contains("field") ? std::string(e["field"].as_string()) : "";
  }
  static std::string path(const char* base, std::int64_t id, const char* rest = "") {
    return std::string(base) + std::to_string(id) + rest;
  }

  http::Router router_;
  std::unique_ptr<api::MatchingApiContext> ctx_;
};

TEST_P(MatchingApiTest, EveryRouteNeedsTheServiceToken) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  http::Response res = call("GET", path("/api/v1/cohorts/", cohort, "/pairings"), nullptr, false);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(reason_of(res), "api_token_missing");
  res = call("POST", "/api/v1/requests/1/accept", nullptr, false);
  EXPECT_EQ(res.status, 401);
}

TEST_P(MatchingApiTest, RunsAreStartedReadWithExplanationsAndPublished) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  http::Response res = post(path("/api/v1/cohorts/", cohort, "/matching/runs"),
                            {{"model", "assigned"}, {"mode", "stable"}, {"weights", {{"topics", "must"}}}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::int64_t runid = body_of(res)["id"].as_int64();

  res = call("GET", path("/api/v1/matching/runs/", runid));
  ASSERT_EQ(res.status, 200) << res.body;
  json::object run = body_of(res);
  EXPECT_EQ(run["state"].as_string(), "ready");
  EXPECT_EQ(run["parameters"].as_object()["weights"].as_object()["topics"].as_string(), "must");
  EXPECT_EQ(run["report"].as_object()["mentees_matched"].as_int64(), 1);
  json::array proposals = run["proposals"].as_array();
  ASSERT_EQ(proposals.size(), 1u);
  json::object p = proposals[0].as_object();
  EXPECT_EQ(p["menteeid"].as_int64(), e1);
  EXPECT_EQ(p["mentorid"].as_int64(), m1);
  EXPECT_EQ(p["source"].as_string(), "stable");
  EXPECT_FALSE(p["explanation"].as_object()["lines"].as_array().empty());

  res = call("POST", path("/api/v1/matching/runs/", runid, "/publish"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res)["pairings"].as_array().size(), 1u);
  res = call("GET", path("/api/v1/cohorts/", cohort, "/pairings?state=active"));
  ASSERT_EQ(res.status, 200);
  json::array items = body_of(res)["items"].as_array();
  ASSERT_EQ(items.size(), 1u);
  const std::int64_t pairing = items[0].as_object()["id"].as_int64();
  res = call("POST", path("/api/v1/matching/runs/", runid, "/publish"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(reason_of(res), "run_not_ready");

  res = post(path("/api/v1/pairings/", pairing, "/end"), {{"reason", "not_a_good_fit"}, {"ended_by", "mentor"}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res)["end_reason"].as_string(), "not_a_good_fit");
  EXPECT_EQ(body_of(res)["state"].as_string(), "ended");
}

TEST_P(MatchingApiTest, APublishConflictIs409WithEveryConflictListed) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  http::Response res = post(path("/api/v1/cohorts/", cohort, "/matching/runs"), json::object{});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::int64_t runid = body_of(res)["id"].as_int64();
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.enrolments.set_status(m1, core::EnrolmentStatus::kWithdrawn, now()).is_ok());
  });
  res = call("POST", path("/api/v1/matching/runs/", runid, "/publish"));
  ASSERT_EQ(res.status, 409) << res.body;
  json::object body = body_of(res);
  EXPECT_EQ(body["error"].as_object()["reason"].as_string(), "publish_conflicts");
  json::array conflicts = body["conflicts"].as_array();
  ASSERT_EQ(conflicts.size(), 1u);
  EXPECT_EQ(conflicts[0].as_object()["menteeid"].as_int64(), e1);
  EXPECT_EQ(conflicts[0].as_object()["reason"].as_string(), "mentor_left");
}

TEST_P(MatchingApiTest, RunRequestsAreValidatedFieldByField) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::string runs = path("/api/v1/cohorts/", cohort, "/matching/runs");
  struct Case {
    json::object body;
    const char* reason;
    const char* field;
  };
  const std::vector<Case> cases = {
      {{{"colour", "blue"}}, "unknown_field", "colour"},
      {{{"model", "lottery"}}, "run_model_invalid", "model"},
      {{{"model", "fallback"}}, "run_model_invalid", "model"},
      {{{"mode", "fast"}}, "run_mode_invalid", "mode"},
      {{{"weights", "high"}}, "field_not_object", "weights"},
      {{{"weights", {{"topics", 3}}}}, "weight_invalid", "weights"},
      {{{"weights", {{"topics", "enormous"}}}}, "weight_invalid", ""},
      {{{"choice_days", 0}}, "choice_days_invalid", "choice_days"},
      {{{"candidates_per_mentee", 0}}, "candidates_per_mentee_invalid", "candidates_per_mentee"},
      {{{"shortlist_size", "3"}}, "", "shortlist_size"},
  };
  for (const auto& c : cases) {
    http::Response res = post(runs, c.body);
    EXPECT_EQ(res.status, 400) << json::serialize(c.body) << " " << res.body;
    if (*c.reason) {
      EXPECT_EQ(reason_of(res), c.reason) << json::serialize(c.body);
    }
    if (*c.field) {
      EXPECT_EQ(field_of(res), c.field) << json::serialize(c.body);
    }
  }
  EXPECT_EQ(reason_of(post("/api/v1/cohorts/424242/matching/runs", json::object{})), "cohort_not_found");
  http::Response missing = call("GET", "/api/v1/matching/runs/424242");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(reason_of(missing), "run_not_found");
  EXPECT_EQ(call("GET", "/api/v1/matching/runs/abc").status, 400);
}

TEST_P(MatchingApiTest, RequestsAcceptsAndEndingsAreValidated) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::string requests = path("/api/v1/cohorts/", cohort, "/requests");

  http::Response res = post(requests, {{"mentorid", m1}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(reason_of(res), "field_required");
  EXPECT_EQ(field_of(res), "menteeid");
  res = post(requests, {{"menteeid", e1}, {"mentorid", m1}, {"message", 7}});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(field_of(res), "message");
  res = post(requests, {{"menteeid", e1}, {"mentorid", m1}, {"message", std::string(2001, 'x')}});
  EXPECT_EQ(reason_of(res), "message_too_long");
  res = post(requests, {{"menteeid", e1}, {"mentorid", -4}});
  EXPECT_EQ(reason_of(res), "mentorid_invalid");
  res = post(requests, {{"menteeid", m1}, {"mentorid", m1}});
  EXPECT_EQ(reason_of(res), "mentee_not_enrolled");

  res = post(requests, {{"menteeid", e1}, {"mentorid", m1}, {"message", "Hello"}});
  ASSERT_EQ(res.status, 201) << res.body;
  const std::int64_t r1 = body_of(res)["request"].as_object()["id"].as_int64();
  res = call("POST", path("/api/v1/requests/", r1, "/accept"));
  ASSERT_EQ(res.status, 201) << res.body;
  const std::int64_t pairing = body_of(res)["id"].as_int64();
  EXPECT_EQ(body_of(res)["source"].as_string(), "choice");
  res = call("POST", path("/api/v1/requests/", r1, "/decline"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(reason_of(res), "request_not_pending");

  res = post(requests, {{"menteeid", e2}, {"mentorid", m1}});
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(reason_of(res), "mentor_full");
  res = post(requests, {{"menteeid", e2}, {"mentorid", m1}, {"wait_if_full", true}});
  EXPECT_EQ(res.status, 202) << res.body;
  EXPECT_EQ(body_of(res)["waiting"].as_object()["menteeid"].as_int64(), e2);

  const std::string end = path("/api/v1/pairings/", pairing, "/end");
  res = post(end, {{"reason", "boredom"}, {"ended_by", "mentee"}});
  EXPECT_EQ(reason_of(res), "end_reason_invalid");
  EXPECT_EQ(field_of(res), "reason");
  res = post(end, {{"reason", "completed"}});
  EXPECT_EQ(reason_of(res), "field_required");
  EXPECT_EQ(field_of(res), "ended_by");
  res = post(end, {{"reason", "completed"}, {"ended_by", "mentee"}, {"extra", 1}});
  EXPECT_EQ(reason_of(res), "unknown_field");
  EXPECT_EQ(reason_of(call("POST", "/api/v1/pairings/424242/end", nullptr)), "unsupported_media_type")
      << "the body is required";

  res = call("GET", requests + "?state=maybe");
  EXPECT_EQ(reason_of(res), "request_state_invalid");
  res = call("GET", requests + "?menteeid=x");
  EXPECT_EQ(reason_of(res), "query_not_id");
  res = call("GET", path("/api/v1/cohorts/", cohort, "/pairings?state=odd"));
  EXPECT_EQ(reason_of(res), "pairing_state_invalid");
}

TEST_P(MatchingApiTest, TheMentorDirectorySearchesAndFilters) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"}, "Paediatrics");
  mentor(cohort, "m2", 1, {"leadership"}, "Surgery");
  const std::string mentors = path("/api/v1/cohorts/", cohort, "/mentors");
  http::Response res = call("GET", mentors + "?q=teaching");
  ASSERT_EQ(res.status, 200) << res.body;
  json::object body = body_of(res);
  EXPECT_EQ(body["total"].as_int64(), 1);
  json::object entry = body["items"].as_array()[0].as_object();
  EXPECT_EQ(entry["mentorid"].as_int64(), m1);
  EXPECT_EQ(entry["free_places"].as_int64(), 1);
  EXPECT_EQ(entry["specialty"].as_string(), "Paediatrics");
  res = call("GET", mentors + "?specialty=surgery&free=true");
  EXPECT_EQ(body_of(res)["total"].as_int64(), 1);
  EXPECT_EQ(reason_of(call("GET", mentors + "?free=maybe")), "query_not_boolean");
  EXPECT_EQ(reason_of(call("GET", mentors + "?limit=0")), "query_limit_out_of_range");
  EXPECT_EQ(reason_of(call("GET", mentors + "?q=" + std::string(201, 'a'))), "directory_text_too_long");
  EXPECT_EQ(call("GET", "/api/v1/cohorts/424242/mentors").status, 404);
}

TEST_P(MatchingApiTest, PinsAndBansAreSetThroughARunAndRemovedByPair) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  http::Response res = post(path("/api/v1/cohorts/", cohort, "/matching/runs"), json::object{});
  const std::int64_t runid = body_of(res)["id"].as_int64();
  res = post(path("/api/v1/matching/runs/", runid, "/bans"), {{"menteeid", e1}, {"mentorid", m1}});
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(body_of(res)["kind"].as_string(), "ban");
  res = post(path("/api/v1/matching/runs/", runid, "/pins"), {{"menteeid", e1}});
  EXPECT_EQ(reason_of(res), "field_required");
  res = call("GET", path("/api/v1/cohorts/", cohort, "/matching/rules"));
  EXPECT_EQ(body_of(res)["items"].as_array().size(), 1u);
  res = call("DELETE", path("/api/v1/cohorts/", cohort, "/matching/rules?menteeid=") + std::to_string(e1));
  EXPECT_EQ(reason_of(res), "query_required");
  res = call("DELETE", path("/api/v1/cohorts/", cohort, "/matching/rules?menteeid=") + std::to_string(e1) +
                           "&mentorid=" + std::to_string(m1));
  EXPECT_EQ(res.status, 200) << res.body;
  res = post(path("/api/v1/matching/runs/", runid, "/discard"), json::object{});
  EXPECT_EQ(res.status, 200) << res.body;
}

TEST_P(MatchingApiTest, RankedChoicesAreSentReadMovedOnAndWithdrawn) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"research"});
  const std::string choices = path("/api/v1/cohorts/", cohort, "/choices");
  EXPECT_EQ(reason_of(call("GET", choices + "?menteeid=" + std::to_string(e1))), "choice_list_not_found");

  http::Response res = post(choices, {{"menteeid", e1}, {"mentorids", json::array{m2, m1}}, {"message", "Hello"}});
  ASSERT_EQ(res.status, 201) << res.body;
  json::object list = body_of(res);
  EXPECT_EQ(list["state"].as_string(), "active");
  EXPECT_EQ(list["source"].as_string(), "choice");
  EXPECT_EQ(list["message"].as_string(), "Hello");
  json::array entries = list["choices"].as_array();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].as_object()["rank"].as_int64(), 1);
  EXPECT_EQ(entries[0].as_object()["mentorid"].as_int64(), m2);
  EXPECT_EQ(entries[0].as_object()["state"].as_string(), "requested");
  EXPECT_EQ(entries[1].as_object()["state"].as_string(), "waiting");
  EXPECT_TRUE(entries[1].as_object()["requestid"].is_null());
  const std::int64_t first = entries[0].as_object()["requestid"].as_int64();

  // The first mentor declines through the API: the list moves on.
  ASSERT_EQ(call("POST", path("/api/v1/requests/", first, "/decline")).status, 200);
  res = call("GET", choices + "?menteeid=" + std::to_string(e1));
  ASSERT_EQ(res.status, 200) << res.body;
  entries = body_of(res)["choices"].as_array();
  EXPECT_EQ(entries[0].as_object()["state"].as_string(), "declined");
  EXPECT_EQ(entries[1].as_object()["state"].as_string(), "requested");
  EXPECT_FALSE(entries[1].as_object()["requestid"].is_null());

  // A second list while one is in progress is refused: its request is out.
  res = post(choices, {{"menteeid", e1}, {"mentorids", json::array{m1}}});
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(reason_of(res), "request_already_pending");

  res = post(choices + "/withdraw", {{"menteeid", e1}});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res)["state"].as_string(), "withdrawn");
  EXPECT_EQ(body_of(res)["choices"].as_array()[1].as_object()["state"].as_string(), "withdrawn");
  EXPECT_EQ(reason_of(post(choices + "/withdraw", {{"menteeid", e1}})), "choice_list_not_found");
}

TEST_P(MatchingApiTest, BadRankedChoicesNameTheirFieldAndStoreNothing) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::string choices = path("/api/v1/cohorts/", cohort, "/choices");
  struct Case {
    json::object body;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {{{"mentorids", json::array{m1}}}, "field_required", "menteeid"},
      {{{"menteeid", 0}, {"mentorids", json::array{m1}}}, "menteeid_invalid", "menteeid"},
      {{{"menteeid", e1}}, "field_required", "mentorids"},
      {{{"menteeid", e1}, {"mentorids", m1}}, "mentorids_invalid", "mentorids"},
      {{{"menteeid", e1}, {"mentorids", json::array{m1, "two"}}}, "mentorids_invalid", "mentorids[1]"},
      {{{"menteeid", e1}, {"mentorids", json::array{m1, -3}}}, "mentorids_invalid", "mentorids[1]"},
      {{{"menteeid", e1}, {"mentorids", json::array{m1, m1}}}, "choice_duplicate", "mentorids[1]"},
      {{{"menteeid", e1}, {"mentorids", json::array{}}}, "choices_count_invalid", "mentorids"},
      {{{"menteeid", e1}, {"mentorids", json::array{m1, 999999}}}, "mentor_not_enrolled", "mentorids[1]"},
      {{{"menteeid", e1}, {"mentorids", json::array{m1}}, {"extra", true}}, "unknown_field", "extra"},
  };
  for (const Case& c : cases) {
    http::Response res = post(choices, c.body);
    EXPECT_EQ(res.status, 400) << json::serialize(c.body) << " " << res.body;
    EXPECT_EQ(reason_of(res), c.reason) << json::serialize(c.body);
    EXPECT_EQ(field_of(res), c.field) << json::serialize(c.body);
  }
  EXPECT_EQ(reason_of(call("GET", choices + "?menteeid=" + std::to_string(e1))), "choice_list_not_found");
  EXPECT_EQ(reason_of(call("GET", choices)), "field_required");
  EXPECT_EQ(reason_of(call("GET", choices + "?menteeid=x")), "query_not_id");
  EXPECT_TRUE(pairings_->requests(cohort, e1, 0, std::nullopt, core::Page{})->empty()) << "no request was sent";
  const std::int64_t assigned = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e9 = mentee(assigned, "e9", {"teaching"});
  const std::int64_t m9 = mentor(assigned, "m9", 1, {"teaching"});
  EXPECT_EQ(reason_of(post(path("/api/v1/cohorts/", assigned, "/choices"), {{"menteeid", e9},
                                                                            {"mentorids", json::array{m9}}})),
            "cohort_not_mentee_choice");
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchingApiTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring
