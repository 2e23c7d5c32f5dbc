#include "app/bulk_import.h"

#include <algorithm>
#include <map>
#include <set>

#include "app/audit.h"
#include "app/enrolment.h"
#include "app/webhook_events.h"
#include "core/audit_stores.h"
#include "core/bulk_import_stores.h"
#include "core/events.h"
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

// An audit entry written through the import's prepared statements.
Status bulk_audit(core::BulkImportStore& b, const core::Actor& actor, core::AuditAction action,
                  std::string entity_type, std::int64_t entityid, std::string summary, core::UnixSeconds now) {
  core::AuditEntry e;
  e.actor = actor;
  e.action = action;
  e.entity_type = std::move(entity_type);
  e.entityid = entityid;
  e.summary = std::move(summary);
  e.timecreated = now;
  MENTORING_RETURN_IF_ERROR(core::validate(e));
  return b.append_audit(e);
}

// The account a row names, as the rest of the row needs it.
struct RowAccount {
  std::int64_t id = 0;
  std::string platform, subject;
  core::AccountStatus status = core::AccountStatus::kActive;
  bool created = false;
};

// Finds (or, given platform and subject, creates or refreshes) the row's
// account. Adds what it wrote to `detail` and `outcome`; `failed_column`
// names the column a refusal is about.
Result<RowAccount> resolve_account(core::Stores& s, const RowInput& in, const core::Actor& actor,
                                   core::UnixSeconds now, std::string& detail, RowOutcome& outcome,
                                   std::string& failed_column) {
  core::BulkImportStore& bulk = s.bulk_import;
  RowAccount out;
  if (!in.account.subject.empty()) {
    failed_column = "subject";
    out.platform = in.account.platform;
    out.subject = in.account.subject;
    auto found = bulk.find_account(in.account.platform, in.account.subject);
    if (!found) return found.status();
    if (found->has_value()) {
      const core::ImportAccount& a = **found;
      out.id = a.id;
      out.status = a.status;
      // Blank name or email cells leave what the host told us alone.
      const std::string name = in.account.display_name.empty() ? a.display_name : in.account.display_name;
      const std::string email = in.account.email.empty() ? a.email : in.account.email;
      if (name != a.display_name || email != a.email) {
        MENTORING_RETURN_IF_ERROR(bulk.update_account(a.id, name, email, now));
        MENTORING_RETURN_IF_ERROR(bulk_audit(bulk, actor, core::AuditAction::kUpdate, "account", a.id,
                                             "account updated by import", now));
        detail += "account updated; ";
        outcome = RowOutcome::kUpdated;
      }
    } else {
      auto id = bulk.insert_account(in.account, now);
      if (!id) return id.status();
      out.id = *id;
      out.created = true;
      // A new account's GMC number is recorded in the same audit entry.
      MENTORING_RETURN_IF_ERROR(bulk_audit(bulk, actor, core::AuditAction::kCreate, "account", out.id,
                                           in.gmc_number.empty() ? "account created by import"
                                                                 : "account created by import with its GMC number",
                                           now));
      detail += "account created; ";
      outcome = RowOutcome::kCreated;
    }
  } else {
    if (!in.account.email.empty()) {
      failed_column = "email";
      auto found = s.privacy.find_accounts_by_email(in.account.email);
      if (!found) return found.status();
      if (found->empty())
        return Status::not_found("import_account_unknown",
                                 "no account has this email address; give platform and subject to create one.");
      if (found->size() > 1)
        return Status::failed_precondition(
            "import_account_ambiguous", "more than one account has this email address; give platform and subject.");
      out.id = found->front().id;
    } else {
      failed_column = "gmc_number";
      auto found = bulk.account_with_gmc(in.gmc_number);
      if (!found) return found.status();
      if (!found->has_value())
        return Status::not_found("import_account_unknown",
                                 "no account has this GMC number; give platform and subject to create one.");
      out.id = **found;
    }
    // Rows without platform and subject are few: read the rest of the
    // account the ordinary way.
    auto account = s.accounts.find(out.id);
    if (!account) return account.status();
    if (!account->has_value()) return Status::internal("account_missing", "An account found by key is missing.");
    out.platform = (*account)->platform;
    out.subject = (*account)->subject;
    out.status = (*account)->status;
  }
  if (!in.gmc_number.empty()) {
    failed_column = "gmc_number";
    std::optional<std::string> current;
    if (!out.created) {
      auto recorded = bulk.gmc_of(out.id);
      if (!recorded) return recorded.status();
      current = std::move(recorded).value();
    }
    if (current != in.gmc_number) {
      auto holder = bulk.account_with_gmc(in.gmc_number);
      if (!holder) return holder.status();
      if (holder->has_value() && **holder != out.id)
        return Status::already_exists("gmc_number_taken", "another account already has that GMC number.");
      MENTORING_RETURN_IF_ERROR(bulk.set_gmc(out.id, in.gmc_number, now));
      if (!out.created)
        MENTORING_RETURN_IF_ERROR(bulk_audit(bulk, actor, core::AuditAction::kUpdate, "account", out.id,
                                             "GMC number recorded by import", now));
      detail += "GMC number recorded; ";
      if (outcome == RowOutcome::kUnchanged) outcome = RowOutcome::kUpdated;
    }
  }
  return out;
}

// A cohort as the rows naming it need it: read and checked once per import.
struct CohortCheck {
  core::Cohort cohort;
  Status usable;
};

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

// Mentees and mentors, a chunk of rows at a time: every lookup for the chunk
// is one query per kind (accounts, GMC numbers, enrolments), every write one
// multi-row statement per table, and the decisions in between are made in
// memory, in file order, exactly as row-by-row processing would make them.
class EnrolmentImport {
 public:
  EnrolmentImport(core::Stores& s, core::CsvMapped& mapped, const core::Actor& actor, core::UnixSeconds now,
                  core::Date today, core::Role role)
      : s_(s), bulk_(s.bulk_import), mapped_(mapped), actor_(actor), now_(now), today_(today), role_(role) {}

  // Appends one result per input row to `results`.
  Status run(const std::vector<RowInput>& inputs, std::vector<ImportRowResult>& results) {
    for (std::size_t begin = 0; begin < inputs.size(); begin += core::kBulkBatchRows) {
      const std::size_t end = std::min(inputs.size(), begin + core::kBulkBatchRows);
      MENTORING_RETURN_IF_ERROR(chunk(inputs, begin, end, results));
    }
    return Status::ok();
  }

 private:
  using Key = std::pair<std::string, std::string>;  // (platform, subject)
  struct Known {
    RowAccount account;
    std::string display_name, email;
  };

  Status chunk(const std::vector<RowInput>& inputs, std::size_t begin, std::size_t end,
               std::vector<ImportRowResult>& results) {
    // 1. Accounts named by platform and subject: look up those not seen yet,
    // then create the missing ones (the first row naming one creates it).
    std::map<std::string, std::vector<std::string>> lookup;  // platform -> subjects
    std::set<Key> asked;
    for (std::size_t i = begin; i < end; ++i) {
      const RowInput& in = inputs[i];
      if (in.account.subject.empty()) continue;
      Key k{in.account.platform, in.account.subject};
      if (known_.count(k) || !asked.insert(k).second) continue;
      lookup[k.first].push_back(k.second);
    }
    for (const auto& [platform, subjects] : lookup) {
      auto found = bulk_.find_accounts(platform, subjects);
      if (!found) return found.status();
      for (const core::ImportAccount& a : *found) {
        Known k;
        k.account.id = a.id;
        k.account.platform = platform;
        k.account.subject = a.subject;
        k.account.status = a.status;
        k.display_name = a.display_name;
        k.email = a.email;
        known_.emplace(Key{platform, a.subject}, std::move(k));
      }
    }
    std::map<std::string, std::vector<core::AccountInput>> create;  // platform -> new accounts
    std::set<Key> creating;
    std::map<Key, std::size_t> creator;  // the row that creates each new account
    for (std::size_t i = begin; i < end; ++i) {
      const RowInput& in = inputs[i];
      if (in.account.subject.empty()) continue;
      Key k{in.account.platform, in.account.subject};
      if (known_.count(k) || !creating.insert(k).second) continue;
      create[k.first].push_back(in.account);
      creator[k] = i;
    }
    for (const auto& [platform, accounts] : create) {
      auto made = bulk_.insert_accounts(accounts, now_);
      if (!made) return made.status();
      for (const core::ImportAccount& a : *made) {
        Known k;
        k.account.id = a.id;
        k.account.platform = platform;
        k.account.subject = a.subject;
        k.account.created = true;
        k.display_name = a.display_name;
        k.email = a.email;
        gmc_of_[a.id] = std::nullopt;
        enrolments_checked_.insert(a.id);  // a new account has no enrolments
        known_.emplace(Key{platform, a.subject}, std::move(k));
      }
    }
    // 2. GMC numbers: who holds the chunk's numbers, and the numbers of the
    // chunk's existing accounts.
    std::vector<std::string> numbers;
    std::vector<std::int64_t> holders_of;
    for (std::size_t i = begin; i < end; ++i) {
      const RowInput& in = inputs[i];
      if (in.gmc_number.empty()) continue;
      if (holder_loaded_.insert(in.gmc_number).second) numbers.push_back(in.gmc_number);
      if (!in.account.subject.empty()) {
        const Known& k = known_.at(Key{in.account.platform, in.account.subject});
        if (!gmc_of_.count(k.account.id) && gmc_asked_.insert(k.account.id).second) holders_of.push_back(k.account.id);
      }
    }
    if (!numbers.empty()) {
      auto held = bulk_.gmc_holders(numbers);
      if (!held) return held.status();
      for (const auto& [gmc, id] : *held) gmc_holder_[gmc] = id;
    }
    if (!holders_of.empty()) {
      for (std::int64_t id : holders_of) gmc_of_[id] = std::nullopt;
      auto recorded = bulk_.gmc_numbers_of(holders_of);
      if (!recorded) return recorded.status();
      for (const auto& [id, gmc] : *recorded) gmc_of_[id] = gmc;
    }
    // 3. Enrolments the chunk's existing accounts already have.
    std::map<std::int64_t, std::vector<std::int64_t>> check;  // cohort -> accounts
    for (std::size_t i = begin; i < end; ++i) {
      const RowInput& in = inputs[i];
      if (in.account.subject.empty()) continue;
      const Known& k = known_.at(Key{in.account.platform, in.account.subject});
      if (enrolments_checked_.count(k.account.id)) continue;
      if (checked_pairs_.insert({in.scopeid, k.account.id}).second) check[in.scopeid].push_back(k.account.id);
    }
    for (const auto& [cohortid, ids] : check) {
      auto have = bulk_.enrolled(cohortid, role_, ids);
      if (!have) return have.status();
      for (std::int64_t id : *have) enrolled_.insert({cohortid, id});
    }
    // 4. Each row, in order.
    std::vector<core::AuditEntry> audits;
    std::vector<std::pair<std::int64_t, std::string>> gmc_writes;
    std::map<std::int64_t, std::vector<std::int64_t>> enrol;  // cohort -> accounts
    std::map<std::int64_t, RowAccount> who;                    // account id -> account
    for (std::size_t i = begin; i < end; ++i) {
      const RowInput& in = inputs[i];
      ImportRowResult r;
      r.row = in.row;
      std::string column;
      bool failed = false;
      auto fail = [&](const Status& why) -> Status {
        if (!is_row_problem(why)) return why;
        row_error(mapped_, in.row, column, why.reason(), why.message());
        r.outcome = RowOutcome::kError;
        failed = true;
        return Status::ok();
      };
      RowAccount account;
      if (!in.account.subject.empty()) {
        Known& k = known_.at(Key{in.account.platform, in.account.subject});
        account = k.account;
        auto c = creator.find(Key{in.account.platform, in.account.subject});
        if (c != creator.end() && c->second == i) {
          audits.push_back(entry(core::AuditAction::kCreate, "account", account.id,
                                 in.gmc_number.empty() ? "account created by import"
                                                       : "account created by import with its GMC number"));
          r.detail += "account created; ";
          r.outcome = RowOutcome::kCreated;
        } else {
          account.created = false;
          const std::string name = in.account.display_name.empty() ? k.display_name : in.account.display_name;
          const std::string email = in.account.email.empty() ? k.email : in.account.email;
          if (name != k.display_name || email != k.email) {
            MENTORING_RETURN_IF_ERROR(bulk_.update_account(account.id, name, email, now_));
            k.display_name = name;
            k.email = email;
            audits.push_back(entry(core::AuditAction::kUpdate, "account", account.id, "account updated by import"));
            r.detail += "account updated; ";
            r.outcome = RowOutcome::kUpdated;
          }
        }
        if (!in.gmc_number.empty()) {
          column = "gmc_number";
          const std::optional<std::string> current = gmc_of_[account.id];
          if (current != in.gmc_number) {
            auto holder = gmc_holder_.find(in.gmc_number);
            if (holder != gmc_holder_.end() && holder->second != account.id) {
              MENTORING_RETURN_IF_ERROR(
                  fail(Status::already_exists("gmc_number_taken", "another account already has that GMC number.")));
            } else {
              if (current) gmc_holder_.erase(*current);
              gmc_holder_[in.gmc_number] = account.id;
              gmc_of_[account.id] = in.gmc_number;
              gmc_writes.emplace_back(account.id, in.gmc_number);
              if (!account.created) {
                audits.push_back(
                    entry(core::AuditAction::kUpdate, "account", account.id, "GMC number recorded by import"));
              }
              r.detail += "GMC number recorded; ";
              if (r.outcome == RowOutcome::kUnchanged) r.outcome = RowOutcome::kUpdated;
            }
          }
        }
      } else {
        // Named by email or GMC number only: rare, resolved the ordinary way
        // after the writes so far are out.
        MENTORING_RETURN_IF_ERROR(flush(audits, gmc_writes, enrol, who));
        auto resolved = resolve_account(s_, in, actor_, now_, r.detail, r.outcome, column);
        if (!resolved) {
          MENTORING_RETURN_IF_ERROR(fail(resolved.status()));
        } else {
          account = *resolved;
          if (!in.gmc_number.empty()) {
            gmc_holder_[in.gmc_number] = account.id;
            gmc_of_[account.id] = in.gmc_number;
            holder_loaded_.insert(in.gmc_number);
          }
          if (!checked_pairs_.count({in.scopeid, account.id})) {
            checked_pairs_.insert({in.scopeid, account.id});
            auto have = bulk_.enrolled(in.scopeid, role_, {account.id});
            if (!have) return have.status();
            for (std::int64_t id : *have) enrolled_.insert({in.scopeid, id});
          }
        }
      }
      if (!failed) {
        r.accountid = account.id;
        column = "cohortid";
        const CohortCheck& cohort = cohort_check(in.scopeid);
        if (!cohort.usable) {
          if (!is_row_problem(cohort.usable)) return cohort.usable;
          MENTORING_RETURN_IF_ERROR(fail(cohort.usable));
        } else if (account.status != core::AccountStatus::kActive) {
          column = "subject";
          MENTORING_RETURN_IF_ERROR(
              fail(Status::failed_precondition("account_suspended", "A suspended account cannot enrol.")));
        } else if (enrolled_.count({in.scopeid, account.id})) {
          r.detail += "already enrolled";
        } else {
          enrolled_.insert({in.scopeid, account.id});
          enrol[in.scopeid].push_back(account.id);
          who[account.id] = account;
          r.detail += std::string("enrolled as ") + core::to_string(role_);
          r.outcome = RowOutcome::kCreated;  // a row that creates anything counts as created
        }
      }
      if (r.outcome != RowOutcome::kError) {
        while (!r.detail.empty() && (r.detail.back() == ' ' || r.detail.back() == ';')) r.detail.pop_back();
      }
      results.push_back(std::move(r));
    }
    return flush(audits, gmc_writes, enrol, who);
  }

  // Writes what the rows so far decided: GMC numbers, enrolments with their
  // audit entries and webhook events, and the audit entries.
  Status flush(std::vector<core::AuditEntry>& audits, std::vector<std::pair<std::int64_t, std::string>>& gmc_writes,
               std::map<std::int64_t, std::vector<std::int64_t>>& enrol, std::map<std::int64_t, RowAccount>& who) {
    for (std::size_t b = 0; b < gmc_writes.size(); b += core::kBulkBatchRows) {
      // One write per account in a statement (an upsert may not touch a row twice).
      std::vector<std::pair<std::int64_t, std::string>> batch;
      std::map<std::int64_t, std::size_t> at;
      for (std::size_t i = b; i < std::min(gmc_writes.size(), b + core::kBulkBatchRows); ++i) {
        auto [it, fresh] = at.emplace(gmc_writes[i].first, batch.size());
        if (fresh)
          batch.push_back(gmc_writes[i]);
        else
          batch[it->second].second = gmc_writes[i].second;
      }
      MENTORING_RETURN_IF_ERROR(bulk_.set_gmc_numbers(batch, now_));
    }
    gmc_writes.clear();
    std::vector<std::pair<std::string, std::string>> events;
    for (const auto& [cohortid, ids] : enrol) {
      auto made = bulk_.insert_enrolments(cohortid, role_, ids, now_);
      if (!made) return made.status();
      const core::Cohort& cohort = cohort_check(cohortid).cohort;
      for (const auto& [accountid, enrolmentid] : *made) {
        audits.push_back(entry(core::AuditAction::kCreate, "enrolment", enrolmentid,
                               std::string("enrolled as ") + core::to_string(role_)));
        core::Enrolment e;
        e.id = enrolmentid;
        e.cohortid = cohortid;
        e.accountid = accountid;
        e.role = role_;
        core::Account a;
        a.id = accountid;
        a.platform = who[accountid].platform;
        a.subject = who[accountid].subject;
        events.emplace_back(core::to_string(core::OutboundEventType::kEnrolled), enrolled_event_payload(e, cohort, a));
      }
    }
    enrol.clear();
    who.clear();
    for (std::size_t b = 0; b < audits.size(); b += 2 * core::kBulkBatchRows) {
      std::vector<core::AuditEntry> batch(audits.begin() + b,
                                          audits.begin() + std::min(audits.size(), b + 2 * core::kBulkBatchRows));
      MENTORING_RETURN_IF_ERROR(bulk_.append_audits(batch));
    }
    audits.clear();
    for (std::size_t b = 0; b < events.size(); b += core::kBulkBatchRows) {
      std::vector<std::pair<std::string, std::string>> batch(
          events.begin() + b, events.begin() + std::min(events.size(), b + core::kBulkBatchRows));
      MENTORING_RETURN_IF_ERROR(bulk_.append_outbox_events(batch, now_));
    }
    return Status::ok();
  }

  core::AuditEntry entry(core::AuditAction action, const char* type, std::int64_t id, std::string summary) const {
    core::AuditEntry e;
    e.actor = actor_;
    e.action = action;
    e.entity_type = type;
    e.entityid = id;
    e.summary = std::move(summary);
    e.timecreated = now_;
    return e;
  }

  const CohortCheck& cohort_check(std::int64_t cohortid) {
    auto it = cohorts_.find(cohortid);
    if (it != cohorts_.end()) return it->second;
    CohortCheck check;
    auto found = s_.schemes.find_cohort(cohortid);
    if (!found) {
      check.usable = found.status();
    } else if (!found->has_value()) {
      check.usable = Status::not_found("cohort_not_found", "There is no cohort with that id.");
    } else {
      check.cohort = **found;
      check.usable = core::check_enrolment_window(check.cohort, today_);
    }
    return cohorts_.emplace(cohortid, std::move(check)).first->second;
  }

  core::Stores& s_;
  core::BulkImportStore& bulk_;
  core::CsvMapped& mapped_;
  const core::Actor& actor_;
  const core::UnixSeconds now_;
  const core::Date today_;
  const core::Role role_;
  std::map<Key, Known> known_;
  std::map<std::string, std::int64_t> gmc_holder_;         // numbers looked up, by holder
  std::set<std::string> holder_loaded_;                    // numbers whose holder is known
  std::map<std::int64_t, std::optional<std::string>> gmc_of_;
  std::set<std::int64_t> gmc_asked_;
  std::set<std::int64_t> enrolments_checked_;              // new accounts: nothing to look up
  std::set<std::pair<std::int64_t, std::int64_t>> checked_pairs_;  // (cohort, account) looked up
  std::set<std::pair<std::int64_t, std::int64_t>> enrolled_;       // (cohort, account)
  std::map<std::int64_t, CohortCheck> cohorts_;
};

constexpr std::size_t kProgressEveryRows = 5000;

void report_progress(const ImportProgress& progress, std::size_t done, std::size_t total, const std::string& what) {
  if (progress) progress(done, total, what);
}

Status not_applied() { return Status::conflict("import_not_applied", "The import was rolled back."); }

}  // namespace

Result<ImportReport> BulkImportService::run(ImportKind kind, std::string_view csv, bool dry_run,
                                            const core::Actor& actor, const core::CsvLimits& limits,
                                            const ImportProgress& progress) {
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

  // Progress counts two units a row: one for its checks here, one for its
  // writes below (reported as a whole: see the header).
  const std::size_t units = 2 * mapped->records.size();
  report_progress(progress, 0, units, "Checking " + std::to_string(mapped->records.size()) + " rows");
  std::vector<RowInput> inputs;
  inputs.reserve(mapped->records.size());
  std::size_t checked = 0;
  for (const auto& rec : mapped->records) {
    auto in = read_row(kind, *mapped, rec);
    if (in) inputs.push_back(std::move(*in));
    if (++checked % kProgressEveryRows == 0)
      report_progress(progress, checked, units, "Checking " + std::to_string(mapped->records.size()) + " rows");
  }

  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  const core::Role role = kind == ImportKind::kMentors ? core::Role::kMentor : core::Role::kMentee;
  std::vector<ImportRowResult> results;
  report_progress(progress, units / 2, units,
                  "Writing " + std::to_string(mapped->records.size()) + " rows in one transaction");
  Status st = db_.transact([&](core::Stores& s) -> Status {
    core::BulkImportStore& bulk = s.bulk_import;
    std::int64_t cached_scheme = 0;
    std::vector<core::TrainingModule> modules;
    std::map<std::int64_t, CohortCheck> cohorts;
    if (kind != ImportKind::kTraining) {
      EnrolmentImport batched(s, *mapped, actor, now, today, role);
      MENTORING_RETURN_IF_ERROR(batched.run(inputs, results));
    }
    for (const RowInput& in : inputs) {
      if (kind != ImportKind::kTraining) break;
      ImportRowResult r;
      r.row = in.row;
      std::string column;
      auto fail = [&](const Status& why) -> Status {
        if (!is_row_problem(why)) return why;
        row_error(*mapped, in.row, column, why.reason(), why.message());
        r.outcome = RowOutcome::kError;
        return Status::ok();
      };
      auto account = resolve_account(s, in, actor, now, r.detail, r.outcome, column);
      if (!account) {
        MENTORING_RETURN_IF_ERROR(fail(account.status()));
      } else {
        r.accountid = account->id;
        if (kind != ImportKind::kTraining) {
          column = "cohortid";
          auto it = cohorts.find(in.scopeid);
          if (it == cohorts.end()) {
            CohortCheck check;
            auto found = s.schemes.find_cohort(in.scopeid);
            if (!found) return found.status();
            if (!found->has_value()) {
              check.usable = Status::not_found("cohort_not_found", "There is no cohort with that id.");
            } else {
              check.cohort = **found;
              check.usable = core::check_enrolment_window(check.cohort, today);
            }
            it = cohorts.emplace(in.scopeid, std::move(check)).first;
          }
          const CohortCheck& cohort = it->second;
          if (!cohort.usable) {
            MENTORING_RETURN_IF_ERROR(fail(cohort.usable));
          } else if (account->status != core::AccountStatus::kActive) {
            column = "subject";
            MENTORING_RETURN_IF_ERROR(
                fail(Status::failed_precondition("account_suspended", "A suspended account cannot enrol.")));
          } else {
            auto enrolled = bulk.insert_enrolment(in.scopeid, account->id, role, now);
            if (!enrolled) return enrolled.status();
            if (enrolled->has_value()) {
              core::Enrolment e;
              e.id = **enrolled;
              e.cohortid = in.scopeid;
              e.accountid = account->id;
              e.role = role;
              MENTORING_RETURN_IF_ERROR(bulk_audit(bulk, actor, core::AuditAction::kCreate, "enrolment", e.id,
                                                   std::string("enrolled as ") + core::to_string(role), now));
              core::Account who;
              who.id = account->id;
              who.platform = account->platform;
              who.subject = account->subject;
              MENTORING_RETURN_IF_ERROR(bulk.append_outbox(core::to_string(core::OutboundEventType::kEnrolled),
                                                           enrolled_event_payload(e, cohort.cohort, who), now));
              r.detail += std::string("enrolled as ") + core::to_string(role);
              r.outcome = RowOutcome::kCreated;  // a row that creates anything counts as created
            } else {
              r.detail += "already enrolled";
            }
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
          record.accountid = account->id;
          column = "module_code";
          if (Status valid = core::validate(record, modules, today); !valid) {
            if (valid.field() == "completed_on" || valid.field() == "expires_on") column = valid.field();
            MENTORING_RETURN_IF_ERROR(fail(valid));
          } else {
            std::vector<core::TrainingRecord> existing;
            if (!account->created) {
              auto listed = s.training.list_records(account->id, in.scopeid);
              if (!listed) return listed.status();
              existing = std::move(listed).value();
            }
            bool same = false;
            for (const auto& e : existing)
              same = same || (e.module_code == record.module_code && e.completed_on == record.completed_on &&
                              e.expires_on == record.expires_on);
            if (same) {
              r.detail += "training already recorded";
            } else {
              auto added = s.training.add_record(in.scopeid, record, now);
              if (!added) return added.status();
              MENTORING_RETURN_IF_ERROR(bulk_audit(bulk, actor, core::AuditAction::kCreate, "training_record",
                                                   added->id, "training record added by import", now));
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
