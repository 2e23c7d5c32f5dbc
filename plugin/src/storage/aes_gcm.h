// AES-256-GCM through OpenSSL's EVP interface, with a keyring of numbered
// keys: the FieldCipher that keeps demographic monitoring data encrypted at
// rest (core/demographics.h).
//
// Keys come from configuration as "version:base64key" pairs separated by
// commas ("1:q83v...=,2:3q2+...="), each key exactly 32 bytes (standard
// base64 with padding, 44 characters). New values are sealed with the
// current version; older versions stay in the ring so rows sealed with them
// can still be opened until they are re-encrypted. Each seal draws a fresh
// 96-bit IV from OpenSSL's CSPRNG; the 128-bit tag is appended to the
// ciphertext.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/demographics.h"
#include "core/status.h"

namespace mentoring::storage {

inline constexpr std::size_t kAesGcmKeyBytes = 32;
inline constexpr std::size_t kAesGcmIvBytes = 12;
inline constexpr std::size_t kAesGcmTagBytes = 16;

class AesGcmCipher final : public core::FieldCipher {
 public:
  // Parses `keys` and picks `current_version` (0 = the highest version in
  // the ring). An empty `keys` gives a cipher with no key: current_version()
  // is 0 and seal/open answer failed_precondition "demographics_disabled".
  // Errors, all invalid_argument with field "privacy.demographics_keys"
  // (or "privacy.demographics_key_version"): demographics_keys_invalid (an
  // entry is not version:base64, a version is not 1..9999 or repeats, a
  // key is not valid base64), demographics_key_length (not 32 bytes),
  // demographics_key_version_unknown (current_version not in the ring).
  // Messages name the entry by its version, never the key.
  static core::Result<std::unique_ptr<AesGcmCipher>> from_config(std::string_view keys, int current_version);

  int current_version() const override { return current_; }
  core::Result<core::SealedValue> seal(std::string_view plaintext, std::string_view aad) const override;
  core::Result<std::string> open(const core::SealedValue& sealed, std::string_view aad) const override;

  // Sealing with a given IV, for known-answer tests only.
  core::Result<core::SealedValue> seal_with_iv(std::string_view plaintext, std::string_view aad,
                                               std::string_view iv) const;

  ~AesGcmCipher() override;

 private:
  AesGcmCipher() = default;
  std::map<int, std::string> keys_;  // version -> 32 raw bytes; wiped on destruction
  int current_ = 0;
};

}  // namespace mentoring::storage
