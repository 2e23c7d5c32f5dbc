#include "adapters/webhook/signature.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <optional>

namespace mentoring::webhook {
namespace {

using core::Result;
using core::Status;

constexpr std::size_t kHmacBytes = 32;  // SHA-256 output
using Mac = std::array<unsigned char, kHmacBytes>;

// Longest base64 text decoded here. Secrets are at most 88 characters and
// signatures 44; the cap keeps the int arithmetic of EVP_DecodeBlock far
// from overflow whatever a header contains.
constexpr std::size_t kMaxBase64Chars = 1024;

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '/';
}

std::string base64_encode(std::span<const unsigned char> bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // +1: EVP writes a NUL
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// Standard padded base64, strictly: only the RFC 4648 alphabet, length a
// multiple of four, at most two '=' and only at the end, and zero padding
// bits. EVP_DecodeBlock alone would skip surrounding whitespace, count
// padding as zero bytes and ignore stray bits, so the text is checked before
// decoding and the result re-encoded to prove it is the one canonical
// spelling of those bytes.
std::optional<std::vector<unsigned char>> base64_decode_strict(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > kMaxBase64Chars) return std::nullopt;
  std::size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  for (std::size_t i = 0; i < text.size() - padding; ++i)
    if (!is_base64_char(text[i])) return std::nullopt;

  std::vector<unsigned char> out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0 || static_cast<std::size_t>(n) != out.size()) return std::nullopt;
  out.resize(out.size() - padding);
  if (base64_encode(out) != text) return std::nullopt;
  return out;
}

// HMAC-SHA256 over "{id}.{timestamp}.{body}", fed in pieces so a large body
// is never copied.
bool compute_mac(std::span<const unsigned char> key, std::string_view msg_id,
                 std::string_view timestamp, std::string_view body, Mac& out) {
  // Fetching the algorithm is comparatively slow, so it is done once. An
  // EVP_MAC is reference counted and safe to share between threads.
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (hmac == nullptr) return false;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_new(hmac),
                                                                 &EVP_MAC_CTX_free);
  if (!ctx) return false;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) return false;
  auto update = [&](std::string_view piece) {
    return piece.empty() ||
           EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(piece.data()),
                          piece.size()) == 1;
  };
  if (!update(msg_id) || !update(".") || !update(timestamp) || !update(".") || !update(body))
    return false;
  std::size_t written = 0;
  if (EVP_MAC_final(ctx.get(), out.data(), &written, out.size()) != 1) return false;
  return written == out.size();
}

// Decimal seconds with no sign, no leading zeros and at most 18 digits (so it
// fits an int64). The canonical form matters: the reference libraries sign
// the number re-printed, not the header text, so "01614265330" would be
// signed by them as "1614265330".
std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

Status secret_invalid(std::string message) {
  return Status::invalid("webhook_secret_invalid", std::move(message), "webhook_secret");
}

}  // namespace

// --- WebhookSecret ---------------------------------------------------------

Result<WebhookSecret> WebhookSecret::parse(std::string_view serialized) {
  if (serialized.substr(0, kSecretPrefix.size()) != kSecretPrefix)
    return secret_invalid("The webhook secret must start with \"whsec_\".");
  std::string_view encoded = serialized.substr(kSecretPrefix.size());
  if (encoded.empty()) return secret_invalid("The webhook secret is empty after \"whsec_\".");
  auto key = base64_decode_strict(encoded);
  if (!key)
    return secret_invalid(
        "The webhook secret after \"whsec_\" is not valid standard base64 with padding.");
  Result<WebhookSecret> secret = from_bytes(*key);
  OPENSSL_cleanse(key->data(), key->size());
  return secret;
}

Result<WebhookSecret> WebhookSecret::from_bytes(std::span<const unsigned char> key) {
  if (key.size() < kMinSecretBytes || key.size() > kMaxSecretBytes)
    return secret_invalid("The webhook secret must decode to between 24 and 64 bytes, not " +
                          std::to_string(key.size()) + ".");
  return WebhookSecret(std::vector<unsigned char>(key.begin(), key.end()));
}

WebhookSecret::WebhookSecret(const WebhookSecret& other) : key_(other.key_) {}
WebhookSecret::WebhookSecret(WebhookSecret&& other) noexcept : key_(std::move(other.key_)) {
  other.key_.clear();
}
WebhookSecret& WebhookSecret::operator=(const WebhookSecret& other) {
  if (this != &other) {
    wipe();
    key_ = other.key_;
  }
  return *this;
}
WebhookSecret& WebhookSecret::operator=(WebhookSecret&& other) noexcept {
  if (this != &other) {
    wipe();
    key_ = std::move(other.key_);
    other.key_.clear();
  }
  return *this;
}
WebhookSecret::~WebhookSecret() { wipe(); }

void WebhookSecret::wipe() {
  if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
  key_.clear();
}

std::string WebhookSecret::serialize() const {
  return std::string(kSecretPrefix) + base64_encode(key_);
}

// --- signing ----------------------------------------------------------------

Status validate_id(std::string_view msg_id) {
  if (msg_id.empty() || msg_id.size() > kMaxIdLength)
    return Status::invalid("webhook_id_invalid",
                           "The webhook-id must be between 1 and 256 characters long.",
                           std::string(kIdHeader));
  for (char c : msg_id) {
    if (c < 0x21 || c > 0x7e)
      return Status::invalid("webhook_id_invalid",
                             "The webhook-id may contain only printable ASCII characters "
                             "without spaces.",
                             std::string(kIdHeader));
    if (c == '.')
      return Status::invalid("webhook_id_invalid", "The webhook-id must not contain a '.'.",
                             std::string(kIdHeader));
  }
  return Status::ok();
}

Result<std::string> sign(const WebhookSecret& secret, std::string_view msg_id,
                         std::int64_t timestamp, std::string_view body) {
  MENTORING_RETURN_IF_ERROR(validate_id(msg_id));
  // The same range verify() accepts: 0 to 18 decimal digits.
  if (timestamp < 0 || timestamp > 999'999'999'999'999'999)
    return Status::invalid("webhook_timestamp_invalid",
                           "The webhook timestamp must be whole seconds since 1970, at most 18 digits.",
                           std::string(kTimestampHeader));
  Mac mac;
  if (!compute_mac(secret.bytes(), msg_id, std::to_string(timestamp), body, mac))
    return Status::internal("webhook_hmac_failed", "OpenSSL could not compute the HMAC-SHA256.");
  return "v1," + base64_encode(mac);
}

// --- verification -------------------------------------------------------------

Result<Headers> headers_from(const http::Request& request) {
  Headers out;
  struct Slot {
    std::string_view name;
    std::string_view* value;
    bool seen = false;
  };
  Slot slots[] = {{kIdHeader, &out.id}, {kTimestampHeader, &out.timestamp},
                  {kSignatureHeader, &out.signature}};
  for (const auto& header : request.headers) {
    for (auto& slot : slots) {
      if (!iequals(header.name, slot.name)) continue;
      if (slot.seen)
        return Status::invalid("webhook_header_duplicated",
                               "The " + std::string(slot.name) + " header appears more than once.",
                               std::string(slot.name));
      slot.seen = true;
      *slot.value = header.value;
    }
  }
  return out;
}

Status verify(const std::vector<WebhookSecret>& secrets, const Headers& headers,
              std::string_view raw_body, std::int64_t now_seconds, const VerifyOptions& options) {
  // 1. Size first: nothing else, least of all an HMAC over the body, runs on
  // a request that is too big.
  if (raw_body.size() > options.max_body_bytes)
    return Status::resource_exhausted("webhook_body_too_large",
                                      "The webhook body is larger than " +
                                          std::to_string(options.max_body_bytes) + " bytes.");
  if (secrets.empty())
    return Status::failed_precondition("webhook_secret_missing",
                                       "No webhook secret is configured for this host.");

  // 2. Presence.
  if (headers.id.empty())
    return Status::invalid("webhook_id_missing", "The webhook-id header is missing.",
                           std::string(kIdHeader));
  if (headers.timestamp.empty())
    return Status::invalid("webhook_timestamp_missing", "The webhook-timestamp header is missing.",
                           std::string(kTimestampHeader));
  if (headers.signature.empty())
    return Status::unauthenticated("webhook_signature_missing",
                                   "The webhook-signature header is missing.");

  // 3. Formats and the replay window.
  MENTORING_RETURN_IF_ERROR(validate_id(headers.id));
  std::optional<std::int64_t> timestamp = parse_timestamp(headers.timestamp);
  if (!timestamp)
    return Status::invalid("webhook_timestamp_invalid",
                           "The webhook-timestamp must be whole seconds since 1970 in decimal.",
                           std::string(kTimestampHeader));
  const std::uint64_t tolerance =
      options.tolerance_seconds > 0 ? static_cast<std::uint64_t>(options.tolerance_seconds) : 0;
  // Unsigned differences cannot overflow whatever `now_seconds` is.
  if (now_seconds >= *timestamp) {
    if (static_cast<std::uint64_t>(now_seconds) - static_cast<std::uint64_t>(*timestamp) >
        tolerance)
      return Status::unauthenticated("webhook_timestamp_too_old",
                                     "The webhook-timestamp is too far in the past.");
  } else if (static_cast<std::uint64_t>(*timestamp) - static_cast<std::uint64_t>(now_seconds) >
             tolerance) {
    return Status::unauthenticated("webhook_timestamp_in_future",
                                   "The webhook-timestamp is too far in the future.");
  }

  // 4. The signature list: "v1,<b64>" entries separated by spaces. Other
  // versions (v1a is the asymmetric scheme) are skipped, as the reference
  // libraries do, so a sender may add them without breaking us.
  std::vector<std::string_view> v1_entries;
  std::size_t entries = 0;
  std::string_view rest = headers.signature;
  while (!rest.empty()) {
    std::size_t space = rest.find(' ');
    std::string_view entry = rest.substr(0, space);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
    if (entry.empty()) continue;  // tolerate doubled spaces
    if (++entries > kMaxSignatureEntries)
      return Status::invalid("webhook_signature_malformed",
                             "The webhook-signature header has more than " +
                                 std::to_string(kMaxSignatureEntries) + " entries.",
                             std::string(kSignatureHeader));
    std::size_t comma = entry.find(',');
    if (comma == std::string_view::npos)
      return Status::invalid("webhook_signature_malformed",
                             "Each webhook-signature entry must be a version, a comma and a "
                             "signature.",
                             std::string(kSignatureHeader));
    if (entry.substr(0, comma) == "v1") v1_entries.push_back(entry.substr(comma + 1));
  }
  if (v1_entries.empty())
    return Status::unauthenticated("webhook_signature_unsupported",
                                   "The webhook-signature header has no v1 (HMAC-SHA256) "
                                   "signature.");

  // 5. HMAC under every secret, then compare each entry against each. An
  // entry that is not base64 of exactly 32 bytes cannot match: its length is
  // not secret, so rejecting it early leaks nothing. Equal-length
  // comparisons use CRYPTO_memcmp, whose time does not depend on where the
  // bytes differ.
  std::vector<Mac> expected(secrets.size());
  for (std::size_t i = 0; i < secrets.size(); ++i)
    if (!compute_mac(secrets[i].bytes(), headers.id, headers.timestamp, raw_body, expected[i]))
      return Status::internal("webhook_hmac_failed", "OpenSSL could not compute the HMAC-SHA256.");
  bool matched = false;
  for (std::string_view entry : v1_entries) {
    std::optional<std::vector<unsigned char>> given = base64_decode_strict(entry);
    if (!given || given->size() != kHmacBytes) continue;
    for (const Mac& mac : expected)
      if (CRYPTO_memcmp(given->data(), mac.data(), kHmacBytes) == 0) matched = true;
    if (matched) break;
  }
  for (Mac& mac : expected) OPENSSL_cleanse(mac.data(), mac.size());
  if (!matched)
    return Status::unauthenticated("webhook_signature_invalid",
                                   "No webhook signature matches the body and a configured secret.");
  return Status::ok();
}

}  // namespace mentoring::webhook
