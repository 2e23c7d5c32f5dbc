#include "storage/database.h"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <unistd.h>

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "storage/audit_soci_stores.h"
#include "storage/bulk_import_soci_store.h"
#include "storage/business_as_usual_soci_store.h"
#include "storage/cohort_session_soci_store.h"
#include "storage/survey_due_soci_store.h"
#include "storage/errors.h"
#include "storage/concern_soci_stores.h"
#include "storage/evaluation_soci_stores.h"
#include "storage/import_upload_soci_store.h"
#include "storage/job_store.h"
#include "storage/lti_advantage_soci_store.h"
#include "storage/matching_choice_soci_store.h"
#include "storage/matching_soci_stores.h"
#include "storage/mentor_application_soci_store.h"
#include "storage/relationship_soci_store.h"
#include "storage/setup_soci_stores.h"
#include "storage/soci_stores.h"
#include "storage/webhook_soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::Status;
namespace fs = std::filesystem;

namespace {

// How long a caller waits for a free pooled session.
constexpr int kLeaseTimeoutMs = 30000;
// libpq waits this long for a server that does not answer, unless the URL says otherwise.
constexpr const char* kConnectTimeoutSeconds = "10";

struct Target {
  Dialect dialect = Dialect::kSqlite;
  std::string connect;      // what SOCI's backend receives
  std::string description;  // the target named without secrets
  fs::path sqlite_path;     // SQLite only
};

Status url_invalid(const std::string& why) {
  return Status::invalid("database_url_invalid",
                         why + " The database URL must be sqlite3:<path>, sqlite:<path>, postgresql://... or "
                               "postgres://... (a libpq connection URI).",
                         "database_url");
}

bool starts_with(const std::string& s, std::string_view p) { return s.compare(0, p.size(), p) == 0; }

Result<Target> parse_sqlite_url(const std::string& rest) {
  std::string path = rest;
  // Tolerate the URL-like spelling sqlite3:///var/lib/x.db.
  if (starts_with(path, "//")) path.erase(0, 2);
  if (path.empty()) return url_invalid("The SQLite URL names no file.");
  if (path == ":memory:" || starts_with(path, "file:"))
    return url_invalid("In-memory and file: URI SQLite databases are not supported: each pooled session would see "
                       "a different database.");
  if (path.find('"') != std::string::npos || path.find('\0') != std::string::npos)
    return url_invalid("The SQLite path must not contain a double quote or a NUL character.");
  std::error_code ec;
  fs::path abs = fs::absolute(fs::path(path), ec);
  if (ec) return url_invalid("The SQLite path " + path + " cannot be made absolute (" + ec.message() + ").");
  abs = abs.lexically_normal();
  Target t;
  t.dialect = Dialect::kSqlite;
  t.sqlite_path = abs;
  t.description = abs.string();
  // SOCI's sqlite3 backend reads `db="..."`; the quotes keep spaces in the path.
  t.connect = "db=\"" + abs.string() + "\"";
  return t;
}

Result<Target> parse_postgresql_url(const std::string& url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return url_invalid("The PostgreSQL URL is not a valid URI (" + parsed.error().message() + ").");
  boost::urls::url u(*parsed);
  std::string host = u.host();
  if (host.empty()) {
    auto it = u.params().find("host");
    host = (it != u.params().end() && (*it).has_value) ? std::string((*it).value) : std::string("the local socket");
  }
  const std::string port = u.has_port() ? std::string(u.port()) : std::string("5432");
  std::string dbname = u.path();
  if (!dbname.empty() && dbname.front() == '/') dbname.erase(0, 1);
  if (!u.params().contains("connect_timeout")) u.params().append({"connect_timeout", kConnectTimeoutSeconds});
  Target t;
  t.dialect = Dialect::kPostgresql;
  // libpq takes the URI itself (PQconnectdb accepts postgresql:// and postgres://).
  t.connect = std::string(u.buffer());
  t.description = "PostgreSQL at " + host + ":" + port + (dbname.empty() ? std::string() : ", database " + dbname);
  return t;
}

Result<Target> parse_url(const std::string& url) {
  if (url.empty()) return url_invalid("No database URL is set.");
  if (starts_with(url, "sqlite3:")) return parse_sqlite_url(url.substr(8));
  if (starts_with(url, "sqlite:")) return parse_sqlite_url(url.substr(7));
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) return parse_postgresql_url(url);
  const auto colon = url.find(':');
  return url_invalid(colon == std::string::npos || colon > 20
                         ? std::string("The database URL has no recognised scheme.")
                         : "The scheme " + url.substr(0, colon) + ": is not supported.");
}

// What SQLite would otherwise report as a bare "unable to open database file".
Status check_sqlite_path(const fs::path& path) {
  const fs::path dir = path.parent_path();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::failed_precondition(
        "database_directory_missing",
        "The directory " + dir.string() + " for the SQLite database " + path.string() +
            (fs::exists(dir, ec) ? " is not a directory." : " does not exist."));
  }
  if (fs::exists(path, ec)) {
    if (fs::is_directory(path, ec))
      return Status::failed_precondition("database_path_is_directory",
                                         "The SQLite database path " + path.string() + " is a directory, not a file.");
    if (::access(path.c_str(), R_OK | W_OK) != 0)
      return Status::failed_precondition("database_file_unreadable",
                                         "The SQLite database " + path.string() +
                                             " cannot be read and written by this process (" +
                                             std::strerror(errno) + ").");
  }
  // SQLite creates the database and its -wal and -shm files next to it.
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return Status::failed_precondition("database_directory_not_writable",
                                       "The directory " + dir.string() + " of the SQLite database " + path.string() +
                                           " is not writable (" + std::strerror(errno) +
                                           "); SQLite needs to create files there.");
  return Status::ok();
}

// Returns false when the rollback itself failed (the connection is likely gone).
bool rollback_quietly(soci::session& sql) {
  try {
    sql.rollback();
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

class SociDatabase::Lease {
 public:
  Lease(soci::connection_pool& pool, std::size_t pos) : pool_(pool), pos_(pos) {}
  ~Lease() { pool_.give_back(pos_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& session() { return pool_.at(pos_); }
  std::size_t pos() const { return pos_; }

 private:
  soci::connection_pool& pool_;
  std::size_t pos_;
};

SociDatabase::SociDatabase(Dialect dialect, std::string prefix, std::string description, int pool_size,
                           int busy_timeout_ms)
    : dialect_(dialect),
      prefix_(std::move(prefix)),
      description_(std::move(description)),
      busy_timeout_ms_(busy_timeout_ms),
      pool_(std::make_unique<soci::connection_pool>(static_cast<std::size_t>(pool_size))),
      needs_reconnect_(static_cast<std::size_t>(pool_size), 0) {}

SociDatabase::~SociDatabase() = default;

Result<std::unique_ptr<SociDatabase::Lease>> SociDatabase::lease() {
  std::size_t pos = 0;
  try {
    if (!pool_->try_lease(pos, kLeaseTimeoutMs))
      return Status::unavailable("database_pool_exhausted",
                                 "Every database connection stayed busy for 30 seconds; try again later.");
  } catch (...) {
    return translate_current_exception("waiting for a database connection");
  }
  auto held = std::make_unique<Lease>(*pool_, pos);
  if (needs_reconnect_[pos]) {
    try {
      held->session().reconnect();
      configure_session(held->session(), dialect_, busy_timeout_ms_, sqlite_synchronous_);
      needs_reconnect_[pos] = 0;
    } catch (...) {
      return translate_open_exception(dialect_, description_);
    }
  }
  return held;
}

Status SociDatabase::transact(const std::function<Status(core::Stores&)>& work) { return run(Mode::kWrite, work); }

Status SociDatabase::read_only(const std::function<Status(core::Stores&)>& work) {
  return run(Mode::kReadOnly, work);
}

Status SociDatabase::run(Mode mode, const std::function<Status(core::Stores&)>& work) {
  auto held = lease();
  if (!held) return held.status();
  soci::session& sql = (*held)->session();
  const bool read_only = mode == Mode::kReadOnly;
  // SQLite writers of this process queue here rather than in SQLite's busy
  // handler, whose sleeps grow to 100 ms and hand the lock over late.
  std::unique_lock<std::timed_mutex> writer(sqlite_writer_, std::defer_lock);
  if (dialect_ == Dialect::kSqlite && !read_only &&
      !writer.try_lock_for(std::chrono::milliseconds(busy_timeout_ms_)))
    return Status::unavailable("database_busy",
                               "Starting a transaction failed: the database stayed locked by another writer past the "
                               "busy timeout.");
  try {
    if (read_only) {
      begin_read_only_transaction(sql, dialect_);
    } else {
      begin_transaction(sql, dialect_);
    }
  } catch (...) {
    Status st = translate_current_exception("starting a transaction");
    if (read_only && dialect_ == Dialect::kSqlite) {
      try {
        end_read_only_transaction(sql, dialect_);
      } catch (...) {
        needs_reconnect_[(*held)->pos()] = 1;
      }
    }
    if (is_connection_lost(st)) needs_reconnect_[(*held)->pos()] = 1;
    return st;
  }

  TxContext tx{sql, dialect_, prefix_, Status::ok()};
  SociAccountStore accounts(tx);
  SociSchemeStore schemes(tx);
  SociEnrolmentStore enrolments(tx);
  SociLtiStore lti(tx);
  SociLtiLaunchStore lti_launch(tx);
  SociSessionStore sessions(tx);
  SociSetupStores setup(tx);
  SociLtiAdvantageStore lti_advantage(tx);
  SociJobStore jobs(tx);
  SociFormSubmissionStore form_submissions(tx);
  SociPairingStore pairings(tx);
  SociMatchingRunStore matching_runs(tx);
  SociAuditStore audit(tx);
  SociDemographicsStore demographics(tx);
  SociPrivacyStore privacy(tx);
  SociInboxStore webhook_inbox(tx);
  SociOutboxStore outbox(tx);
  SociHostAccountStore host_accounts(tx);
  SociEvaluationStores evaluation(tx);
  SociConcernStore concerns(tx);
  SociCheckinStore checkins(tx);
  SociRelationshipStore relationships(tx);
  SociBulkImportStore bulk_import(tx);
  SociSurveyDueStore survey_due(tx);
  SociChoiceListStore choice_lists(tx);
  SociMentorApplicationStore mentor_applications(tx);
  SociBusinessAsUsualStore business_as_usual(tx);
  SociImportUploadStore import_uploads(tx);
  SociCohortSessionStore cohort_sessions(tx);
  // One member per line, in the order of core::Stores.
  core::Stores stores{
      accounts,
      schemes,
      enrolments,
      lti,
      lti_launch,
      sessions,
      setup.objectives,
      setup.governance,
      setup.eligibility,
      setup.profiles,
      setup.training,
      setup.agreements,
      lti_advantage,
      jobs,
      form_submissions,
      pairings,
      matching_runs,
      audit,
      demographics,
      privacy,
      webhook_inbox,
      outbox,
      host_accounts,
      evaluation.surveys,
      evaluation.evaluation,
      evaluation.outcomes,
      concerns,
      checkins,
      relationships,
      bulk_import,
      survey_due,
      choice_lists,
      mentor_applications,
      business_as_usual,
      import_uploads,
      cohort_sessions,
  };

  Status result;
  try {
    result = work(stores);
  } catch (...) {
    result = translate_current_exception("running a transaction");
  }
  // A driver error the work swallowed still fails the transaction: on
  // PostgreSQL the server has already aborted it.
  if (result.is_ok() && !tx.first_error.is_ok()) result = tx.first_error;

  bool connection_ok = true;
  if (result.is_ok()) {
    try {
      sql.commit();
    } catch (...) {
      result = translate_current_exception("committing a transaction");
      connection_ok = rollback_quietly(sql);
    }
  } else {
    connection_ok = rollback_quietly(sql);
  }
  if (read_only && connection_ok) {
    try {
      end_read_only_transaction(sql, dialect_);
    } catch (...) {
      // A connection left read-only must not serve the next writer.
      connection_ok = false;
    }
  }
  if (!connection_ok || is_connection_lost(result) || is_connection_lost(tx.first_error))
    needs_reconnect_[(*held)->pos()] = 1;
  return result;
}

Status SociDatabase::with_session(const std::function<Status(soci::session&)>& fn) {
  auto held = lease();
  if (!held) return held.status();
  Status st;
  try {
    st = fn((*held)->session());
  } catch (...) {
    st = translate_current_exception("using the database");
  }
  if (is_connection_lost(st)) needs_reconnect_[(*held)->pos()] = 1;
  return st;
}

int SociDatabase::latest_schema_version() const { return migrator_.latest_version(dialect_); }

Result<int> SociDatabase::migrate() { return migrate_with(migrator_); }

Result<int> SociDatabase::migrate_with(const Migrator& migrator) {
  auto held = lease();
  if (!held) return held.status();
  auto version = migrator.migrate((*held)->session(), dialect_, prefix_);
  if (!version && is_connection_lost(version.status())) needs_reconnect_[(*held)->pos()] = 1;
  return version;
}

Result<int> SociDatabase::schema_version() {
  auto held = lease();
  if (!held) return held.status();
  auto version = migrator_.current_version((*held)->session(), dialect_, prefix_);
  if (!version) {
    if (is_connection_lost(version.status())) needs_reconnect_[(*held)->pos()] = 1;
    return version;
  }
  const int latest = latest_schema_version();
  if (*version > latest)
    return Status::failed_precondition(
        "database_newer_than_plugin",
        "The database schema is at version " + std::to_string(*version) + " but this build of the plugin knows "
            "versions up to " + std::to_string(latest) + "; upgrade the plugin or use another database.");
  return version;
}

Status SociDatabase::check_ready() {
  Status answered = with_session([](soci::session& sql) {
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return Status::ok();
  });
  if (!answered) return answered;
  auto version = schema_version();
  if (!version) return version.status();
  const int latest = latest_schema_version();
  if (*version != latest)
    return Status::failed_precondition("schema_out_of_date",
                                       "The database schema is at version " + std::to_string(*version) +
                                           " but this build needs version " + std::to_string(latest) +
                                           "; run the migrations.");
  return Status::ok();
}

Result<std::unique_ptr<SociDatabase>> open_database(const ConnectionSettings& settings) {
  MENTORING_RETURN_IF_ERROR(validate_table_prefix(settings.table_prefix));
  if (settings.pool_size < 1 || settings.pool_size > 64)
    return Status::invalid("pool_size_invalid", "The database pool size must be between 1 and 64.", "pool_size");
  if (settings.busy_timeout_ms < 0 || settings.busy_timeout_ms > 600000)
    return Status::invalid("busy_timeout_invalid",
                           "The database busy timeout must be between 0 and 600000 milliseconds.", "busy_timeout_ms");
  if (settings.sqlite_synchronous != "full" && settings.sqlite_synchronous != "normal")
    return Status::invalid("sqlite_synchronous_invalid",
                           "The SQLite synchronous setting must be \"full\" or \"normal\", not \"" +
                               settings.sqlite_synchronous.substr(0, 20) + "\".",
                           "sqlite_synchronous");
  auto target = parse_url(settings.url);
  if (!target) return target.status();
  if (target->dialect == Dialect::kSqlite) MENTORING_RETURN_IF_ERROR(check_sqlite_path(target->sqlite_path));

  std::unique_ptr<SociDatabase> db(new SociDatabase(target->dialect, settings.table_prefix, target->description,
                                                    settings.pool_size, settings.busy_timeout_ms));
  db->sqlite_synchronous_ = settings.sqlite_synchronous;
  for (int i = 0; i < settings.pool_size; ++i) {
    soci::session& sql = db->pool_->at(static_cast<std::size_t>(i));
    try {
      if (target->dialect == Dialect::kSqlite) {
        sql.open(soci::sqlite3, target->connect);
      } else {
        sql.open(soci::postgresql, target->connect);
      }
      configure_session(sql, target->dialect, settings.busy_timeout_ms, settings.sqlite_synchronous);
      if (i == 0) {
        // Reads the file header and the schema: garbage or a damaged file
        // fails here, at open, rather than on the first request.
        int tables = 0;
        if (target->dialect == Dialect::kSqlite) {
          sql << "SELECT count(*) FROM sqlite_master", soci::into(tables);
        } else {
          sql << "SELECT 1", soci::into(tables);
        }
      }
    } catch (...) {
      return translate_open_exception(target->dialect, target->description);
    }
  }
  return db;
}

}  // namespace mentoring::storage
