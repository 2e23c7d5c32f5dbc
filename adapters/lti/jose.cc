#include "adapters/lti/jose.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>
#include <exception>
#include <memory>
#include <unordered_set>

namespace mentoring::lti {
namespace {

using core::Result;
using core::Status;

// ---------------------------------------------------------------------------
// base64url tables

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<signed char, 256> make_decode_table() {
  std::array<signed char, 256> table{};
  for (auto& entry : table) entry = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
  return table;
}
constexpr std::array<signed char, 256> kDecode = make_decode_table();

bool is_base64url_char(char c) { return kDecode[static_cast<unsigned char>(c)] >= 0; }

// ---------------------------------------------------------------------------
// OpenSSL RAII helpers, local to this file.

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// The OpenSSL error queue is per thread; leaving entries behind would make a
// later, unrelated call report a stale error.
void clear_openssl_errors() { ERR_clear_error(); }

bool is_rsa(EVP_PKEY* key) { return key != nullptr && EVP_PKEY_is_a(key, "RSA"); }

const EVP_MD* digest_for(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kRs256:
    case JwsAlg::kPs256:
      return EVP_sha256();
    case JwsAlg::kRs384:
      return EVP_sha384();
    case JwsAlg::kRs512:
      return EVP_sha512();
  }
  return nullptr;
}

// ---------------------------------------------------------------------------
// A basic_parser handler that builds a boost::json::value exactly like
// boost::json::parser does (through a value_stack), and additionally keeps,
// for every object being parsed, the set of member names seen so far.

class StrictHandler {
 public:
  static constexpr std::size_t max_object_size = boost::json::object::max_size();
  static constexpr std::size_t max_array_size = boost::json::array::max_size();
  static constexpr std::size_t max_key_size = boost::json::string::max_size();
  static constexpr std::size_t max_string_size = boost::json::string::max_size();

  StrictHandler() { stack_.reset(); }

  bool on_document_begin(boost::json::error_code&) { return true; }
  bool on_document_end(boost::json::error_code&) { return true; }
  bool on_object_begin(boost::json::error_code&) {
    keys_.emplace_back();
    return true;
  }
  bool on_object_end(std::size_t n, boost::json::error_code&) {
    keys_.pop_back();
    stack_.push_object(n);
    return true;
  }
  bool on_array_begin(boost::json::error_code&) { return true; }
  bool on_array_end(std::size_t n, boost::json::error_code&) {
    stack_.push_array(n);
    return true;
  }
  bool on_key_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    key_.append(s.data(), s.size());
    stack_.push_chars(s);
    return true;
  }
  bool on_key(boost::json::string_view s, std::size_t, boost::json::error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_.back().insert(key_).second) {
      duplicate_ = key_;
      // Any error stops the parser; duplicate_ tells the caller which one.
      ec = boost::json::error::syntax;
      return false;
    }
    key_.clear();
    stack_.push_key(s);
    return true;
  }
  bool on_string_part(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(boost::json::string_view s, std::size_t, boost::json::error_code&) {
    stack_.push_string(s);
    return true;
  }
  bool on_number_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_int64(std::int64_t i, boost::json::string_view, boost::json::error_code&) {
    stack_.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, boost::json::string_view, boost::json::error_code&) {
    stack_.push_uint64(u);
    return true;
  }
  bool on_double(double d, boost::json::string_view, boost::json::error_code&) {
    stack_.push_double(d);
    return true;
  }
  bool on_bool(bool b, boost::json::error_code&) {
    stack_.push_bool(b);
    return true;
  }
  bool on_null(boost::json::error_code&) {
    stack_.push_null();
    return true;
  }
  // Comments are off in the parse options; these are never called.
  bool on_comment_part(boost::json::string_view, boost::json::error_code&) { return true; }
  bool on_comment(boost::json::string_view, boost::json::error_code&) { return true; }

  boost::json::value release() { return stack_.release(); }
  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  boost::json::value_stack stack_;
  std::vector<std::unordered_set<std::string>> keys_;
  std::string key_;
  std::optional<std::string> duplicate_;
};

std::string printable(std::string_view s, std::size_t limit = 64) {
  std::string out;
  for (char c : s.substr(0, limit)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (s.size() > limit) out += "...";
  return out;
}

// ---------------------------------------------------------------------------
// JWK helpers

Result<BnPtr> decode_bignum(const boost::json::object& jwk, std::string_view name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->value().is_string()) {
    return Status::invalid("jwk_malformed", "An RSA key in the JWKS has no \"" + std::string(name) +
                                                "\" string.",
                           std::string(name));
  }
  const boost::json::string& text = it->value().get_string();
  auto bytes = base64url_decode(std::string_view(text.data(), text.size()));
  if (!bytes.is_ok() || bytes->empty()) {
    return Status::invalid("jwk_malformed", "An RSA key in the JWKS has an \"" + std::string(name) +
                                                "\" that is not base64url.",
                           std::string(name));
  }
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                         static_cast<int>(bytes->size()), nullptr);
  if (bn == nullptr) {
    clear_openssl_errors();
    return Status::internal("jwk_malformed", "Could not read an RSA key number.");
  }
  return BnPtr(bn);
}

Result<EvpPkey> rsa_public_key_from(const BIGNUM* n, const BIGNUM* e) {
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e)) {
    clear_openssl_errors();
    return Status::internal("jwk_import_failed", "Could not build RSA key parameters.");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) <= 0) {
    clear_openssl_errors();
    return Status::invalid("jwk_malformed", "An RSA key in the JWKS could not be imported.");
  }
  return EvpPkey(key);
}

Result<Jwk> parse_rsa_jwk(const boost::json::object& entry, std::optional<JwsAlg> alg) {
  auto n = decode_bignum(entry, "n");
  if (!n.is_ok()) return n.status();
  auto e = decode_bignum(entry, "e");
  if (!e.is_ok()) return e.status();
  int bits = BN_num_bits(n->get());
  if (bits < kMinRsaBits) {
    return Status::invalid("jwk_key_too_short", "An RSA key in the JWKS has a " + std::to_string(bits) +
                                                    "-bit modulus; at least " +
                                                    std::to_string(kMinRsaBits) + " bits are required.");
  }
  if (bits > kMaxRsaBits) {
    return Status::invalid("jwk_key_too_long", "An RSA key in the JWKS has a modulus longer than " +
                                                   std::to_string(kMaxRsaBits) + " bits.");
  }
  // e must be odd and at least 3; e = 1 would make "signatures" trivial.
  if (!BN_is_odd(e->get()) || BN_num_bits(e->get()) < 2 || BN_num_bits(e->get()) > 64) {
    return Status::invalid("jwk_exponent_invalid", "An RSA key in the JWKS has an invalid public exponent.");
  }
  auto key = rsa_public_key_from(n->get(), e->get());
  if (!key.is_ok()) return key.status();
  Jwk jwk;
  if (auto kid = entry.find("kid"); kid != entry.end()) {
    if (!kid->value().is_string()) {
      return Status::invalid("jwk_malformed", "A key in the JWKS has a \"kid\" that is not a string.", "kid");
    }
    jwk.kid = std::string(kid->value().get_string());
  }
  jwk.alg = alg;
  jwk.modulus_bits = bits;
  jwk.key = std::move(key).value();
  return jwk;
}

Result<std::string> bignum_param_b64(EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1 || raw == nullptr) {
    clear_openssl_errors();
    return Status::invalid("key_not_rsa", "The key has no RSA public numbers.");
  }
  BnPtr bn(raw);
  std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
  return base64url_encode(bytes);
}

Result<std::string> bio_to_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return Status::internal("pem_write_failed", "Could not write the PEM.");
  return std::string(data, static_cast<std::size_t>(len));
}

Status check_rsa_size(EVP_PKEY* key) {
  if (!is_rsa(key)) return Status::invalid("key_not_rsa", "The key is not an RSA key.");
  if (EVP_PKEY_get_bits(key) < kMinRsaBits) {
    return Status::invalid("key_too_short", "The RSA key is shorter than " + std::to_string(kMinRsaBits) +
                                                " bits.");
  }
  return Status::ok();
}

}  // namespace

// ---------------------------------------------------------------------------
// base64url

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8) | at(i + 2);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t v = at(i) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (rest == 2) {
    std::uint32_t v = (at(i) << 16) | (at(i + 1) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

Result<std::string> base64url_decode(std::string_view text) {
  auto invalid = [](std::string message) { return Status::invalid("base64url_invalid", std::move(message)); };
  if (text.size() % 4 == 1) return invalid("The base64url text has an impossible length.");
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = kDecode[static_cast<unsigned char>(c)];
    if (v < 0) {
      if (c == '=') return invalid("The base64url text has padding, which JOSE forbids.");
      return invalid("The base64url text has a character outside the URL-safe alphabet.");
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  // What is left over (2 or 4 bits) must be zero: otherwise two different
  // texts would decode to the same bytes.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
    return invalid("The base64url text has non-zero bits after its last byte.");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Strict JSON

Result<boost::json::value> parse_json_strict(std::string_view text, std::size_t max_depth) {
  try {
    boost::json::parse_options options;
    options.max_depth = max_depth;
    boost::json::basic_parser<StrictHandler> parser(options);
    boost::json::error_code ec;
    std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (!ec && used < text.size()) ec = boost::json::error::extra_data;
    if (ec) {
      if (parser.handler().duplicate()) {
        return Status::invalid("json_duplicate_member",
                               "The JSON has two members named \"" +
                                   printable(*parser.handler().duplicate()) + "\" in one object.");
      }
      if (ec == boost::json::error::too_deep) {
        return Status::invalid("json_too_deep", "The JSON is nested more than " +
                                                    std::to_string(max_depth) + " levels deep.");
      }
      return Status::invalid("json_invalid", "The text is not valid JSON (" + ec.message() + " at byte " +
                                                 std::to_string(used) + ").");
    }
    return parser.handler().release();
  } catch (const std::exception& e) {
    return Status::invalid("json_invalid", std::string("The JSON could not be parsed: ") + e.what());
  }
}

// ---------------------------------------------------------------------------
// Algorithms

const char* jws_alg_name(JwsAlg alg) {
  switch (alg) {
    case JwsAlg::kRs256:
      return "RS256";
    case JwsAlg::kRs384:
      return "RS384";
    case JwsAlg::kRs512:
      return "RS512";
    case JwsAlg::kPs256:
      return "PS256";
  }
  return "";
}

std::optional<JwsAlg> jws_alg_from_name(std::string_view name) {
  for (JwsAlg alg : {JwsAlg::kRs256, JwsAlg::kRs384, JwsAlg::kRs512, JwsAlg::kPs256}) {
    if (name == jws_alg_name(alg)) return alg;
  }
  return std::nullopt;
}

JwsAlgSet default_jws_algs() { return {JwsAlg::kRs256}; }

// ---------------------------------------------------------------------------
// EvpPkey

EvpPkey::EvpPkey(const EvpPkey& other) : key_(other.key_) {
  if (key_ != nullptr) EVP_PKEY_up_ref(key_);
}

EvpPkey& EvpPkey::operator=(const EvpPkey& other) {
  if (this != &other) {
    EvpPkey copy(other);
    std::swap(key_, copy.key_);
  }
  return *this;
}

EvpPkey& EvpPkey::operator=(EvpPkey&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(key_);
    key_ = other.key_;
    other.key_ = nullptr;
  }
  return *this;
}

EvpPkey::~EvpPkey() { EVP_PKEY_free(key_); }

EVP_PKEY* EvpPkey::release() {
  EVP_PKEY* key = key_;
  key_ = nullptr;
  return key;
}

// ---------------------------------------------------------------------------
// Jwks

const Jwk* Jwks::find(std::string_view kid) const {
  for (const Jwk& jwk : keys_) {
    if (!jwk.kid.empty() && jwk.kid == kid) return &jwk;
  }
  return nullptr;
}

Result<Jwks> Jwks::parse(std::string_view json_text) {
  if (json_text.size() > kMaxJwksBytes) {
    return Status::invalid("jwks_too_large", "The JWKS document is larger than " +
                                                 std::to_string(kMaxJwksBytes) + " bytes.");
  }
  auto parsed = parse_json_strict(json_text);
  if (!parsed.is_ok()) return parsed.status();
  if (!parsed->is_object()) return Status::invalid("jwks_malformed", "The JWKS document is not a JSON object.");
  const boost::json::object& doc = parsed->get_object();
  auto keys_it = doc.find("keys");
  if (keys_it == doc.end() || !keys_it->value().is_array()) {
    return Status::invalid("jwks_malformed", "The JWKS document has no \"keys\" array.", "keys");
  }
  std::vector<Jwk> keys;
  for (const boost::json::value& item : keys_it->value().get_array()) {
    if (!item.is_object()) return Status::invalid("jwks_malformed", "A member of \"keys\" is not an object.");
    const boost::json::object& entry = item.get_object();
    auto kty = entry.find("kty");
    if (kty == entry.end() || !kty->value().is_string()) {
      return Status::invalid("jwk_malformed", "A key in the JWKS has no \"kty\" string.", "kty");
    }
    // Other key types may sit beside the RSA keys (a platform can publish
    // EC keys for other purposes): they are simply not ours to use.
    if (kty->value().get_string() != "RSA") continue;
    if (auto use = entry.find("use"); use != entry.end()) {
      if (!use->value().is_string()) {
        return Status::invalid("jwk_malformed", "A key in the JWKS has a \"use\" that is not a string.", "use");
      }
      if (use->value().get_string() != "sig") continue;  // an encryption key
    }
    std::optional<JwsAlg> alg;
    if (auto a = entry.find("alg"); a != entry.end()) {
      if (!a->value().is_string()) {
        return Status::invalid("jwk_malformed", "A key in the JWKS has an \"alg\" that is not a string.", "alg");
      }
      const boost::json::string& name = a->value().get_string();
      alg = jws_alg_from_name(std::string_view(name.data(), name.size()));
      if (!alg) continue;  // RSA-OAEP or another algorithm we never verify with
    }
    auto jwk = parse_rsa_jwk(entry, alg);
    if (!jwk.is_ok()) return jwk.status();
    if (!jwk->kid.empty()) {
      for (const Jwk& other : keys) {
        if (other.kid == jwk->kid) {
          return Status::invalid("jwks_duplicate_kid", "Two keys in the JWKS share the kid \"" +
                                                           printable(jwk->kid) + "\".", "kid");
        }
      }
    }
    keys.push_back(std::move(jwk).value());
    if (keys.size() > kMaxJwksKeys) {
      return Status::invalid("jwks_malformed", "The JWKS has more than " + std::to_string(kMaxJwksKeys) +
                                                   " signing keys.");
    }
  }
  if (keys.empty()) {
    return Status::invalid("jwks_no_usable_keys", "The JWKS has no RSA signing key.");
  }
  return Jwks(std::move(keys));
}

// ---------------------------------------------------------------------------
// Compact JWS

Result<Jws> parse_compact_jws(std::string_view token, std::size_t max_bytes) {
  if (token.size() > max_bytes) {
    return Status::invalid("jws_too_large", "The token is larger than " + std::to_string(max_bytes) + " bytes.");
  }
  auto malformed = [](std::string message) { return Status::invalid("jws_malformed", std::move(message)); };
  std::size_t dots = 0;
  for (char c : token) {
    if (c == '.') {
      ++dots;
    } else if (!is_base64url_char(c)) {
      return malformed("The token has a character that is neither base64url nor a dot.");
    }
  }
  if (dots != 2) {
    return malformed("The token has " + std::to_string(dots + 1) + " parts; a compact JWS has exactly three.");
  }
  std::size_t first = token.find('.');
  std::size_t second = token.find('.', first + 1);
  std::string_view header_b64 = token.substr(0, first);
  std::string_view payload_b64 = token.substr(first + 1, second - first - 1);
  std::string_view signature_b64 = token.substr(second + 1);
  if (header_b64.empty() || payload_b64.empty()) return malformed("The token has an empty header or payload.");

  auto header_bytes = base64url_decode(header_b64);
  if (!header_bytes.is_ok()) return malformed("The token header is not base64url: " + header_bytes.status().message());
  auto payload_bytes = base64url_decode(payload_b64);
  if (!payload_bytes.is_ok()) return malformed("The token payload is not base64url: " + payload_bytes.status().message());
  auto signature = base64url_decode(signature_b64);
  if (!signature.is_ok()) return malformed("The token signature is not base64url: " + signature.status().message());

  auto parse_part = [](const std::string& bytes, const char* what) -> Result<boost::json::object> {
    auto value = parse_json_strict(bytes);
    if (!value.is_ok()) {
      if (value.status().reason() == "json_duplicate_member") {
        return Status::invalid("jws_duplicate_member", std::string("The token ") + what + ": " +
                                                           value.status().message());
      }
      return Status::invalid("jws_malformed", std::string("The token ") + what + " is not valid JSON.");
    }
    if (!value->is_object()) {
      return Status::invalid("jws_malformed", std::string("The token ") + what + " is not a JSON object.");
    }
    return std::move(value->get_object());
  };
  auto header = parse_part(*header_bytes, "header");
  if (!header.is_ok()) return header.status();
  auto payload = parse_part(*payload_bytes, "payload");
  if (!payload.is_ok()) return payload.status();

  Jws jws;
  auto alg = header->find("alg");
  if (alg == header->end() || !alg->value().is_string()) return malformed("The token header has no \"alg\" string.");
  jws.alg = std::string(alg->value().get_string());
  if (auto kid = header->find("kid"); kid != header->end()) {
    if (!kid->value().is_string()) return malformed("The token header has a \"kid\" that is not a string.");
    jws.kid = std::string(kid->value().get_string());
  }
  jws.header = std::move(header).value();
  jws.payload = std::move(payload).value();
  jws.signing_input = std::string(token.substr(0, second));
  jws.signature = std::move(signature).value();
  return jws;
}

Status check_jws_header(const Jws& jws, const JwsAlgSet& allowed) {
  auto alg = jws_alg_from_name(jws.alg);
  if (!alg || allowed.count(*alg) == 0) {
    return Status::unauthenticated("jws_alg_not_allowed",
                                   "The token is signed with \"" + printable(jws.alg) + "\", which is not allowed.");
  }
  // RFC 8725 section 3.10: never fetch or trust keys named by the token.
  for (const char* name : {"jku", "x5u", "jwk", "x5c", "crit"}) {
    if (jws.header.contains(name)) {
      return Status(core::Code::kUnauthenticated, "jws_header_forbidden",
                    std::string("The token header has a \"") + name + "\" parameter, which is not accepted.", name);
    }
  }
  return Status::ok();
}

Result<const Jwk*> select_jwk(const Jws& jws, const Jwks& jwks) {
  const Jwk* jwk = nullptr;
  if (jws.kid) {
    jwk = jwks.find(*jws.kid);
    if (jwk == nullptr) {
      return Status::unauthenticated("jws_kid_unknown",
                                     "No key in the platform's JWKS has the kid \"" + printable(*jws.kid) + "\".");
    }
  } else {
    if (jwks.size() != 1) {
      return Status::unauthenticated("jws_kid_missing",
                                     "The token header has no \"kid\" and the platform's JWKS has " +
                                         std::to_string(jwks.size()) + " keys.");
    }
    jwk = &jwks.keys().front();
  }
  if (jwk->alg && jws.alg != jws_alg_name(*jwk->alg)) {
    return Status::unauthenticated("jws_key_alg_mismatch", "The token's \"alg\" is not the one its key declares.");
  }
  return jwk;
}

Status verify_signature(const Jws& jws, const Jwks& jwks, const JwsAlgSet& allowed) {
  MENTORING_RETURN_IF_ERROR(check_jws_header(jws, allowed));
  auto selected = select_jwk(jws, jwks);
  if (!selected.is_ok()) return selected.status();
  const Jwk& jwk = **selected;
  JwsAlg alg = *jws_alg_from_name(jws.alg);
  auto invalid = Status::unauthenticated("jws_signature_invalid", "The token's signature does not verify.");
  if (!jwk.key || jws.signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(jwk.key.get()))) {
    return invalid;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, digest_for(alg), nullptr, jwk.key.get()) != 1) {
    clear_openssl_errors();
    return Status::internal("jws_verify_failed", "Could not set up signature verification.");
  }
  if (alg == JwsAlg::kPs256) {
    // RFC 7518 section 3.5: MGF1 with the same hash, salt as long as the hash.
    if (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1) {
      clear_openssl_errors();
      return Status::internal("jws_verify_failed", "Could not set up RSASSA-PSS verification.");
    }
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(jws.signature.data()),
                            jws.signature.size(),
                            reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                            jws.signing_input.size());
  clear_openssl_errors();
  return rc == 1 ? Status::ok() : invalid;
}

// ---------------------------------------------------------------------------
// Keys and signing

Result<EvpPkey> generate_rsa_key(int bits) {
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return Status::invalid("key_too_short", "RSA keys must have " + std::to_string(kMinRsaBits) + " to " +
                                                std::to_string(kMaxRsaBits) + " bits.");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0 || EVP_PKEY_generate(ctx.get(), &key) <= 0) {
    clear_openssl_errors();
    return Status::internal("key_generation_failed", "Could not generate an RSA key.");
  }
  return EvpPkey(key);
}

Result<std::string> private_key_to_pem(EVP_PKEY* key) {
  if (!is_rsa(key)) return Status::invalid("key_not_rsa", "The key is not an RSA key.");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    clear_openssl_errors();
    return Status::internal("pem_write_failed", "Could not write the private key as PEM.");
  }
  return bio_to_string(bio.get());
}

Result<std::string> public_key_to_pem(EVP_PKEY* key) {
  if (!is_rsa(key)) return Status::invalid("key_not_rsa", "The key is not an RSA key.");
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    clear_openssl_errors();
    return Status::internal("pem_write_failed", "Could not write the public key as PEM.");
  }
  return bio_to_string(bio.get());
}

Result<EvpPkey> private_key_from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  clear_openssl_errors();
  if (raw == nullptr) return Status::invalid("pem_invalid", "The text is not a PEM private key.");
  EvpPkey key(raw);
  MENTORING_RETURN_IF_ERROR(check_rsa_size(key.get()));
  return key;
}

Result<EvpPkey> public_key_from_pem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* raw = bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  clear_openssl_errors();
  if (raw == nullptr) return Status::invalid("pem_invalid", "The text is not a PEM public key.");
  EvpPkey key(raw);
  MENTORING_RETURN_IF_ERROR(check_rsa_size(key.get()));
  return key;
}

Result<boost::json::object> public_jwk(EVP_PKEY* key, std::string_view kid) {
  if (!is_rsa(key)) return Status::invalid("key_not_rsa", "The key is not an RSA key.");
  auto n = bignum_param_b64(key, OSSL_PKEY_PARAM_RSA_N);
  if (!n.is_ok()) return n.status();
  auto e = bignum_param_b64(key, OSSL_PKEY_PARAM_RSA_E);
  if (!e.is_ok()) return e.status();
  boost::json::object jwk;
  jwk["kty"] = "RSA";
  jwk["n"] = *n;
  jwk["e"] = *e;
  if (!kid.empty()) jwk["kid"] = kid;
  jwk["alg"] = "RS256";
  jwk["use"] = "sig";
  return jwk;
}

Result<std::string> jwk_thumbprint(EVP_PKEY* key) {
  if (!is_rsa(key)) return Status::invalid("key_not_rsa", "The key is not an RSA key.");
  auto n = bignum_param_b64(key, OSSL_PKEY_PARAM_RSA_N);
  if (!n.is_ok()) return n.status();
  auto e = bignum_param_b64(key, OSSL_PKEY_PARAM_RSA_E);
  if (!e.is_ok()) return e.status();
  // RFC 7638 section 3.2: required members only, lexicographic order, no
  // whitespace. base64url text needs no JSON escaping.
  std::string canonical = "{\"e\":\"" + *e + "\",\"kty\":\"RSA\",\"n\":\"" + *n + "\"}";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    clear_openssl_errors();
    return Status::internal("digest_failed", "Could not hash the JWK.");
  }
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), len));
}

Result<std::string> sign_rs256(const boost::json::object& header, const boost::json::object& payload,
                               EVP_PKEY* key, std::string_view kid) {
  MENTORING_RETURN_IF_ERROR(check_rsa_size(key));
  try {
    boost::json::object full_header = header;
    full_header["alg"] = "RS256";
    if (!kid.empty()) full_header["kid"] = kid;
    std::string signing_input = base64url_encode(boost::json::serialize(full_header)) + "." +
                                base64url_encode(boost::json::serialize(payload));
    MdCtxPtr ctx(EVP_MD_CTX_new());
    std::size_t sig_len = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &sig_len,
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
      clear_openssl_errors();
      return Status::internal("signing_failed", "Could not sign the token.");
    }
    std::string signature(sig_len, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &sig_len,
                       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) != 1) {
      clear_openssl_errors();
      return Status::internal("signing_failed", "Could not sign the token (is it a private key?).");
    }
    signature.resize(sig_len);
    return signing_input + "." + base64url_encode(signature);
  } catch (const std::exception& e) {
    return Status::internal("signing_failed", std::string("Could not build the token: ") + e.what());
  }
}

}  // namespace mentoring::lti
