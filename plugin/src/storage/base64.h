// Standard base64 with padding (RFC 4648 section 4) through OpenSSL's
// EVP_EncodeBlock / EVP_DecodeBlock: for key material in configuration and
// for files kept in TEXT columns. Internal to storage/.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mentoring::storage {

std::string encode_base64(std::string_view bytes);
// Strict: nullopt on anything but standard base64 with padding.
std::optional<std::string> decode_base64(std::string_view text);

}  // namespace mentoring::storage
