// JOSE for LTI 1.3: base64url (RFC 4648 section 5), compact JWS (RFC 7515),
// RSA JWK and JWK Sets (RFC 7517, RFC 7518 section 6.3), and signing of the
// tool's own messages.
//
// Everything here is pure: values in, values out. Nothing fetches a JWKS,
// reads a file or the clock; the caller does that and hands the bytes in.
// The only randomness is OpenSSL's, used by generate_rsa_key() and by PSS.
//
// Hardening follows RFC 8725 (JWT Best Current Practices):
//   - the algorithm comes from an allow-list the caller owns (RS256 by
//     default); "none" and the HMAC algorithms cannot be expressed in
//     JwsAlg at all, so no configuration can let them in;
//   - keys come only from the JWKS the caller configured: headers that carry
//     or point at keys (jku, x5u, jwk, x5c) are refused, as is any "crit";
//   - JSON with duplicate member names is refused at every depth, so two
//     parsers can never disagree about which "alg" or "iss" was meant;
//   - sizes are checked before anything is decoded.
//
// Error reasons are stable snake_case strings (listed on each function).
// No exception escapes this file's functions.
#pragma once

#include <openssl/evp.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace mentoring::lti {

// ---------------------------------------------------------------------------
// base64url

// Unpadded base64url of `bytes` (RFC 7515 section 2, "Base64url Encoding").
std::string base64url_encode(std::string_view bytes);

// Strict decoder: only A-Z a-z 0-9 '-' '_' are accepted; padding ('='),
// whitespace, the standard alphabet's '+' and '/', a length of 4k+1, and
// non-zero unused bits in the last character are all refused, so every
// byte string has exactly one accepted encoding.
// Error: invalid_argument "base64url_invalid".
core::Result<std::string> base64url_decode(std::string_view text);

// ---------------------------------------------------------------------------
// Strict JSON

// Default nesting limit for JOSE headers, claims and JWK Sets. LTI claims
// are at most four or five levels deep.
inline constexpr std::size_t kJoseJsonMaxDepth = 32;

// Parses RFC 8259 JSON (no comments, no trailing commas, UTF-8 checked) with
// Boost.JSON's basic_parser and a handler that refuses an object with two
// members of the same name, at any depth (Boost.JSON's own parser silently
// keeps the last one).
// Errors (invalid_argument): "json_duplicate_member" (the message names the
// member), "json_too_deep", "json_invalid".
core::Result<boost::json::value> parse_json_strict(std::string_view text,
                                                   std::size_t max_depth = kJoseJsonMaxDepth);

// ---------------------------------------------------------------------------
// Algorithms

// The signature algorithms this code can verify. Only asymmetric RSA ones:
// HMAC (HS*) would let anyone holding the platform's public key forge
// tokens, and "none" is no signature at all.
enum class JwsAlg { kRs256, kRs384, kRs512, kPs256 };
using JwsAlgSet = std::set<JwsAlg>;

// "RS256", "RS384", "RS512", "PS256".
const char* jws_alg_name(JwsAlg alg);
// The JwsAlg with that exact (case-sensitive) name, or nullopt.
std::optional<JwsAlg> jws_alg_from_name(std::string_view name);
// {RS256}: what LTI 1.3 requires platforms to support.
JwsAlgSet default_jws_algs();

// ---------------------------------------------------------------------------
// Keys

// Owns one EVP_PKEY reference. Copying takes another reference
// (EVP_PKEY_up_ref), so copies are cheap and share the immutable key.
class EvpPkey {
 public:
  EvpPkey() = default;
  // Takes ownership of `key` (may be null).
  explicit EvpPkey(EVP_PKEY* key) : key_(key) {}
  EvpPkey(const EvpPkey& other);
  EvpPkey& operator=(const EvpPkey& other);
  EvpPkey(EvpPkey&& other) noexcept : key_(other.key_) { other.key_ = nullptr; }
  EvpPkey& operator=(EvpPkey&& other) noexcept;
  ~EvpPkey();

  EVP_PKEY* get() const { return key_; }
  explicit operator bool() const { return key_ != nullptr; }
  // Gives up ownership; the caller must EVP_PKEY_free() the result.
  EVP_PKEY* release();

 private:
  EVP_PKEY* key_ = nullptr;
};

// Smallest RSA modulus accepted from a JWKS or for signing (RFC 7518
// section 3.3 requires 2048 bits for RS256).
inline constexpr int kMinRsaBits = 2048;
// Largest accepted, so a hostile JWKS cannot make every verification slow.
inline constexpr int kMaxRsaBits = 8192;

// One RSA public signing key from a JWK Set.
struct Jwk {
  std::string kid;                 // empty when the JWK has no "kid"
  std::optional<JwsAlg> alg;       // the JWK's "alg", when it declares one
  int modulus_bits = 0;
  EvpPkey key;                     // public key, never null in a parsed Jwk
};

// Largest JWKS document parse() accepts.
inline constexpr std::size_t kMaxJwksBytes = 64 * 1024;
// Most keys kept from one JWKS.
inline constexpr std::size_t kMaxJwksKeys = 32;

// A platform's RSA signing keys.
class Jwks {
 public:
  Jwks() = default;
  explicit Jwks(std::vector<Jwk> keys) : keys_(std::move(keys)) {}

  // Parses a JWK Set document: {"keys":[...]}. For each member of "keys":
  //   - not an object: the whole document is refused (jwks_malformed);
  //   - "kty" other than "RSA" (EC, oct, OKP...): ignored;
  //   - "use" present and not "sig", or "alg" present and naming an
  //     algorithm that is not RS256/RS384/RS512/PS256 (an encryption key,
  //     say): ignored;
  //   - otherwise it must be a well-formed RSA public key: "n" and "e"
  //     base64url strings, modulus of kMinRsaBits..kMaxRsaBits bits, odd
  //     public exponent of at least 3. A key that fails refuses the whole
  //     document: a platform publishing a broken or weak signing key is
  //     misconfigured and should be told, not silently half-trusted.
  // Two keys with the same non-empty "kid" are refused, as is a set left
  // with no usable key.
  // Errors (invalid_argument): "jwks_too_large", "json_duplicate_member",
  // "json_invalid", "json_too_deep", "jwks_malformed", "jwk_malformed",
  // "jwk_key_too_short", "jwk_key_too_long", "jwk_exponent_invalid",
  // "jwks_duplicate_kid", "jwks_no_usable_keys".
  static core::Result<Jwks> parse(std::string_view json_text);

  const std::vector<Jwk>& keys() const { return keys_; }
  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  // The key with exactly that kid, or null.
  const Jwk* find(std::string_view kid) const;

 private:
  std::vector<Jwk> keys_;
};

// ---------------------------------------------------------------------------
// Compact JWS

struct Jws {
  boost::json::object header;   // the decoded JOSE header
  boost::json::object payload;  // the decoded payload (JWT claims)
  std::string signing_input;    // the first two parts, dot included: what was signed
  std::string signature;        // raw signature bytes (may be empty)
  std::string alg;              // header "alg" as sent (checked later)
  std::optional<std::string> kid;  // header "kid", when present
};

// Splits and decodes a compact JWS. Checks, in order:
//   - at most `max_bytes` bytes, before anything else ("jws_too_large");
//   - only base64url characters and exactly two dots, i.e. three parts, the
//     first two non-empty ("jws_malformed"); the signature part may be empty
//     here so that an unsigned token is refused by the algorithm check with
//     a precise reason;
//   - each part strictly base64url ("jws_malformed");
//   - header and payload are JSON objects ("jws_malformed"), without
//     duplicate member names ("jws_duplicate_member");
//   - the header has a string "alg", and "kid" if present is a string
//     ("jws_malformed").
// The signature is NOT checked here; nothing in the result may be trusted
// before check_jws_header() and verify_signature() pass.
core::Result<Jws> parse_compact_jws(std::string_view token, std::size_t max_bytes);

// Header policy:
//   - "alg" names an algorithm in `allowed` ("jws_alg_not_allowed": covers
//     "none", "HS256" and any unknown name);
//   - no "jku", "x5u", "jwk", "x5c" (keys only come from the configured
//     JWKS) and no "crit" (we understand no extensions)
//     ("jws_header_forbidden", the field is the header name).
core::Status check_jws_header(const Jws& jws, const JwsAlgSet& allowed);

// Chooses the key: the header's "kid" must name a key of `jwks`
// ("jws_kid_unknown": the caller may refetch the JWKS once, rate-limited,
// and try again); without "kid" the JWKS must hold exactly one key
// ("jws_kid_missing"). A key that declares an "alg" must declare the
// header's ("jws_key_alg_mismatch").
core::Result<const Jwk*> select_jwk(const Jws& jws, const Jwks& jwks);

// Verifies the signature over jws.signing_input with the selected key via
// EVP_DigestVerify: RSASSA-PKCS1-v1_5 for RS*, RSASSA-PSS with MGF1 and a
// salt as long as the hash for PS256. The signature must be exactly the
// modulus size. Runs check_jws_header() and select_jwk() first, so the
// same reasons can come back, plus "jws_signature_invalid"
// (unauthenticated).
core::Status verify_signature(const Jws& jws, const Jwks& jwks, const JwsAlgSet& allowed = default_jws_algs());

// ---------------------------------------------------------------------------
// The tool's own keys and signatures
//
// Functions taking EVP_PKEY* borrow the key (EvpPkey::get()); a null key is
// refused with "key_not_rsa".

// A new RSA key pair of `bits` bits. Errors: invalid_argument "key_too_short"
// when bits is outside kMinRsaBits..kMaxRsaBits; internal
// "key_generation_failed".
core::Result<EvpPkey> generate_rsa_key(int bits = kMinRsaBits);

// PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted: the caller
// stores it with the protection its configuration demands.
core::Result<std::string> private_key_to_pem(EVP_PKEY* key);
// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
core::Result<std::string> public_key_to_pem(EVP_PKEY* key);
// Reads an RSA private key (PKCS#8 or PKCS#1 PEM) of at least kMinRsaBits.
// Errors (invalid_argument): "pem_invalid", "key_not_rsa", "key_too_short".
core::Result<EvpPkey> private_key_from_pem(std::string_view pem);
// Reads an RSA public key (SubjectPublicKeyInfo PEM). Same errors.
core::Result<EvpPkey> public_key_from_pem(std::string_view pem);

// The public half of an RSA key as a JWK:
// {"kty":"RSA","n":...,"e":...,"kid":kid,"alg":"RS256","use":"sig"}
// ("kid" left out when empty). Error: invalid_argument "key_not_rsa".
core::Result<boost::json::object> public_jwk(EVP_PKEY* key, std::string_view kid);

// RFC 7638 JWK thumbprint (SHA-256, base64url) of an RSA public key: a
// stable, content-derived kid. Error: invalid_argument "key_not_rsa".
core::Result<std::string> jwk_thumbprint(EVP_PKEY* key);

// Signs `payload` with RS256 and returns the compact JWS. The header is
// `header` with "alg" set to "RS256" and, when `kid` is not empty, "kid"
// set to `kid` (replacing whatever the caller put there).
// Errors: invalid_argument "key_not_rsa", "key_too_short" (the key must be
// an RSA private key of at least kMinRsaBits); internal "signing_failed".
core::Result<std::string> sign_rs256(const boost::json::object& header,
                                     const boost::json::object& payload, EVP_PKEY* key,
                                     std::string_view kid);

}  // namespace mentoring::lti
