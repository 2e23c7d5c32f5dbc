#include "storage/aes_gcm.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

#include "storage/base64.h"

namespace mentoring::storage {
using core::Result;
using core::SealedValue;
using core::Status;

namespace {

constexpr const char* kKeysField = "privacy.demographics_keys";

Status keys_invalid(const std::string& why) {
  return Status::invalid("demographics_keys_invalid",
                         "privacy.demographics_keys " + why +
                             " It must be comma-separated version:base64key pairs, e.g. 1:<44 base64 characters>.",
                         kKeysField);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

Status crypto_failed(const char* what) {
  return Status::internal("demographics_crypto_failed", std::string("OpenSSL failed while ") + what + ".");
}

Status disabled() {
  return Status::failed_precondition("demographics_disabled",
                                     "Demographic monitoring is switched off: no key is configured in "
                                     "privacy.demographics_keys.");
}

}  // namespace

AesGcmCipher::~AesGcmCipher() {
  for (auto& [version, key] : keys_) OPENSSL_cleanse(key.data(), key.size());
}

Result<std::unique_ptr<AesGcmCipher>> AesGcmCipher::from_config(std::string_view keys, int current_version) {
  std::unique_ptr<AesGcmCipher> c(new AesGcmCipher());
  if (trim(keys).empty()) {
    if (current_version != 0)
      return Status::invalid("demographics_key_version_unknown",
                             "privacy.demographics_key_version is set but privacy.demographics_keys is empty.",
                             "privacy.demographics_key_version");
    return c;
  }
  std::size_t pos = 0;
  while (pos <= keys.size()) {
    const std::size_t end = std::min(keys.find(',', pos), keys.size());
    const std::string_view entry = trim(keys.substr(pos, end - pos));
    pos = end + 1;
    const std::size_t colon = entry.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 4)
      return keys_invalid("has an entry without a version number before ':'.");
    int version = 0;
    for (char ch : entry.substr(0, colon)) {
      if (ch < '0' || ch > '9') return keys_invalid("has an entry whose version is not a number.");
      version = version * 10 + (ch - '0');
    }
    const std::string label = "The key with version " + std::to_string(version);
    if (version < 1) return keys_invalid("has a key version below 1.");
    if (c->keys_.count(version)) return keys_invalid("lists version " + std::to_string(version) + " twice.");
    const std::string_view key_text = trim(entry.substr(colon + 1));
    auto key = key_text.empty() ? std::nullopt : decode_base64(key_text);
    if (!key) return keys_invalid("holds a key (version " + std::to_string(version) + ") that is not valid base64.");
    if (key->size() != kAesGcmKeyBytes) {
      OPENSSL_cleanse(key->data(), key->size());
      return Status::invalid("demographics_key_length",
                             label + " in privacy.demographics_keys is " + std::to_string(key->size()) +
                                 " bytes; AES-256 keys are 32 bytes (44 base64 characters).",
                             kKeysField);
    }
    c->keys_.emplace(version, std::move(*key));
  }
  c->current_ = current_version == 0 ? c->keys_.rbegin()->first : current_version;
  if (!c->keys_.count(c->current_))
    return Status::invalid("demographics_key_version_unknown",
                           "privacy.demographics_key_version is " + std::to_string(current_version) +
                               " but privacy.demographics_keys has no key with that version.",
                           "privacy.demographics_key_version");
  return c;
}

Result<SealedValue> AesGcmCipher::seal(std::string_view plaintext, std::string_view aad) const {
  if (current_ == 0) return disabled();
  std::string iv(kAesGcmIvBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(iv.data()), static_cast<int>(iv.size())) != 1)
    return crypto_failed("drawing a random IV");
  return seal_with_iv(plaintext, aad, iv);
}

Result<SealedValue> AesGcmCipher::seal_with_iv(std::string_view plaintext, std::string_view aad,
                                               std::string_view iv) const {
  if (current_ == 0) return disabled();
  if (iv.size() != kAesGcmIvBytes) return Status::invalid("demographics_iv_invalid", "The IV must be 12 bytes.");
  const std::string& key = keys_.at(current_);
  Ctx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return crypto_failed("allocating a cipher context");
  int len = 0;
  SealedValue out;
  out.key_version = current_;
  out.iv = std::string(iv);
  out.ciphertext.assign(plaintext.size() + kAesGcmTagBytes, '\0');
  auto* outp = reinterpret_cast<unsigned char*>(out.ciphertext.data());
  if (EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), reinterpret_cast<const unsigned char*>(key.data()),
                          reinterpret_cast<const unsigned char*>(iv.data()), nullptr) != 1)
    return crypto_failed("starting encryption");
  if (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                                        static_cast<int>(aad.size())) != 1)
    return crypto_failed("adding associated data");
  int total = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), outp, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                          static_cast<int>(plaintext.size())) != 1)
      return crypto_failed("encrypting");
    total = len;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), outp + total, &len) != 1) return crypto_failed("finishing encryption");
  total += len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAesGcmTagBytes), outp + total) != 1)
    return crypto_failed("reading the tag");
  out.ciphertext.resize(static_cast<std::size_t>(total) + kAesGcmTagBytes);
  return out;
}

Result<std::string> AesGcmCipher::open(const SealedValue& sealed, std::string_view aad) const {
  if (current_ == 0) return disabled();
  auto key = keys_.find(sealed.key_version);
  if (key == keys_.end())
    return Status::failed_precondition("demographics_key_unknown",
                                       "A record is sealed with key version " + std::to_string(sealed.key_version) +
                                           ", which privacy.demographics_keys no longer holds.");
  const Status bad = Status::internal("demographics_decrypt_failed",
                                      "A demographic record did not decrypt: it was changed or the key is wrong.");
  if (sealed.iv.size() != kAesGcmIvBytes || sealed.ciphertext.size() < kAesGcmTagBytes) return bad;
  const std::size_t body = sealed.ciphertext.size() - kAesGcmTagBytes;
  Ctx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return crypto_failed("allocating a cipher context");
  std::string out(body, '\0');
  int len = 0;
  if (EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), reinterpret_cast<const unsigned char*>(key->second.data()),
                          reinterpret_cast<const unsigned char*>(sealed.iv.data()), nullptr) != 1)
    return crypto_failed("starting decryption");
  if (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                                        static_cast<int>(aad.size())) != 1)
    return bad;
  int total = 0;
  if (body > 0) {
    if (EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len,
                          reinterpret_cast<const unsigned char*>(sealed.ciphertext.data()),
                          static_cast<int>(body)) != 1)
      return bad;
    total = len;
  }
  std::string tag = sealed.ciphertext.substr(body);
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAesGcmTagBytes), tag.data()) != 1)
    return crypto_failed("setting the tag");
  // The tag is checked here; nothing decrypted is returned unless it matches.
  if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + total, &len) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return bad;
  }
  out.resize(static_cast<std::size_t>(total + len));
  return out;
}

}  // namespace mentoring::storage
