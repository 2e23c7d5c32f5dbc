// AGS 2.0 Result service: reading result containers page by page, and the
// gradebook check and repair against a scripted platform on loopback URLs
// (nothing leaves the process), on a real SQLite database.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "adapters/lti/advantage.h"
#include "adapters/lti/jose.h"
#include "core/audit.h"
#include "core/audit_stores.h"
#include "fake_http.h"
#include "storage/database.h"

namespace mentoring::lti {
namespace {
namespace json = boost::json;
using core::Status;
using testing::json_answer;
using testing::RoutedHttp;

constexpr std::int64_t kT0 = 1780000000000;
constexpr const char* kIssuer = "https://portal.example.nhs.uk";
constexpr const char* kBase = "http://127.0.0.1:9";
const std::string kLineItems = std::string(kBase) + "/ags/c1/lineitems";

// The example of the AGS 2.0 Result service, as published.
constexpr const char* kSpecExample = R"([
  {
    "id": "https://lms.example.com/context/2923/lineitems/1/results/5323497",
    "scoreOf": "https://lms.example.com/context/2923/lineitems/1",
    "userId": "5323497",
    "resultScore": 0.83,
    "resultMaximum": 1,
    "comment": "This is exceptional work."
  }
])";
constexpr const char* kSpecLineItem = "https://lms.example.com/context/2923/lineitems/1";

// ---------------------------------------------------------------------------
// Pure parts

TEST(AgsResultsTest, ResultsUrlKeepsTheLineItemsQuery) {
  EXPECT_EQ(results_url("https://p/ags/c/lineitems/3"), "https://p/ags/c/lineitems/3/results");
  EXPECT_EQ(results_url("https://p/ags/c/lineitems/3/"), "https://p/ags/c/lineitems/3/results");
  EXPECT_EQ(results_url("https://p/li.php?course=1&id=3"), "https://p/li.php/results?course=1&id=3");
}

TEST(AgsResultsTest, PublishedExampleIsRead) {
  auto page = parse_result_container(kSpecExample, kSpecLineItem);
  ASSERT_TRUE(page.is_ok()) << page.status().to_string();
  ASSERT_EQ(page->size(), 1u);
  const AgsResult& r = (*page)[0];
  EXPECT_EQ(r.id, "https://lms.example.com/context/2923/lineitems/1/results/5323497");
  EXPECT_EQ(r.score_of, kSpecLineItem);
  EXPECT_EQ(r.user_id, "5323497");
  EXPECT_DOUBLE_EQ(r.result_score.value_or(-1), 0.83);
  EXPECT_DOUBLE_EQ(r.result_maximum.value_or(-1), 1.0);
}

TEST(AgsResultsTest, OptionalMembersMayBeAbsentOrNull) {
  auto page = parse_result_container(R"([{"userId":"u1"},{"userId":"u2","resultScore":null,"resultMaximum":null,
    "comment":null,"id":null,"scoreOf":null},{"userId":"u3","resultScore":3,"resultMaximum":4}])",
                                     kSpecLineItem);
  ASSERT_TRUE(page.is_ok()) << page.status().to_string();
  ASSERT_EQ(page->size(), 3u);
  EXPECT_FALSE((*page)[0].result_score.has_value());
  EXPECT_FALSE((*page)[1].result_maximum.has_value());
  EXPECT_TRUE((*page)[1].id.empty());
  EXPECT_DOUBLE_EQ((*page)[2].result_score.value_or(0), 3.0);
  EXPECT_DOUBLE_EQ((*page)[2].result_maximum.value_or(0), 4.0);
  EXPECT_TRUE(parse_result_container("[]", kSpecLineItem)->empty());
}

TEST(AgsResultsTest, MalformedPagesAreRefusedNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  const Case cases[] = {
      {"not json", ""},
      {R"({"results":[]})", ""},
      {R"([{"userId":"u1"},)", ""},
      {R"(["u1"])", "results"},
      {R"([{"resultScore":1}])", "userId"},
      {R"([{"userId":""}])", "userId"},
      {R"([{"userId":42}])", "userId"},
      {R"([{"userId":"u1","resultScore":"1"}])", "resultScore"},
      {R"([{"userId":"u1","resultMaximum":0}])", "resultMaximum"},
      {R"([{"userId":"u1","resultMaximum":-1}])", "resultMaximum"},
      {R"([{"userId":"u1","resultMaximum":true}])", "resultMaximum"},
      {R"([{"userId":"u1","comment":5}])", "comment"},
      {R"([{"userId":"u1","id":7}])", "id"},
      {R"([{"userId":"u1","scoreOf":["x"]}])", "scoreOf"},
  };
  for (const Case& c : cases) {
    auto page = parse_result_container(c.body, kSpecLineItem);
    ASSERT_FALSE(page.is_ok()) << c.body;
    EXPECT_EQ(page.status().reason(), "ags_results_malformed") << c.body;
    EXPECT_EQ(page.status().field(), c.field) << c.body;
  }
  const std::string long_user(256, 'u');
  EXPECT_EQ(parse_result_container(R"([{"userId":")" + long_user + R"("}])", kSpecLineItem).status().reason(),
            "ags_results_malformed");
  // The second entry is the bad one, and the message says so.
  auto second = parse_result_container(R"([{"userId":"u1"},{"userId":null}])", kSpecLineItem);
  EXPECT_NE(second.status().message().find("Result 2"), std::string::npos) << second.status().message();
}

TEST(AgsResultsTest, ResultsNamingAnotherSiteAreRefused) {
  auto page =
      parse_result_container(R"([{"userId":"u1","scoreOf":"https://attacker.example/lineitems/1"}])", kSpecLineItem);
  EXPECT_EQ(page.status().reason(), "ags_results_foreign");
  EXPECT_EQ(page.status().field(), "scoreOf");
  page = parse_result_container(R"([{"userId":"u1","id":"https://lms.example.com:8443/r/1"}])", kSpecLineItem);
  EXPECT_EQ(page.status().reason(), "ags_results_foreign");
  EXPECT_EQ(page.status().field(), "id");
}

TEST(GradebookGapsTest, MissingAndLowerResultsAreGapsAndFullOnesAreNot) {
  const std::vector<ReachedMilestone> reached{{1, "full"},     {2, "missing"}, {3, "lower"},
                                              {4, "ungraded"}, {5, "scaled"},  {6, "decimal"}};
  std::vector<AgsResult> results(6);
  results[0].user_id = "full";
  results[0].result_score = 1;
  results[1].user_id = "lower";
  results[1].result_score = 0.5;
  results[1].result_maximum = 1;
  results[2].user_id = "ungraded";
  results[3].user_id = "scaled";  // 10 of 10: full marks on another scale
  results[3].result_score = 10;
  results[3].result_maximum = 10;
  results[4].user_id = "decimal";  // 0.9999999999 of 1, as a platform storing decimals shows it
  results[4].result_score = 0.9999999999;
  results[5].user_id = "someone-else";  // not reached here: ignored
  results[5].result_score = 0;
  auto gaps = gradebook_gaps(reached, results);
  ASSERT_EQ(gaps.size(), 3u);
  EXPECT_EQ(gaps[0].accountid, 2);
  EXPECT_EQ(gaps[0].user_id, "missing");
  EXPECT_FALSE(gaps[0].result_score.has_value());
  EXPECT_EQ(gaps[1].user_id, "lower");
  EXPECT_DOUBLE_EQ(gaps[1].result_score.value_or(-1), 0.5);
  EXPECT_DOUBLE_EQ(gaps[1].result_maximum.value_or(-1), 1.0);
  EXPECT_EQ(gaps[2].user_id, "ungraded");
  EXPECT_FALSE(gaps[2].result_score.has_value());
}

TEST(GradebookGapsTest, TheBestOfTwoResultsCountsAndPeopleAreListedOnce) {
  std::vector<AgsResult> results(2);
  results[0].user_id = "u1";
  results[0].result_score = 0;
  results[1].user_id = "u1";
  results[1].result_score = 1;
  EXPECT_TRUE(gradebook_gaps({{1, "u1"}}, results).empty());
  EXPECT_EQ(gradebook_gaps({{2, "u2"}, {2, "u2"}}, results).size(), 1u);
  EXPECT_TRUE(gradebook_gaps({}, results).empty());
}

TEST(GradebookGapsTest, MilestoneAuditSummaryRoundTrips) {
  const std::string summary = milestone_audit_summary(kMilestoneSchemeCompleted, 42);
  EXPECT_EQ(summary, "scheme_completed reached by account 42");
  auto parsed = parse_milestone_audit_summary(summary);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->first, "scheme_completed");
  EXPECT_EQ(parsed->second, 42);
  for (const char* other : {"linked to a scheme", "passed reached by account 4", "agreement_signed reached by account ",
                            "agreement_signed reached by account 04", "agreement_signed reached by account 4x",
                            "agreement_signed reached by account 1234567890123456789"})
    EXPECT_FALSE(parse_milestone_audit_summary(other).has_value()) << other;
}

// ---------------------------------------------------------------------------
// The services

// A gradebook: line items, the latest score of each person on each, and the
// results derived from them, `page_size` to a page.
struct Gradebook {
  std::vector<json::object> lineitems;
  std::map<std::string, std::map<std::string, json::object>> scores;  // lineitem -> userId -> score
  std::size_t page_size = 2;
  std::string next_override;  // when set, the next link of every results page
  std::string results_body;   // when set, the body of every results page
  bool fail_scores = false;
  int score_posts = 0;

  core::Result<HttpResponse> handle(const HttpRequest& r) {
    if (r.url == std::string(kBase) + "/token")
      return json_answer(200, R"({"access_token":"at-1","token_type":"Bearer","expires_in":3600})");
    bool authorised = false;
    for (const auto& [k, v] : r.headers)
      if (k == "Authorization" && v == "Bearer at-1") authorised = true;
    if (!authorised) return json_answer(401, "{}");
    if (r.url.rfind(kLineItems + "?", 0) == 0 && r.method == "GET") {
      json::array all;
      for (const auto& li : lineitems) all.push_back(li);
      return json_answer(200, json::serialize(all));
    }
    if (r.url == kLineItems && r.method == "POST") {
      json::object item = json::parse(r.body).as_object();
      item["id"] = kLineItems + "/" + std::to_string(lineitems.size() + 1);
      lineitems.push_back(item);
      return json_answer(201, json::serialize(item));
    }
    const auto results_at = r.url.find("/results");
    if (results_at != std::string::npos && r.method == "GET") {
      const std::string lineitem = r.url.substr(0, results_at);
      std::size_t offset = 0;
      if (auto q = r.url.find("?offset="); q != std::string::npos) offset = std::stoul(r.url.substr(q + 8));
      json::array page;
      const auto& mine = scores[lineitem];
      std::size_t i = 0;
      for (const auto& [user, score] : mine) {
        if (i >= offset && i < offset + page_size)
          page.push_back(json::object{{"id", lineitem + "/results/" + user},
                                      {"scoreOf", lineitem},
                                      {"userId", user},
                                      {"resultScore", score.at("scoreGiven")},
                                      {"resultMaximum", score.at("scoreMaximum")}});
        ++i;
      }
      std::vector<std::pair<std::string, std::string>> headers;
      if (!next_override.empty())
        headers.emplace_back("link", "<" + next_override + ">; rel=\"next\"");
      else if (offset + page_size < mine.size())
        headers.emplace_back(
            "link", "<" + lineitem + "/results?offset=" + std::to_string(offset + page_size) + ">; rel=\"next\"");
      return json_answer(200, results_body.empty() ? json::serialize(page) : results_body, headers);
    }
    if (r.method == "POST" && r.url.size() > 7 && r.url.substr(r.url.size() - 7) == "/scores") {
      if (fail_scores) return json_answer(503, "{}");
      ++score_posts;
      json::object score = json::parse(r.body).as_object();
      scores[r.url.substr(0, r.url.size() - 7)][std::string(score.at("userId").as_string())] = score;
      return json_answer(200, "{}");
    }
    return json_answer(404, "{}");
  }
};

class GradebookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mentoring-ags-results-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    key_ = std::move(generate_rsa_key(2048)).value();
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto p = s.lti.upsert_platform({kIssuer, "client-1", std::string(kBase) + "/auth", std::string(kBase) + "/token",
                                      std::string(kBase) + "/jwks", ""},
                                     {"d1"}, 1);
      if (!p) return p.status();
      auto d = s.lti.find_deployment(p->id, "d1");
      if (!d) return d.status();
      auto c = s.lti.upsert_context((*d)->id, "c1", "FY1", "Foundation", 1);
      if (!c) return c.status();
      context_ = c->id;
      core::LtiContextServices sv;
      sv.contextid = c->id;
      sv.ags_lineitems_url = kLineItems;
      sv.ags_scopes = {kScopeLineItem, kScopeResultReadonly, kScopeScore};
      MENTORING_RETURN_IF_ERROR(s.lti_advantage.save_context_services(sv, 1));
      for (const char* subject : {"u1", "u2", "u3"}) {
        auto a = s.accounts.upsert({kIssuer, subject, std::string("Dr ") + subject, ""}, 1);
        if (!a) return a.status();
        accounts_.push_back(a->id);
      }
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  AdvantageServices services(HttpClient& http, AdvantageLimits limits = {}) {
    tokens_ = std::make_unique<ServiceTokens>(
        http, [this](const json::object& claims) { return sign_rs256(json::object{}, claims, key_.get(), "k"); },
        clock_);
    return AdvantageServices(*db_, clock_, http, *tokens_, limits);
  }

  void set_scopes(std::vector<std::string> scopes) {
    ASSERT_TRUE(db_->transact([&](core::Stores& s) {
                     core::LtiContextServices sv;
                     sv.contextid = context_;
                     sv.ags_lineitems_url = kLineItems;
                     sv.ags_scopes = scopes;
                     return s.lti_advantage.save_context_services(sv, 2);
                   })
                    .is_ok());
  }

  // Every person reaches agreement_signed; u1 also scheme_completed.
  void reach_milestones(AdvantageServices& svc) {
    for (std::int64_t a : accounts_) ASSERT_TRUE(svc.post_milestone(context_, a, kMilestoneAgreementSigned).is_ok());
    ASSERT_TRUE(svc.post_milestone(context_, accounts_[0], kMilestoneSchemeCompleted).is_ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  core::FixedClock clock_{kT0};
  EvpPkey key_;
  std::unique_ptr<ServiceTokens> tokens_;
  std::int64_t context_ = 0;
  std::vector<std::int64_t> accounts_;
};

TEST_F(GradebookTest, CheckReadsEveryResultPageAndFindsTheGradebookInStep) {
  Gradebook platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  reach_milestones(svc);
  // Reaching a milestone twice is recorded once.
  ASSERT_TRUE(svc.post_milestone(context_, accounts_[1], kMilestoneAgreementSigned).is_ok());
  http.requests.clear();

  auto check = svc.check_gradebook(context_);
  ASSERT_TRUE(check.is_ok()) << check.status().to_string();
  EXPECT_TRUE(check->in_step());
  ASSERT_EQ(check->items.size(), 2u);
  const auto& signed_item = check->items[0];
  EXPECT_EQ(signed_item.milestone, "agreement_signed");
  EXPECT_EQ(signed_item.lineitem, kLineItems + "/1");
  EXPECT_EQ(signed_item.reached, 3);
  EXPECT_EQ(signed_item.results, 3);
  EXPECT_EQ(signed_item.pages, 2);  // two to a page
  EXPECT_TRUE(signed_item.gaps.empty());
  EXPECT_EQ(check->items[1].milestone, "scheme_completed");
  EXPECT_EQ(check->items[1].reached, 1);
  EXPECT_EQ(check->items[1].pages, 1);

  // Reads only, with the result container's media type, and the first page
  // is {lineitem}/results.
  int result_reads = 0;
  for (const auto& r : http.requests) {
    if (r.url == std::string(kBase) + "/token") {
      EXPECT_NE(testing::form_value(r.body, "scope").find(kScopeResultReadonly), std::string::npos);
      continue;
    }
    EXPECT_EQ(r.method, "GET") << r.url;
    EXPECT_EQ(r.headers.front().second, "application/vnd.ims.lis.v2.resultcontainer+json");
    ++result_reads;
  }
  EXPECT_EQ(result_reads, 3);
  EXPECT_EQ(http.requests[1].url, kLineItems + "/1/results");
  EXPECT_EQ(platform.score_posts, 5);
}

TEST_F(GradebookTest, MissingAndLowerScoresAreReportedAndRepairedOnce) {
  Gradebook platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  reach_milestones(svc);
  const std::string signed_li = kLineItems + "/1";
  platform.scores[signed_li].erase("u2");                 // dropped by the platform
  platform.scores[signed_li]["u3"]["scoreGiven"] = 0.25;  // overwritten by hand
  platform.scores[kLineItems + "/2"].erase("u1");

  auto check = svc.check_gradebook(context_);
  ASSERT_TRUE(check.is_ok()) << check.status().to_string();
  EXPECT_FALSE(check->in_step());
  ASSERT_EQ(check->items[0].gaps.size(), 2u);
  EXPECT_EQ(check->items[0].gaps[0].user_id, "u2");
  EXPECT_EQ(check->items[0].gaps[0].accountid, accounts_[1]);
  EXPECT_FALSE(check->items[0].gaps[0].result_score.has_value());
  EXPECT_EQ(check->items[0].gaps[1].user_id, "u3");
  EXPECT_DOUBLE_EQ(check->items[0].gaps[1].result_score.value_or(-1), 0.25);
  ASSERT_EQ(check->items[1].gaps.size(), 1u);
  EXPECT_EQ(check->items[1].gaps[0].user_id, "u1");
  EXPECT_EQ(check->items[1].results, 0);

  const int posts_before = platform.score_posts;
  auto repair = svc.repair_gradebook(context_);
  ASSERT_TRUE(repair.is_ok()) << repair.status().to_string();
  EXPECT_EQ(repair->reposted, 3);
  EXPECT_FALSE(repair->before.in_step());
  EXPECT_EQ(platform.score_posts, posts_before + 3);
  EXPECT_DOUBLE_EQ(platform.scores[signed_li]["u3"].at("scoreGiven").to_number<double>(), 1.0);
  EXPECT_EQ(platform.lineitems.size(), 2u);  // the existing line items were used

  auto after = svc.check_gradebook(context_);
  ASSERT_TRUE(after.is_ok());
  EXPECT_TRUE(after->in_step());
  // Repairing a gradebook in step posts nothing.
  auto again = svc.repair_gradebook(context_);
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->reposted, 0);
  EXPECT_EQ(platform.score_posts, posts_before + 3);
}

TEST_F(GradebookTest, AMilestoneWhosePostFailedIsStillReportedAndRepaired) {
  Gradebook platform;
  platform.fail_scores = true;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.post_milestone(context_, accounts_[2], kMilestoneSchemeCompleted).reason(), "ags_call_failed");
  auto check = svc.check_gradebook(context_);
  ASSERT_TRUE(check.is_ok()) << check.status().to_string();
  ASSERT_EQ(check->items[1].gaps.size(), 1u);
  EXPECT_EQ(check->items[1].gaps[0].user_id, "u3");
  EXPECT_EQ(check->items[1].reached, 1);
  EXPECT_TRUE(check->items[0].gaps.empty());

  // While the platform still refuses, the repair fails and says why.
  EXPECT_EQ(svc.repair_gradebook(context_).status().reason(), "ags_call_failed");
  platform.fail_scores = false;
  auto repair = svc.repair_gradebook(context_);
  ASSERT_TRUE(repair.is_ok()) << repair.status().to_string();
  EXPECT_EQ(repair->reposted, 1);
  EXPECT_TRUE(svc.check_gradebook(context_)->in_step());
}

TEST_F(GradebookTest, AMilestoneWithoutALineItemYetIsRepairedByCreatingIt) {
  Gradebook platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  // Reached, but the line item could not be listed or made at the time.
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   core::AuditEntry e;
                   e.actor = core::Actor::service();
                   e.action = core::AuditAction::kCreate;
                   e.entity_type = std::string(kMilestoneAuditType);
                   e.entityid = context_;
                   e.summary = milestone_audit_summary(kMilestoneAgreementSigned, accounts_[0]);
                   e.timecreated = 5;
                   auto added = s.audit.append(e);
                   return added ? Status::ok() : added.status();
                 })
                  .is_ok());
  auto check = svc.check_gradebook(context_);
  ASSERT_TRUE(check.is_ok()) << check.status().to_string();
  EXPECT_TRUE(check->items[0].lineitem.empty());
  EXPECT_EQ(check->items[0].pages, 0);
  ASSERT_EQ(check->items[0].gaps.size(), 1u);
  auto repair = svc.repair_gradebook(context_);
  ASSERT_TRUE(repair.is_ok()) << repair.status().to_string();
  EXPECT_EQ(repair->reposted, 1);
  EXPECT_EQ(platform.lineitems.size(), 1u);
  EXPECT_TRUE(svc.check_gradebook(context_)->in_step());
}

TEST_F(GradebookTest, NextPageOnAnotherSiteIsRefusedAndNotFetched) {
  Gradebook platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  reach_milestones(svc);
  for (const char* foreign : {"https://attacker.example/results?offset=2", "http://127.0.0.1:10/results?offset=2",
                              "http://localhost:9/ags/c1/lineitems/1/results?offset=2"}) {
    platform.next_override = foreign;
    auto check = svc.check_gradebook(context_);
    ASSERT_FALSE(check.is_ok()) << foreign;
    EXPECT_EQ(check.status().reason(), "ags_results_foreign") << foreign;
    EXPECT_EQ(check.status().code(), core::Code::kUnavailable);
  }
  for (const auto& r : http.requests) {
    EXPECT_EQ(r.url.find("attacker"), std::string::npos);
    EXPECT_EQ(r.url.find(":10/"), std::string::npos);
    EXPECT_EQ(r.url.find("localhost"), std::string::npos);
  }
}

TEST_F(GradebookTest, MalformedLoopingOrEndlessPagesAreRefused) {
  Gradebook platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  reach_milestones(svc);

  platform.results_body = R"({"userId":"u1"})";
  auto check = svc.check_gradebook(context_);
  EXPECT_EQ(check.status().reason(), "ags_results_malformed");
  EXPECT_EQ(check.status().code(), core::Code::kUnavailable);
  platform.results_body = R"([{"userId":"u1","resultScore":"full"}])";
  EXPECT_EQ(svc.check_gradebook(context_).status().reason(), "ags_results_malformed");
  platform.results_body.clear();

  // A next page pointing back at the first.
  platform.next_override = kLineItems + "/1/results";
  EXPECT_EQ(svc.check_gradebook(context_).status().reason(), "ags_results_malformed");
  platform.next_override.clear();

  // More pages than allowed.
  platform.page_size = 1;
  auto capped = services(http, AdvantageLimits{.max_pages = 2});
  check = capped.check_gradebook(context_);
  EXPECT_EQ(check.status().reason(), "ags_results_too_many_pages");
  EXPECT_EQ(check.status().code(), core::Code::kResourceExhausted);
  auto few = services(http, AdvantageLimits{.max_members = 2});
  EXPECT_EQ(few.check_gradebook(context_).status().reason(), "ags_results_too_many");

  // A platform error on a results page.
  auto failing = RoutedHttp([&](const HttpRequest& r) -> core::Result<HttpResponse> {
    if (r.url.find("/results") != std::string::npos) return json_answer(500, "{}");
    return platform.handle(r);
  });
  auto broken = services(failing);
  EXPECT_EQ(broken.check_gradebook(context_).status().reason(), "ags_call_failed");
}

TEST_F(GradebookTest, ScopesServicesAndContextAreChecked) {
  Gradebook platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.check_gradebook(context_ + 9).status().reason(), "lti_context_not_found");
  EXPECT_EQ(svc.repair_gradebook(context_ + 9).status().reason(), "lti_context_not_found");
  set_scopes({kScopeLineItem, kScopeScore});
  auto check = svc.check_gradebook(context_);
  EXPECT_EQ(check.status().reason(), "ags_scope_missing");
  EXPECT_EQ(check.status().code(), core::Code::kFailedPrecondition);
  EXPECT_EQ(svc.repair_gradebook(context_).status().reason(), "ags_scope_missing");
  EXPECT_TRUE(http.requests.empty());

  // Results may be read with only the result scope, but repairing needs the
  // score scope too.
  set_scopes({kScopeResultReadonly});
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   core::AuditEntry e;
                   e.actor = core::Actor::service();
                   e.action = core::AuditAction::kCreate;
                   e.entity_type = std::string(kMilestoneAuditType);
                   e.entityid = context_;
                   e.summary = milestone_audit_summary(kMilestoneAgreementSigned, accounts_[0]);
                   e.timecreated = 5;
                   auto added = s.audit.append(e);
                   return added ? Status::ok() : added.status();
                 })
                  .is_ok());
  check = svc.check_gradebook(context_);
  ASSERT_TRUE(check.is_ok()) << check.status().to_string();
  EXPECT_EQ(check->items[0].gaps.size(), 1u);
  EXPECT_EQ(svc.repair_gradebook(context_).status().reason(), "ags_scope_missing");
  EXPECT_TRUE(http.requests.empty());
  EXPECT_TRUE(platform.scores.empty());

  ASSERT_TRUE(db_->transact([&](core::Stores& s) {
                   core::LtiContextServices sv;
                   sv.contextid = context_;
                   return s.lti_advantage.save_context_services(sv, 3);
                 })
                  .is_ok());
  EXPECT_EQ(svc.check_gradebook(context_).status().reason(), "ags_not_offered");
}

}  // namespace
}  // namespace mentoring::lti
