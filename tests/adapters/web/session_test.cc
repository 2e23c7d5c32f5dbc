// The session middleware over a real SQLite database and a fixed clock.
#include "adapters/web/session.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "adapters/web/secrets.h"
#include "storage/database.h"

namespace mentoring::web {
namespace {
using core::Status;

constexpr std::int64_t kT0 = 1780000000;

class SessionManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mentoring-session-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                      auto a = s.accounts.upsert({"https://portal.example.nhs.uk", "sub-1", "Dr Ada Example", ""}, kT0);
                      if (!a) return a.status();
                      account_ = a->id;
                      auto p = s.lti.upsert_platform({"https://portal.example.nhs.uk", "c", "https://p/auth", "",
                                                      "https://p/jwks", ""},
                                                     {"d"}, kT0);
                      if (!p) return p.status();
                      deployment_ = (*s.lti.find_deployment(p->id, "d"))->id;
                      return Status::ok();
                    }).is_ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  NewSession start(const SessionManager& sessions, std::vector<std::string> caps) {
    NewSession out;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto n = sessions.create(s, {account_, deployment_, {}, {}, caps});
      if (!n) return n.status();
      out = *n;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }

  static http::Request with_cookie(const std::string& token) {
    http::Request req;
    req.headers.push_back({"Cookie", "other=1; mentoring_session=" + token});
    return req;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  std::int64_t account_ = 0, deployment_ = 0;
};

TEST_F(SessionManagerTest, AuthenticateReturnsThePersonAndCapabilitiesUntilIdle) {
  core::FixedClock clock(kT0 * 1000);
  SessionManager sessions(*db_, clock, {600, 3600, true});
  const NewSession n = start(sessions, {"mentoring/mentee:participate"});
  EXPECT_EQ(n.token.size(), 43u);
  auto signed_in = sessions.authenticate(with_cookie(n.token));
  ASSERT_TRUE(signed_in.is_ok()) << signed_in.status().to_string();
  EXPECT_EQ(signed_in->account.subject, "sub-1");
  EXPECT_TRUE(signed_in->has("mentoring/mentee:participate"));
  EXPECT_FALSE(signed_in->has("mentoring/scheme:manage"));
  EXPECT_TRUE(sessions.check_csrf(*signed_in, signed_in->csrf_token()).is_ok());
  EXPECT_EQ(sessions.check_csrf(*signed_in, "forged").reason(), "csrf_token_invalid");
  EXPECT_EQ(sessions.check_csrf(*signed_in, "").reason(), "csrf_token_invalid");

  clock.advance_ms(599000);
  EXPECT_TRUE(sessions.authenticate(with_cookie(n.token)).is_ok());  // moves the idle timer
  clock.advance_ms(599000);
  EXPECT_TRUE(sessions.authenticate(with_cookie(n.token)).is_ok());
  clock.advance_ms(600000);
  EXPECT_EQ(sessions.authenticate(with_cookie(n.token)).status().reason(), "session_invalid");
}

TEST_F(SessionManagerTest, TheIdleTimerIsWrittenAtMostOnceAMinute) {
  core::FixedClock clock(kT0 * 1000);
  SessionManager sessions(*db_, clock, {600, 3600, true});
  const NewSession n = start(sessions, {});
  auto stored_last_seen = [&]() {
    core::UnixSeconds seen = -1;
    EXPECT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                      auto f = s.sessions.find_by_token(sha256_hex(n.token));
                      if (!f) return f.status();
                      if (f->has_value()) seen = (*f)->last_seen_at;
                      return Status::ok();
                    }).is_ok());
    return seen;
  };
  clock.advance_ms(59000);
  ASSERT_TRUE(sessions.authenticate(with_cookie(n.token)).is_ok());
  EXPECT_EQ(stored_last_seen(), kT0) << "a request within the minute only reads";
  clock.advance_ms(1000);
  ASSERT_TRUE(sessions.authenticate(with_cookie(n.token)).is_ok());
  EXPECT_EQ(stored_last_seen(), kT0 + 60);
  // Idle from the last recorded request: at kT0 + 60 + 600 the session ends,
  // although a request at kT0 + 119 was served.
  clock.advance_ms(59000);
  ASSERT_TRUE(sessions.authenticate(with_cookie(n.token)).is_ok());
  EXPECT_EQ(stored_last_seen(), kT0 + 60);
  clock.advance_ms(541000);
  EXPECT_EQ(sessions.authenticate(with_cookie(n.token)).status().reason(), "session_invalid");
  EXPECT_EQ(stored_last_seen(), -1) << "an ended session is deleted";
}

TEST_F(SessionManagerTest, AbsoluteTimeoutEndsABusySession) {
  core::FixedClock clock(kT0 * 1000);
  SessionManager sessions(*db_, clock, {600, 1000, true});
  const NewSession n = start(sessions, {});
  for (int i = 0; i < 9; ++i) {
    clock.advance_ms(100000);
    ASSERT_TRUE(sessions.authenticate(with_cookie(n.token)).is_ok()) << i;
  }
  clock.advance_ms(100000);
  EXPECT_EQ(sessions.authenticate(with_cookie(n.token)).status().reason(), "session_invalid");
}

TEST_F(SessionManagerTest, MissingForgedOrSignedOutCookiesAreRefused) {
  core::FixedClock clock(kT0 * 1000);
  SessionManager sessions(*db_, clock, {});
  EXPECT_EQ(sessions.authenticate(http::Request{}).status().reason(), "session_missing");
  EXPECT_EQ(sessions.authenticate(with_cookie("short")).status().reason(), "session_invalid");
  auto random = random_token();
  EXPECT_EQ(sessions.authenticate(with_cookie(*random)).status().reason(), "session_invalid");
  const NewSession n = start(sessions, {});
  // The database holds the hash, never the cookie's value.
  EXPECT_EQ(sessions.authenticate(with_cookie(sha256_hex(n.token).substr(0, 43))).status().reason(),
            "session_invalid");
  ASSERT_TRUE(sessions.sign_out(with_cookie(n.token)).is_ok());
  EXPECT_EQ(sessions.authenticate(with_cookie(n.token)).status().reason(), "session_invalid");
}

TEST_F(SessionManagerTest, SessionCookieAttributesFollowTheSettings) {
  core::FixedClock clock(kT0 * 1000);
  SessionManager secure(*db_, clock, {1800, 43200, true});
  EXPECT_EQ(secure.session_cookie("tok"),
            "mentoring_session=tok; Path=/; Max-Age=43200; HttpOnly; SameSite=None; Secure; Partitioned");
  SessionManager plain(*db_, clock, {1800, 43200, false});
  EXPECT_EQ(plain.clear_session_cookie(), "mentoring_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace mentoring::web
