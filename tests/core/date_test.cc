#include "core/date.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

TEST(DateTest, ParsesAndPrintsIsoDates) {
  auto d = Date::parse("2026-08-05");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year(), 2026);
  EXPECT_EQ(d->month(), 8);
  EXPECT_EQ(d->day(), 5);
  EXPECT_EQ(d->to_string(), "2026-08-05");
}

TEST(DateTest, RejectsImpossibleAndMalformedDates) {
  EXPECT_FALSE(Date::parse("2027-02-29").has_value());
  EXPECT_TRUE(Date::parse("2028-02-29").has_value());
  EXPECT_FALSE(Date::parse("2026-13-01").has_value());
  EXPECT_FALSE(Date::parse("2026-8-5").has_value());
  EXPECT_FALSE(Date::parse("2026-08-05T00:00").has_value());
  EXPECT_FALSE(Date::parse("").has_value());
  EXPECT_FALSE(Date::parse("abcd-ef-gh").has_value());
}

TEST(DateTest, ConvertsUnixTimeToTheUtcDay) {
  EXPECT_EQ(Date::from_unix(0).to_string(), "1970-01-01");
  EXPECT_EQ(Date::from_unix(1785888000).to_string(), "2026-08-05");  // 2026-08-05T00:00:00Z
  EXPECT_EQ(Date::from_unix(1785887999).to_string(), "2026-08-04");
  EXPECT_EQ(Date::from_unix(-1).to_string(), "1969-12-31");
}

TEST(DateTest, OrdersAndAddsDays) {
  auto a = *Date::parse("2026-12-31");
  EXPECT_EQ(a.plus_days(1).to_string(), "2027-01-01");
  EXPECT_LT(a, a.plus_days(1));
}

}  // namespace
}  // namespace mentoring::core
