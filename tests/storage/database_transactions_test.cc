// Transactions on both backends: read-only transactions refuse writes and do
// not wait for writers; SQLite writers of one process queue on the
// database's own mutex (all commit, and one waiting past the busy timeout is
// refused with database_busy); the SQLite synchronous setting.
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

core::AccountInput person(int i) {
  return {"https://portal.example.nhs.uk", "sub-" + std::to_string(i), "Dr Person " + std::to_string(i), ""};
}

class DatabaseTransactionsTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    settings_.pool_size = 4;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  std::int64_t accounts() {
    std::int64_t n = -1;
    Status st = db_->read_only([&](core::Stores& s) -> Status {
      auto c = s.accounts.count();
      if (!c) return c.status();
      n = *c;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  std::unique_ptr<SociDatabase> db_;
};

TEST_P(DatabaseTransactionsTest, ReadOnlyTransactionsRefuseWritesAndLeaveEveryConnectionWritable) {
  // More attempts than pooled connections, so each connection has been
  // read-only at least once before the writes below.
  for (int i = 0; i < 8; ++i) {
    Status st = db_->read_only([&](core::Stores& s) { return s.accounts.upsert(person(i), kT0).status(); });
    EXPECT_FALSE(st.is_ok()) << i;
  }
  EXPECT_EQ(accounts(), 0) << "a refused write changes nothing";
  for (int i = 0; i < 8; ++i) {
    Status st = db_->transact([&](core::Stores& s) { return s.accounts.upsert(person(i), kT0).status(); });
    EXPECT_TRUE(st.is_ok()) << i << ": " << st.to_string();
  }
  EXPECT_EQ(accounts(), 8);
}

TEST_P(DatabaseTransactionsTest, ReadOnlyDoesNotWaitForAWriterInProgress) {
  std::promise<void> written, release;
  std::thread writer([&] {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      MENTORING_RETURN_IF_ERROR(s.accounts.upsert(person(1), kT0).status());
      written.set_value();
      release.get_future().wait();
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  });
  written.get_future().wait();
  // The writer holds its transaction (and, on SQLite, the writers' queue)
  // open until released: a reader still answers, from before the write.
  auto reader = std::async(std::launch::async, [&] { return accounts(); });
  const bool answered = reader.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  EXPECT_TRUE(answered) << "the reader waited for the writer";
  release.set_value();
  EXPECT_EQ(reader.get(), 0);
  writer.join();
  EXPECT_EQ(accounts(), 1);
}

TEST_P(DatabaseTransactionsTest, ConcurrentWritersOnOnePoolAllCommit) {
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        Status st = db_->transact([&](core::Stores& s) -> Status {
          auto before = s.accounts.count();
          if (!before) return before.status();
          return s.accounts.upsert(person(t * kEach + i), kT0).status();
        });
        if (!st) failed++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(accounts(), kThreads * kEach);
}

TEST_P(DatabaseTransactionsTest, FindByTokenReadsASessionWithoutMovingItsIdleTimer) {
  std::int64_t accountid = 0, deploymentid = 0;
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                  auto a = s.accounts.upsert(person(1), kT0);
                  if (!a) return a.status();
                  accountid = a->id;
                  auto p = s.lti.upsert_platform({"https://portal.example.nhs.uk", "c", "https://p/auth", "",
                                                  "https://p/jwks", ""},
                                                 {"d"}, kT0);
                  if (!p) return p.status();
                  deploymentid = (*s.lti.find_deployment(p->id, "d"))->id;
                  core::SessionInput in;
                  in.token_hash = std::string(64, 'a');
                  in.accountid = accountid;
                  in.deploymentid = deploymentid;
                  in.capabilities = {"mentoring/mentee:participate"};
                  in.csrf_token = "csrf";
                  in.expires_at = kT0 + 100;
                  return s.sessions.create(in, kT0).status();
                }).is_ok());
  std::optional<core::Session> found, absent;
  ASSERT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                  auto f = s.sessions.find_by_token(std::string(64, 'a'));
                  if (!f) return f.status();
                  found = *f;
                  auto g = s.sessions.find_by_token(std::string(64, 'b'));
                  if (!g) return g.status();
                  absent = *g;
                  return Status::ok();
                }).is_ok());
  ASSERT_TRUE(found.has_value());
  EXPECT_FALSE(absent.has_value());
  EXPECT_EQ(found->accountid, accountid);
  EXPECT_EQ(found->last_seen_at, kT0);
  EXPECT_EQ(found->capabilities, std::vector<std::string>{"mentoring/mentee:participate"});
  // Ended sessions are returned too: deciding and deleting is touch()'s job.
  ASSERT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                  auto f = s.sessions.find_by_token(std::string(64, 'a'));
                  if (!f) return f.status();
                  EXPECT_TRUE(f->has_value());
                  return Status::ok();
                }).is_ok());
}

TEST_P(DatabaseTransactionsTest, SqliteWriterWaitingPastTheBusyTimeoutIsRefused) {
  if (is_postgres()) GTEST_SKIP() << "PostgreSQL writers wait on row locks, not on the busy timeout";
  ConnectionSettings quick = settings_;
  quick.busy_timeout_ms = 200;
  auto db = open(quick);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  std::promise<void> inside, release;
  std::thread holder([&] {
    Status st = (*db)->transact([&](core::Stores& s) -> Status {
      MENTORING_RETURN_IF_ERROR(s.accounts.upsert(person(1), kT0).status());
      inside.set_value();
      release.get_future().wait();
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  });
  inside.get_future().wait();
  Status second = (*db)->transact([&](core::Stores& s) { return s.accounts.upsert(person(2), kT0).status(); });
  EXPECT_EQ(second.reason(), "database_busy") << second.to_string();
  release.set_value();
  holder.join();
  EXPECT_EQ(accounts(), 1) << "the refused writer changed nothing";
}

TEST_P(DatabaseTransactionsTest, SqliteSynchronousSettingIsAppliedAndChecked) {
  if (is_postgres()) GTEST_SKIP() << "an SQLite setting";
  ConnectionSettings normal = settings_;
  normal.sqlite_synchronous = "normal";
  auto db = open(normal);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  int sync = -1;
  ASSERT_TRUE((*db)->with_session([&](soci::session& sql) {
                   sql << "PRAGMA synchronous", soci::into(sync);
                   return Status::ok();
                 }).is_ok());
  EXPECT_EQ(sync, 1) << "1 is NORMAL";
  ConnectionSettings bad = settings_;
  bad.sqlite_synchronous = "off";
  auto refused = open(bad);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().reason(), "sqlite_synchronous_invalid");
}

INSTANTIATE_TEST_SUITE_P(Backends, DatabaseTransactionsTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
