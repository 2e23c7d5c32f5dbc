// Schema migrations, on SQLite and (when configured) PostgreSQL.
#include "storage/migrator.h"

#include <soci/soci.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "storage/embedded_schema.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::Status;
using testing::BackendTest;

class MigrationTest : public BackendTest {
 protected:
  std::unique_ptr<SociDatabase> open_ok(const ConnectionSettings& settings) {
    auto db = open(settings);
    EXPECT_TRUE(db.is_ok()) << db.status().to_string();
    return db ? std::move(db).value() : nullptr;
  }

  // (version, name) rows of the schema_migrations table.
  std::map<int, std::string> recorded(SociDatabase& db) {
    std::map<int, std::string> rows;
    Status st = db.with_session([&](soci::session& sql) {
      int version = 0;
      std::string name;
      soci::statement q = (sql.prepare << "SELECT version, name FROM " + db.table_prefix() + "schema_migrations",
                           soci::into(version), soci::into(name));
      q.execute();
      while (q.fetch()) rows[version] = name;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return rows;
  }

  bool has_table(SociDatabase& db, const std::string& name) {
    auto names = testing::table_names(db);
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  // The embedded steps of this backend's dialect, by version.
  std::map<int, std::string> embedded(Dialect d) {
    std::map<int, std::string> out;
    for (const auto& m : embedded_migrations())
      if (std::string(m.dialect) == dialect_name(d)) out[m.version] = m.name;
    return out;
  }
};

TEST_P(MigrationTest, FreshDatabaseMigratesToTheLatestVersionAndRecordsEachStep) {
  auto db = open_ok(settings_);
  ASSERT_TRUE(db);
  auto before = db->schema_version();
  ASSERT_TRUE(before.is_ok()) << before.status().to_string();
  EXPECT_EQ(*before, 0);
  Status not_ready = db->check_ready();
  EXPECT_EQ(not_ready.reason(), "schema_out_of_date");

  auto v = db->migrate();
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  const auto steps = embedded(db->dialect());
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(*v, steps.rbegin()->first);
  EXPECT_EQ(db->latest_schema_version(), *v);
  EXPECT_EQ(recorded(*db), steps);
  auto after = db->schema_version();
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(*after, *v);
  EXPECT_TRUE(db->check_ready().is_ok());
  for (const char* table : {"accounts", "schemes", "cohorts", "enrolments"})
    EXPECT_TRUE(has_table(*db, settings_.table_prefix + table)) << table;
}

TEST_P(MigrationTest, RunningMigrateAgainChangesNothing) {
  auto db = open_ok(settings_);
  ASSERT_TRUE(db);
  auto first = db->migrate();
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  Status wrote = db->transact([](core::Stores& s) {
    return s.accounts.upsert({"https://portal.example.nhs.uk", "sub-1", "Dr A", ""}, 1).status();
  });
  ASSERT_TRUE(wrote.is_ok()) << wrote.to_string();
  const auto rows = recorded(*db);

  // A second handle, as a restarted plugin would have.
  auto again_db = open_ok(settings_);
  ASSERT_TRUE(again_db);
  auto second = again_db->migrate();
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(recorded(*again_db), rows);
  std::int64_t n = 0;
  Status counted = again_db->transact([&](core::Stores& s) {
    auto c = s.accounts.count();
    if (c) n = *c;
    return c.status();
  });
  ASSERT_TRUE(counted.is_ok());
  EXPECT_EQ(n, 1);
}

TEST_P(MigrationTest, DatabaseNewerThanThePluginIsRefused) {
  auto db = open_ok(settings_);
  ASSERT_TRUE(db);
  auto v = db->migrate();
  ASSERT_TRUE(v.is_ok());
  const int future = *v + 5;
  Status st = db->with_session([&](soci::session& sql) {
    sql << "INSERT INTO " + settings_.table_prefix +
               "schema_migrations (version, name, applied_at) VALUES (:v, 'from_the_future', 1)",
        soci::use(future);
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();

  auto refused = db->migrate();
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(refused.status().reason(), "database_newer_than_plugin");
  EXPECT_NE(refused.status().message().find(std::to_string(future)), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find(std::to_string(*v)), std::string::npos) << refused.status().message();

  auto version = db->schema_version();
  EXPECT_EQ(version.status().reason(), "database_newer_than_plugin");
  EXPECT_EQ(db->check_ready().reason(), "database_newer_than_plugin");
}

TEST_P(MigrationTest, AFailingStepLeavesNoHalfAppliedSchema) {
  auto db = open_ok(settings_);
  ASSERT_TRUE(db);
  auto v = db->migrate();
  ASSERT_TRUE(v.is_ok());

  std::vector<EmbeddedMigration> steps = embedded_migrations();
  const char* dialect = dialect_name(db->dialect());
  const int broken_version = *v + 1;
  steps.push_back({dialect, broken_version, "9999_broken",
                   "CREATE TABLE {prefix}widgets (id INTEGER PRIMARY KEY, label VARCHAR(20) NOT NULL);\n"
                   "INSERT INTO {prefix}widgets (id, label) VALUES (1, 'first; with a semicolon');\n"
                   "INSERT INTO {prefix}no_such_table (id) VALUES (1);\n"});
  auto failed = db->migrate_with(Migrator(steps));
  ASSERT_FALSE(failed.is_ok());
  EXPECT_EQ(failed.status().reason(), "migration_step_failed");
  EXPECT_NE(failed.status().message().find("9999_broken"), std::string::npos) << failed.status().message();

  EXPECT_FALSE(has_table(*db, settings_.table_prefix + "widgets"));
  auto after = db->schema_version();
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(*after, *v);
  EXPECT_EQ(recorded(*db).count(broken_version), 0u);
}

TEST_P(MigrationTest, StepsAfterTheRecordedVersionAreAppliedInOrder) {
  auto db = open_ok(settings_);
  ASSERT_TRUE(db);
  auto v = db->migrate();
  ASSERT_TRUE(v.is_ok());
  std::vector<EmbeddedMigration> steps = embedded_migrations();
  const char* dialect = dialect_name(db->dialect());
  // Listed out of order on purpose: the migrator sorts by version.
  steps.push_back({dialect, *v + 2, "0102_second", "INSERT INTO {prefix}gadgets (id) VALUES (2);"});
  steps.push_back({dialect, *v + 1, "0101_first", "CREATE TABLE {prefix}gadgets (id INTEGER PRIMARY KEY);"});
  auto later = db->migrate_with(Migrator(steps));
  ASSERT_TRUE(later.is_ok()) << later.status().to_string();
  EXPECT_EQ(*later, *v + 2);
  auto rows = recorded(*db);
  EXPECT_EQ(rows[*v + 1], "0101_first");
  EXPECT_EQ(rows[*v + 2], "0102_second");
  // This build's own migrator now sees a newer database.
  EXPECT_EQ(db->schema_version().status().reason(), "database_newer_than_plugin");
}

TEST_P(MigrationTest, TheTablePrefixIsAppliedToEveryTable) {
  settings_.table_prefix = testing::random_prefix();  // TearDown drops this prefix on PostgreSQL
  auto db = open_ok(settings_);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->migrate().is_ok());
  std::set<std::string> mine;
  for (const auto& t : testing::table_names(*db))
    if (t.compare(0, settings_.table_prefix.size(), settings_.table_prefix) == 0) mine.insert(t);
  const std::string& p = settings_.table_prefix;
  // One table from each migration, at least; the SQLite check below proves
  // that nothing was created without the prefix.
  for (const char* table : {"schema_migrations", "accounts", "cohorts", "enrolments", "schemes", "lti_platforms",
                            "lti_nonces", "sessions", "objectives", "governance", "mentee_profiles",
                            "agreement_templates"})
    EXPECT_TRUE(mine.count(p + table)) << "missing " << p + table;
  if (!is_postgres()) {
    // The file holds nothing else: no table escaped the prefix.
    auto all = testing::table_names(*db);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), mine);
  } else {
    EXPECT_FALSE(has_table(*db, "mentoring_accounts") && !has_table(*db, p + "accounts"));
  }
  Status wrote = db->transact([](core::Stores& s) {
    return s.accounts.upsert({"https://portal.example.nhs.uk", "sub-1", "Dr A", ""}, 1).status();
  });
  EXPECT_TRUE(wrote.is_ok()) << wrote.to_string();
}

TEST_P(MigrationTest, TwoInstancesMigratingAtOnceApplyEachStepOnce) {
  auto a = open_ok(settings_);
  auto b = open_ok(settings_);
  ASSERT_TRUE(a && b);
  core::Result<int> ra = Status::internal("unset", "unset"), rb = Status::internal("unset", "unset");
  std::thread ta([&] { ra = a->migrate(); });
  std::thread tb([&] { rb = b->migrate(); });
  ta.join();
  tb.join();
  ASSERT_TRUE(ra.is_ok()) << ra.status().to_string();
  ASSERT_TRUE(rb.is_ok()) << rb.status().to_string();
  EXPECT_EQ(*ra, *rb);
  EXPECT_EQ(recorded(*a), embedded(a->dialect()));
}

INSTANTIATE_TEST_SUITE_P(Backends, MigrationTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

TEST(EmbeddedMigrationsTest, BothDialectsHaveTheSameVersionNumbers) {
  std::set<int> sqlite, postgresql;
  for (const auto& m : embedded_migrations()) {
    const std::string d = m.dialect;
    ASSERT_TRUE(d == "sqlite" || d == "postgresql") << d;
    auto& set = d == "sqlite" ? sqlite : postgresql;
    EXPECT_TRUE(set.insert(m.version).second) << "duplicate version " << m.version << " in " << d;
  }
  EXPECT_FALSE(sqlite.empty());
  EXPECT_EQ(sqlite, postgresql);
}

TEST(SplitSqlStatementsTest, SplitsOnSemicolonsOutsideLiteralsAndComments) {
  auto parts = split_sql_statements(
      "-- a comment; with a semicolon and a quote '\n"
      "CREATE TABLE a (x TEXT DEFAULT 'it''s; fine');\n"
      "/* block; comment */ INSERT INTO \"we;ird\" VALUES ('a;b');\n"
      "  ;  ; -- nothing here\n"
      "SELECT 1");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x TEXT DEFAULT 'it''s; fine')");
  EXPECT_EQ(parts[1], "INSERT INTO \"we;ird\" VALUES ('a;b')");
  EXPECT_EQ(parts[2], "SELECT 1");
}

TEST(SplitSqlStatementsTest, EveryEmbeddedStepSplitsIntoStatementsThatAllNameTheirTablesWithThePrefix) {
  for (const auto& m : embedded_migrations()) {
    auto parts = split_sql_statements(m.sql);
    EXPECT_FALSE(parts.empty()) << m.name;
    for (const auto& p : parts) {
      EXPECT_NE(p.find("{prefix}"), std::string::npos) << m.dialect << "/" << m.name << ": " << p;
      EXPECT_EQ(p.find(':'), std::string::npos) << "SOCI would bind ':' in " << m.name << ": " << p;
    }
  }
}

TEST(TablePrefixTest, OnlyLowerCaseIdentifiersOfAtMost31CharactersAreAccepted) {
  EXPECT_TRUE(validate_table_prefix("mentoring_").is_ok());
  EXPECT_TRUE(validate_table_prefix("m").is_ok());
  EXPECT_TRUE(validate_table_prefix(std::string(31, 'a')).is_ok());
  for (const std::string bad : {"", "1abc", "_abc", "Abc", "ab-c", "ab c", "a;drop", std::string(32, 'a').c_str()}) {
    Status st = validate_table_prefix(bad);
    EXPECT_EQ(st.reason(), "table_prefix_invalid") << "'" << bad << "'";
  }
  EXPECT_EQ(apply_table_prefix("x {prefix}a {prefix}b", "p_"), "x p_a p_b");
}

}  // namespace
}  // namespace mentoring::storage
