#include "tests/adapters/web/page_test_fixture.h"

#include <unistd.h>

#include <cctype>
#include <optional>
#include <regex>

namespace mentoring::web::testing {
using core::Status;

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string encode_form(const Form& form) {
  std::string body;
  for (const auto& [k, v] : form) body += (body.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return body;
}

std::string hidden(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  if (!std::regex_search(html, m, re)) return {};
  return m[1];
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

void PageTestFixture::open_database(const std::string& name) {
  dir_ = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + "-" +
                                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::create_directories(dir_);
  auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  db_ = std::move(db).value();
  ASSERT_TRUE(db_->migrate().is_ok());
}

Status PageTestFixture::add_accounts(core::Stores& s, const std::vector<FixtureAccount>& people) {
  const std::string iss = "https://portal.example.nhs.uk";
  for (const FixtureAccount& person : people) {
    auto a = s.accounts.upsert({iss, person.kind + "-sub", person.name, person.email}, t0_);
    if (!a) return a.status();
    accounts_[person.kind] = a->id;
  }
  auto p = s.lti.upsert_platform({iss, "client", iss + "/auth", "", iss + "/jwks", ""}, {"d1"}, t0_);
  if (!p) return p.status();
  deployment_ = (*s.lti.find_deployment(p->id, "d1"))->id;
  return Status::ok();
}

Status PageTestFixture::add_scheme(core::Stores& s, core::MatchingModel model) {
  auto scheme = s.schemes.create(
      {"FY1 North West", core::SchemeType::kNearPeer, "Support FY1 doctors.", core::SchemePhase::kPilot}, t0_);
  if (!scheme) return scheme.status();
  scheme_ = scheme->id;
  core::CohortInput ci;
  ci.schemeid = scheme_;
  ci.name = "August intake";
  ci.opens_on = *core::Date::parse("2026-05-01");
  ci.closes_on = *core::Date::parse("2026-08-05");
  ci.starts_on = *core::Date::parse("2026-08-05");
  ci.ends_on = *core::Date::parse("2027-08-04");
  ci.matching_model = model;
  auto cohort = s.schemes.create_cohort(ci, t0_);
  if (!cohort) return cohort.status();
  cohort_ = cohort->id;
  return Status::ok();
}

void PageTestFixture::add_pages(const PageServices& services) {
  if (!sessions_) sessions_ = std::make_unique<SessionManager>(*db_, clock_, SessionSettings{.cookie_secure = false});
  router_ = http::Router();
  ctx_ = std::make_unique<PageContext>(PageContext{renderer_, policy_, *sessions_, *db_, clock_, PageChrome{}, services});
  add_signed_in_pages(router_, *ctx_);
}

std::string PageTestFixture::start(const std::string& who, std::vector<std::string> caps) {
  std::string token;
  Status st = db_->transact([&](core::Stores& s) -> Status {
    const std::optional<std::int64_t> scheme = scheme_ ? std::optional<std::int64_t>(scheme_) : std::nullopt;
    auto n = sessions_->create(s, {accounts_[who], deployment_, {}, scheme, caps});
    if (!n) return n.status();
    token = n->token;
    csrf_[who] = n->session.csrf_token;
    return Status::ok();
  });
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return token;
}

http::Response PageTestFixture::get(const std::string& who, const std::string& target) {
  std::vector<http::Header> headers;
  if (!who.empty()) headers.push_back({"Cookie", "mentoring_session=" + tokens_[who]});
  return router_.handle(testing::get(target, headers));
}

http::Response PageTestFixture::post(const std::string& who, const std::string& target, const Form& form) {
  http::Request req = testing::get(target, {{"Cookie", "mentoring_session=" + tokens_[who]},
                                            {"Content-Type", "application/x-www-form-urlencoded"}});
  req.method = "POST";
  req.body = encode_form(form);
  return router_.handle(req);
}

http::Response PageTestFixture::post_from(const std::string& who, const std::string& page, const std::string& target,
                                          Form fields) {
  http::Response drawn = get(who, page);
  EXPECT_EQ(drawn.status, 200) << drawn.body;
  const std::string form_token = hidden(drawn.body, "form_token");
  fields.insert(fields.begin(), {"form_token", form_token.empty() ? new_form_token() : form_token});
  fields.insert(fields.begin(), {"csrf_token", form_token.empty() ? csrf_[who] : hidden(drawn.body, "csrf_token")});
  return post(who, target, fields);
}

Form PageTestFixture::form_from(const std::string& who, const std::string& page, const Form& fields) {
  http::Response r = get(who, page);
  EXPECT_EQ(r.status, 200) << page << "\n" << r.body;
  Form f{{"csrf_token", hidden(r.body, "csrf_token")}, {"form_token", hidden(r.body, "form_token")}};
  for (const auto& kv : fields) f.push_back(kv);
  return f;
}

void PageTestFixture::TearDown() {
  router_ = http::Router();
  ctx_.reset();
  sessions_.reset();
  db_.reset();
  std::filesystem::remove_all(dir_);
}

}  // namespace mentoring::web::testing
