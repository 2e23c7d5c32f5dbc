// Opening a database: URLs, settings and the errors a person sees when the
// file or server is not what it should be.
#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using testing::TempDir;

core::Result<std::unique_ptr<SociDatabase>> open_url(const std::string& url) {
  ConnectionSettings s;
  s.url = url;
  return open_database(s);
}

bool mentions(const core::Status& st, const std::string& text) {
  return st.message().find(text) != std::string::npos;
}

TEST(DatabaseOpenTest, SqliteFileIsCreatedAndAnswers) {
  TempDir dir;
  auto db = open_url("sqlite3:" + dir.path() + "/new.db");
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  EXPECT_EQ((*db)->dialect(), Dialect::kSqlite);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/new.db"));
  EXPECT_EQ((*db)->description(), dir.path() + "/new.db");
  auto v = (*db)->schema_version();
  ASSERT_TRUE(v.is_ok());
  EXPECT_EQ(*v, 0);
}

TEST(DatabaseOpenTest, SqliteSessionsUseWalAndForeignKeys) {
  TempDir dir;
  ConnectionSettings s;
  s.url = "sqlite:" + dir.path() + "/with space.db";
  s.pool_size = 3;
  s.busy_timeout_ms = 1234;
  auto db = open_database(s);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  // Lease every session at once so each one is checked.
  std::vector<std::string> seen;
  std::mutex mu;
  std::vector<std::thread> threads;
  std::atomic<int> inside{0};
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      core::Status st = (*db)->with_session([&](soci::session& sql) {
        inside++;
        while (inside.load() < 3) std::this_thread::yield();
        std::string mode;
        int fk = 0, timeout = 0, sync = 0;
        sql << "PRAGMA journal_mode", soci::into(mode);
        sql << "PRAGMA foreign_keys", soci::into(fk);
        sql << "PRAGMA busy_timeout", soci::into(timeout);
        sql << "PRAGMA synchronous", soci::into(sync);
        std::lock_guard<std::mutex> lock(mu);
        seen.push_back(mode + "," + std::to_string(fk) + "," + std::to_string(timeout) + "," + std::to_string(sync));
        return core::Status::ok();
      });
      EXPECT_TRUE(st.is_ok()) << st.to_string();
    });
  }
  for (auto& t : threads) t.join();
  // synchronous: 2 is FULL.
  EXPECT_EQ(seen, (std::vector<std::string>(3, "wal,1,1234,2")));
}

TEST(DatabaseOpenTest, RelativeSqlitePathIsTakenFromTheWorkingDirectory) {
  TempDir dir;
  const auto old = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto db = open_url("sqlite3:relative.db");
  std::filesystem::current_path(old);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  EXPECT_EQ((*db)->description(), dir.path() + "/relative.db");
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/relative.db"));
}

TEST(DatabaseOpenTest, MissingDirectoryIsNamed) {
  TempDir dir;
  auto db = open_url("sqlite3:" + dir.path() + "/no/such/dir/x.db");
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(db.status().reason(), "database_directory_missing");
  EXPECT_TRUE(mentions(db.status(), dir.path() + "/no/such/dir")) << db.status().message();
  EXPECT_TRUE(mentions(db.status(), "does not exist")) << db.status().message();
}

TEST(DatabaseOpenTest, GarbageFileIsReportedAsNotADatabase) {
  TempDir dir;
  const std::string path = dir.path() + "/garbage.db";
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 7919 + 13) & 0xff));
  }
  auto db = open_url("sqlite3:" + path);
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(db.status().reason(), "database_corrupt");
  EXPECT_TRUE(mentions(db.status(), path)) << db.status().message();
}

TEST(DatabaseOpenTest, DirectoryInPlaceOfTheFileIsNamed) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() + "/db");
  auto db = open_url("sqlite3:" + dir.path() + "/db");
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.status().reason(), "database_path_is_directory");
  EXPECT_TRUE(mentions(db.status(), dir.path() + "/db"));
}

TEST(DatabaseOpenTest, UnreadableFileIsNamed) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file; permission checks cannot fail";
  TempDir dir;
  const std::string path = dir.path() + "/locked.db";
  { std::ofstream out(path); }
  std::filesystem::permissions(path, std::filesystem::perms::none);
  auto db = open_url("sqlite3:" + path);
  ASSERT_FALSE(db.is_ok());
  EXPECT_EQ(db.status().reason(), "database_file_unreadable");
  EXPECT_TRUE(mentions(db.status(), path));
}

TEST(DatabaseOpenTest, UnsupportedUrlsAreRefusedNamingTheAcceptedForms) {
  for (const std::string url : {"", "mysql://localhost/x", "sqlite3:", "sqlite3::memory:", "/var/lib/x.db",
                                 "postgresql://[bad", "sqlite3:/tmp/quo\"te.db"}) {
    auto db = open_url(url);
    ASSERT_FALSE(db.is_ok()) << url;
    EXPECT_EQ(db.status().code(), Code::kInvalidArgument) << url;
    EXPECT_EQ(db.status().reason(), "database_url_invalid") << url;
    EXPECT_TRUE(mentions(db.status(), "sqlite3:<path>")) << db.status().message();
    EXPECT_TRUE(mentions(db.status(), "postgresql://")) << db.status().message();
  }
}

TEST(DatabaseOpenTest, SettingsOutsideTheirRangesAreRefused) {
  TempDir dir;
  ConnectionSettings s;
  s.url = "sqlite3:" + dir.path() + "/x.db";
  s.table_prefix = "Mentoring";
  EXPECT_EQ(open_database(s).status().reason(), "table_prefix_invalid");
  s.table_prefix = "mentoring_";
  s.pool_size = 0;
  EXPECT_EQ(open_database(s).status().reason(), "pool_size_invalid");
  s.pool_size = 4;
  s.busy_timeout_ms = -1;
  EXPECT_EQ(open_database(s).status().reason(), "busy_timeout_invalid");
}

TEST(DatabaseOpenTest, UnreachablePostgresNamesHostAndPortButNotThePassword) {
  // Port 1 on the loopback address: nothing listens, the connection is refused at once.
  for (const std::string scheme : {"postgresql", "postgres"}) {
    auto db = open_url(scheme + "://mentoring:sekr3t-pass@127.0.0.1:1/mentoring");
    ASSERT_FALSE(db.is_ok());
    EXPECT_EQ(db.status().code(), Code::kUnavailable);
    EXPECT_EQ(db.status().reason(), "database_unreachable");
    EXPECT_TRUE(mentions(db.status(), "127.0.0.1:1")) << db.status().message();
    EXPECT_FALSE(mentions(db.status(), "sekr3t-pass")) << db.status().message();
    // libpq's own reason comes through.
    EXPECT_TRUE(mentions(db.status(), "refused")) << db.status().message();
  }
}

TEST(DatabaseOpenTest, PostgresUrlFromTheEnvironmentConnects) {
  const std::string url = testing::postgres_url();
  if (url.empty()) {
    if (testing::postgres_required()) FAIL() << "MENTORING_REQUIRE_POSTGRES=1 but MENTORING_TEST_POSTGRES_URL is not set";
    GTEST_SKIP() << "MENTORING_TEST_POSTGRES_URL is not set";
  }
  auto db = open_url(url);
  ASSERT_TRUE(db.is_ok()) << db.status().to_string();
  EXPECT_EQ((*db)->dialect(), Dialect::kPostgresql);
  EXPECT_EQ((*db)->description().rfind("PostgreSQL at ", 0), 0u) << (*db)->description();
  EXPECT_TRUE((*db)->with_session([](soci::session& sql) {
                      int one = 0;
                      sql << "SELECT 1", soci::into(one);
                      return one == 1 ? core::Status::ok() : core::Status::internal("wrong", "SELECT 1 was not 1.");
                    })
                  .is_ok());
}

}  // namespace
}  // namespace mentoring::storage
