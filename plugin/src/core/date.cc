#include "core/date.h"

#include <cstdio>

namespace mentoring::core {
namespace {

// Howard Hinnant's public-domain civil calendar algorithms
// (http://howardhinnant.github.io/date_algorithms.html).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Ymd { std::int64_t y; unsigned m; unsigned d; };

Ymd civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<Date> Date::from_ymd(int year, int month, int day) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12) return std::nullopt;
  if (day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return from_days(days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

std::optional<Date> Date::parse(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t pos, std::size_t n, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return std::nullopt;
  return from_ymd(y, m, d);
}

Date Date::from_unix(UnixSeconds t) {
  std::int64_t days = t / 86400;
  if (t % 86400 < 0) --days;
  return from_days(days);
}

int Date::year() const { return static_cast<int>(civil_from_days(days_).y); }
int Date::month() const { return static_cast<int>(civil_from_days(days_).m); }
int Date::day() const { return static_cast<int>(civil_from_days(days_).d); }

std::string Date::to_string() const {
  const Ymd ymd = civil_from_days(days_);
  char buf[32];  // room for any int year, so the output is never cut
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.y), ymd.m, ymd.d);
  return buf;
}

}  // namespace mentoring::core
