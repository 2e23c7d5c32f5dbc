// Everything that differs between the SQLite and the PostgreSQL SQL the
// storage layer sends, in one place. The stores write portable SQL (both
// SQLite 3.40 and PostgreSQL 15 accept INSERT ... ON CONFLICT ... RETURNING)
// and ask this file for the rest.
//
// These functions talk to the driver directly and may throw soci::soci_error;
// callers catch and translate with storage/errors.h.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace mentoring::storage {

enum class Dialect { kSqlite, kPostgresql };

// "sqlite" or "postgresql": the folder name under schema/ and the
// EmbeddedMigration::dialect value.
const char* dialect_name(Dialect d);

// Per-connection settings, applied after every (re)connect. SQLite: WAL,
// foreign keys, busy timeout, synchronous=FULL (or NORMAL when
// `sqlite_synchronous` is "normal"). PostgreSQL: quiet notices.
void configure_session(soci::session& sql, Dialect d, int busy_timeout_ms,
                       const std::string& sqlite_synchronous = "full");
// SQLite read-only transactions: BEGIN (deferred) with query_only set, and
// its undoing after COMMIT or ROLLBACK. PostgreSQL: START TRANSACTION READ ONLY.
void begin_read_only_transaction(soci::session& sql, Dialect d);
void end_read_only_transaction(soci::session& sql, Dialect d);

// Starts a read-write transaction. SQLite takes the write lock at BEGIN
// (BEGIN IMMEDIATE) so concurrent writers queue on the busy timeout instead of
// failing with SQLITE_BUSY when a reader upgrades to a writer.
void begin_transaction(soci::session& sql, Dialect d);

// Serialises schema migrations between processes for the current
// transaction. PostgreSQL: a transaction-scoped advisory lock keyed on the
// table prefix. SQLite: nothing (BEGIN IMMEDIATE already excludes writers).
void lock_for_migration(soci::session& sql, Dialect d, const std::string& table_prefix);

// Whether a table of that exact name exists (in the current schema for
// PostgreSQL). Does not raise an error on PostgreSQL, so it is safe inside a
// transaction that must not abort.
bool table_exists(soci::session& sql, Dialect d, const std::string& table);

// Every table name in the database (current schema for PostgreSQL), sorted.
std::vector<std::string> list_tables(soci::session& sql, Dialect d);

// An SQL expression reading the date column `column` as YYYY-MM-DD text.
std::string date_as_text(Dialect d, std::string_view column);

}  // namespace mentoring::storage
