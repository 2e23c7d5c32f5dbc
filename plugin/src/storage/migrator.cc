#include "storage/migrator.h"

#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "storage/errors.h"

namespace mentoring::storage {
using core::Result;
using core::Status;

Status validate_table_prefix(std::string_view prefix) {
  bool ok = !prefix.empty() && prefix.size() <= 31 && prefix[0] >= 'a' && prefix[0] <= 'z';
  for (char c : prefix) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) ok = false;
  }
  if (ok) return Status::ok();
  return Status::invalid("table_prefix_invalid",
                         "The table prefix must be a lower-case letter followed by at most 30 lower-case letters, "
                         "digits or underscores.",
                         "table_prefix");
}

std::vector<std::string> split_sql_statements(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  bool has_code = false;  // whether `current` holds more than whitespace and comments
  auto flush = [&] {
    if (has_code) {
      std::size_t b = current.find_first_not_of(" \t\r\n");
      std::size_t e = current.find_last_not_of(" \t\r\n");
      out.push_back(current.substr(b, e - b + 1));
    }
    current.clear();
    has_code = false;
  };
  const std::size_t n = script.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = script[i];
    if (c == '-' && i + 1 < n && script[i + 1] == '-') {
      // A line comment: dropped, so a `;` or quote in it means nothing.
      while (i < n && script[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && script[i + 1] == '*') {
      std::size_t end = script.find("*/", i + 2);
      i = end == std::string_view::npos ? n : end + 2;
      current.push_back(' ');
      continue;
    }
    if (c == '\'' || c == '"') {
      // A literal or quoted identifier; a doubled quote inside is an escaped quote.
      std::size_t j = i + 1;
      while (j < n) {
        if (script[j] == c) {
          if (j + 1 < n && script[j + 1] == c) {
            j += 2;
            continue;
          }
          break;
        }
        ++j;
      }
      const std::size_t end = j < n ? j + 1 : n;
      current.append(script.substr(i, end - i));
      has_code = true;
      i = end;
      continue;
    }
    if (c == ';') {
      flush();
      ++i;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') has_code = true;
    current.push_back(c);
    ++i;
  }
  flush();
  return out;
}

std::string apply_table_prefix(std::string_view sql, std::string_view prefix) {
  static constexpr std::string_view kToken = "{prefix}";
  std::string out;
  out.reserve(sql.size());
  std::size_t pos = 0;
  while (true) {
    std::size_t hit = sql.find(kToken, pos);
    if (hit == std::string_view::npos) break;
    out.append(sql.substr(pos, hit - pos));
    out.append(prefix);
    pos = hit + kToken.size();
  }
  out.append(sql.substr(pos));
  return out;
}

Migrator::Migrator() : steps_(embedded_migrations()) {}

Migrator::Migrator(std::vector<EmbeddedMigration> steps) : steps_(std::move(steps)) {}

std::vector<EmbeddedMigration> Migrator::steps_for(Dialect dialect) const {
  std::vector<EmbeddedMigration> out;
  const std::string_view name = dialect_name(dialect);
  for (const auto& s : steps_) {
    if (name == s.dialect) out.push_back(s);
  }
  std::sort(out.begin(), out.end(),
            [](const EmbeddedMigration& a, const EmbeddedMigration& b) { return a.version < b.version; });
  return out;
}

int Migrator::latest_version(Dialect dialect) const {
  auto steps = steps_for(dialect);
  return steps.empty() ? 0 : steps.back().version;
}

namespace {

std::string migrations_table(const std::string& prefix) { return prefix + "schema_migrations"; }

// Reads the recorded version; the table may not exist yet.
int read_version(soci::session& sql, Dialect dialect, const std::string& prefix) {
  const std::string table = migrations_table(prefix);
  if (!table_exists(sql, dialect, table)) return 0;
  int version = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT MAX(version) FROM " + table, soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

Status newer_than_plugin(int recorded, int latest) {
  return Status::failed_precondition(
      "database_newer_than_plugin",
      "The database schema is at version " + std::to_string(recorded) + " but this build of the plugin knows "
          "versions up to " + std::to_string(latest) + "; upgrade the plugin or use another database.");
}

void rollback_quietly(soci::session& sql) {
  try {
    sql.rollback();
  } catch (...) {
    // The connection may be gone, in which case the server has rolled back.
  }
}

std::int64_t unix_now() {
  // The migration log records wall-clock time for people reading it; it takes
  // no part in any decision, so it does not go through the Clock port.
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<int> Migrator::current_version(soci::session& sql, Dialect dialect, const std::string& prefix) const {
  MENTORING_RETURN_IF_ERROR(validate_table_prefix(prefix));
  try {
    return read_version(sql, dialect, prefix);
  } catch (...) {
    return translate_current_exception("reading the schema version");
  }
}

Result<int> Migrator::migrate(soci::session& sql, Dialect dialect, const std::string& prefix) const {
  MENTORING_RETURN_IF_ERROR(validate_table_prefix(prefix));
  const std::vector<EmbeddedMigration> steps = steps_for(dialect);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].version <= 0 || (i > 0 && steps[i].version == steps[i - 1].version))
      return Status::internal("migration_list_invalid",
                              std::string("The migration steps for ") + dialect_name(dialect) +
                                  " have a duplicate or non-positive version (" + steps[i].name + ").");
  }
  const int latest = steps.empty() ? 0 : steps.back().version;
  const std::string table = migrations_table(prefix);

  // The bookkeeping table, under the same lock as the steps: two PostgreSQL
  // sessions running CREATE TABLE IF NOT EXISTS at once can still collide.
  try {
    begin_transaction(sql, dialect);
    lock_for_migration(sql, dialect, prefix);
    sql << "CREATE TABLE IF NOT EXISTS " + table +
               " (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL, applied_at BIGINT NOT NULL)";
    sql.commit();
  } catch (...) {
    Status st = translate_current_exception("creating the schema_migrations table");
    rollback_quietly(sql);
    return st;
  }

  int version = 0;
  try {
    version = read_version(sql, dialect, prefix);
  } catch (...) {
    return translate_current_exception("reading the schema version");
  }
  if (version > latest) return newer_than_plugin(version, latest);

  for (const EmbeddedMigration& step : steps) {
    if (step.version <= version) continue;
    const std::string label = std::string(step.name) + " (version " + std::to_string(step.version) + ")";
    try {
      begin_transaction(sql, dialect);
      lock_for_migration(sql, dialect, prefix);
      // Another instance may have moved on while this one waited for the lock.
      const int now_at = read_version(sql, dialect, prefix);
      if (now_at > latest) {
        rollback_quietly(sql);
        return newer_than_plugin(now_at, latest);
      }
      if (now_at >= step.version) {
        sql.commit();
        version = now_at;
        continue;
      }
      for (const std::string& statement : split_sql_statements(apply_table_prefix(step.sql, prefix))) {
        sql << statement;
      }
      const std::string name = step.name;
      const std::int64_t applied_at = unix_now();
      sql << "INSERT INTO " + table + " (version, name, applied_at) VALUES (:v, :n, :t)", soci::use(step.version),
          soci::use(name), soci::use(applied_at);
      sql.commit();
      version = step.version;
    } catch (...) {
      Status st = translate_current_exception("");
      rollback_quietly(sql);
      std::string detail = st.message();
      while (!detail.empty() && detail.back() == '.') detail.pop_back();
      // Unavailable stays retryable; anything else is a defect in the step or the database.
      const core::Code code = st.code() == core::Code::kUnavailable ? st.code() : core::Code::kInternal;
      return Status(code, "migration_step_failed",
                    "Migration step " + label + " failed and was rolled back, leaving the schema at version " +
                        std::to_string(version) + ": " + detail + ".");
    }
  }
  return version;
}

}  // namespace mentoring::storage
