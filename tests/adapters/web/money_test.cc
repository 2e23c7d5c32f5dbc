#include "adapters/web/pages/money.h"

#include <gtest/gtest.h>

namespace mentoring::web {
namespace {

TEST(MoneyTest, PenceAreShownWithThousandsCommasAndTwoDecimals) {
  EXPECT_EQ(pounds_shown(0), "\u00a30.00");
  EXPECT_EQ(pounds_shown(5), "\u00a30.05");
  EXPECT_EQ(pounds_shown(99999), "\u00a3999.99");
  EXPECT_EQ(pounds_shown(100000), "\u00a31,000.00");
  EXPECT_EQ(pounds_shown(1234567), "\u00a312,345.67");
  EXPECT_EQ(pounds_shown(123456789012), "\u00a31,234,567,890.12");
}

TEST(MoneyTest, AFormFieldHoldsThePlainAmount) {
  EXPECT_EQ(pounds_field(1234567), "12345.67");
  EXPECT_EQ(pounds_field(1250000), "12500.00");
  EXPECT_EQ(pounds_field(7), "0.07");
}

TEST(MoneyTest, WhatPeopleTypeIsReadAsPence) {
  EXPECT_EQ(parse_pounds("12500"), 1250000);
  EXPECT_EQ(parse_pounds("12,500"), 1250000);
  EXPECT_EQ(parse_pounds("\u00a312500.5"), 1250050);
  EXPECT_EQ(parse_pounds("12500.50"), 1250050);
  EXPECT_EQ(parse_pounds(".5"), 50);
  EXPECT_EQ(parse_pounds("0"), 0);
}

TEST(MoneyTest, AnythingElseIsRefused) {
  for (const char* bad : {"", "\u00a3", "-5", "+5", "12.345", "1.2.3", "ten", "12 500", "12,500.5,0", "1e3",
                          "1234567890123456"}) {
    EXPECT_FALSE(parse_pounds(bad).has_value()) << bad;
  }
}

TEST(MoneyTest, ShownAndFieldValuesReadBackToTheSamePence) {
  for (std::int64_t pence : {0LL, 1LL, 99LL, 100LL, 1234567LL, 99999999999LL}) {
    EXPECT_EQ(parse_pounds(pounds_shown(pence)), pence);
    EXPECT_EQ(parse_pounds(pounds_field(pence)), pence);
  }
}

}  // namespace
}  // namespace mentoring::web
