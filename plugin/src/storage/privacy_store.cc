// Subject access export and erasure, driven by one table of where personal
// data lives. docs/privacy.md is the same map in words; a table that gains
// a column naming an account belongs in both.
#include <soci/soci.h>

#include <cstdio>
#include <ctime>

#include "storage/audit_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::ErasureCounts;
using core::ExportedTable;
using core::Result;
using core::Status;

namespace {

enum class OnErase {
  kKeep,       // kept: it points at the anonymised account and says nothing about the person
  kDelete,     // deleted
  kWithdraw,   // enrolments: withdrawn, kept for the cohort's counts
  kAnonymise,  // the account row itself
};

struct PersonalTable {
  const char* table;
  const char* column;  // the column holding the account id
  OnErase on_erase;
  const char* omitted;   // columns never exported (secrets), comma-separated, or ""
  bool exported = true;  // false: the use case exports it in readable form instead
  // A column holding an enrolment id, or nullptr: the export also lists the
  // rows about the person's own enrolments (erasure handles those in
  // kEnrolmentSteps).
  const char* enrolment_column = nullptr;
};

// In erase order: rows that reference others go first. Tables of later
// schema steps are skipped when absent, so the map can name them early.
const PersonalTable kPersonalTables[] = {
    {"accounts", "id", OnErase::kAnonymise, ""},
    {"sessions", "accountid", OnErase::kDelete, "token_hash,csrf_token"},
    {"lti_roster", "accountid", OnErase::kDelete, ""},
    {"lti_deep_links", "accountid", OnErase::kDelete, "token_hash,data"},
    {"form_submissions", "accountid", OnErase::kDelete, "token_hash"},
    {"jobs", "ownerid", OnErase::kKeep, ""},
    {"mentee_profiles", "accountid", OnErase::kDelete, ""},
    {"mentor_profiles", "accountid", OnErase::kDelete, ""},
    {"training_records", "accountid", OnErase::kDelete, ""},
    {"cpd_entries", "accountid", OnErase::kDelete, ""},
    {"enrolments", "accountid", OnErase::kWithdraw, ""},
    {"governance", "accountid", OnErase::kDelete, ""},
    {"objectives", "ownerid", OnErase::kKeep, ""},
    {"account_gmc", "accountid", OnErase::kDelete, ""},
    {"demographics", "accountid", OnErase::kDelete, "", false},
    // The relationship (0010): a person's own private meeting notes,
    // progress notes and protected time go; the pair's shared record
    // (acceptances, and goals, which the other person's progress notes
    // point at) stays with the anonymised account.
    {"meeting_notes", "accountid", OnErase::kDelete, ""},
    {"goal_notes", "accountid", OnErase::kDelete, ""},
    {"protected_time_entries", "accountid", OnErase::kDelete, ""},
    {"agreement_acceptances", "accountid", OnErase::kKeep, ""},
    {"goals", "accountid", OnErase::kKeep, ""},
    // Concerns and check-ins (0011): a person's check-in answers and the
    // concerns they raised go, each concern with its whole history (ON
    // DELETE CASCADE); what a point of contact recorded on other people's
    // concerns stays with the anonymised account. Their text is sealed
    // (0013), so the raw export leaves the ciphertext and its IV out.
    {"checkin_responses", "accountid", OnErase::kDelete, ""},
    {"concern_actions", "accountid", OnErase::kKeep, "text,text_iv"},
    {"concerns", "raised_by", OnErase::kDelete, "text,text_iv"},
    // Mentor applications (0014): the person's own applications (their
    // motivation, expertise, capacity, availability, declaration and the
    // decision on each) go; an approval's enrolment stays, withdrawn. A
    // decision staff made on someone else's application stays with the
    // anonymised decider.
    {"mentor_applications", "accountid", OnErase::kDelete, ""},
    // Phase changes (0017): a change staff made stays in the scheme's
    // history with the anonymised account; the business-as-usual plan names
    // its sponsor only as text, the scheme's record, and is not listed.
    {"scheme_phase_changes", "changed_by", OnErase::kKeep, ""},
    // Group sessions (0019): sessions staff scheduled and attendance they
    // recorded stay with the anonymised account; the person's own
    // attendance goes with their enrolments (kEnrolmentSteps). The export
    // lists both: attendance they recorded and their own.
    {"cohort_sessions", "created_by", OnErase::kKeep, ""},
    {"cohort_session_attendance", "recorded_by", OnErase::kKeep, "", true, "enrolmentid"},
    {"audit_log", "actorid", OnErase::kKeep, ""},
};

// Matching rows name people by their enrolments, not their account. On
// erasure the person's own words go (a request's or a ranked list's message,
// a pairing's end note) and what is only about matching them goes whole (a
// waiting-list place, run proposals, shortlists, pins and bans); requests
// still waiting for an answer are withdrawn and a list in progress stops.
// Requests, lists and pairings stay, pointing at the withdrawn enrolment, for
// the cohort's match figures and the pair's shared record. In order; `{E}` is
// the person's enrolments, `{now}` the time of erasure.
struct EnrolmentStep {
  const char* table;
  const char* sql;
};
const EnrolmentStep kEnrolmentSteps[] = {
    {"mentor_waitlist", "DELETE FROM {t} WHERE menteeid IN {E} OR mentorid IN {E}"},
    {"matching_proposals", "DELETE FROM {t} WHERE menteeid IN {E} OR mentorid IN {E}"},
    {"matching_shortlists", "DELETE FROM {t} WHERE menteeid IN {E} OR mentorid IN {E}"},
    {"matching_rules", "DELETE FROM {t} WHERE menteeid IN {E} OR mentorid IN {E}"},
    {"mentee_requests",
     "UPDATE {t} SET state = 'withdrawn', decided_at = {now}, timemodified = {now} WHERE state = 'pending' AND"
     " (menteeid IN {E} OR mentorid IN {E})"},
    {"mentee_requests", "UPDATE {t} SET message = '' WHERE menteeid IN {E} AND message <> ''"},
    {"mentee_choice_lists",
     "UPDATE {t} SET state = 'withdrawn', timemodified = {now} WHERE state = 'active' AND menteeid IN {E}"},
    {"mentee_choice_lists", "UPDATE {t} SET message = '' WHERE menteeid IN {E} AND message <> ''"},
    {"pairings", "UPDATE {t} SET end_note = '' WHERE (menteeid IN {E} OR mentorid IN {E}) AND end_note <> ''"},
    {"cohort_session_attendance", "DELETE FROM {t} WHERE enrolmentid IN {E}"},
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

bool omitted(const PersonalTable& t, const std::string& column) {
  const std::string list = std::string(",") + t.omitted + ",";
  return list.find("," + column + ",") != std::string::npos;
}

core::ExportedValue value_of(const soci::row& row, std::size_t i) {
  if (row.get_indicator(i) == soci::i_null) return std::monostate{};
  switch (row.get_properties(i).get_data_type()) {
    case soci::dt_string:
      return row.get<std::string>(i);
    case soci::dt_double:
      return row.get<double>(i);
    case soci::dt_integer:
      return static_cast<std::int64_t>(row.get<int>(i));
    case soci::dt_long_long:
      return static_cast<std::int64_t>(row.get<long long>(i));
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(i));
    case soci::dt_date: {
      const std::tm tm = row.get<std::tm>(i);
      char buf[48];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
      return std::string(buf);
    }
    default:
      return std::monostate{};
  }
}

std::int64_t run(TxContext& tx, const std::string& sql, std::int64_t accountid) {
  soci::statement st = (tx.sql.prepare << sql, soci::use(accountid));
  st.execute(true);
  return static_cast<std::int64_t>(st.get_affected_rows());
}

std::int64_t run(TxContext& tx, const std::string& sql, std::int64_t accountid, core::UnixSeconds now) {
  soci::statement st = (tx.sql.prepare << sql, soci::use(now), soci::use(accountid));
  st.execute(true);
  return static_cast<std::int64_t>(st.get_affected_rows());
}

}  // namespace

Result<std::vector<core::Account>> SociPrivacyStore::find_accounts_by_email(const std::string& email) {
  return guarded(tx_, "finding accounts by email", [&]() -> Result<std::vector<core::Account>> {
    std::vector<core::Account> out;
    if (email.empty()) return out;
    std::int64_t id = 0, timecreated = 0, timemodified = 0;
    std::string platform, subject, display_name, stored_email, status;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, platform, subject, display_name, email, status, timecreated, timemodified"
                            " FROM " +
                                tx_.table("accounts") + " WHERE lower(email) = lower(:email) ORDER BY id",
         soci::use(email), soci::into(id), soci::into(platform), soci::into(subject), soci::into(display_name),
         soci::into(stored_email), soci::into(status), soci::into(timecreated), soci::into(timemodified));
    st.execute();
    while (st.fetch()) {
      core::Account a;
      a.id = id;
      a.platform = platform;
      a.subject = subject;
      a.display_name = display_name;
      a.email = stored_email;
      if (!core::parse_account_status(status, a.status))
        return stored_value_invalid(tx_.table("accounts"), "status", status);
      a.timecreated = timecreated;
      a.timemodified = timemodified;
      out.push_back(std::move(a));
    }
    return out;
  });
}

Result<std::optional<std::int64_t>> SociPrivacyStore::find_account_by_gmc(const std::string& gmc_number) {
  return guarded(tx_, "finding an account by GMC number", [&]() -> Result<std::optional<std::int64_t>> {
    std::int64_t id = 0;
    if (!fetch_one((tx_.sql.prepare << "SELECT accountid FROM " + tx_.table("account_gmc") + " WHERE gmc_number = :gmc",
                    soci::use(gmc_number), soci::into(id))))
      return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(id);
  });
}

Result<std::optional<std::string>> SociPrivacyStore::gmc_number(std::int64_t accountid) {
  return guarded(tx_, "reading a GMC number", [&]() -> Result<std::optional<std::string>> {
    std::string gmc;
    if (!fetch_one(
            (tx_.sql.prepare << "SELECT gmc_number FROM " + tx_.table("account_gmc") + " WHERE accountid = :accountid",
             soci::use(accountid), soci::into(gmc))))
      return std::optional<std::string>();
    return std::optional<std::string>(gmc);
  });
}

Status SociPrivacyStore::set_gmc_number(std::int64_t accountid, const std::string& gmc_number, core::UnixSeconds now) {
  return guarded(tx_, "saving a GMC number", [&]() -> Status {
    if (!row_exists(tx_, "accounts", accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    std::int64_t holder = 0;
    if (fetch_one((tx_.sql.prepare << "SELECT accountid FROM " + tx_.table("account_gmc") + " WHERE gmc_number = :gmc",
                   soci::use(gmc_number), soci::into(holder))) &&
        holder != accountid)
      return Status::already_exists("gmc_number_taken", "Another account already has that GMC number.");
    tx_.sql << "INSERT INTO " + tx_.table("account_gmc") +
                   " (accountid, gmc_number, timecreated, timemodified) VALUES (:accountid, :gmc, :t1, :t2)"
                   " ON CONFLICT (accountid) DO UPDATE SET gmc_number = excluded.gmc_number,"
                   " timemodified = excluded.timemodified",
        soci::use(accountid), soci::use(gmc_number), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::vector<core::TrainingRecord>> SociPrivacyStore::training_records_in_scheme(std::int64_t schemeid) {
  return guarded(tx_, "listing training records", [&]() -> Result<std::vector<core::TrainingRecord>> {
    std::vector<core::TrainingRecord> out;
    std::int64_t id = 0, accountid = 0, timecreated = 0, timemodified = 0;
    std::string module_code, completed_on, expires_on;
    soci::indicator expires_ind = soci::i_null;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, accountid, module_code, " + date_as_text(tx_.dialect, "completed_on") + ", " +
                                date_as_text(tx_.dialect, "expires_on") + ", timecreated, timemodified FROM " +
                                tx_.table("training_records") +
                                " WHERE schemeid = :schemeid ORDER BY accountid, completed_on, id",
         soci::use(schemeid), soci::into(id), soci::into(accountid), soci::into(module_code), soci::into(completed_on),
         soci::into(expires_on, expires_ind), soci::into(timecreated), soci::into(timemodified));
    st.execute();
    while (st.fetch()) {
      core::TrainingRecord r;
      r.id = id;
      r.accountid = accountid;
      r.module_code = module_code;
      auto done = core::Date::parse(completed_on);
      if (!done) return stored_value_invalid(tx_.table("training_records"), "completed_on", completed_on);
      r.completed_on = *done;
      if (expires_ind == soci::i_ok) {
        auto until = core::Date::parse(expires_on);
        if (!until) return stored_value_invalid(tx_.table("training_records"), "expires_on", expires_on);
        r.expires_on = *until;
      }
      r.timecreated = timecreated;
      r.timemodified = timemodified;
      out.push_back(std::move(r));
      expires_ind = soci::i_null;
    }
    return out;
  });
}

Result<bool> SociPrivacyStore::holds_responsibility(std::int64_t accountid, const std::string& responsibility) {
  return guarded(tx_, "checking a governance responsibility", [&]() -> Result<bool> {
    int n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("governance") +
                   " WHERE accountid = :accountid AND responsibility = :responsibility",
        soci::use(accountid), soci::use(responsibility), soci::into(n);
    return n > 0;
  });
}

Result<std::vector<ExportedTable>> SociPrivacyStore::export_rows(std::int64_t accountid) {
  return guarded(tx_, "exporting personal data", [&]() -> Result<std::vector<ExportedTable>> {
    std::vector<ExportedTable> out;
    for (const PersonalTable& t : kPersonalTables) {
      if (!t.exported) continue;
      const std::string table = tx_.table(t.table);
      if (!table_exists(tx_.sql, tx_.dialect, table)) continue;
      ExportedTable e;
      e.table = t.table;
      const std::string select = "SELECT * FROM " + table + " WHERE " + t.column + " = :accountid";
      auto take = [&](soci::rowset<soci::row>& rows) {
        for (const soci::row& row : rows) {
          core::ExportedRow r;
          for (std::size_t i = 0; i < row.size(); ++i) {
            const std::string name = row.get_properties(i).get_name();
            if (omitted(t, name)) continue;
            r.columns.emplace_back(name, value_of(row, i));
          }
          e.rows.push_back(std::move(r));
        }
      };
      if (t.enrolment_column == nullptr) {
        soci::rowset<soci::row> rows = (tx_.sql.prepare << select + " ORDER BY id", soci::use(accountid));
        take(rows);
      } else {
        const std::int64_t owner = accountid;
        soci::rowset<soci::row> rows =
            (tx_.sql.prepare << select + " OR " + t.enrolment_column + " IN (SELECT id FROM " +
                                    tx_.table("enrolments") + " WHERE accountid = :owner) ORDER BY id",
             soci::use(accountid), soci::use(owner));
        take(rows);
      }
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<ErasureCounts> SociPrivacyStore::erase(std::int64_t accountid, core::UnixSeconds now) {
  return guarded(tx_, "erasing personal data", [&]() -> Result<ErasureCounts> {
    if (!row_exists(tx_, "accounts", accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    ErasureCounts counts;
    for (const PersonalTable& t : kPersonalTables) {
      const std::string table = tx_.table(t.table);
      if (t.on_erase == OnErase::kKeep || t.on_erase == OnErase::kAnonymise) continue;
      if (!table_exists(tx_.sql, tx_.dialect, table)) continue;
      const std::string where = std::string(" WHERE ") + t.column + " = :accountid";
      std::int64_t n = 0;
      if (t.on_erase == OnErase::kDelete) {
        if (std::string_view(t.table) == "sessions" && table_exists(tx_.sql, tx_.dialect, tx_.table("lti_handoffs")))
          run(tx_,
              "DELETE FROM " + tx_.table("lti_handoffs") + " WHERE sessionid IN (SELECT id FROM " + table + where + ")",
              accountid);
        n = run(tx_, "DELETE FROM " + table + where, accountid);
      } else {
        n = run(tx_,
                "UPDATE " + table + " SET status = 'withdrawn', timemodified = :now" + where + " AND status = 'active'",
                accountid, now);
      }
      counts.tables.emplace_back(t.table, n);
    }
    const std::string enrolments =
        "(SELECT id FROM " + tx_.table("enrolments") + " WHERE accountid = " + std::to_string(accountid) + ")";
    for (const EnrolmentStep& step : kEnrolmentSteps) {
      const std::string table = tx_.table(step.table);
      if (!table_exists(tx_.sql, tx_.dialect, table)) continue;
      std::string sql = replace_all(step.sql, "{t}", table);
      sql = replace_all(sql, "{E}", enrolments);
      sql = replace_all(sql, "{now}", std::to_string(now));
      soci::statement st = (tx_.sql.prepare << sql);
      st.execute(true);
      counts.tables.emplace_back(step.table, static_cast<std::int64_t>(st.get_affected_rows()));
    }
    // The account row stays so that kept rows (enrolments, objectives, the
    // audit log) still join, but it no longer says who the person was.
    const std::string subject = "erased-" + std::to_string(accountid);
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("accounts") +
                                                 " SET display_name = '', email = '', subject = :subject,"
                                                 " status = 'suspended', timemodified = :now WHERE id = :id",
                          soci::use(subject), soci::use(now), soci::use(accountid));
    st.execute(true);
    counts.tables.emplace_back("accounts", static_cast<std::int64_t>(st.get_affected_rows()));
    return counts;
  });
}

}  // namespace mentoring::storage
