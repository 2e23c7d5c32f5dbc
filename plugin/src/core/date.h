// A calendar date (no time, no zone), as schemes and cohorts use them:
// "the cohort opens on 2026-08-05". Parsed from and printed as ISO 8601.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace mentoring::core {

class Date {
 public:
  Date() = default;  // 1970-01-01
  // Parses exactly YYYY-MM-DD with a real month and day (2027-02-29 fails).
  static std::optional<Date> parse(std::string_view iso);
  static std::optional<Date> from_ymd(int year, int month, int day);
  static Date from_days(std::int64_t days_since_epoch) { Date d; d.days_ = days_since_epoch; return d; }
  // The UTC calendar day containing `t`.
  static Date from_unix(UnixSeconds t);

  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  std::int64_t days_since_epoch() const { return days_; }
  Date plus_days(std::int64_t n) const { return from_days(days_ + n); }
  std::string to_string() const;  // YYYY-MM-DD

  auto operator<=>(const Date&) const = default;

 private:
  std::int64_t days_ = 0;
};

}  // namespace mentoring::core
