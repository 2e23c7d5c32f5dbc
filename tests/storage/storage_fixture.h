// Shared set-up for the storage tests: one test body runs on every backend.
//
// SQLite: each test gets a fresh temporary directory and database file.
// PostgreSQL: runs when MENTORING_TEST_POSTGRES_URL names a server (see
// scripts/pg-test-server); each test gets a random table prefix and drops its
// tables afterwards, so tests never see each other's rows. Without the
// variable the PostgreSQL cases are skipped, or fail when
// MENTORING_REQUIRE_POSTGRES=1 (CI sets it so a missing server is noticed).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/database.h"

namespace mentoring::storage::testing {

// The environment's PostgreSQL URL, or "" when unset.
std::string postgres_url();
bool postgres_required();

// "t" + 10 random hex digits + "_": a fresh table prefix.
std::string random_prefix();

// A temporary directory removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Drops every table whose name starts with `prefix`.
core::Status drop_tables_with_prefix(SociDatabase& db, const std::string& prefix);

// Table names (all of them) in `db`.
std::vector<std::string> table_names(SociDatabase& db);

// The parameter is the backend: "sqlite" or "postgresql".
class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool is_postgres() const { return GetParam() == "postgresql"; }
  // Settings for this test's database (fresh file or fresh prefix).
  ConnectionSettings settings_;
  // Opens another handle on this test's database with these settings.
  core::Result<std::unique_ptr<SociDatabase>> open(const ConnectionSettings& settings);
  core::Result<std::unique_ptr<SociDatabase>> open() { return open(settings_); }

 private:
  std::unique_ptr<TempDir> dir_;
};

// Prints "sqlite"/"postgresql" in test names.
std::string backend_name(const ::testing::TestParamInfo<std::string>& info);

}  // namespace mentoring::storage::testing
