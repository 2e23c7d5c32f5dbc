// Bulk import and export of mentees, mentors and mentor training records as
// CSV (core/csv.h), for staff moving a cohort in from a spreadsheet.
//
// An import is all or nothing: every row is checked, and written, inside one
// transaction, which commits only when no row has an error and the caller
// did not ask for a dry run. A dry run does the same work and rolls it back,
// so its preview (per-row outcome and every error, with row and column)
// is exactly what applying would do.
//
// Rows name a person by their host account: platform and subject (the
// account is created when missing), or else an email address or a GMC
// reference number that already belongs to exactly one account. Re-importing
// the same file changes nothing: existing accounts, enrolments and training
// records are recognised and reported as unchanged.
//
// The rows are written in one transaction through core::BulkImportStore,
// whose statements are prepared once and reused for every row, and each
// cohort or scheme is read once per import rather than once per row
// (docs/benchmarks.md has the figures). Long imports run as background jobs
// (app/import_jobs.h); their progress is reported before the transaction
// opens, because SQLite holds its write lock for the whole of it and a
// progress row written from another transaction could not commit until the
// import has finished anyway.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/stores.h"

namespace mentoring::app {

enum class ImportKind { kMentees, kMentors, kTraining };
// "mentees", "mentors", "training".
const char* to_string(ImportKind k);
std::optional<ImportKind> parse_import_kind(std::string_view s);

// The columns of each kind, in template order. Every kind starts with the
// account columns platform, subject, email, gmc_number, display_name;
// mentees and mentors add cohortid; training adds schemeid, module_code,
// completed_on, expires_on.
std::vector<core::CsvColumn> import_columns(ImportKind kind);
// The header row of the kind's template, as CSV (UTF-8 with a BOM, CRLF).
std::string import_template_csv(ImportKind kind);

// created: the row created a record (account, enrolment or training record);
// updated: it only changed existing ones; unchanged: it wrote nothing.
enum class RowOutcome { kCreated, kUpdated, kUnchanged, kError };
// "created", "updated", "unchanged", "error".
const char* to_string(RowOutcome o);

struct ImportRowResult {
  std::size_t row = 0;  // as the spreadsheet numbers it (the header is row 1)
  RowOutcome outcome = RowOutcome::kUnchanged;
  std::int64_t accountid = 0;  // 0 when the account could not be found
  std::string detail;          // what the row did: "account created; enrolled as mentee"
};

struct ImportReport {
  ImportKind kind = ImportKind::kMentees;
  bool dry_run = true;
  bool applied = false;  // true only when the rows were committed
  core::CsvEncoding encoding = core::CsvEncoding::kUtf8;
  std::size_t rows_read = 0;
  std::size_t created = 0, updated = 0, unchanged = 0;
  // Rows in file order; at most kMaxReportedRows (the counts cover every row).
  std::vector<ImportRowResult> rows;
  std::vector<core::CsvRowError> errors;  // at most core::kMaxCsvRowErrors
  std::size_t errors_not_listed = 0;
  std::size_t error_count() const { return errors.size() + errors_not_listed; }
};

inline constexpr std::size_t kMaxReportedRows = 1000;

// Called as the import goes: `done` of `total` units, and what is happening.
// Never called while the import's transaction is open.
using ImportProgress = std::function<void(std::size_t done, std::size_t total, const std::string& message)>;

class BulkImportService {
 public:
  BulkImportService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Parses `csv` (core::parse_csv with `limits`) and imports it. File-level
  // problems (too large, bad encoding, quoting, missing or unknown columns)
  // are the returned Status; row problems are in the report, and then
  // nothing is written (applied = false). Applying writes one audit entry
  // for the import plus one for each record created or changed.
  core::Result<ImportReport> run(ImportKind kind, std::string_view csv, bool dry_run, const core::Actor& actor,
                                 const core::CsvLimits& limits = {}, const ImportProgress& progress = {});

  // The kind's rows as CSV with the template's columns (formula-safe, with a
  // BOM): the enrolments of cohort `scopeid` for mentees and mentors (the
  // GMC number when known), the training records of scheme `scopeid` for
  // training. The file round-trips: importing it changes nothing. Audited as
  // an export. NotFound "cohort_not_found" / "scheme_not_found".
  core::Result<std::string> export_csv(ImportKind kind, std::int64_t scopeid, const core::Actor& actor);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
