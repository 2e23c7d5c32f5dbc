#include "app/outcome_import.h"

#include <set>

#include "app/setup_unit_of_work.h"
#include "app/unit_of_work.h"
#include "core/outcome.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Result<core::EvaluationConsent> OutcomeService::record_consent(std::int64_t accountid, bool given) {
  return in_transaction<core::EvaluationConsent>(db_, [&](core::Stores& s) -> Result<core::EvaluationConsent> {
    MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
    auto profile = s.profiles.find_mentee(accountid);
    if (!profile) return profile.status();
    if (!profile->has_value())
      return Status::failed_precondition("mentee_profile_required",
                                         "Evaluation consent is recorded with the mentee profile; create it first.");
    const core::UnixSeconds now = clock_.now();
    core::EvaluationConsent c;
    c.accountid = accountid;
    c.given = given;
    c.recorded_on = core::Date::from_unix(now);
    return s.evaluation.save_consent(c, now);
  });
}

namespace {

core::CsvRowError row_error(std::size_t row, const char* column, const char* reason, const std::string& what) {
  core::CsvRowError e;
  e.row = row;
  e.column_name = column;
  e.reason = reason;
  e.message = "Row " + std::to_string(row) + " (" + column + "): " + what;
  return e;
}

}  // namespace

Result<OutcomeImportSummary> OutcomeService::import_csv(std::int64_t schemeid, std::string_view csv, bool apply) {
  auto table = core::parse_csv(csv);
  if (!table) return table.status();
  auto mapped = core::map_csv_columns(*table, core::outcome_csv_columns());
  if (!mapped) return mapped.status();
  const core::UnixSeconds now = clock_.now();
  std::vector<core::OutcomeRow> rows = core::read_outcome_rows(*mapped, schemeid, core::Date::from_unix(now));

  OutcomeImportSummary summary;
  bool has_errors = false;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto scheme = require_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    std::vector<core::OutcomeRecord> to_store;
    for (auto& row : rows) {
      std::optional<std::int64_t> by_id, by_email;
      if (row.accountid) {
        auto a = s.accounts.find(*row.accountid);
        if (!a) return a.status();
        if (a->has_value()) by_id = (*a)->id;
      }
      if (!row.email.empty()) {
        auto a = s.outcomes.find_account_by_email(row.email);
        if (!a) return a.status();
        by_email = *a;
      }
      if ((row.accountid && !by_id) || (!row.email.empty() && !by_email)) {
        mapped->add_error(row_error(row.row, row.accountid && !by_id ? "account_id" : "email", "outcome_person_unknown",
                                    "no one with that account_id or email is known here."));
        continue;
      }
      if (by_id && by_email && *by_id != *by_email) {
        mapped->add_error(row_error(row.row, "email", "outcome_person_mismatch",
                                    "the account_id and the email name different people."));
        continue;
      }
      const std::int64_t accountid = by_id ? *by_id : *by_email;
      auto consent = s.evaluation.find_consent(accountid);
      if (!consent) return consent.status();
      auto profile = s.profiles.find_mentee(accountid);
      if (!profile) return profile.status();
      if (!consent->has_value() || !(*consent)->given || !profile->has_value()) {
        ++summary.rows_skipped_no_consent;
        continue;
      }
      row.record.accountid = accountid;
      to_store.push_back(row.record);
    }
    has_errors = !mapped->errors.empty() || mapped->errors_not_listed > 0;
    summary.rows_to_store = to_store.size();
    if (!apply) return Status::failed_precondition("dry_run", "Nothing is stored on a dry run.");
    if (has_errors)
      return Status::failed_precondition("outcome_import_has_errors",
                                         "The file has rows with errors, so nothing was imported; check it without "
                                         "applying to list them.");
    for (const auto& r : to_store) MENTORING_RETURN_IF_ERROR(s.outcomes.add(r, now));
    summary.applied = true;
    return Status::ok();
  });
  // A dry run always rolls back, so it cannot write even by mistake.
  if (!st && st.reason() != "dry_run") return st;
  summary.rows_read = mapped->rows_read;
  summary.errors = mapped->errors;
  summary.errors_not_listed = mapped->errors_not_listed;
  std::set<std::size_t> bad_rows;
  for (const auto& e : summary.errors) bad_rows.insert(e.row);
  summary.rows_with_errors = bad_rows.size() + summary.errors_not_listed;
  return summary;
}

}  // namespace mentoring::app
