// Outcome measures for evaluating a scheme (toolkit: "Quantitative feedback
// utilising a variety of outcome measures such as annual review of competency
// progression (ARCP) outcomes, exam outcomes or Foundation Year 1 (FY1)
// preparedness"). They come from the deanery or the foundation school as a
// spreadsheet, are linked only to people who consented to their use in
// evaluation, are stored apart from the mentoring record, and leave the
// plugin only as suppressed counts in a report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core {

enum class OutcomeKind { kArcp, kExam, kFy1Preparedness };
const char* to_string(OutcomeKind v);  // "arcp", "exam", "fy1_preparedness"
std::optional<OutcomeKind> parse_outcome_kind(std::string_view s);

// ARCP outcomes as the Gold Guide numbers them. 7.x (fixed-term posts) and 9
// (not in a training programme) do not apply to trainees in a programme and
// are refused.
enum class ArcpOutcome {
  k1,     // satisfactory progress
  k2,     // development of specific competences required, no additional training time
  k3,     // inadequate progress, additional training time required
  k4,     // released from training programme
  k5,     // incomplete evidence presented, additional training time may be required
  k6,     // gained all required competences (completion)
  k8,     // out of programme
  k10_1,  // progress delayed by COVID-19, no additional training time
  k10_2,  // progress delayed by COVID-19, additional training time required
};
inline constexpr ArcpOutcome kAllArcpOutcomes[] = {ArcpOutcome::k1, ArcpOutcome::k2,    ArcpOutcome::k3,
                                                   ArcpOutcome::k4, ArcpOutcome::k5,    ArcpOutcome::k6,
                                                   ArcpOutcome::k8, ArcpOutcome::k10_1, ArcpOutcome::k10_2};
const char* to_string(ArcpOutcome v);  // "1" ... "10.2"
// Accepts "1" ... "10.2", optionally after "Outcome " (as panels write it),
// ignoring case and outer spaces.
std::optional<ArcpOutcome> parse_arcp_outcome(std::string_view s);
// The Gold Guide's short description.
const char* describe(ArcpOutcome v);

inline constexpr int kMinPreparednessRating = 1;
inline constexpr int kMaxPreparednessRating = 5;
inline constexpr std::size_t kMaxExamNameLength = 200;

struct OutcomeRecord {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  std::int64_t schemeid = 0;
  OutcomeKind kind = OutcomeKind::kArcp;
  Date recorded_on;                 // date of the panel, the exam, or the rating
  std::optional<ArcpOutcome> arcp;  // arcp only
  std::string exam_name;            // exam only
  std::optional<bool> exam_passed;  // exam only
  std::optional<int> rating;        // fy1_preparedness only, 1..5
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// The columns of an outcome import. Each row names the person by account_id
// or by email (at least one), and its type decides which other columns it
// needs: arcp -> arcp_outcome; exam -> exam_name and exam_result (pass or
// fail); fy1_preparedness -> rating (1 to 5).
std::vector<CsvColumn> outcome_csv_columns();

// A row that passed the format checks; the person is still to be found.
struct OutcomeRow {
  std::size_t row = 0;
  std::optional<std::int64_t> accountid;
  std::string email;     // lower-cased
  OutcomeRecord record;  // accountid and id unset
};

// Checks every mapped record's formats (row errors go into `mapped`):
// outcome_person_required, outcome_account_id_invalid, outcome_email_invalid,
// outcome_type_unknown, outcome_date_invalid (YYYY-MM-DD or DD/MM/YYYY),
// outcome_date_in_future, outcome_arcp_code_unknown,
// outcome_exam_name_required, outcome_exam_name_invalid,
// outcome_exam_result_invalid, outcome_rating_invalid,
// outcome_value_not_allowed (a value in a column the type does not use).
std::vector<OutcomeRow> read_outcome_rows(CsvMapped& mapped, std::int64_t schemeid, Date today);

// "2026-08-05" or "05/08/2026" (day first, as UK spreadsheets write dates).
std::optional<Date> parse_uk_date(std::string_view s);

}  // namespace mentoring::core
