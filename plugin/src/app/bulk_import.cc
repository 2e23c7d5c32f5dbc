#include "app/bulk_import.h"

#include <set>

#include "app/audit.h"
#include "app/enrolment.h"
#include "core/audit_stores.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"
#include "core/text.h"

namespace mentoring::app {
using core::CsvRowError;
using core::Result;
using core::Status;

const char* to_string(ImportKind k) {
  switch (k) {
    case ImportKind::kMentees:
      return "mentees";
    case ImportKind::kMentors:
      return "mentors";
    case ImportKind::kTraining:
      return "training";
  }
  return "mentees";
}

std::optional<ImportKind> parse_import_kind(std::string_view s) {
  if (s == "mentees") return ImportKind::kMentees;
  if (s == "mentors") return ImportKind::kMentors;
  if (s == "training") return ImportKind::kTraining;
  return std::nullopt;
}

const char* to_string(RowOutcome o) {
  switch (o) {
    case RowOutcome::kCreated:
      return "created";
    case RowOutcome::kUpdated:
      return "updated";
    case RowOutcome::kUnchanged:
      return "unchanged";
    case RowOutcome::kError:
      return "error";
  }
  return "error";
}

std::vector<core::CsvColumn> import_columns(ImportKind kind) {
  std::vector<core::CsvColumn> c = {
      {"platform", false, false},   {"subject", false, false},      {"email", false, false},
      {"gmc_number", false, false}, {"display_name", false, false},
  };
  if (kind == ImportKind::kTraining) {
    c.push_back({"schemeid", true, true});
    c.push_back({"module_code", true, true});
    c.push_back({"completed_on", true, true});
    c.push_back({"expires_on", false, false});
  } else {
    c.push_back({"cohortid", true, true});
  }
  return c;
}

std::string import_template_csv(ImportKind kind) {
  std::vector<std::string> header;
  for (const auto& c : import_columns(kind)) header.push_back(c.name);
  core::CsvWriteOptions options;
  options.utf8_bom = true;
  return core::write_csv({header}, options);
}

namespace {

// The values of one row, read and checked without the database.
struct RowInput {
  std::size_t row = 0;
  core::AccountInput account;  // platform/subject may be empty
  std::string gmc_number;
  std::int64_t scopeid = 0;  // cohortid or schemeid
  core::TrainingRecord record;
};

bool is_gmc_number(std::string_view s) {
  if (s.size() != 7) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

std::optional<std::int64_t> parse_id(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v < 1) return std::nullopt;
  return v;
}

// Adds an error for `column` of `row` (by canonical name) to `mapped`.
void row_error(core::CsvMapped& mapped, std::size_t row, std::string_view column, std::string reason,
               std::string what) {
  CsvRowError e;
  e.row = row;
  const std::size_t index = mapped.index_of(column);
  e.column = index < mapped.columns.size() ? index + 1 : 0;
  e.column_name = std::string(column);
  e.reason = std::move(reason);
  e.message = "Row " + std::to_string(row) + (column.empty() ? std::string() : " (" + std::string(column) + ")") +
              ": " + std::move(what);
  mapped.add_error(std::move(e));
}

std::optional<RowInput> read_row(ImportKind kind, core::CsvMapped& mapped, const core::CsvRecord& rec) {
  RowInput in;
  in.row = rec.row;
  in.account.platform = core::trim(mapped.value(rec, "platform"));
  in.account.subject = core::trim(mapped.value(rec, "subject"));
  in.account.email = core::trim(mapped.value(rec, "email"));
  in.account.display_name = core::trim(mapped.value(rec, "display_name"));
  in.gmc_number = core::trim(mapped.value(rec, "gmc_number"));
  const std::size_t before = mapped.errors.size() + mapped.errors_not_listed;
  if (in.account.platform.empty() != in.account.subject.empty())
    row_error(mapped, rec.row, in.account.platform.empty() ? "platform" : "subject", "import_platform_subject_pair",
              "give both platform and subject, or neither.");
  if (in.account.subject.empty() && in.account.email.empty() && in.gmc_number.empty())
    row_error(mapped, rec.row, "", "import_account_key_missing",
              "give platform and subject, an email address or a GMC number to say who this is.");
  if (!in.gmc_number.empty() && !is_gmc_number(in.gmc_number))
    row_error(mapped, rec.row, "gmc_number", "import_gmc_number_invalid", "a GMC number is 7 digits.");
  if (!in.account.subject.empty()) {
    if (Status st = core::validate(in.account); !st) row_error(mapped, rec.row, st.field(), st.reason(), st.message());
  } else if (!in.account.email.empty() && !core::looks_like_email(in.account.email)) {
    row_error(mapped, rec.row, "email", "account_email_invalid", "the email address is not valid.");
  }
  const char* scope = kind == ImportKind::kTraining ? "schemeid" : "cohortid";
  auto id = parse_id(mapped.value(rec, scope));
  if (!id)
    row_error(mapped, rec.row, scope, "import_id_invalid", std::string("the ") + scope + " must be a whole number.");
  else
    in.scopeid = *id;
  if (kind == ImportKind::kTraining) {
    in.record.module_code = core::trim(mapped.value(rec, "module_code"));
    auto done = core::Date::parse(core::trim(mapped.value(rec, "completed_on")));
    if (!done)
      row_error(mapped, rec.row, "completed_on", "import_date_invalid", "give the date as YYYY-MM-DD.");
    else
      in.record.completed_on = *done;
    const std::string expires = core::trim(mapped.value(rec, "expires_on"));
    if (!expires.empty()) {
      auto until = core::Date::parse(expires);
      if (!until)
        row_error(mapped, rec.row, "expires_on", "import_date_invalid", "give the date as YYYY-MM-DD.");
      else
        in.record.expires_on = *until;
    }
  }
  if (mapped.errors.size() + mapped.errors_not_listed != before) return std::nullopt;
  return in;
}

// Why a row failed against the database: the row's error, not the import's.
struct RowFailure {
  std::string column;
  Status status;
};

// Finds (or, given platform and subject, creates or refreshes) the row's
// account. Sets `changed` to "created"/"updated" when it wrote.
Result<std::int64_t> resolve_account(core::Stores& s, const RowInput& in, const core::Actor& actor,
                                     core::UnixSeconds now, std::string& detail, RowOutcome& outcome,
                                     std::string& failed_column) {
  std::int64_t accountid = 0;
  if (!in.account.subject.empty()) {
    failed_column = "subject";
    auto found = s.accounts.find_by_subject(in.account.platform, in.account.subject);
    if (!found) return found.status();
    const bool exists = found->has_value();
    // Blank name or email cells leave what the host told us alone.
    core::AccountInput input = in.account;
    if (exists && input.display_name.empty()) input.display_name = (*found)->display_name;
    if (exists && input.email.empty()) input.email = (*found)->email;
    if (exists && (*found)->display_name == input.display_name && (*found)->email == input.email) {
      accountid = (*found)->id;
    } else {
      auto saved = s.accounts.upsert(input, now);
      if (!saved) return saved.status();
      accountid = saved->id;
      MENTORING_RETURN_IF_ERROR(audit(s, actor, exists ? core::AuditAction::kUpdate : core::AuditAction::kCreate,
                                      "account", accountid,
                                      exists ? "account updated by import" : "account created by import", now));
      detail += exists ? "account updated; " : "account created; ";
      outcome = exists ? RowOutcome::kUpdated : RowOutcome::kCreated;
    }
  } else if (!in.account.email.empty()) {
    failed_column = "email";
    auto found = s.privacy.find_accounts_by_email(in.account.email);
    if (!found) return found.status();
    if (found->empty())
      return Status::not_found("import_account_unknown",
                               "no account has this email address; give platform and subject to create one.");
    if (found->size() > 1)
      return Status::failed_precondition("import_account_ambiguous",
                                         "more than one account has this email address; give platform and subject.");
    accountid = found->front().id;
  } else {
    failed_column = "gmc_number";
    auto found = s.privacy.find_account_by_gmc(in.gmc_number);
    if (!found) return found.status();
    if (!found->has_value())
      return Status::not_found("import_account_unknown",
                               "no account has this GMC number; give platform and subject to create one.");
    accountid = **found;
  }
  if (!in.gmc_number.empty()) {
    failed_column = "gmc_number";
    auto current = s.privacy.gmc_number(accountid);
    if (!current) return current.status();
    if (!current->has_value() || **current != in.gmc_number) {
      MENTORING_RETURN_IF_ERROR(s.privacy.set_gmc_number(accountid, in.gmc_number, now));
      MENTORING_RETURN_IF_ERROR(
          audit(s, actor, core::AuditAction::kUpdate, "account", accountid, "GMC number recorded by import", now));
      detail += "GMC number recorded; ";
      if (outcome == RowOutcome::kUnchanged) outcome = RowOutcome::kUpdated;
    }
  }
  return accountid;
}

// Statuses that describe the row (shown against it) rather than a failure of
// the import itself (which stops it).
bool is_row_problem(const Status& st) {
  switch (st.code()) {
    case core::Code::kInvalidArgument:
    case core::Code::kNotFound:
    case core::Code::kAlreadyExists:
    case core::Code::kFailedPrecondition:
      return true;
    default:
      return false;
  }
}

Status not_applied() { return Status::conflict("import_not_applied", "The import was rolled back."); }

}  // namespace

Result<ImportReport> BulkImportService::run(ImportKind kind, std::string_view csv, bool dry_run,
                                            const core::Actor& actor, const core::CsvLimits& limits) {
  auto table = core::parse_csv(csv, limits);
  if (!table) return table.status();
  auto mapped = core::map_csv_columns(*table, import_columns(kind));
  if (!mapped) return mapped.status();
  {
    const auto& header = table->rows.front().fields;
    std::set<std::string> names;
    for (const auto& h : header) names.insert(core::normalise_csv_header(h));
    if (!names.count("subject") && !names.count("email") && !names.count("gmc_number"))
      return Status::invalid("import_key_columns_missing",
                             "The file needs a subject (with platform), email or gmc_number column to say who each "
                             "row is.",
                             "file");
  }

  ImportReport report;
  report.kind = kind;
  report.dry_run = dry_run;
  report.encoding = table->encoding;
  report.rows_read = mapped->rows_read;

  std::vector<RowInput> inputs;
  inputs.reserve(mapped->records.size());
  for (const auto& rec : mapped->records) {
    auto in = read_row(kind, *mapped, rec);
    if (in) inputs.push_back(std::move(*in));
  }

  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  const core::Role role = kind == ImportKind::kMentors ? core::Role::kMentor : core::Role::kMentee;
  std::vector<ImportRowResult> results;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    std::int64_t cached_scheme = 0;
    std::vector<core::TrainingModule> modules;
    for (const RowInput& in : inputs) {
      ImportRowResult r;
      r.row = in.row;
      std::string column;
      auto fail = [&](const Status& why) -> Status {
        if (!is_row_problem(why)) return why;
        row_error(*mapped, in.row, column, why.reason(), why.message());
        r.outcome = RowOutcome::kError;
        return Status::ok();
      };
      auto accountid = resolve_account(s, in, actor, now, r.detail, r.outcome, column);
      if (!accountid) {
        MENTORING_RETURN_IF_ERROR(fail(accountid.status()));
      } else {
        r.accountid = *accountid;
        if (kind != ImportKind::kTraining) {
          column = "cohortid";
          auto enrolled = enrol_in_transaction(s, in.scopeid, *accountid, role, now, {}, actor);
          if (enrolled) {
            r.detail += std::string("enrolled as ") + core::to_string(role);
            r.outcome = RowOutcome::kCreated;  // a row that creates anything counts as created
          } else if (enrolled.status().code() == core::Code::kAlreadyExists) {
            r.detail += "already enrolled";
          } else {
            MENTORING_RETURN_IF_ERROR(fail(enrolled.status()));
          }
        } else {
          column = "schemeid";
          if (cached_scheme != in.scopeid) {
            auto scheme = s.schemes.find(in.scopeid);
            if (!scheme) return scheme.status();
            if (!scheme->has_value()) {
              MENTORING_RETURN_IF_ERROR(
                  fail(Status::not_found("scheme_not_found", "there is no scheme with that id.")));
              results.push_back(std::move(r));
              continue;
            }
            auto listed = s.training.list_modules(in.scopeid);
            if (!listed) return listed.status();
            modules = std::move(listed).value();
            cached_scheme = in.scopeid;
          }
          core::TrainingRecord record = in.record;
          record.accountid = *accountid;
          column = "module_code";
          if (Status valid = core::validate(record, modules, today); !valid) {
            if (valid.field() == "completed_on" || valid.field() == "expires_on") column = valid.field();
            MENTORING_RETURN_IF_ERROR(fail(valid));
          } else {
            auto existing = s.training.list_records(*accountid, in.scopeid);
            if (!existing) return existing.status();
            bool same = false;
            for (const auto& e : *existing)
              same = same || (e.module_code == record.module_code && e.completed_on == record.completed_on &&
                              e.expires_on == record.expires_on);
            if (same) {
              r.detail += "training already recorded";
            } else {
              auto added = s.training.add_record(in.scopeid, record, now);
              if (!added) return added.status();
              MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kCreate, "training_record", added->id,
                                              "training record added by import", now));
              r.detail += "training recorded";
              if (r.outcome == RowOutcome::kUnchanged) r.outcome = RowOutcome::kCreated;
            }
          }
        }
      }
      if (r.outcome != RowOutcome::kError) {
        while (!r.detail.empty() && (r.detail.back() == ' ' || r.detail.back() == ';')) r.detail.pop_back();
      }
      results.push_back(std::move(r));
    }
    if (dry_run || !mapped->errors.empty() || mapped->errors_not_listed > 0) return not_applied();
    std::size_t created = 0, updated = 0, unchanged = 0;
    for (const auto& r : results) {
      created += r.outcome == RowOutcome::kCreated;
      updated += r.outcome == RowOutcome::kUpdated;
      unchanged += r.outcome == RowOutcome::kUnchanged;
    }
    return audit(s, actor, core::AuditAction::kImport, std::string(to_string(kind)) + "_import", 0,
                 std::to_string(results.size()) + " rows imported: " + std::to_string(created) + " created, " +
                     std::to_string(updated) + " updated, " + std::to_string(unchanged) + " unchanged",
                 now);
  });
  if (!st && st.reason() != "import_not_applied") return st;
  report.applied = st.is_ok();
  // Rows that failed the checks before the database appear as errors too.
  std::set<std::size_t> failed_rows;
  for (const auto& e : mapped->errors) failed_rows.insert(e.row);
  std::size_t next = 0;
  for (const auto& rec : mapped->records) {
    ImportRowResult r;
    if (next < results.size() && results[next].row == rec.row) {
      r = std::move(results[next++]);
    } else {
      r.row = rec.row;
      r.outcome = RowOutcome::kError;
    }
    if (r.outcome == RowOutcome::kCreated) ++report.created;
    if (r.outcome == RowOutcome::kUpdated) ++report.updated;
    if (r.outcome == RowOutcome::kUnchanged) ++report.unchanged;
    if (report.rows.size() < kMaxReportedRows) report.rows.push_back(std::move(r));
  }
  report.errors = std::move(mapped->errors);
  report.errors_not_listed = mapped->errors_not_listed;
  return report;
}

Result<std::string> BulkImportService::export_csv(ImportKind kind, std::int64_t scopeid, const core::Actor& actor) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const auto& c : import_columns(kind)) header.push_back(c.name);
  rows.push_back(header);
  Status st = db_.transact([&](core::Stores& s) -> Status {
    const core::UnixSeconds now = clock_.now();
    auto account_cells = [&](std::int64_t accountid, std::vector<std::string>& row) -> Status {
      auto account = s.accounts.find(accountid);
      if (!account) return account.status();
      if (!account->has_value()) return Status::internal("account_missing", "An enrolment names a missing account.");
      auto gmc = s.privacy.gmc_number(accountid);
      if (!gmc) return gmc.status();
      const core::Account& a = **account;
      row = {a.platform, a.subject, a.email, gmc->value_or(""), a.display_name};
      return Status::ok();
    };
    if (kind == ImportKind::kTraining) {
      auto scheme = s.schemes.find(scopeid);
      if (!scheme) return scheme.status();
      if (!scheme->has_value()) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
      auto records = s.privacy.training_records_in_scheme(scopeid);
      if (!records) return records.status();
      for (const auto& r : *records) {
        std::vector<std::string> row;
        MENTORING_RETURN_IF_ERROR(account_cells(r.accountid, row));
        row.push_back(std::to_string(scopeid));
        row.push_back(r.module_code);
        row.push_back(r.completed_on.to_string());
        row.push_back(r.expires_on ? r.expires_on->to_string() : std::string());
        rows.push_back(std::move(row));
      }
      return audit(s, actor, core::AuditAction::kExport, "scheme", scopeid,
                   std::to_string(records->size()) + " training records exported", now);
    }
    auto cohort = s.schemes.find_cohort(scopeid);
    if (!cohort) return cohort.status();
    if (!cohort->has_value()) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    const core::Role role = kind == ImportKind::kMentors ? core::Role::kMentor : core::Role::kMentee;
    std::size_t n = 0;
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.enrolments.list_by_cohort(scopeid, role, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const auto& e : *page) {
        std::vector<std::string> row;
        MENTORING_RETURN_IF_ERROR(account_cells(e.accountid, row));
        row.push_back(std::to_string(scopeid));
        rows.push_back(std::move(row));
        ++n;
      }
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
    return audit(s, actor, core::AuditAction::kExport, "cohort", scopeid,
                 std::to_string(n) + " " + to_string(kind) + " exported", now);
  });
  if (!st) return st;
  core::CsvWriteOptions options;
  options.utf8_bom = true;
  return core::write_csv(rows, options);
}

}  // namespace mentoring::app
