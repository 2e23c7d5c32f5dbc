#include "core/scheme.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

Date d(const char* s) { return *Date::parse(s); }

CohortInput valid_cohort() {
  CohortInput c;
  c.schemeid = 1;
  c.name = "August 2026";
  c.opens_on = d("2026-06-10");
  c.closes_on = d("2026-08-05");
  c.starts_on = d("2026-08-05");
  c.ends_on = d("2027-08-04");
  return c;
}

TEST(SchemeTest, AcceptsAWellFormedScheme) {
  SchemeInput s{"FY1 mentoring", SchemeType::kNearPeer, "Improve FY1 preparedness", SchemePhase::kPilot};
  EXPECT_TRUE(validate(s).is_ok());
}

TEST(SchemeTest, RequiresANameThatIsNotBlank) {
  SchemeInput s;
  s.name = "   ";
  Status st = validate(s);
  EXPECT_EQ(st.reason(), "scheme_name_required");
  EXPECT_EQ(st.field(), "name");
}

TEST(SchemeTest, RefusesControlCharactersAndOverlongNames) {
  SchemeInput s;
  s.name = std::string("bad\x01name");
  EXPECT_EQ(validate(s).reason(), "scheme_name_invalid");
  s.name = std::string(201, 'a');
  EXPECT_EQ(validate(s).reason(), "scheme_name_invalid");
  s.name = "ok";
  s.aims = "line one\nline two";
  EXPECT_TRUE(validate(s).is_ok()) << "aims may span lines";
}

TEST(SchemeTest, ParsesEveryTypePhaseAndModelByItsName) {
  for (auto t : {SchemeType::kTraditional, SchemeType::kNearPeer, SchemeType::kReverse, SchemeType::kReciprocal})
    EXPECT_EQ(parse_scheme_type(to_string(t)), t);
  for (auto p : {SchemePhase::kPilot, SchemePhase::kBusinessAsUsual}) EXPECT_EQ(parse_scheme_phase(to_string(p)), p);
  for (auto m : {MatchingModel::kAssigned, MatchingModel::kMenteeChoice, MatchingModel::kHybrid})
    EXPECT_EQ(parse_matching_model(to_string(m)), m);
  EXPECT_FALSE(parse_scheme_type("Traditional").has_value());
  EXPECT_FALSE(parse_matching_model("").has_value());
}

TEST(CohortTest, AcceptsOrderedDates) { EXPECT_TRUE(validate(valid_cohort()).is_ok()); }

TEST(CohortTest, RefusesDatesOutOfOrderNamingTheField) {
  CohortInput c = valid_cohort();
  c.closes_on = d("2026-06-01");
  EXPECT_EQ(validate(c).reason(), "cohort_closes_before_opens");
  EXPECT_EQ(validate(c).field(), "closes_on");

  c = valid_cohort();
  c.ends_on = d("2026-08-01");
  EXPECT_EQ(validate(c).reason(), "cohort_ends_before_starts");

  c = valid_cohort();
  c.closes_on = d("2027-09-01");
  EXPECT_EQ(validate(c).reason(), "cohort_closes_after_end");

  c = valid_cohort();
  c.ends_on = d("2030-01-01");
  EXPECT_EQ(validate(c).reason(), "cohort_too_long");

  c = valid_cohort();
  c.schemeid = 0;
  EXPECT_EQ(validate(c).reason(), "cohort_scheme_required");
}

TEST(CohortTest, DefaultCohortStartsAtTheNextAugustOrFebruaryChangeover) {
  // First Wednesday of August 2026 is the 5th; of February 2027 the 3rd.
  CohortInput c = default_cohort_after(7, d("2026-03-15"));
  EXPECT_EQ(c.starts_on.to_string(), "2026-08-05");
  EXPECT_EQ(c.name, "August 2026");
  EXPECT_EQ(c.opens_on.to_string(), "2026-06-10");
  EXPECT_EQ(c.closes_on, c.starts_on);
  EXPECT_EQ(c.schemeid, 7);
  EXPECT_TRUE(validate(c).is_ok());

  c = default_cohort_after(7, d("2026-08-06"));
  EXPECT_EQ(c.starts_on.to_string(), "2027-02-03");
  EXPECT_EQ(c.name, "February 2027");

  c = default_cohort_after(7, d("2026-01-10"));
  EXPECT_EQ(c.starts_on.to_string(), "2026-02-04");

  // On the changeover day itself, that day is the start.
  c = default_cohort_after(7, d("2026-08-05"));
  EXPECT_EQ(c.starts_on.to_string(), "2026-08-05");
}

TEST(CohortTest, EnrolmentWindowIsInclusiveAtBothEnds) {
  Cohort c;
  c.name = "August 2026";
  c.opens_on = d("2026-06-10");
  c.closes_on = d("2026-08-05");
  EXPECT_EQ(check_enrolment_window(c, d("2026-06-09")).reason(), "enrolment_not_open");
  EXPECT_TRUE(check_enrolment_window(c, d("2026-06-10")).is_ok());
  EXPECT_TRUE(check_enrolment_window(c, d("2026-08-05")).is_ok());
  Status late = check_enrolment_window(c, d("2026-08-06"));
  EXPECT_EQ(late.reason(), "enrolment_closed");
  EXPECT_EQ(late.code(), Code::kFailedPrecondition);
  EXPECT_NE(late.message().find("2026-08-05"), std::string::npos);
}

}  // namespace
}  // namespace mentoring::core
