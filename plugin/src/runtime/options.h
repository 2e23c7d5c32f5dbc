// Options: every setting of a plugin instance, typed, with its default and
// the reason it exists. The host passes a JSON object such as
//   {"database": {"url": "sqlite3:var/mentoring.db"}, "http": {"port": 8080}}
// which parse_options() validates once; an unknown key or a bad value is
// refused with a message naming the key. describe_options() lists the same
// table as JSON for --help text and for mapping flags and environment
// variables (database.url <-> --database.url <-> MENTORING_DATABASE_URL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace mentoring::runtime {

struct Options {
  // -- database --
  // Where the plugin keeps its tables: "sqlite3:<path>" (an SQLite file,
  // created if missing) or "postgresql://user@host:port/dbname".
  // Default: "sqlite3:var/mentoring.db".
  std::string database_url = "sqlite3:var/mentoring.db";
  // Connections kept open. 0 means http.threads + 2. Default: 0.
  int database_pool_size = 0;
  // Prefix of every table, so the tables can live in the host's own
  // database. Lower-case letters, digits and '_'. Default: "mentoring_".
  std::string database_table_prefix = "mentoring_";
  // How long SQLite waits for a lock before failing. Default: 5000 ms.
  int database_busy_timeout_ms = 5000;
  // Bring the schema up to date when the plugin opens. Default: true.
  bool database_migrate = true;

  // -- http --
  // Address the plugin's own listener binds. Default: "127.0.0.1".
  std::string http_address = "127.0.0.1";
  // Port of the listener; 0 picks a free one. Default: 8080.
  int http_port = 8080;
  // Worker threads serving requests. Default: 2.
  int http_threads = 2;
  // Largest request body accepted. Default: 1 MiB.
  std::int64_t http_max_body_bytes = 1 << 20;
  // Largest request head (request line and headers). Default: 16 KiB.
  std::int64_t http_max_header_bytes = 16 << 10;
  // Time allowed to read a request. Default: 30000 ms.
  int http_read_timeout_ms = 30000;
  // Time allowed to write a response. Default: 30000 ms.
  int http_write_timeout_ms = 30000;
  // An idle keep-alive connection is closed after this. Default: 60000 ms.
  int http_idle_timeout_ms = 60000;
  // On stop, in-flight requests get this long to finish. Default: 10000 ms.
  int http_shutdown_grace_ms = 10000;
  // The URL browsers and portals use to reach the plugin (scheme, host,
  // port, optional path), used to build LTI and page links.
  // Default: "http://127.0.0.1:8080".
  std::string http_public_url = "http://127.0.0.1:8080";

  // -- api --
  // Bearer token the host's back end presents on /api/v1 calls made outside
  // a user's session (imports, provisioning). At least 32 characters; empty
  // disables such calls. Default: "" (disabled).
  std::string api_service_token;

  // -- lti --
  // Allowed difference between our clock and a platform's when checking
  // id_token times. Default: 60 s.
  int lti_clock_skew_seconds = 60;
  // How long a login initiation stays valid (its state, nonce and cookie).
  // Default: 600 s.
  int lti_state_ttl_seconds = 600;
  // After a token names a key the cached platform key set lacks, the set is
  // refetched at most once per this many seconds per platform. Default: 30 s.
  int lti_jwks_refetch_interval_seconds = 30;
  // Time allowed to fetch a platform's key set. Default: 5000 ms.
  int lti_jwks_timeout_ms = 5000;

  // -- session --
  // A session ends after this long without a request. Default: 1800 s.
  int session_idle_timeout_seconds = 1800;
  // A session ends this long after the launch that began it, whatever
  // happens. Default: 43200 s (12 hours).
  int session_absolute_timeout_seconds = 43200;
  // Mark cookies Secure (with SameSite=None and Partitioned, as an LTI tool
  // in an iframe needs). Ignored (never Secure) when http.public_url is
  // plain http on a loopback host, where Secure cookies cannot work.
  // Default: true.
  bool session_cookie_secure = true;

  // -- log --
  // Least severe level written: "debug", "info", "warning" or "error".
  // Default: "info".
  std::string log_level = "info";
  // One line per HTTP request. Default: true.
  bool log_access = true;

  // Filled in by parse_options(): the pool size actually used.
  int effective_pool_size() const { return database_pool_size > 0 ? database_pool_size : http_threads + 2; }
  int log_level_number() const;  // 0 debug .. 3 error
};

// Parses and validates a JSON configuration object. Every key is optional.
core::Result<Options> parse_options(std::string_view json);

// The option table as a JSON array of
// {"key","type","default","description","secret"} objects.
const std::string& describe_options();

// The options as a JSON object, with secrets replaced by "(set)".
std::string options_to_redacted_json(const Options& options);

}  // namespace mentoring::runtime
