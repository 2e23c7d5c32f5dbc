// Schema migrations: the versioned steps in schema/<dialect>/NNNN_name.sql,
// compiled into the library (storage/embedded_schema.h), applied in version
// order. Each step runs in its own transaction together with the row that
// records it in `{prefix}schema_migrations`, so a step is either wholly
// applied and recorded or not at all. On PostgreSQL each step also holds an
// advisory lock, so two instances starting together apply every step once.
//
// Rules for steps (see docs/schema.md): a landed step is never edited; both
// dialects carry the same version numbers; statements end with `;`; the text
// `{prefix}` stands for the table prefix; no `:` outside string literals
// (SOCI would read it as a bind parameter) and no dollar-quoted strings.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/dialect.h"
#include "storage/embedded_schema.h"

namespace soci {
class session;
}

namespace mentoring::storage {

// OK when `prefix` matches [a-z][a-z0-9_]{0,30}; invalid_argument
// "table_prefix_invalid" otherwise. The prefix is pasted into SQL, so this
// check is what keeps it from being an injection.
core::Status validate_table_prefix(std::string_view prefix);

// Splits a script into statements at `;` outside '...' and "..." literals,
// -- line comments and /* block comments */. Statements holding nothing but
// whitespace and comments are dropped; the rest are returned trimmed.
std::vector<std::string> split_sql_statements(std::string_view script);

// Replaces every `{prefix}` in `sql`.
std::string apply_table_prefix(std::string_view sql, std::string_view prefix);

class Migrator {
 public:
  // The steps compiled into this build.
  Migrator();
  // Any list of steps (of either dialect, in any order): lets tests add a
  // step that fails half-way.
  explicit Migrator(std::vector<EmbeddedMigration> steps);

  // Applies every step of `dialect` above the recorded version, in order;
  // returns the version reached. Fails with
  //   failed_precondition "database_newer_than_plugin" when the database
  //     records a version above the newest step known here (nothing is run);
  //   "migration_step_failed" (with the driver's code) naming the step when a
  //     step fails; that step is rolled back entirely, earlier steps stay.
  // `sql` must not be inside a transaction.
  core::Result<int> migrate(soci::session& sql, Dialect dialect, const std::string& prefix) const;

  // The highest recorded version, 0 for a database never migrated. Does not
  // judge it; see SociDatabase::schema_version for that.
  core::Result<int> current_version(soci::session& sql, Dialect dialect, const std::string& prefix) const;

  // The newest step known for `dialect`, 0 when there is none.
  int latest_version(Dialect dialect) const;

 private:
  std::vector<EmbeddedMigration> steps_for(Dialect dialect) const;

  std::vector<EmbeddedMigration> steps_;
};

}  // namespace mentoring::storage
