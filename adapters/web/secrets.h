// Random tokens and their hashes, for login states, nonces, sessions and
// handoffs. OpenSSL's CSPRNG only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace mentoring::web {

// `bytes` bytes from RAND_bytes, base64url without padding. 32 bytes (256
// bits) unless asked otherwise; fewer than 16 is refused as a bug.
// Error: internal "random_failed".
core::Result<std::string> random_token(std::size_t bytes = 32);

// SHA-256 of `text`, lower-case hex (64 characters).
std::string sha256_hex(std::string_view text);

// Constant-time equality of two strings (lengths may differ).
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace mentoring::web
