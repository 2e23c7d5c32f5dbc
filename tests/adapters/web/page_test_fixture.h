// A signed-in page fixture over a real SQLite database, real sessions and a
// fixed clock: a fresh migrated database per test, accounts with the LTI
// platform they launch from, an optional scheme with one cohort, the
// signed-in pages on a router, and sessions to call them with.
//
//   class MyPagesTest : public testing::PageTestFixture {
//    protected:
//     MyPagesTest() : PageTestFixture(kT0) {}
//     void SetUp() override {
//       ASSERT_NO_FATAL_FAILURE(open_database("mentoring-my-pages"));
//       Status st = db_->transact([&](core::Stores& s) -> Status {
//         MENTORING_RETURN_IF_ERROR(add_accounts(s, {{"trainee", "Dr Aisha Okafor"}}));
//         return add_scheme(s, core::MatchingModel::kHybrid);
//       });
//       ASSERT_TRUE(st.is_ok()) << st.to_string();
//       add_pages(PageServices{});
//       sign_in("trainee", {std::string(core::capability::kMenteeParticipate)});
//     }
//   };
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/session.h"
#include "core/clock.h"
#include "core/scheme.h"
#include "storage/database.h"
#include "tests/adapters/web/web_test_support.h"

namespace mentoring::web::testing {

using Form = std::vector<std::pair<std::string, std::string>>;

// Percent-encodes all but the unreserved characters.
std::string url_encode(const std::string& s);
// The application/x-www-form-urlencoded body of `form`.
std::string encode_form(const Form& form);
// The value of the first hidden input `name` in a page; "" when there is none.
std::string hidden(const std::string& html, const std::string& name);
bool contains(const std::string& haystack, const std::string& needle);

struct FixtureAccount {
  FixtureAccount(std::string kind, std::string name, std::string email = {})
      : kind(std::move(kind)), name(std::move(name)), email(std::move(email)) {}
  std::string kind;  // the fixture's name for the person: "trainee", "admin"...
  std::string name;
  std::string email;
};

class PageTestFixture : public ::testing::Test {
 protected:
  // `t0`: the time the fixture's rows are written at and (unless `now` is
  // given) the fixed time of the test, in seconds.
  explicit PageTestFixture(std::int64_t t0) : PageTestFixture(t0, t0) {}
  PageTestFixture(std::int64_t t0, std::int64_t now) : t0_(t0), clock_(now * 1000) {}

  // A fresh database under a temporary directory named after `name` and the
  // test, migrated.
  void open_database(const std::string& name);
  // The accounts (by kind in accounts_) and the portal they launch from
  // (deployment_), in the caller's transaction.
  core::Status add_accounts(core::Stores& s, const std::vector<FixtureAccount>& people);
  // The scheme "FY1 North West" (scheme_) with the cohort "August intake"
  // (cohort_), open for enrolment from 2026-05-01 to 2026-08-05.
  core::Status add_scheme(core::Stores& s, core::MatchingModel model);
  // The sessions, the page context with `services` (ctx_) and the signed-in
  // pages on router_. Called again, replaces the context and the routes.
  void add_pages(const PageServices& services);

  // A session for `who` with `caps` in scheme_ (none when 0): its token (the
  // session's CSRF token in csrf_[who]).
  std::string start(const std::string& who, std::vector<std::string> caps);
  // Starts a session for `who` and keeps its token in tokens_[who].
  void sign_in(const std::string& who, std::vector<std::string> caps) { tokens_[who] = start(who, std::move(caps)); }

  // A GET with `who`'s session cookie ("" for none).
  http::Response get(const std::string& who, const std::string& target);
  // A form POST with `who`'s session cookie.
  http::Response post(const std::string& who, const std::string& target, const Form& form);
  // The csrf_token and form_token of the form `who` is shown on `page`, then
  // `fields`.
  Form form_from(const std::string& who, const std::string& page, const Form& fields);
  // Posts `fields` to `target` with the form tokens of the page at `page`
  // (a page without a form: the session's CSRF token and a fresh form
  // token), as a browser sending that page's form would.
  http::Response post_from(const std::string& who, const std::string& page, const std::string& target, Form fields);

  void TearDown() override;

  const std::int64_t t0_;
  std::filesystem::path dir_;
  core::FixedClock clock_;
  std::unique_ptr<storage::SociDatabase> db_;
  Renderer renderer_;
  SecurityPolicy policy_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<PageContext> ctx_;
  http::Router router_;
  std::map<std::string, std::int64_t> accounts_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::string> csrf_;
  std::int64_t deployment_ = 0, scheme_ = 0, cohort_ = 0;
};

}  // namespace mentoring::web::testing
