// The AES-256-GCM field cipher (storage/aes_gcm.h) against an independent
// implementation: Python's `cryptography` (OpenSSL underneath, but reached
// through its own AESGCM API and our own IV/tag layout) encrypts what C++
// decrypts and the reverse; the published GCM test vector; and refusal of
// every kind of tampering.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "core/demographics.h"
#include "storage/aes_gcm.h"
#include "storage/audit_soci_stores.h"

namespace mentoring::storage {
namespace {

// bytes 0..31 and 32..63.
constexpr const char* kKey1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kKey2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

std::string hex_of(std::string_view s) { return to_hex(s); }
std::string bytes_of(std::string_view hex) { return from_hex(hex).value(); }

// Runs Debian's python3 (which has python3-cryptography) on `script` with
// `args`, returning stdout without the trailing newline.
std::string python(const std::string& script, const std::vector<std::string>& args) {
  std::string cmd = "/usr/bin/python3 -c '" + script + "'";
  for (const auto& a : args) cmd += " " + a;
  cmd += " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
  if (!pipe) return "popen failed";
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe.get())) > 0) out.append(buf.data(), n);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

constexpr const char* kPyEncrypt =
    "import sys, base64, os\n"
    "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
    "key = base64.b64decode(sys.argv[1]); pt = bytes.fromhex(sys.argv[2]); aad = bytes.fromhex(sys.argv[3])\n"
    "iv = os.urandom(12)\n"
    "print(iv.hex() + \" \" + AESGCM(key).encrypt(iv, pt, aad).hex())\n";

constexpr const char* kPyDecrypt =
    "import sys, base64\n"
    "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
    "from cryptography.exceptions import InvalidTag\n"
    "key = base64.b64decode(sys.argv[1]); iv = bytes.fromhex(sys.argv[2]); ct = bytes.fromhex(sys.argv[3])\n"
    "aad = bytes.fromhex(sys.argv[4])\n"
    "try:\n"
    "  print(\"ok \" + AESGCM(key).decrypt(iv, ct, aad).hex())\n"
    "except InvalidTag:\n"
    "  print(\"invalid_tag\")\n";

std::unique_ptr<AesGcmCipher> cipher(const std::string& keys, int version = 0) {
  auto c = AesGcmCipher::from_config(keys, version);
  EXPECT_TRUE(c.is_ok()) << c.status().to_string();
  return c.is_ok() ? std::move(c).value() : nullptr;
}

TEST(DemographicsCipherTest, DecryptsWhatPythonCryptographyEncrypted) {
  auto c = cipher(std::string("1:") + kKey1);
  ASSERT_TRUE(c);
  const std::string plain = "age_band=30_to_34\nethnicity=prefer_not_to_say\n";
  const std::string aad = core::demographics_aad(42, 1);
  const std::string out = python(kPyEncrypt, {kKey1, hex_of(plain), hex_of(aad)});
  const auto space = out.find(' ');
  ASSERT_NE(space, std::string::npos) << out;
  core::SealedValue sealed{1, bytes_of(out.substr(0, space)), bytes_of(out.substr(space + 1))};
  auto opened = c->open(sealed, aad);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, plain);
  // The same bytes under another account's AAD are refused.
  auto moved = c->open(sealed, core::demographics_aad(43, 1));
  ASSERT_FALSE(moved.is_ok());
  EXPECT_EQ(moved.status().reason(), "demographics_decrypt_failed");
}

TEST(DemographicsCipherTest, PythonCryptographyDecryptsWhatWeEncrypted) {
  auto c = cipher(std::string("1:") + kKey1);
  ASSERT_TRUE(c);
  const std::string plain = "religion=no_religion\nsex=female\n";
  const std::string aad = core::demographics_aad(7, 1);
  auto sealed = c->seal(plain, aad);
  ASSERT_TRUE(sealed.is_ok()) << sealed.status().to_string();
  EXPECT_EQ(sealed->iv.size(), 12u);
  EXPECT_EQ(sealed->ciphertext.size(), plain.size() + 16);
  EXPECT_EQ(python(kPyDecrypt, {kKey1, hex_of(sealed->iv), hex_of(sealed->ciphertext), hex_of(aad)}),
            "ok " + hex_of(plain));
  // Python agrees that a different AAD or key does not verify.
  EXPECT_EQ(
      python(kPyDecrypt, {kKey1, hex_of(sealed->iv), hex_of(sealed->ciphertext), hex_of(core::demographics_aad(7, 2))}),
      "invalid_tag");
  EXPECT_EQ(python(kPyDecrypt, {kKey2, hex_of(sealed->iv), hex_of(sealed->ciphertext), hex_of(aad)}), "invalid_tag");
}

TEST(DemographicsCipherTest, EachSealDrawsAFreshIv) {
  auto c = cipher(std::string("1:") + kKey1);
  ASSERT_TRUE(c);
  auto a = c->seal("x=y\n", "aad");
  auto b = c->seal("x=y\n", "aad");
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_NE(a->iv, b->iv);
  EXPECT_NE(a->ciphertext, b->ciphertext);
}

// McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)", test case 16.
TEST(DemographicsCipherTest, MatchesThePublishedGcmTestVector) {
  auto c = cipher("1:/v/pkoZlcxxtao+UZzCDCP7/6ZKGZXMcbWqPlGcwgwg=");
  ASSERT_TRUE(c);
  const std::string iv = bytes_of("cafebabefacedbaddecaf888");
  const std::string plain = bytes_of(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
      "ba637b39");
  const std::string aad = bytes_of("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  auto sealed = c->seal_with_iv(plain, aad, iv);
  ASSERT_TRUE(sealed.is_ok()) << sealed.status().to_string();
  EXPECT_EQ(
      hex_of(sealed->ciphertext),
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a"
      "0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  auto opened = c->open(*sealed, aad);
  ASSERT_TRUE(opened.is_ok());
  EXPECT_EQ(*opened, plain);
}

TEST(DemographicsCipherTest, RefusesTamperedCiphertextIvTagAadAndKeyVersion) {
  auto c = cipher(std::string("1:") + kKey1 + ",2:" + kKey2, 1);
  ASSERT_TRUE(c);
  const std::string aad = core::demographics_aad(5, 1);
  auto sealed = c->seal("disability=no\n", aad);
  ASSERT_TRUE(sealed.is_ok());
  auto refused = [&](core::SealedValue v, const std::string& with_aad) {
    auto r = c->open(v, with_aad);
    return !r.is_ok() && r.status().reason() == "demographics_decrypt_failed";
  };
  ASSERT_TRUE(c->open(*sealed, aad).is_ok());
  core::SealedValue v = *sealed;
  v.ciphertext[0] ^= 0x01;
  EXPECT_TRUE(refused(v, aad)) << "changed ciphertext";
  v = *sealed;
  v.ciphertext.back() ^= 0x80;
  EXPECT_TRUE(refused(v, aad)) << "changed tag";
  v = *sealed;
  v.ciphertext.pop_back();
  EXPECT_TRUE(refused(v, aad)) << "truncated tag";
  v = *sealed;
  v.iv[11] ^= 0x01;
  EXPECT_TRUE(refused(v, aad)) << "changed IV";
  v = *sealed;
  EXPECT_TRUE(refused(v, aad + "x")) << "changed AAD";
  // Relabelling the row's key version: key 2 opens with key 2's AAD, which
  // neither the key nor the AAD of the seal match.
  v = *sealed;
  v.key_version = 2;
  EXPECT_TRUE(refused(v, core::demographics_aad(5, 2))) << "relabelled key version";
  // A version the keyring does not hold is a configuration problem, said so.
  v.key_version = 3;
  auto unknown = c->open(v, core::demographics_aad(5, 3));
  ASSERT_FALSE(unknown.is_ok());
  EXPECT_EQ(unknown.status().reason(), "demographics_key_unknown");
}

TEST(DemographicsCipherTest, SealsWithTheCurrentVersionAndOpensOlderOnes) {
  auto old_ring = cipher(std::string("1:") + kKey1);
  ASSERT_TRUE(old_ring);
  auto sealed = old_ring->seal("sex=male\n", core::demographics_aad(9, 1));
  ASSERT_TRUE(sealed.is_ok());
  auto new_ring = cipher(std::string("1:") + kKey1 + ",2:" + kKey2);
  ASSERT_TRUE(new_ring);
  EXPECT_EQ(new_ring->current_version(), 2);
  auto opened = new_ring->open(*sealed, core::demographics_aad(9, 1));
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  EXPECT_EQ(*opened, "sex=male\n");
  auto resealed = new_ring->seal(*opened, core::demographics_aad(9, 2));
  ASSERT_TRUE(resealed.is_ok());
  EXPECT_EQ(resealed->key_version, 2);
  EXPECT_EQ(python(kPyDecrypt,
                   {kKey2, hex_of(resealed->iv), hex_of(resealed->ciphertext), hex_of(core::demographics_aad(9, 2))}),
            "ok " + hex_of("sex=male\n"));
}

TEST(DemographicsCipherTest, RefusesBadKeyrings) {
  auto reason = [](const std::string& keys, int version = 0) {
    auto c = AesGcmCipher::from_config(keys, version);
    return c.is_ok() ? std::string("ok") : c.status().reason();
  };
  EXPECT_EQ(reason(std::string("1:") + kKey1), "ok");
  EXPECT_EQ(reason(std::string(" 1:") + kKey1 + " , 2:" + kKey2), "ok");
  EXPECT_EQ(reason(kKey1), "demographics_keys_invalid");  // no version
  EXPECT_EQ(reason(std::string("x:") + kKey1), "demographics_keys_invalid");
  EXPECT_EQ(reason(std::string("0:") + kKey1), "demographics_keys_invalid");
  EXPECT_EQ(reason(std::string("1:") + kKey1 + ",1:" + kKey2), "demographics_keys_invalid");
  EXPECT_EQ(reason("1:not base64!"), "demographics_keys_invalid");
  EXPECT_EQ(reason("1:AAECAwQFBgcICQoLDA0ODw=="), "demographics_key_length");  // 16 bytes
  EXPECT_EQ(reason(std::string("1:") + kKey1, 2), "demographics_key_version_unknown");
  EXPECT_EQ(reason("", 1), "demographics_key_version_unknown");
  // The message never repeats the key.
  auto c = AesGcmCipher::from_config("1:AAECAwQFBgcICQoLDA0ODw==", 0);
  ASSERT_FALSE(c.is_ok());
  EXPECT_EQ(c.status().message().find("AAECAwQFBgcICQoLDA0ODw"), std::string::npos);
}

TEST(DemographicsCipherTest, WithoutKeysEverythingAnswersDisabled) {
  auto c = cipher("");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->current_version(), 0);
  auto sealed = c->seal("sex=male\n", "aad");
  ASSERT_FALSE(sealed.is_ok());
  EXPECT_EQ(sealed.status().reason(), "demographics_disabled");
}

}  // namespace
}  // namespace mentoring::storage
