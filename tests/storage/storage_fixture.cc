#include "tests/storage/storage_fixture.h"

#include <soci/soci.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "storage/dialect.h"

namespace mentoring::storage::testing {

std::string postgres_url() {
  const char* v = std::getenv("MENTORING_TEST_POSTGRES_URL");
  return v ? std::string(v) : std::string();
}

bool postgres_required() {
  const char* v = std::getenv("MENTORING_REQUIRE_POSTGRES");
  return v && std::string(v) == "1";
}

std::string random_prefix() {
  std::random_device rd;
  std::uniform_int_distribution<int> hex(0, 15);
  std::string p = "t";
  for (int i = 0; i < 10; ++i) p.push_back("0123456789abcdef"[hex(rd)]);
  return p + "_";
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "mentoring-storage-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed for " << tmpl;
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> table_names(SociDatabase& db) {
  std::vector<std::string> names;
  core::Status st = db.with_session([&](soci::session& sql) {
    names = list_tables(sql, db.dialect());
    return core::Status::ok();
  });
  EXPECT_TRUE(st.is_ok()) << st.to_string();
  return names;
}

core::Status drop_tables_with_prefix(SociDatabase& db, const std::string& prefix) {
  return db.with_session([&](soci::session& sql) {
    for (const std::string& t : list_tables(sql, db.dialect())) {
      if (t.compare(0, prefix.size(), prefix) != 0) continue;
      sql << "DROP TABLE IF EXISTS " + t + (db.dialect() == Dialect::kPostgresql ? " CASCADE" : "");
    }
    return core::Status::ok();
  });
}

void BackendTest::SetUp() {
  if (is_postgres()) {
    const std::string url = postgres_url();
    if (url.empty()) {
      if (postgres_required()) {
        FAIL() << "MENTORING_REQUIRE_POSTGRES=1 but MENTORING_TEST_POSTGRES_URL is not set";
      }
      GTEST_SKIP() << "MENTORING_TEST_POSTGRES_URL is not set; start one with scripts/pg-test-server";
    }
    settings_.url = url;
    settings_.table_prefix = random_prefix();
  } else {
    dir_ = std::make_unique<TempDir>();
    settings_.url = "sqlite3:" + dir_->path() + "/mentoring.db";
  }
}

void BackendTest::TearDown() {
  if (is_postgres() && !settings_.url.empty()) {
    auto db = open(settings_);
    if (db) {
      core::Status st = drop_tables_with_prefix(**db, settings_.table_prefix);
      EXPECT_TRUE(st.is_ok()) << st.to_string();
    }
  }
  dir_.reset();
}

core::Result<std::unique_ptr<SociDatabase>> BackendTest::open(const ConnectionSettings& settings) {
  return open_database(settings);
}

std::string backend_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace mentoring::storage::testing
