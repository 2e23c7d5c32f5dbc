#include "storage/errors.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <exception>
#include <new>
#include <string>

namespace mentoring::storage {
using core::Status;

namespace {

// SQLite primary result codes (sqlite3.h), listed here so this file does not
// need the SQLite headers for a handful of numbers.
constexpr int kSqliteBusy = 5;
constexpr int kSqliteLocked = 6;
constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteIoErr = 10;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteCantOpen = 14;
constexpr int kSqliteConstraint = 19;
constexpr int kSqliteNotADb = 26;

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// The driver's own words, without SOCI's "while executing ... with :x=..."
// context (parameter values may be personal data) and on one line.
std::string driver_message(const soci::soci_error& e) {
  std::string m = e.get_error_message();
  // SOCI's PostgreSQL backend prefixes "Cannot execute query. Fatal error.",
  // and its connect error puts libpq's reason on the next line.
  for (std::string_view noise : {"Cannot execute query. Fatal error.", "Cannot establish connection to the database."}) {
    if (m.compare(0, noise.size(), noise) == 0) m.erase(0, noise.size());
  }
  while (!m.empty() && (m.front() == '\n' || m.front() == ' ')) m.erase(0, 1);
  // Keep the first line only: PostgreSQL's DETAIL line quotes key values.
  if (auto nl = m.find('\n'); nl != std::string::npos) m.erase(nl);
  if (m.compare(0, 8, "ERROR:  ") == 0) m.erase(0, 8);
  while (!m.empty() && (m.back() == ' ' || m.back() == '.')) m.pop_back();
  return m.empty() ? std::string("no message from the driver") : m;
}

std::string sentence(std::string_view doing, std::string_view what) {
  std::string s;
  if (!doing.empty()) {
    s.append(doing);
    s.append(": ");
  }
  s.append(what);
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  if (s.empty() || s.back() != '.') s.push_back('.');
  return s;
}

Status connection_lost(std::string_view doing, const std::string& msg) {
  return Status::unavailable("database_connection_lost",
                             sentence(doing, "the database connection failed (" + msg + ")"));
}

Status from_postgresql(const soci::postgresql_soci_error& e, std::string_view doing) {
  const std::string state = e.sqlstate();
  const std::string msg = driver_message(e);
  if (state == "23505")
    return Status::already_exists("duplicate_record", sentence(doing, "a record with the same unique key already exists"));
  if (state == "23503") {
    if (contains(e.get_error_message(), "update or delete on table"))
      return Status::failed_precondition("record_in_use", sentence(doing, "other records still refer to this one"));
    return Status::not_found("referenced_record_not_found", sentence(doing, "a record it refers to does not exist"));
  }
  if (state == "40001" || state == "40P01")
    return Status::conflict("transaction_conflict",
                            sentence(doing, "the transaction clashed with another one; try again"));
  if (state == "55P03" || state == "57014")
    return Status::unavailable("database_busy", sentence(doing, "the database is busy (" + msg + ")"));
  if (state.compare(0, 2, "08") == 0 || state == "57P01" || state == "57P02" || state == "57P03" ||
      state.compare(0, 2, "53") == 0 || e.get_error_category() == soci::soci_error::connection_error)
    return connection_lost(doing, msg);
  return Status::internal("database_error", sentence(doing, "the database reported an error (" + msg + ")"));
}

Status from_sqlite(const soci::sqlite3_soci_error& e, std::string_view doing) {
  const std::string msg = driver_message(e);
  switch (e.result() & 0xff) {
    case kSqliteConstraint:
      if (contains(msg, "UNIQUE constraint failed") || contains(msg, "PRIMARY KEY"))
        return Status::already_exists("duplicate_record",
                                      sentence(doing, "a record with the same unique key already exists"));
      if (contains(msg, "FOREIGN KEY constraint failed"))
        return Status::not_found("referenced_record_not_found", sentence(doing, "a record it refers to does not exist"));
      break;
    case kSqliteBusy:
    case kSqliteLocked:
      return Status::unavailable("database_busy",
                                 sentence(doing, "the database stayed locked by another writer past the busy timeout"));
    case kSqliteCorrupt:
    case kSqliteNotADb:
      return Status::failed_precondition("database_corrupt",
                                         sentence(doing, "the database file is not an SQLite database or is damaged (" + msg + ")"));
    case kSqliteFull:
      return Status::resource_exhausted("database_full", sentence(doing, "the disk holding the database is full"));
    case kSqliteReadOnly:
      return Status::failed_precondition("database_read_only", sentence(doing, "the database file is read-only"));
    case kSqliteCantOpen:
    case kSqliteIoErr:
      return Status::unavailable("database_io_error", sentence(doing, "the database file could not be read or written (" + msg + ")"));
    default:
      break;
  }
  return Status::internal("database_error", sentence(doing, "the database reported an error (" + msg + ")"));
}

}  // namespace

Status translate_current_exception(std::string_view doing) {
  try {
    throw;
  } catch (const soci::postgresql_soci_error& e) {
    return from_postgresql(e, doing);
  } catch (const soci::sqlite3_soci_error& e) {
    return from_sqlite(e, doing);
  } catch (const soci::soci_error& e) {
    const std::string msg = driver_message(e);
    // SOCI raises plain soci_error when libpq has lost the connection
    // ("no connection to the server", "server closed the connection").
    if (e.get_error_category() == soci::soci_error::connection_error || contains(msg, "connection"))
      return connection_lost(doing, msg);
    return Status::internal("database_error", sentence(doing, "the database layer reported an error (" + msg + ")"));
  } catch (const std::bad_alloc&) {
    return Status::resource_exhausted("out_of_memory", sentence(doing, "the plugin ran out of memory"));
  } catch (const std::exception& e) {
    return Status::internal("unexpected_exception", sentence(doing, std::string("unexpected error (") + e.what() + ")"));
  } catch (...) {
    return Status::internal("unexpected_exception", sentence(doing, "unexpected error of unknown type"));
  }
}

Status translate_open_exception(Dialect dialect, std::string_view where) {
  Status st = translate_current_exception("");
  std::string detail = st.message();
  while (!detail.empty() && detail.back() == '.') detail.pop_back();
  if (dialect == Dialect::kPostgresql) {
    std::string msg;
    try {
      throw;
    } catch (const soci::soci_error& e) {
      msg = driver_message(e);
    } catch (...) {
      msg = detail;
    }
    return Status::unavailable("database_unreachable",
                               "Cannot connect to " + std::string(where) + ": " + msg + ".");
  }
  if (st.reason() == "database_corrupt")
    return Status::failed_precondition("database_corrupt",
                                       "The file " + std::string(where) + " is not an SQLite database or is damaged.");
  if (st.reason() == "database_busy") return st;
  std::string msg;
  try {
    throw;
  } catch (const soci::soci_error& e) {
    msg = driver_message(e);
  } catch (...) {
    msg = detail;
  }
  return Status::failed_precondition("database_cannot_open",
                                     "Cannot open the SQLite database " + std::string(where) + ": " + msg + ".");
}

bool is_connection_lost(const Status& st) {
  return st.code() == core::Code::kUnavailable && st.reason() == "database_connection_lost";
}

}  // namespace mentoring::storage
