#include "runtime/options.h"

#include "adapters/webhook/signature.h"
#include "storage/aes_gcm.h"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <functional>
#include <limits>
#include <vector>

namespace mentoring::runtime {
namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

enum class Type { kString, kInt, kBool };

// One row per option: the single source of keys, types, defaults, limits,
// descriptions and where the value lands in Options.
struct Spec {
  const char* key;
  Type type;
  const char* description;
  std::int64_t min = 0;
  std::int64_t max = 0;
  bool secret = false;
  std::function<void(Options&, const json::value&)> set;
  std::function<json::value(const Options&)> get;
};

#define STRING_OPTION(key, field, desc, secret)                                       \
  Spec { key, Type::kString, desc, 0, 0, secret,                                      \
         [](Options& o, const json::value& v) { o.field = std::string(v.as_string()); }, \
         [](const Options& o) { return json::value(o.field); } }
#define INT_OPTION(key, field, desc, lo, hi)                                                        \
  Spec { key, Type::kInt, desc, lo, hi, false,                                                      \
         [](Options& o, const json::value& v) { o.field = static_cast<decltype(o.field)>(v.as_int64()); }, \
         [](const Options& o) { return json::value(static_cast<std::int64_t>(o.field)); } }
#define BOOL_OPTION(key, field, desc)                                               \
  Spec { key, Type::kBool, desc, 0, 0, false,                                       \
         [](Options& o, const json::value& v) { o.field = v.as_bool(); },           \
         [](const Options& o) { return json::value(o.field); } }

const std::vector<Spec>& specs() {
  static const std::vector<Spec> table = {
      STRING_OPTION("database.url", database_url,
                    "Where the tables live: sqlite3:<path> or postgresql://user@host:port/dbname", false),
      INT_OPTION("database.pool_size", database_pool_size, "Connections kept open; 0 means http.threads + 2", 0, 256),
      STRING_OPTION("database.table_prefix", database_table_prefix,
                    "Prefix of every table name (lower-case letters, digits, '_')", false),
      INT_OPTION("database.busy_timeout_ms", database_busy_timeout_ms, "How long SQLite waits for a lock", 0, 600000),
      STRING_OPTION("database.sqlite_synchronous", database_sqlite_synchronous,
                    "SQLite commits: full (survive a power cut) or normal (survive a process crash; faster)", false),
      BOOL_OPTION("database.migrate", database_migrate, "Bring the schema up to date when the plugin opens"),
      STRING_OPTION("http.address", http_address, "Address the listener binds (a loopback address by default)", false),
      INT_OPTION("http.port", http_port, "Port of the listener; 0 picks a free one", 0, 65535),
      INT_OPTION("http.threads", http_threads, "Worker threads serving requests", 1, 256),
      INT_OPTION("http.max_body_bytes", http_max_body_bytes, "Largest request body accepted", 1024, 1LL << 30),
      INT_OPTION("http.max_header_bytes", http_max_header_bytes, "Largest request head accepted", 1024, 1 << 20),
      INT_OPTION("http.read_timeout_ms", http_read_timeout_ms, "Time allowed to read a request", 100, 3600000),
      INT_OPTION("http.write_timeout_ms", http_write_timeout_ms, "Time allowed to write a response", 100, 3600000),
      INT_OPTION("http.idle_timeout_ms", http_idle_timeout_ms, "Idle keep-alive connections close after this", 100,
                 3600000),
      INT_OPTION("http.shutdown_grace_ms", http_shutdown_grace_ms, "On stop, how long in-flight requests may run", 0,
                 600000),
      STRING_OPTION("http.public_url", http_public_url,
                    "The URL browsers and portals use to reach the plugin, e.g. https://mentoring.example.nhs.uk",
                    false),
      STRING_OPTION("api.service_token", api_service_token,
                    "Bearer token for the host's back-end API calls (32+ characters; empty disables them)", true),
      INT_OPTION("lti.clock_skew_seconds", lti_clock_skew_seconds,
                 "Allowed clock difference with LTI platforms when checking id_token times", 0, 600),
      INT_OPTION("lti.state_ttl_seconds", lti_state_ttl_seconds, "How long an LTI login initiation stays valid", 30,
                 3600),
      INT_OPTION("lti.jwks_refetch_interval_seconds", lti_jwks_refetch_interval_seconds,
                 "Least time between refetches of a platform's key set for an unknown key id", 0, 3600),
      INT_OPTION("lti.jwks_timeout_ms", lti_jwks_timeout_ms, "Time allowed to fetch a platform's key set", 100,
                 60000),
      STRING_OPTION("lti.registration_hosts", lti_registration_hosts,
                    "Hosts allowed to use LTI Dynamic Registration, comma-separated (empty: off)", false),
      INT_OPTION("session.idle_timeout_seconds", session_idle_timeout_seconds,
                 "A session ends after this long without a request", 60, 86400),
      INT_OPTION("session.absolute_timeout_seconds", session_absolute_timeout_seconds,
                 "A session ends this long after its launch", 300, 604800),
      BOOL_OPTION("session.cookie_secure", session_cookie_secure,
                  "Secure, SameSite=None, Partitioned cookies (never on a plain-http loopback public URL)"),
      BOOL_OPTION("web.show_nhs_header", web_show_nhs_header,
                  "Draw the NHS header on the pages (off inside the portal's iframe)"),
      INT_OPTION("web.portal_cache_seconds", web_portal_cache_seconds,
                 "How long the registered portals' origins are cached for the pages' frame-ancestors", 0, 3600),
      STRING_OPTION("webhook.inbound_secrets", webhook_inbound_secrets,
                    "The host's whsec_ secrets for inbound webhooks, separated by spaces (empty refuses them)", true),
      STRING_OPTION("webhook.outbound_secrets", webhook_outbound_secrets,
                    "whsec_ secrets signing the plugin's webhooks, newest first, separated by spaces", true),
      STRING_OPTION("webhook.target_url", webhook_target_url,
                    "Where the plugin POSTs its events (empty: events stay queued)", false),
      INT_OPTION("webhook.tolerance_seconds", webhook_tolerance_seconds,
                 "Allowed difference between a webhook's timestamp and our clock", 1, 3600),
      INT_OPTION("webhook.max_body_bytes", webhook_max_body_bytes, "Largest inbound webhook body", 1024, 1 << 20),
      INT_OPTION("webhook.dead_after_seconds", webhook_dead_after_seconds,
                 "An outgoing event not delivered this long after it was queued goes dead", 1, 30 * 86400),
      INT_OPTION("webhook.retry_base_seconds", webhook_retry_base_seconds,
                 "First retry delay of webhooks, doubled each attempt", 1, 86400),
      INT_OPTION("webhook.retry_max_seconds", webhook_retry_max_seconds, "Longest retry delay of webhooks", 1,
                 86400),
      INT_OPTION("webhook.inbox_max_attempts", webhook_inbox_max_attempts,
                 "Failed attempts to apply an inbound webhook before it goes dead", 1, 100),
      INT_OPTION("webhook.send_timeout_ms", webhook_send_timeout_ms, "Time allowed for the host to answer a webhook",
                 100, 120000),
      INT_OPTION("webhook.poll_interval_ms", webhook_poll_interval_ms,
                 "Longest pause of the webhook worker between rounds", 10, 60000),
      INT_OPTION("webhook.retention_days", webhook_retention_days,
                 "Days applied inbound webhooks and delivered events are kept", 7, 3650),
      BOOL_OPTION("webhook.worker", webhook_worker, "Run the webhook worker in this instance"),
      STRING_OPTION("privacy.demographics_keys", privacy_demographics_keys,
                    "Keys encrypting demographic answers and concern text: version:base64key pairs, comma-separated (empty: both off)",
                    true),
      INT_OPTION("privacy.demographics_key_version", privacy_demographics_key_version,
                 "Key version that seals new demographic records; 0 means the highest", 0, 9999),
      INT_OPTION("matching.reply_days", matching_reply_days,
                 "Days a mentor has to answer a mentee's request before it lapses", 1, 60),
      INT_OPTION("matching.ranked_choices", matching_ranked_choices,
                 "Mentors a mentee may rank, best first, under mentee choice and hybrid matching", 1, 10),
      INT_OPTION("matching.run_heartbeat_timeout_s", matching_run_heartbeat_timeout_s,
                 "Seconds a matching run may go without a heartbeat before it is failed as abandoned", 30, 3600),
      STRING_OPTION("log.level", log_level, "Least severe level logged: debug, info, warning, error", false),
      BOOL_OPTION("log.access", log_access, "Log one line per HTTP request"),
  };
  return table;
}

const char* type_name(Type t) {
  switch (t) {
    case Type::kString: return "string";
    case Type::kInt: return "integer";
    case Type::kBool: return "boolean";
  }
  return "string";
}

Status bad(const std::string& key, const std::string& message) {
  return Status::invalid("config_invalid_value", "Configuration " + key + ": " + message, key);
}

// The webhook.* checks (secrets parse, a target URL has secrets), below.
Status check_webhook_options(const Options& o);

// Checks that cross fields or need more than a type and a range.
Status check_semantics(const Options& o) {
  const std::string& url = o.database_url;
  if (!(url.rfind("sqlite3:", 0) == 0 || url.rfind("sqlite:", 0) == 0 || url.rfind("postgresql://", 0) == 0 ||
        url.rfind("postgres://", 0) == 0))
    return bad("database.url", "must start with sqlite3:, postgresql:// or postgres://");
  const std::string& p = o.database_table_prefix;
  bool prefix_ok = !p.empty() && p.size() <= 31 && p[0] >= 'a' && p[0] <= 'z';
  for (char c : p) prefix_ok = prefix_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!prefix_ok) return bad("database.table_prefix", "must be 1-31 lower-case letters, digits or '_', starting with a letter");
  if (o.database_sqlite_synchronous != "full" && o.database_sqlite_synchronous != "normal")
    return bad("database.sqlite_synchronous", "must be full or normal");
  if (o.http_address.empty()) return bad("http.address", "must not be empty");
  auto pub = boost::urls::parse_absolute_uri(o.http_public_url);
  if (!pub || (pub->scheme() != "http" && pub->scheme() != "https") || pub->host().empty() || pub->has_query() ||
      pub->has_fragment())
    return bad("http.public_url", "must be an absolute http or https URL without query or fragment");
  if (!o.api_service_token.empty() && o.api_service_token.size() < 32)
    return bad("api.service_token", "must be at least 32 characters (or empty to disable)");
  if (o.session_idle_timeout_seconds > o.session_absolute_timeout_seconds)
    return bad("session.idle_timeout_seconds", "must not be longer than session.absolute_timeout_seconds");
  MENTORING_RETURN_IF_ERROR(check_webhook_options(o));
  for (std::size_t start = 0; start <= o.lti_registration_hosts.size() && !o.lti_registration_hosts.empty();) {
    const std::size_t comma = std::min(o.lti_registration_hosts.find(',', start), o.lti_registration_hosts.size());
    const std::string host = o.lti_registration_hosts.substr(start, comma - start);
    if (host.empty() || host.find_first_of(" /:@?#") != std::string::npos)
      return bad("lti.registration_hosts", "must be host names separated by commas, without scheme, port or path");
    start = comma + 1;
  }
  // The keyring is parsed (and refused with the entry at fault) at start,
  // not when the first record is written.
  MENTORING_RETURN_IF_ERROR(
      storage::AesGcmCipher::from_config(o.privacy_demographics_keys, o.privacy_demographics_key_version).status());
  if (o.log_level != "debug" && o.log_level != "info" && o.log_level != "warning" && o.log_level != "error")
    return bad("log.level", "must be one of debug, info, warning, error");
  return Status::ok();
}

Status check_webhook_options(const Options& o) {
  auto secrets = parse_webhook_secrets(o.webhook_inbound_secrets, "webhook.inbound_secrets");
  if (!secrets) return secrets.status();
  secrets = parse_webhook_secrets(o.webhook_outbound_secrets, "webhook.outbound_secrets");
  if (!secrets) return secrets.status();
  if (!o.webhook_target_url.empty()) {
    auto url = boost::urls::parse_absolute_uri(o.webhook_target_url);
    if (!url || (url->scheme() != "http" && url->scheme() != "https") || url->host().empty() || url->has_fragment())
      return bad("webhook.target_url", "must be an absolute http or https URL without a fragment");
    if (secrets->empty()) return bad("webhook.outbound_secrets", "must be set when webhook.target_url is set");
  }
  if (o.webhook_retry_base_seconds > o.webhook_retry_max_seconds)
    return bad("webhook.retry_base_seconds", "must not be longer than webhook.retry_max_seconds");
  return Status::ok();
}

Status apply(Options& o, const std::string& key, const json::value& v) {
  for (const Spec& s : specs()) {
    if (key != s.key) continue;
    switch (s.type) {
      case Type::kString:
        if (!v.is_string()) return bad(key, "must be a string");
        break;
      case Type::kBool:
        if (!v.is_bool()) return bad(key, "must be true or false");
        break;
      case Type::kInt: {
        std::int64_t n;
        if (v.is_int64()) n = v.as_int64();
        else if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
          n = static_cast<std::int64_t>(v.as_uint64());
        else return bad(key, "must be a whole number");
        if (n < s.min || n > s.max)
          return bad(key, "must be between " + std::to_string(s.min) + " and " + std::to_string(s.max));
        s.set(o, json::value(n));
        return Status::ok();
      }
    }
    s.set(o, v);
    return Status::ok();
  }
  return Status::invalid("config_unknown_key", "Configuration has an unknown key: " + key, key);
}

Status walk(Options& o, const json::object& obj, const std::string& prefix) {
  for (const auto& [k, v] : obj) {
    const std::string key = prefix.empty() ? std::string(k) : prefix + "." + std::string(k);
    if (v.is_object()) {
      MENTORING_RETURN_IF_ERROR(walk(o, v.as_object(), key));
    } else {
      MENTORING_RETURN_IF_ERROR(apply(o, key, v));
    }
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<webhook::WebhookSecret>> parse_webhook_secrets(std::string_view text, std::string_view key) {
  std::vector<webhook::WebhookSecret> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = text.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) break;
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    auto secret = webhook::WebhookSecret::parse(text.substr(start, end - start));
    if (!secret)
      return bad(std::string(key), "must be whsec_ secrets (whsec_ and standard base64 of 24 to 64 bytes) separated "
                                   "by spaces; entry " + std::to_string(out.size() + 1) + " is not");
    out.push_back(std::move(secret).value());
    pos = end;
  }
  return out;
}

int Options::log_level_number() const {
  if (log_level == "debug") return 0;
  if (log_level == "warning") return 2;
  if (log_level == "error") return 3;
  return 1;
}

Result<Options> parse_options(std::string_view text) {
  Options o;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return o;
  boost::system::error_code ec;
  json::parse_options popts;
  popts.max_depth = 8;
  json::value root = json::parse(text, ec, {}, popts);
  if (ec) return Status::invalid("config_invalid_json", "Configuration is not valid JSON: " + ec.message());
  if (!root.is_object()) return Status::invalid("config_not_object", "Configuration must be a JSON object.");
  MENTORING_RETURN_IF_ERROR(walk(o, root.as_object(), ""));
  MENTORING_RETURN_IF_ERROR(check_semantics(o));
  return o;
}

const std::string& describe_options() {
  static const std::string text = [] {
    const Options defaults;
    json::array out;
    for (const Spec& s : specs()) {
      json::object row;
      row["key"] = s.key;
      row["type"] = type_name(s.type);
      row["default"] = s.get(defaults);
      row["description"] = s.description;
      row["secret"] = s.secret;
      if (s.type == Type::kInt) {
        row["min"] = s.min;
        row["max"] = s.max;
      }
      out.push_back(std::move(row));
    }
    return json::serialize(out);
  }();
  return text;
}

std::string options_to_redacted_json(const Options& o) {
  json::object root;
  for (const Spec& s : specs()) {
    const std::string key = s.key;
    const auto dot = key.find('.');
    json::object& section = root[key.substr(0, dot)].is_object()
                                ? root[key.substr(0, dot)].as_object()
                                : root[key.substr(0, dot)].emplace_object();
    json::value v = s.get(o);
    if (s.secret && v.is_string() && !v.as_string().empty()) v = "(set)";
    section[key.substr(dot + 1)] = std::move(v);
  }
  return json::serialize(root);
}

}  // namespace mentoring::runtime
