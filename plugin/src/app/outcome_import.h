// Use cases for outcome measures (core/outcome.h): evaluation consent, and
// importing ARCP outcomes, exam results and FY1 preparedness ratings from a
// spreadsheet. Imports are checked in full first (a dry run lists every row
// problem) and applied all or nothing. Rows about people who have not
// consented to the use of their outcomes in evaluation are skipped and
// counted, never stored.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/csv.h"
#include "core/evaluation_stores.h"
#include "core/stores.h"

namespace mentoring::app {

struct OutcomeImportSummary {
  std::size_t rows_read = 0;  // data rows in the file
  std::size_t rows_with_errors = 0;
  std::size_t rows_to_store = 0;            // valid rows about consenting people
  std::size_t rows_skipped_no_consent = 0;  // valid rows about people without consent
  std::vector<core::CsvRowError> errors;    // at most core::kMaxCsvRowErrors
  std::size_t errors_not_listed = 0;
  bool applied = false;  // true only when the rows were stored
};

class OutcomeService {
 public:
  OutcomeService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Records whether the person agrees to their outcomes being used to
  // evaluate schemes. Consent belongs with the mentee profile: a person
  // without one gets failed_precondition "mentee_profile_required".
  core::Result<core::EvaluationConsent> record_consent(std::int64_t accountid, bool given);

  // Checks `csv` (columns: core::outcome_csv_columns) for scheme `schemeid`
  // and, when `apply` and there is no row error, stores the rows of
  // consenting people in one transaction. Row problems, including
  // outcome_person_unknown and outcome_person_mismatch (account_id and email
  // name different people), are listed in the summary. File-level problems
  // (core::parse_csv, core::map_csv_columns) and NotFound scheme_not_found
  // are returned as a Status. With `apply` and row errors nothing is stored
  // and failed_precondition "outcome_import_has_errors" is returned; call
  // again without `apply` to list the errors.
  core::Result<OutcomeImportSummary> import_csv(std::int64_t schemeid, std::string_view csv, bool apply);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
