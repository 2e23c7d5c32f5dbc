// The database: a pool of SOCI sessions to SQLite or PostgreSQL, the store
// ports bound to one transaction at a time, and the schema migrations.
//
//   auto db = storage::open_database({.url = "sqlite3:/var/lib/mentoring/mentoring.db"});
//   if (!db) return db.status();
//   auto version = (*db)->migrate();          // bring the schema up to date
//   Status st = (*db)->transact([&](core::Stores& s) { ... });
//
// Thread-safety: every public member may be called from many threads at once.
// Each call leases one session from the pool for its duration; callers beyond
// pool_size wait (up to 30 seconds, then Unavailable "database_pool_exhausted").
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/stores.h"
#include "storage/dialect.h"
#include "storage/migrator.h"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace mentoring::storage {

struct ConnectionSettings {
  // Where the data lives:
  //   "sqlite3:<path>" or "sqlite:<path>"  an SQLite file; a relative path is
  //       taken from the working directory at open time. The file is created
  //       when missing; its directory must exist.
  //   "postgresql://..." or "postgres://..."  a libpq connection URI, e.g.
  //       postgresql://mentoring:secret@127.0.0.1:5432/mentoring
  std::string url;
  // Sessions kept open (1..64). SQLite serialises writers whatever the size.
  // Default: 4.
  int pool_size = 4;
  // Put before every table name: [a-z][a-z0-9_]{0,30}. Default: "mentoring_".
  std::string table_prefix = "mentoring_";
  // SQLite only: how long a writer waits for another writer's lock before
  // giving up with Unavailable "database_busy" (0..600000). Default: 5000.
  int busy_timeout_ms = 5000;
  // SQLite only: "full" (default) or "normal". FULL waits for the disk on
  // every commit, so a commit reported to the host survives a power cut.
  // NORMAL (with WAL) survives any crash of the process, and the file is
  // never corrupted, but a power cut or kernel panic may lose the last
  // commits before it. See docs/configuration.md.
  std::string sqlite_synchronous = "full";
};

class SociDatabase final : public core::Database {
 public:
  ~SociDatabase() override;
  SociDatabase(const SociDatabase&) = delete;
  SociDatabase& operator=(const SociDatabase&) = delete;

  // Runs `work` in one transaction on one pooled session (SQLite: BEGIN
  // IMMEDIATE). Commits when `work` returns OK and no store call inside it hit
  // a driver error; rolls back otherwise, and when `work` throws. Returns
  // `work`'s error, else the first driver error, else the commit's outcome.
  //
  // SQLite: write transactions of this process queue on an in-process mutex
  // before BEGIN IMMEDIATE, so pooled connections never meet SQLite's
  // busy handler among themselves (it sleeps in steps of up to 100 ms);
  // waiting longer than busy_timeout_ms fails with Unavailable
  // "database_busy". Other processes on the same file still meet the busy
  // handler. PostgreSQL: no mutex; the server's row locks apply.
  core::Status transact(const std::function<core::Status(core::Stores&)>& work) override;
  // A read-only transaction (SQLite: deferred BEGIN with query_only, outside
  // the writers' queue; PostgreSQL: START TRANSACTION READ ONLY). A write
  // attempted by `work` fails and the transaction is rolled back.
  core::Status read_only(const std::function<core::Status(core::Stores&)>& work) override;

  // A cheap query, then: the recorded schema version must equal the newest
  // this build knows (failed_precondition "schema_out_of_date" or
  // "database_newer_than_plugin" otherwise).
  core::Status check_ready() override;

  // Applies the schema steps compiled into this build; returns the version
  // reached. See Migrator::migrate for the failures.
  core::Result<int> migrate();
  // The same with another list of steps (tests).
  core::Result<int> migrate_with(const Migrator& migrator);

  // The recorded schema version (0 before the first migration). Refuses, with
  // failed_precondition "database_newer_than_plugin", a database recorded at a
  // version above the newest this build knows.
  core::Result<int> schema_version();

  // The newest schema version this build knows for this database's dialect.
  int latest_schema_version() const;

  Dialect dialect() const { return dialect_; }
  const std::string& table_prefix() const { return prefix_; }
  // The database named without secrets: the SQLite path, or PostgreSQL host,
  // port and database name. For logs and error messages.
  const std::string& description() const { return description_; }

  // Runs `fn` on a leased session outside any transaction, translating
  // driver exceptions. For tests and administrative tools; the stores are
  // reached through transact().
  core::Status with_session(const std::function<core::Status(soci::session&)>& fn);

 private:
  friend core::Result<std::unique_ptr<SociDatabase>> open_database(const ConnectionSettings& settings);
  class Lease;

  SociDatabase(Dialect dialect, std::string prefix, std::string description, int pool_size, int busy_timeout_ms);
  core::Result<std::unique_ptr<Lease>> lease();
  enum class Mode { kWrite, kReadOnly };
  core::Status run(Mode mode, const std::function<core::Status(core::Stores&)>& work);

  const Dialect dialect_;
  const std::string prefix_;
  const std::string description_;
  const int busy_timeout_ms_;
  std::string sqlite_synchronous_ = "full";
  // SQLite: held by the one write transaction of this process in progress.
  std::timed_mutex sqlite_writer_;
  const Migrator migrator_;
  std::unique_ptr<soci::connection_pool> pool_;
  // One flag per pool slot, read and written only by the slot's leaseholder:
  // the connection failed and must be re-opened before the next use.
  std::vector<char> needs_reconnect_;
};

// Opens pool_size sessions and checks that the database answers. Fails with
//   invalid_argument "database_url_invalid", "table_prefix_invalid",
//     "pool_size_invalid", "busy_timeout_invalid", "sqlite_synchronous_invalid";
//   failed_precondition "database_directory_missing", "database_path_is_directory",
//     "database_file_unreadable", "database_directory_not_writable",
//     "database_corrupt", "database_cannot_open" (SQLite, naming the path);
//   unavailable "database_unreachable" (PostgreSQL, naming host and port,
//     never the password).
// Does not migrate: call migrate() or schema_version() next.
core::Result<std::unique_ptr<SociDatabase>> open_database(const ConnectionSettings& settings);

}  // namespace mentoring::storage
