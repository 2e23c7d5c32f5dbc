// Standard Webhooks (https://www.standardwebhooks.com, specification 1.0.0)
// symmetric signatures: HMAC-SHA256 over "{id}.{timestamp}.{body}", sent as
// "v1,<base64>" in the `webhook-signature` header.
//
// Everything here is pure: no clock, no randomness, no I/O. The caller passes
// the current time and the raw request bytes, and gets a Status back. The body
// is never parsed here: the caller verifies first and parses only a body
// whose signature passed ("signature first, parsing after").
//
// Replay protection has two halves. The timestamp window is checked here. The
// `webhook-id` is the idempotency key: it stays the same across retries of one
// event, and the inbox table (not this file) rejects an id it has already
// processed. Together they mean a captured request cannot be replayed after
// the window closes, nor processed twice inside it.
//
// Header names are the unbranded `webhook-*` ones only. The `svix-*` aliases
// are not accepted: the specification says headers "should be prefixed with
// `webhook-` and follow the exact naming", and none of the reference
// libraries in standard-webhooks/standard-webhooks (Python, JavaScript, Go,
// Rust) look at any other name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.h"
#include "core/status.h"

namespace mentoring::webhook {

// The secret serialisation prefix from the specification.
inline constexpr std::string_view kSecretPrefix = "whsec_";
// Key sizes the specification allows: at least 24 bytes (192 bits), at most
// 64 bytes (512 bits).
inline constexpr std::size_t kMinSecretBytes = 24;
inline constexpr std::size_t kMaxSecretBytes = 64;
// Longest `webhook-id` accepted or sent.
inline constexpr std::size_t kMaxIdLength = 256;
// Most entries read from one `webhook-signature` header. A sender signs once
// per live secret, so a handful is normal; the cap bounds the work an
// attacker can make us do per request.
inline constexpr std::size_t kMaxSignatureEntries = 16;

inline constexpr std::string_view kIdHeader = "webhook-id";
inline constexpr std::string_view kTimestampHeader = "webhook-timestamp";
inline constexpr std::string_view kSignatureHeader = "webhook-signature";

// An HMAC-SHA256 signing key shared with one host. Copyable; the key bytes
// are wiped from memory when an instance is destroyed or overwritten.
class WebhookSecret {
 public:
  // Parses "whsec_" followed by standard, padded base64 (RFC 4648 section 4)
  // of 24 to 64 bytes. The prefix is required (a bare base64 string, or a
  // "whsk_"/"whpk_" asymmetric key, is rejected) so a key pasted into the
  // wrong setting is caught at configuration time. Whitespace, URL-safe
  // characters, missing or extra padding and non-zero padding bits are all
  // rejected. Error reason: webhook_secret_invalid.
  static core::Result<WebhookSecret> parse(std::string_view serialized);
  // Wraps raw key bytes (24 to 64 of them). Error: webhook_secret_invalid.
  static core::Result<WebhookSecret> from_bytes(std::span<const unsigned char> key);

  WebhookSecret(const WebhookSecret& other);
  WebhookSecret(WebhookSecret&& other) noexcept;
  WebhookSecret& operator=(const WebhookSecret& other);
  WebhookSecret& operator=(WebhookSecret&& other) noexcept;
  ~WebhookSecret();

  // "whsec_<base64>", the form parse() accepts; for showing a newly
  // generated secret to an administrator once. Never log it.
  std::string serialize() const;
  std::span<const unsigned char> bytes() const { return key_; }

 private:
  explicit WebhookSecret(std::vector<unsigned char> key) : key_(std::move(key)) {}
  void wipe();

  std::vector<unsigned char> key_;
};

// Checks a message id against the rules this plugin applies on both sides:
// 1 to 256 printable ASCII characters (0x21-0x7E) and no '.'. The
// specification warns that a '.' in the id makes "{id}.{timestamp}.{body}"
// ambiguous, so it is refused outright. Error reason: webhook_id_invalid.
core::Status validate_id(std::string_view msg_id);

// The signature of one message under one secret: "v1," followed by the
// base64 HMAC-SHA256 of "{msg_id}.{timestamp}.{body}", where timestamp is
// written in decimal with no sign or leading zeros. `body` is the exact bytes
// sent (any bytes, including NUL and non-UTF-8). Errors: webhook_id_invalid,
// webhook_timestamp_invalid (negative or more than 18 digits),
// webhook_hmac_failed (OpenSSL).
core::Result<std::string> sign(const WebhookSecret& secret, std::string_view msg_id,
                               std::int64_t timestamp, std::string_view body);

// The three header values of a received webhook. Empty means absent (the
// reference libraries treat an empty value as missing too). The views must
// outlive the call to verify().
struct Headers {
  std::string_view id;         // webhook-id
  std::string_view timestamp;  // webhook-timestamp
  std::string_view signature;  // webhook-signature
};

// Reads the three headers from a request (names are case-insensitive). A
// header that appears more than once is an error (webhook_header_duplicated),
// because a proxy and the plugin might otherwise disagree about which copy
// counts. The result points into `request`.
core::Result<Headers> headers_from(const http::Request& request);

struct VerifyOptions {
  // How far the `webhook-timestamp` may be from now, either way, in seconds.
  // A difference of exactly this many seconds is accepted. Default: 300,
  // the five minutes every reference library uses.
  std::int64_t tolerance_seconds = 300;
  // Largest body accepted, in bytes; checked before anything else. Default:
  // 1 MiB (the specification recommends payloads well under 20 kB).
  std::size_t max_body_bytes = 1024 * 1024;
};

// Verifies a received webhook. `secrets` are the host's current secrets (more
// than one during rotation): the request passes if any v1 entry in the
// signature header matches the HMAC under any secret. `raw_body` must be the
// bytes exactly as received, before any decoding or JSON parsing.
//
// Checks, in order, each failing with its own reason:
//   1. body size            webhook_body_too_large       (resource_exhausted)
//   2. secrets configured   webhook_secret_missing       (failed_precondition)
//   3. headers present      webhook_id_missing, webhook_timestamp_missing
//                                                        (invalid_argument),
//                           webhook_signature_missing    (unauthenticated)
//   4. id format            webhook_id_invalid           (invalid_argument)
//   5. timestamp format     webhook_timestamp_invalid    (invalid_argument):
//                           decimal digits only, no sign, no leading zeros
//   6. timestamp window     webhook_timestamp_too_old,
//                           webhook_timestamp_in_future  (unauthenticated)
//   7. signature header     webhook_signature_malformed  (invalid_argument):
//                           an entry without a ',' or more than
//                           kMaxSignatureEntries entries
//                           webhook_signature_unsupported (unauthenticated):
//                           no "v1" entry (e.g. only "v1a" or "v2")
//   8. HMAC comparison      webhook_signature_invalid    (unauthenticated):
//                           no v1 entry matches; entries that are not valid
//                           base64 of 32 bytes simply do not match
// Comparison is constant-time (CRYPTO_memcmp) over the 32 HMAC bytes.
core::Status verify(const std::vector<WebhookSecret>& secrets, const Headers& headers,
                    std::string_view raw_body, std::int64_t now_seconds,
                    const VerifyOptions& options = {});

}  // namespace mentoring::webhook
