// Scheduling rules for a cohort's group sessions (core/cohort_session.h):
// each bad field is refused with its own reason and field.
#include "core/cohort_session.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }
UnixSeconds noon(const char* iso) { return day(iso).days_since_epoch() * 86400 + 43200; }

Cohort cohort() {
  Cohort c;
  c.id = 7;
  c.starts_on = day("2026-08-05");
  c.ends_on = day("2027-08-04");
  return c;
}

CohortSessionInput good() {
  CohortSessionInput in;
  in.cohortid = 7;
  in.kind = SessionKind::kEnd;
  in.title = "End-of-scheme meeting";
  in.starts_at = noon("2027-07-20");
  in.minutes = 90;
  in.location = "https://meet.example.nhs.uk/abc";
  return in;
}

void expect_refused(const CohortSessionInput& in, const char* reason, const char* field) {
  Status st = validate(in, cohort());
  EXPECT_FALSE(st.is_ok());
  EXPECT_EQ(st.code(), Code::kInvalidArgument);
  EXPECT_EQ(st.reason(), reason);
  EXPECT_EQ(st.field(), field);
}

TEST(CohortSessionTest, KindsRoundTripAndUnknownOnesAreRefused) {
  EXPECT_EQ(parse_session_kind("midpoint"), SessionKind::kMidpoint);
  EXPECT_EQ(parse_session_kind("end"), SessionKind::kEnd);
  EXPECT_STREQ(to_string(SessionKind::kEnd), "end");
  EXPECT_STREQ(to_string(SessionKind::kMidpoint), "midpoint");
  EXPECT_FALSE(parse_session_kind("final").has_value());
  EXPECT_FALSE(parse_session_kind("").has_value());
}

TEST(CohortSessionTest, AGoodSessionIsAccepted) { EXPECT_TRUE(validate(good(), cohort()).is_ok()); }

TEST(CohortSessionTest, TitleMustBeGivenShortAndOneLine) {
  auto in = good();
  in.title = "";
  expect_refused(in, "session_title_required", "title");
  in.title = std::string(201, 'a');
  expect_refused(in, "session_title_too_long", "title");
  in.title = std::string(200, 'a');
  EXPECT_TRUE(validate(in, cohort()).is_ok());
  in.title = "two\nlines";
  expect_refused(in, "session_title_invalid", "title");
}

TEST(CohortSessionTest, LocationIsLimited) {
  auto in = good();
  in.location = std::string(501, 'x');
  expect_refused(in, "session_location_too_long", "location");
  in.location = "Room 1\r";
  expect_refused(in, "session_location_invalid", "location");
  in.location = "";
  EXPECT_TRUE(validate(in, cohort()).is_ok());
}

TEST(CohortSessionTest, MinutesRunFrom15To480) {
  auto in = good();
  for (int bad : {0, 14, 481, -30}) {
    in.minutes = bad;
    expect_refused(in, "session_minutes_invalid", "minutes");
  }
  for (int ok : {15, 480}) {
    in.minutes = ok;
    EXPECT_TRUE(validate(in, cohort()).is_ok()) << ok;
  }
}

TEST(CohortSessionTest, StartMustFallInTheCohortOrUpTo30DaysAfter) {
  auto in = good();
  in.starts_at = noon("2026-08-04");
  expect_refused(in, "session_outside_cohort", "starts_at");
  in.starts_at = noon("2026-08-05");
  EXPECT_TRUE(validate(in, cohort()).is_ok());
  in.starts_at = noon("2027-09-03");
  EXPECT_TRUE(validate(in, cohort()).is_ok());
  in.starts_at = noon("2027-09-04");
  expect_refused(in, "session_outside_cohort", "starts_at");
}

TEST(CohortSessionTest, CpdHoursAreWholeQuarterHours) {
  EXPECT_DOUBLE_EQ(session_cpd_hours(15), 0.25);
  EXPECT_DOUBLE_EQ(session_cpd_hours(90), 1.5);
  EXPECT_DOUBLE_EQ(session_cpd_hours(100), 1.5);
  EXPECT_DOUBLE_EQ(session_cpd_hours(480), 8.0);
}

}  // namespace
}  // namespace mentoring::core
