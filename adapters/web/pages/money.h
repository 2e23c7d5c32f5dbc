// Sums of money on the pages, held as whole pence.
//
//   pounds_shown(1234567)  -> "£12,345.67"   (shown in text and tables)
//   pounds_field(1234567)  -> "12345.67"     (the value of a form field)
//   parse_pounds("£12,500.5") -> 1250050     (what a person typed)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mentoring::web {

std::string pounds_shown(std::int64_t pence);
std::string pounds_field(std::int64_t pence);

// Digits with at most two decimals, optionally a leading "£" and thousands
// commas before the point; nothing for anything else (a sign, letters, more
// than two decimals, more than 15 digits).
std::optional<std::int64_t> parse_pounds(std::string_view text);

}  // namespace mentoring::web
