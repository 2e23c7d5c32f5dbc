// NRPS 2.0 roster sync and AGS 2.0 milestone scores against a scripted
// platform, on a real SQLite database.
#include "adapters/lti/advantage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>

#include "adapters/lti/jose.h"
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
constexpr const char* kLearner = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";
constexpr const char* kMentor = "http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor";

// ---------------------------------------------------------------------------
// Pure parts

TEST(NrpsLinkTest, NextLinkIsFoundAmongOtherRelations) {
  auto next = next_link({R"(<https://p/nrps?page=1>; rel="prev", <https://p/nrps?page=3>; rel="next")"});
  ASSERT_TRUE(next.is_ok());
  EXPECT_EQ(next->value_or(""), "https://p/nrps?page=3");
  next = next_link({R"(<https://p/a>; rel="differences")", R"(<https://p/b>; rel=next)"});
  EXPECT_EQ(next->value_or(""), "https://p/b");
  next = next_link({R"(<https://p/c>; title="a, b"; rel="first next")"});
  EXPECT_EQ(next->value_or(""), "https://p/c");
}

TEST(NrpsLinkTest, NoNextLinkMeansTheLastPage) {
  EXPECT_FALSE(next_link({})->has_value());
  EXPECT_FALSE(next_link({R"(<https://p/a>; rel="prev")"})->has_value());
  EXPECT_FALSE(next_link({R"(<https://p/nextpage>; rel="prev")"})->has_value());
}

TEST(NrpsLinkTest, UnreadableLinkHeaderIsRefused) {
  EXPECT_EQ(next_link({"https://p/a; rel=next"}).status().reason(), "nrps_link_invalid");
  EXPECT_EQ(next_link({"<https://p/a; rel=next"}).status().reason(), "nrps_link_invalid");
}

TEST(NrpsPageTest, MembersAreRead) {
  auto page = parse_membership_page(R"({"id":"x","context":{"id":"c"},"members":[
    {"user_id":"u1","roles":[")" + std::string(kLearner) +
                                    R"("],"name":"Dr A","email":"a@example.nhs.uk"},
    {"user_id":"u2","roles":[],"status":"Inactive","given_name":"B","family_name":"C"}]})");
  ASSERT_TRUE(page.is_ok()) << page.status().to_string();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].user_id, "u1");
  EXPECT_EQ((*page)[0].roles, std::vector<std::string>{kLearner});
  EXPECT_EQ((*page)[0].status, core::RosterStatus::kActive);
  EXPECT_EQ((*page)[0].name.value_or(""), "Dr A");
  EXPECT_EQ((*page)[1].status, core::RosterStatus::kInactive);
  EXPECT_EQ((*page)[1].family_name.value_or(""), "C");
}

TEST(NrpsPageTest, InvalidMembersAreRefusedNamingTheField) {
  struct Case {
    const char* body;
    const char* reason;
    const char* field;
  } cases[] = {
      {"[]", "nrps_page_malformed", ""},
      {R"({"members":{}})", "nrps_page_malformed", "members"},
      {R"({"members":[1]})", "nrps_member_invalid", "members"},
      {R"({"members":[{"roles":[]}]})", "nrps_member_invalid", "user_id"},
      {R"({"members":[{"user_id":"","roles":[]}]})", "nrps_member_invalid", "user_id"},
      {R"({"members":[{"user_id":"u"}]})", "nrps_member_invalid", "roles"},
      {R"({"members":[{"user_id":"u","roles":[1]}]})", "nrps_member_invalid", "roles"},
      {R"({"members":[{"user_id":"u","roles":["a b"]}]})", "nrps_member_invalid", "roles"},
      {R"({"members":[{"user_id":"u","roles":[],"status":"Gone"}]})", "nrps_member_invalid", "status"},
      {R"({"members":[{"user_id":"u","roles":[],"email":5}]})", "nrps_member_invalid", "email"},
      {R"({"members":[{"user_id":"u","user_id":"v","roles":[]}]})", "nrps_page_malformed", ""},
  };
  for (const auto& c : cases) {
    auto page = parse_membership_page(c.body);
    ASSERT_FALSE(page.is_ok()) << c.body;
    EXPECT_EQ(page.status().reason(), c.reason) << c.body;
    EXPECT_EQ(page.status().field(), c.field) << c.body;
  }
}

TEST(AgsTest, ScoreIsAFullyGradedCompletion) {
  auto score = milestone_score("user-7", 1780000000);
  EXPECT_EQ(score.at("userId").as_string(), "user-7");
  EXPECT_EQ(score.at("scoreGiven").as_int64(), 1);
  EXPECT_EQ(score.at("scoreMaximum").as_int64(), 1);
  EXPECT_EQ(score.at("activityProgress").as_string(), "Completed");
  EXPECT_EQ(score.at("gradingProgress").as_string(), "FullyGraded");
  EXPECT_EQ(score.at("timestamp").as_string(), "2026-05-28T20:26:40.000Z");
}

TEST(AgsTest, ScoresUrlKeepsTheLineItemsQuery) {
  EXPECT_EQ(scores_url("https://p/ags/c/lineitems/3"), "https://p/ags/c/lineitems/3/scores");
  EXPECT_EQ(scores_url("https://p/ags/c/lineitems/3/"), "https://p/ags/c/lineitems/3/scores");
  EXPECT_EQ(scores_url("https://p/li.php?course=1&id=3"), "https://p/li.php/scores?course=1&id=3");
}

TEST(AgsTest, ServiceUrlsAreHttpsOrLoopback) {
  EXPECT_TRUE(is_service_url("https://p.example/x"));
  EXPECT_TRUE(is_service_url("http://127.0.0.1:9000/x"));
  EXPECT_FALSE(is_service_url("http://p.example/x"));
  EXPECT_FALSE(is_service_url("file:///etc/passwd"));
  EXPECT_FALSE(is_service_url("https://p.example/x#f"));
  EXPECT_TRUE(same_origin("https://p.example/a?x", "https://P.example/b"));
  EXPECT_FALSE(same_origin("https://p.example/a", "https://p.example:8443/a"));
  EXPECT_FALSE(same_origin("https://p.example/a", "https://q.example/a"));
}

// ---------------------------------------------------------------------------
// The services

struct Platform {
  std::map<std::string, std::vector<std::string>> pages;  // url -> [body, next]
  std::string failing_url;
  std::vector<json::object> lineitems;
  std::vector<std::pair<std::string, json::object>> scores;
  int tokens = 0;

  core::Result<HttpResponse> handle(const HttpRequest& r) {
    if (r.url == "https://platform.example/token") {
      ++tokens;
      return json_answer(
          200, R"({"access_token":"at-)" + std::to_string(tokens) + R"(","token_type":"Bearer","expires_in":3600})");
    }
    bool authorised = false;
    for (const auto& [k, v] : r.headers)
      if (k == "Authorization" && v.rfind("Bearer at-", 0) == 0) authorised = true;
    if (!authorised) return json_answer(401, "{}");
    if (r.url == failing_url) return json_answer(500, "{}");
    if (auto it = pages.find(r.url); it != pages.end()) {
      std::vector<std::pair<std::string, std::string>> headers;
      if (!it->second[1].empty()) headers.emplace_back("link", "<" + it->second[1] + ">; rel=\"next\"");
      return json_answer(200, it->second[0], headers);
    }
    const std::string lineitems_url = "https://platform.example/ags/c1/lineitems";
    if (r.url.rfind(lineitems_url + "?", 0) == 0 && r.method == "GET") {
      json::array all;
      for (const auto& li : lineitems) all.push_back(li);
      return json_answer(200, json::serialize(all));
    }
    if (r.url == lineitems_url && r.method == "POST") {
      json::object item = json::parse(r.body).as_object();
      item["id"] = lineitems_url + "/" + std::to_string(lineitems.size() + 1);
      lineitems.push_back(item);
      return json_answer(201, json::serialize(item));
    }
    if (r.method == "POST" && r.url.size() > 7 && r.url.substr(r.url.size() - 7) == "/scores") {
      scores.emplace_back(r.url, json::parse(r.body).as_object());
      return json_answer(200, "{}");
    }
    return json_answer(404, "{}");
  }
};

std::string member(const std::string& id, const char* role, const char* status = "Active") {
  return R"({"user_id":")" + id + R"(","name":"Dr )" + id + R"(","email":")" + id + R"(@example.nhs.uk","status":")" +
         status + R"(","roles":[")" + role + R"("]})";
}

std::string page_of(const std::vector<std::string>& members) {
  std::string body = R"({"id":"x","context":{"id":"c1"},"members":[)";
  for (std::size_t i = 0; i < members.size(); ++i) body += (i ? "," : "") + members[i];
  return body + "]}";
}

class AdvantageServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mentoring-advantage-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    key_ = std::move(generate_rsa_key(2048)).value();
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto p = s.lti.upsert_platform({kIssuer, "client-1", "https://platform.example/auth",
                                      "https://platform.example/token", "https://platform.example/jwks", ""},
                                     {"d1"}, 1);
      if (!p) return p.status();
      auto d = s.lti.find_deployment(p->id, "d1");
      if (!d) return d.status();
      auto c = s.lti.upsert_context((*d)->id, "c1", "FY1", "Foundation", 1);
      if (!c) return c.status();
      context_ = c->id;
      core::LtiContextServices sv;
      sv.contextid = c->id;
      sv.nrps_url = "https://platform.example/nrps/c1";
      sv.ags_lineitems_url = "https://platform.example/ags/c1/lineitems";
      sv.ags_scopes = {kScopeLineItem, kScopeScore};
      MENTORING_RETURN_IF_ERROR(s.lti_advantage.save_context_services(sv, 1));
      auto a = s.accounts.upsert({kIssuer, "u1", "Dr u1 at launch", ""}, 1);
      if (!a) return a.status();
      account_ = a->id;
      auto other = s.accounts.upsert({"https://elsewhere.example", "u9", "Dr Elsewhere", ""}, 1);
      if (!other) return other.status();
      foreign_account_ = other->id;
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  AdvantageServices services(HttpClient& http) {
    tokens_ = std::make_unique<ServiceTokens>(
        http, [this](const json::object& claims) { return sign_rs256(json::object{}, claims, key_.get(), "k"); },
        clock_);
    return AdvantageServices(*db_, clock_, http, *tokens_);
  }

  std::vector<core::RosterEntry> roster() {
    std::vector<core::RosterEntry> out;
    EXPECT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                     auto r = s.lti_advantage.list_roster(context_);
                     if (!r) return r.status();
                     out = *r;
                     return Status::ok();
                   })
                    .is_ok());
    return out;
  }

  std::int64_t account_count() {
    std::int64_t n = 0;
    EXPECT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                     auto c = s.accounts.count();
                     if (!c) return c.status();
                     n = *c;
                     return Status::ok();
                   })
                    .is_ok());
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  core::FixedClock clock_{kT0};
  EvpPkey key_;
  std::unique_ptr<ServiceTokens> tokens_;
  std::int64_t context_ = 0, account_ = 0, foreign_account_ = 0;
};

TEST_F(AdvantageServicesTest, RosterSyncFollowsEveryPageAndRecordsTheMembers) {
  Platform platform;
  const std::string base = "https://platform.example/nrps/c1";
  platform.pages[base] = {page_of({member("u1", kLearner), member("u2", kLearner)}), base + "?p=2"};
  platform.pages[base + "?p=2"] = {page_of({member("u3", kMentor), member("u4", kLearner, "Inactive")}), base + "?p=3"};
  platform.pages[base + "?p=3"] = {page_of({member("u5", kLearner)}), ""};
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  auto result = svc.sync_roster(context_);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->pages, 3);
  EXPECT_EQ(result->members, 5);
  EXPECT_EQ(result->added, 5);
  EXPECT_EQ(result->updated, 0);
  EXPECT_EQ(result->inactive, 1);
  EXPECT_EQ(platform.tokens, 1);  // one token for all pages
  auto r = roster();
  ASSERT_EQ(r.size(), 5u);
  std::map<std::string, core::RosterEntry> by_subject;
  for (const auto& e : r) by_subject[e.subject] = e;
  EXPECT_EQ(by_subject["u3"].roles, std::vector<std::string>{kMentor});
  EXPECT_EQ(by_subject["u4"].status, core::RosterStatus::kInactive);
  EXPECT_EQ(by_subject["u1"].accountid, account_);  // the launch's account, updated in place
  EXPECT_EQ(by_subject["u1"].display_name, "Dr u1");
  EXPECT_EQ(by_subject["u2"].email, "u2@example.nhs.uk");
  for (const auto& req : http.requests) {
    if (req.url != "https://platform.example/token") {
      EXPECT_EQ(req.headers.front().second, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json");
    }
  }
}

TEST_F(AdvantageServicesTest, SecondSyncCountsChangesAndMarksTheMissingDeleted) {
  Platform platform;
  const std::string base = "https://platform.example/nrps/c1";
  platform.pages[base] = {page_of({member("u1", kLearner), member("u2", kLearner), member("u3", kLearner)}), ""};
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  ASSERT_TRUE(svc.sync_roster(context_).is_ok());
  platform.pages[base] = {page_of({member("u1", kLearner), member("u2", kMentor), member("u6", kLearner)}), ""};
  clock_.advance_ms(60000);
  auto result = svc.sync_roster(context_);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->added, 1);     // u6
  EXPECT_EQ(result->updated, 2);   // u2's role, u3 gone
  EXPECT_EQ(result->inactive, 1);  // u3
  std::map<std::string, core::RosterEntry> by_subject;
  for (const auto& e : roster()) by_subject[e.subject] = e;
  EXPECT_EQ(by_subject["u3"].status, core::RosterStatus::kDeleted);
  EXPECT_EQ(by_subject["u2"].roles, std::vector<std::string>{kMentor});
  EXPECT_EQ(by_subject["u1"].timeseen, kT0 / 1000 + 60);
}

TEST_F(AdvantageServicesTest, AFailedPageChangesNothing) {
  Platform platform;
  const std::string base = "https://platform.example/nrps/c1";
  platform.pages[base] = {page_of({member("n1", kLearner), member("n2", kLearner)}), base + "?p=2"};
  platform.pages[base + "?p=2"] = {page_of({member("n3", kLearner)}), base + "?p=3"};
  platform.failing_url = base + "?p=3";
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  const std::int64_t accounts_before = account_count();
  auto result = svc.sync_roster(context_);
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "nrps_fetch_failed");
  EXPECT_TRUE(roster().empty());
  EXPECT_EQ(account_count(), accounts_before);

  // A malformed member on a later page is just as fatal.
  platform.failing_url.clear();
  platform.pages[base + "?p=3"] = {R"({"members":[{"user_id":"n4"}]})", ""};
  result = svc.sync_roster(context_);
  EXPECT_EQ(result.status().reason(), "nrps_member_invalid");
  EXPECT_TRUE(roster().empty());
  EXPECT_EQ(account_count(), accounts_before);
}

TEST_F(AdvantageServicesTest, NextPageOnAnotherSiteIsRefused) {
  Platform platform;
  const std::string base = "https://platform.example/nrps/c1";
  platform.pages[base] = {page_of({member("u1", kLearner)}), "https://attacker.example/nrps?p=2"};
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.sync_roster(context_).status().reason(), "nrps_link_foreign");
  for (const auto& r : http.requests) EXPECT_EQ(r.url.find("attacker"), std::string::npos);
  EXPECT_TRUE(roster().empty());
}

TEST_F(AdvantageServicesTest, PagesThatLoopAreRefused) {
  Platform platform;
  const std::string base = "https://platform.example/nrps/c1";
  platform.pages[base] = {page_of({member("u1", kLearner)}), base};
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.sync_roster(context_).status().reason(), "nrps_link_invalid");
}

TEST_F(AdvantageServicesTest, ContextWithoutNrpsOrUnknownContextIsRefused) {
  Platform platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.sync_roster(context_ + 100).status().reason(), "lti_context_not_found");
  ASSERT_TRUE(db_->transact([&](core::Stores& s) {
                   core::LtiContextServices sv;
                   sv.contextid = context_;
                   return s.lti_advantage.save_context_services(sv, 2);
                 })
                  .is_ok());
  EXPECT_EQ(svc.sync_roster(context_).status().reason(), "nrps_not_offered");
  EXPECT_TRUE(http.requests.empty());
}

TEST_F(AdvantageServicesTest, MilestoneCreatesTheLineItemOnceAndPostsScores) {
  Platform platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  Status st = svc.post_milestone(context_, account_, kMilestoneAgreementSigned);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  st = svc.post_milestone(context_, account_, kMilestoneAgreementSigned);
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  ASSERT_EQ(platform.lineitems.size(), 1u);
  EXPECT_EQ(platform.lineitems[0].at("tag").as_string(), "agreement_signed");
  EXPECT_EQ(platform.lineitems[0].at("resourceId").as_string(), "mentoring:agreement_signed");
  EXPECT_EQ(platform.lineitems[0].at("scoreMaximum").as_int64(), 1);
  ASSERT_EQ(platform.scores.size(), 2u);
  EXPECT_EQ(platform.scores[0].first, "https://platform.example/ags/c1/lineitems/1/scores");
  EXPECT_EQ(platform.scores[0].second.at("userId").as_string(), "u1");
  EXPECT_EQ(platform.scores[0].second.at("gradingProgress").as_string(), "FullyGraded");
  std::optional<std::string> stored;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto li = s.lti_advantage.find_line_item(context_, "agreement_signed");
                   if (!li) return li.status();
                   stored = *li;
                   return Status::ok();
                 })
                  .is_ok());
  EXPECT_EQ(stored.value_or(""), "https://platform.example/ags/c1/lineitems/1");

  // Another milestone gets its own line item.
  ASSERT_TRUE(svc.post_milestone(context_, account_, kMilestoneSchemeCompleted).is_ok());
  EXPECT_EQ(platform.lineitems.size(), 2u);
}

TEST_F(AdvantageServicesTest, ExistingLineItemIsFoundByTagAndResourceId) {
  Platform platform;
  platform.lineitems.push_back(json::object{{"id", "https://platform.example/ags/c1/lineitems/77"},
                                            {"tag", "scheme_completed"},
                                            {"resourceId", "mentoring:scheme_completed"},
                                            {"scoreMaximum", 1}});
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  ASSERT_TRUE(svc.post_milestone(context_, account_, kMilestoneSchemeCompleted).is_ok());
  EXPECT_EQ(platform.lineitems.size(), 1u);
  ASSERT_EQ(platform.scores.size(), 1u);
  EXPECT_EQ(platform.scores[0].first, "https://platform.example/ags/c1/lineitems/77/scores");
}

TEST_F(AdvantageServicesTest, MilestoneInputIsChecked) {
  Platform platform;
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.post_milestone(context_, account_, "passed_exam").reason(), "milestone_unknown");
  EXPECT_EQ(svc.post_milestone(context_ + 9, account_, kMilestoneAgreementSigned).reason(), "lti_context_not_found");
  EXPECT_EQ(svc.post_milestone(context_, account_ + 999, kMilestoneAgreementSigned).reason(), "account_not_found");
  EXPECT_EQ(svc.post_milestone(context_, foreign_account_, kMilestoneAgreementSigned).reason(),
            "account_not_from_platform");
  ASSERT_TRUE(db_->transact([&](core::Stores& s) {
                   core::LtiContextServices sv;
                   sv.contextid = context_;
                   sv.ags_lineitems_url = "https://platform.example/ags/c1/lineitems";
                   sv.ags_scopes = {kScopeResultReadonly};
                   return s.lti_advantage.save_context_services(sv, 2);
                 })
                  .is_ok());
  EXPECT_EQ(svc.post_milestone(context_, account_, kMilestoneAgreementSigned).reason(), "ags_scope_missing");
  EXPECT_TRUE(http.requests.empty());
  EXPECT_TRUE(platform.scores.empty());
}

TEST_F(AdvantageServicesTest, LineItemOnAnotherSiteIsRefused) {
  Platform platform;
  platform.lineitems.push_back(json::object{{"id", "https://attacker.example/lineitems/1"},
                                            {"tag", "agreement_signed"},
                                            {"resourceId", "mentoring:agreement_signed"}});
  RoutedHttp http([&](const HttpRequest& r) { return platform.handle(r); });
  auto svc = services(http);
  EXPECT_EQ(svc.post_milestone(context_, account_, kMilestoneAgreementSigned).reason(), "ags_lineitem_foreign");
  EXPECT_TRUE(platform.scores.empty());
}

}  // namespace
}  // namespace mentoring::lti
