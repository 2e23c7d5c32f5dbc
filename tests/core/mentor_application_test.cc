// Validation of a mentor application (core/mentor_application.h): each
// field refused with its own reason and field, texts trimmed, expertise
// areas normalised as on a mentor profile, and a decline needs a reason.
#include "core/mentor_application.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

MentorApplicationInput good() {
  MentorApplicationInput in;
  in.motivation = "  Mentoring got me through FY1; I want to pass that on.  ";
  in.expertise_areas = {" Exams ", "exams", "Less  than full time"};
  in.capacity = 3;
  in.availability = " Weekday evenings ";
  in.declaration = true;
  return in;
}

std::string reason_of(const MentorApplicationInput& in) {
  auto r = validate_mentor_application(in);
  return r ? std::string() : r.status().reason();
}

std::string field_of(const MentorApplicationInput& in) {
  auto r = validate_mentor_application(in);
  return r ? std::string() : r.status().field();
}

TEST(MentorApplicationTest, AValidApplicationIsTrimmedAndItsKeywordsNormalised) {
  auto r = validate_mentor_application(good());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->motivation, "Mentoring got me through FY1; I want to pass that on.");
  EXPECT_EQ(r->expertise_areas, (std::vector<std::string>{"exams", "less than full time"}));
  EXPECT_EQ(r->availability, "Weekday evenings");
  EXPECT_EQ(r->capacity, 3);
}

TEST(MentorApplicationTest, EachFieldHasItsOwnReasonAndField) {
  MentorApplicationInput in = good();
  in.motivation = "   ";
  EXPECT_EQ(reason_of(in), "motivation_required");
  EXPECT_EQ(field_of(in), "motivation");
  in.motivation = "I'd like to.";
  EXPECT_EQ(reason_of(in), "motivation_too_short");
  in.motivation = std::string(2001, 'a');
  EXPECT_EQ(reason_of(in), "motivation_too_long");
  in.motivation = std::string(2000, 'a');
  EXPECT_EQ(reason_of(in), "");
  in.motivation = "Twenty characters or more \x01 here";
  EXPECT_EQ(reason_of(in), "motivation_invalid");

  in = good();
  in.expertise_areas = {" ", ""};
  EXPECT_EQ(reason_of(in), "expertise_areas_required");
  EXPECT_EQ(field_of(in), "expertise_areas");
  in.expertise_areas.clear();
  for (int i = 0; i < 16; ++i) in.expertise_areas.push_back("area " + std::to_string(i));
  EXPECT_EQ(reason_of(in), "expertise_areas_too_many");
  in.expertise_areas = {std::string(41, 'x')};
  EXPECT_EQ(reason_of(in), "expertise_areas_invalid");

  in = good();
  for (int c : {0, -1, 11}) {
    in.capacity = c;
    EXPECT_EQ(reason_of(in), "capacity_invalid") << c;
    EXPECT_EQ(field_of(in), "capacity");
  }
  in.capacity = 10;
  EXPECT_EQ(reason_of(in), "");

  in = good();
  in.availability = "";
  EXPECT_EQ(reason_of(in), "availability_required");
  in.availability = std::string(501, 'a');
  EXPECT_EQ(reason_of(in), "availability_too_long");
  EXPECT_EQ(field_of(in), "availability");

  in = good();
  in.declaration = false;
  EXPECT_EQ(reason_of(in), "declaration_required");
  EXPECT_EQ(field_of(in), "declaration");
}

TEST(MentorApplicationTest, ProblemsListsEveryFieldAtOnceInFormOrder) {
  MentorApplicationInput in;
  in.capacity = 0;
  std::vector<std::string> fields;
  for (const Status& st : mentor_application_problems(in)) fields.push_back(st.field());
  EXPECT_EQ(fields,
            (std::vector<std::string>{"motivation", "expertise_areas", "capacity", "availability", "declaration"}));
  EXPECT_TRUE(mentor_application_problems(good()).empty());
}

TEST(MentorApplicationTest, ADeclineNeedsAReasonOfBoundedLength) {
  EXPECT_EQ(validate_decision_reason("  ").status().reason(), "decision_reason_required");
  EXPECT_EQ(validate_decision_reason(std::string(1001, 'a')).status().reason(), "decision_reason_too_long");
  EXPECT_EQ(validate_decision_reason("ok\x02").status().reason(), "decision_reason_invalid");
  auto ok = validate_decision_reason("  The cohort has enough mentors.\n");
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(*ok, "The cohort has enough mentors.");
}

TEST(MentorApplicationTest, StatusNamesRoundTrip) {
  for (ApplicationStatus s : {ApplicationStatus::kPending, ApplicationStatus::kApproved, ApplicationStatus::kDeclined})
    EXPECT_EQ(parse_application_status(to_string(s)), s);
  EXPECT_FALSE(parse_application_status("withdrawn").has_value());
}

}  // namespace
}  // namespace mentoring::core
