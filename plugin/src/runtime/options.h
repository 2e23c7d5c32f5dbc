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
#include <vector>

#include "adapters/webhook/signature.h"
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
  // SQLite's synchronous setting: "full" (every commit waits for the disk,
  // so it survives a power cut) or "normal" (with WAL: survives a crash of
  // the process; a power cut may lose the last commits). Default: "full".
  std::string database_sqlite_synchronous = "full";
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
  // Host names (comma-separated, e.g. "moodle.example.ac.uk") whose
  // platforms may register through LTI Dynamic Registration
  // (GET /lti/register): the tool fetches an openid_configuration and posts
  // its registration only to these hosts, so the endpoint cannot be used to
  // make the server call anything else. Default: "" (dynamic registration
  // off).
  std::string lti_registration_hosts;

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

  // -- web --
  // Draw the NHS header (logo and service name) on the pages. Off by
  // default: inside the host portal's iframe the portal has its own header.
  // Turn it on when people open the pages on their own. Default: false.
  bool web_show_nhs_header = false;
  // How long the registered portals' origins (the pages' frame-ancestors)
  // are cached before the registrations are read again. Default: 10 s.
  int web_portal_cache_seconds = 10;

  // -- webhook --
  // The host's Standard Webhooks secrets for deliveries it sends to
  // POST /api/v1/webhooks/inbound: "whsec_<base64>", several separated by
  // spaces during a rotation. Empty refuses every delivery. Default: "".
  std::string webhook_inbound_secrets;
  // The plugin's own secrets for signing the webhooks it sends, newest first,
  // separated by spaces. Required when webhook.target_url is set. Default: "".
  std::string webhook_outbound_secrets;
  // Where the plugin POSTs its events (http or https). Empty keeps events
  // queued and sends nothing. Default: "".
  std::string webhook_target_url;
  // Largest difference allowed between a delivery's webhook-timestamp and
  // our clock. Default: 300 s.
  int webhook_tolerance_seconds = 300;
  // Largest inbound webhook body, checked before the signature. Default: 64 KiB.
  int webhook_max_body_bytes = 64 << 10;
  // An outgoing event not delivered this long after it was queued goes dead.
  // Default: 259200 s (72 hours).
  int webhook_dead_after_seconds = 72 * 3600;
  // First retry delay for outgoing events and failed inbox deliveries,
  // doubled on every attempt up to webhook.retry_max_seconds, with jitter.
  // Defaults: 10 s, 3600 s.
  int webhook_retry_base_seconds = 10;
  int webhook_retry_max_seconds = 3600;
  // Failed attempts to apply one inbox delivery before it goes dead. Default: 8.
  int webhook_inbox_max_attempts = 8;
  // Time allowed for the host to answer one outgoing webhook. Default: 10000 ms.
  int webhook_send_timeout_ms = 10000;
  // The worker looks for due work at least this often. Default: 1000 ms.
  int webhook_poll_interval_ms = 1000;
  // Applied inbox deliveries are remembered (so duplicates are recognised)
  // and delivered events logged this many days. At least 7. Default: 30.
  int webhook_retention_days = 30;
  // Run the background worker in this instance. Turn it off in instances
  // that should only answer requests. Default: true.
  bool webhook_worker = true;

  // -- matching --
  // Days a mentor has to answer a mentee's request before it lapses (1..60).
  // Default: 7.
  int matching_reply_days = 7;
  // How many mentors a mentee may rank, best first, under mentee choice and
  // hybrid matching (1..10). Default: 3.
  int matching_ranked_choices = 3;
  // Seconds a matching run's worker may go without a heartbeat before the
  // run counts as abandoned and is failed (30..3600). Default: 300.
  int matching_run_heartbeat_timeout_s = 300;

  // -- privacy --
  // Keys that encrypt demographic monitoring data and the text of concerns
  // raised with the point of contact (AES-256-GCM), as
  // comma-separated "version:base64key" pairs, e.g. "1:<44 base64
  // characters>,2:<...>"; each key 32 random bytes (openssl rand -base64 32).
  // Keep older versions listed until POST /api/v1/demographics/rekey and
  // POST /api/v1/concerns/rekey have moved every record to the current one. Empty switches demographic
  // monitoring and the point-of-contact route off. Default: "" (off). Secret.
  std::string privacy_demographics_keys;
  // The key version new records are sealed with; 0 means the highest version
  // in privacy.demographics_keys. Default: 0.
  int privacy_demographics_key_version = 0;

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

// Splits a space-separated list of "whsec_" secrets (webhook.*_secrets);
// config_invalid_value naming `key` when an entry does not parse.
core::Result<std::vector<webhook::WebhookSecret>> parse_webhook_secrets(std::string_view text, std::string_view key);

// The option table as a JSON array of
// {"key","type","default","description","secret"} objects.
const std::string& describe_options();

// The options as a JSON object, with secrets replaced by "(set)".
std::string options_to_redacted_json(const Options& options);

}  // namespace mentoring::runtime
