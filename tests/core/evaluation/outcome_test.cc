// Outcome codes and the format checks of an outcome import (core/outcome.h).
#include "core/outcome.h"

#include <gtest/gtest.h>

#include <map>

namespace mentoring::core {
namespace {

const Date kToday = *Date::parse("2027-07-01");

CsvMapped mapped(const std::string& csv) {
  auto table = parse_csv(csv);
  EXPECT_TRUE(table.is_ok()) << table.status().to_string();
  auto m = map_csv_columns(*table, outcome_csv_columns());
  EXPECT_TRUE(m.is_ok()) << m.status().to_string();
  return *m;
}

TEST(OutcomeTest, ArcpCodesAreTheGoldGuideOutcomesOnly) {
  for (const char* code : {"1", "2", "3", "4", "5", "6", "8", "10.1", "10.2"}) {
    auto parsed = parse_arcp_outcome(code);
    ASSERT_TRUE(parsed.has_value()) << code;
    EXPECT_EQ(std::string(to_string(*parsed)), code);
  }
  EXPECT_EQ(parse_arcp_outcome(" Outcome 10.1 "), ArcpOutcome::k10_1);
  EXPECT_EQ(parse_arcp_outcome("outcome 6"), ArcpOutcome::k6);
  for (const char* bad : {"7", "7.1", "9", "10", "10.3", "0", "", "1.0", "Outcome"})
    EXPECT_FALSE(parse_arcp_outcome(bad).has_value()) << bad;
}

TEST(OutcomeTest, UkDatesAreDayFirstAndMustBeRealDays) {
  EXPECT_EQ(parse_uk_date("05/08/2026"), Date::parse("2026-08-05"));
  EXPECT_EQ(parse_uk_date("2026-08-05"), Date::parse("2026-08-05"));
  EXPECT_FALSE(parse_uk_date("31/02/2026").has_value());
  EXPECT_FALSE(parse_uk_date("5/8/2026").has_value());
  EXPECT_FALSE(parse_uk_date("08-05-2026").has_value());
}

TEST(OutcomeTest, EveryRowProblemIsListedWithItsRowAndColumn) {
  CsvMapped m = mapped(
      "email,account_id,type,date,arcp_outcome,exam_name,exam_result,rating\r\n"
      "ada@example.nhs.uk,,arcp,20/06/2027,1,,,\r\n"                  // row 2: good
      ",,arcp,2027-06-20,1,,,\r\n"                                    // row 3: no person
      "bea@example.nhs.uk,,arcp,2027-06-31,1,,,\r\n"                  // row 4: bad date
      "cy@example.nhs.uk,,arcp,2027-06-20,7,,,\r\n"                   // row 5: unknown code
      "dee@example.nhs.uk,,exam,2027-03-01,,MRCP Part 1,passed,\r\n"  // row 6: bad result
      ",12,fy1_preparedness,2027-05-01,,,,6\r\n"                      // row 7: bad rating
      ",12,exam,2027-08-01,,MRCP Part 1,pass,\r\n"                    // row 8: future date
      ",12,appraisal,2027-05-01,,,,\r\n"                              // row 9: unknown type
      ",12,arcp,2027-05-01,2,,,4\r\n"                                 // row 10: rating on an ARCP row
      ",x1,exam,2027-02-01,,MRCP Part 2,fail,\r\n");                  // row 11: bad account id
  auto rows = read_outcome_rows(m, 5, kToday);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row, 2u);
  EXPECT_EQ(rows[0].email, "ada@example.nhs.uk");
  EXPECT_EQ(rows[0].record.kind, OutcomeKind::kArcp);
  EXPECT_EQ(rows[0].record.arcp, ArcpOutcome::k1);
  EXPECT_EQ(rows[0].record.recorded_on, Date::parse("2027-06-20"));
  EXPECT_EQ(rows[0].record.schemeid, 5);

  std::map<std::size_t, std::string> by_row;
  for (const auto& e : m.errors) by_row[e.row] = e.reason;
  EXPECT_EQ(by_row[3], "outcome_person_required");
  EXPECT_EQ(by_row[4], "outcome_date_invalid");
  EXPECT_EQ(by_row[5], "outcome_arcp_code_unknown");
  EXPECT_EQ(by_row[6], "outcome_exam_result_invalid");
  EXPECT_EQ(by_row[7], "outcome_rating_invalid");
  EXPECT_EQ(by_row[8], "outcome_date_in_future");
  EXPECT_EQ(by_row[9], "outcome_type_unknown");
  EXPECT_EQ(by_row[10], "outcome_value_not_allowed");
  EXPECT_EQ(by_row[11], "outcome_account_id_invalid");
  EXPECT_EQ(m.errors.size(), 9u);
  for (const auto& e : m.errors) EXPECT_EQ(e.message.rfind("Row " + std::to_string(e.row) + " (", 0), 0u) << e.message;
}

TEST(OutcomeTest, ExamAndPreparednessRowsCarryTheirValues) {
  CsvMapped m = mapped(
      "account_id,type,date,exam_name,exam_result,rating\n"
      "3,exam,01/03/2027, MRCP Part 1 ,FAIL,\n"
      "4,fy1_preparedness,2027-05-01,,,5\n");
  auto rows = read_outcome_rows(m, 1, kToday);
  ASSERT_EQ(rows.size(), 2u) << (m.errors.empty() ? "" : m.errors[0].message);
  EXPECT_EQ(rows[0].accountid, 3);
  EXPECT_EQ(rows[0].record.exam_name, "MRCP Part 1");
  EXPECT_EQ(rows[0].record.exam_passed, false);
  EXPECT_EQ(rows[1].record.rating, 5);
  EXPECT_FALSE(rows[1].record.exam_passed.has_value());
}

}  // namespace
}  // namespace mentoring::core
