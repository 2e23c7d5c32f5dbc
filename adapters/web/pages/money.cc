#include "adapters/web/pages/money.h"

#include <charconv>

namespace mentoring::web {
namespace {

std::string two_decimals(std::int64_t pence) {
  const std::int64_t p = pence % 100;
  return std::string(p < 10 ? "0" : "") + std::to_string(p);
}

}  // namespace

std::string pounds_field(std::int64_t pence) { return std::to_string(pence / 100) + "." + two_decimals(pence); }

std::string pounds_shown(std::int64_t pence) {
  std::string whole = std::to_string(pence / 100);
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3) whole.insert(static_cast<std::size_t>(at), ",");
  return "\u00a3" + whole + "." + two_decimals(pence);
}

std::optional<std::int64_t> parse_pounds(std::string_view text) {
  std::string digits;
  std::size_t i = 0;
  if (text.rfind("\u00a3", 0) == 0) i = 2;
  std::size_t decimals = 0;
  bool point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == ',' && !point) continue;
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (point && ++decimals > 2) return std::nullopt;
    digits.push_back(c);
    if (digits.size() > 15) return std::nullopt;
  }
  if (digits.empty()) return std::nullopt;
  for (; decimals < 2; ++decimals) digits.push_back('0');
  std::int64_t pence = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pence);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return pence;
}

}  // namespace mentoring::web
