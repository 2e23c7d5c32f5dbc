#include "storage/base64.h"

#include <openssl/evp.h>

#include <algorithm>

namespace mentoring::storage {
namespace {

bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// EVP_EncodeBlock and EVP_DecodeBlock take an int length: big inputs go
// through in chunks whose sizes are multiples of 3 (encoding) and 4
// (decoding), so the pieces join into the same text as one call would give.
constexpr std::size_t kChunk = 3 * 1024 * 1024;

}  // namespace

std::string encode_base64(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4, '\0');
  std::size_t at = 0;
  for (std::size_t i = 0; i < bytes.size(); i += kChunk) {
    const std::size_t n = std::min(kChunk, bytes.size() - i);
    at += static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + at),
                                                   reinterpret_cast<const unsigned char*>(bytes.data() + i),
                                                   static_cast<int>(n)));
  }
  out.resize(at);
  return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
  if (text.empty()) return std::string();
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  for (std::size_t i = 0; i < text.size() - pad; ++i)
    if (!is_base64_char(text[i])) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  std::size_t at = 0;
  constexpr std::size_t kTextChunk = kChunk / 3 * 4;
  for (std::size_t i = 0; i < text.size(); i += kTextChunk) {
    const std::size_t n = std::min(kTextChunk, text.size() - i);
    const int got = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data() + at),
                                    reinterpret_cast<const unsigned char*>(text.data() + i), static_cast<int>(n));
    if (got < 0) return std::nullopt;
    at += static_cast<std::size_t>(got);
  }
  out.resize(at - pad);
  return out;
}

}  // namespace mentoring::storage
