#include "storage/dialect.h"

#include <soci/soci.h>

#include <algorithm>

namespace mentoring::storage {

const char* dialect_name(Dialect d) { return d == Dialect::kSqlite ? "sqlite" : "postgresql"; }

void configure_session(soci::session& sql, Dialect d, int busy_timeout_ms, const std::string& sqlite_synchronous) {
  if (d == Dialect::kSqlite) {
    // busy_timeout first: switching to WAL needs a lock another pooled
    // connection may hold for a moment.
    sql << "PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms);
    sql << "PRAGMA foreign_keys = ON";
    std::string mode;
    sql << "PRAGMA journal_mode = WAL", soci::into(mode);
    // FULL: a commit reported to the host survives a power cut. NORMAL (an
    // operator's choice): with WAL a commit survives a crash of the process
    // but not necessarily a power cut; the file is never corrupted.
    sql << (sqlite_synchronous == "normal" ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL");
  } else {
    // CREATE ... IF NOT EXISTS and friends would otherwise print NOTICEs on
    // the host's stderr through libpq's default notice processor.
    sql << "SET client_min_messages = warning";
  }
}

void begin_transaction(soci::session& sql, Dialect d) {
  if (d == Dialect::kSqlite) {
    sql << "BEGIN IMMEDIATE";
  } else {
    sql.begin();
  }
}

void begin_read_only_transaction(soci::session& sql, Dialect d) {
  if (d == Dialect::kSqlite) {
    sql << "PRAGMA query_only = ON";
    sql << "BEGIN";
  } else {
    sql << "START TRANSACTION READ ONLY";
  }
}

void end_read_only_transaction(soci::session& sql, Dialect d) {
  if (d == Dialect::kSqlite) sql << "PRAGMA query_only = OFF";
}

namespace {
// FNV-1a: a stable 64-bit key for the advisory lock, so instances with
// different table prefixes in one database do not wait for each other.
std::int64_t lock_key(const std::string& table_prefix) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : "mentoring_migrate:" + table_prefix) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(h);
}
}  // namespace

void lock_for_migration(soci::session& sql, Dialect d, const std::string& table_prefix) {
  if (d != Dialect::kPostgresql) return;
  const std::int64_t key = lock_key(table_prefix);
  // pg_advisory_xact_lock returns void, which SOCI cannot fetch: select a constant.
  int one = 0;
  sql << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(:k)) AS l", soci::use(key), soci::into(one);
}

bool table_exists(soci::session& sql, Dialect d, const std::string& table) {
  int n = 0;
  if (d == Dialect::kSqlite) {
    sql << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t", soci::use(table),
        soci::into(n);
  } else {
    sql << "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = :t",
        soci::use(table), soci::into(n);
  }
  return n > 0;
}

std::vector<std::string> list_tables(soci::session& sql, Dialect d) {
  std::vector<std::string> out;
  std::string name;
  soci::statement st = d == Dialect::kSqlite
                           ? (sql.prepare << "SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%'",
                              soci::into(name))
                           : (sql.prepare << "SELECT tablename FROM pg_catalog.pg_tables "
                                             "WHERE schemaname = current_schema()",
                              soci::into(name));
  st.execute();
  while (st.fetch()) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::string date_as_text(Dialect d, std::string_view column) {
  if (d == Dialect::kSqlite) return std::string(column);
  // Not a plain cast: the text form of DATE follows the session's DateStyle.
  return "to_char(" + std::string(column) + ", 'YYYY-MM-DD')";
}

}  // namespace mentoring::storage
