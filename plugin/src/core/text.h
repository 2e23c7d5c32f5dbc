// Small text checks shared by the validators. Pure functions on bytes.
#pragma once

#include <string>
#include <string_view>

namespace mentoring::core {

// Every byte in 0x20..0x7E.
bool is_printable_ascii(std::string_view s);
// Well-formed UTF-8 (no overlongs, no surrogates) with no C0/C1 control
// characters other than tab; newlines allowed only when `multiline`.
bool is_valid_utf8_text(std::string_view s, bool multiline = false);
// A pragmatic check: one '@', a non-empty local part, a dotted domain, no spaces.
bool looks_like_email(std::string_view s);
// Trims ASCII white space from both ends.
std::string trim(std::string_view s);

}  // namespace mentoring::core
