#include <soci/soci.h>

#include "storage/dialect.h"
#include "storage/webhook_soci_stores.h"

namespace mentoring::storage {
using core::HostAccountData;
using core::Result;
using core::Status;
using core::StoredTrainingOutcome;

namespace {

Status account_not_found() { return Status::not_found("account_not_found", "There is no account with that id."); }

bool account_exists(TxContext& tx, std::int64_t accountid) {
  int n = 0;
  tx.sql << "SELECT count(*) FROM " + tx.table("accounts") + " WHERE id = :id", soci::use(accountid), soci::into(n);
  return n > 0;
}

// The JSON string Boost.JSON writes for `s` (printable ASCII subjects need
// only '"' and '\\' escaped), and a LIKE pattern matching it anywhere.
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string like_anywhere(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out + "%";
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (std::size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size()))
    text.replace(pos, from.size(), to);
}

// Webhook rows name people by (platform, subject) only. Outgoing events keep
// going (the host may still need, say, a withdrawal) but with the subject
// replaced; dead inbound deliveries about the person are closed and emptied.
void scrub_webhook_rows(TxContext& tx, std::int64_t accountid, core::UnixSeconds now) {
  std::string subject;
  tx.sql << "SELECT subject FROM " + tx.table("accounts") + " WHERE id = :id", soci::use(accountid),
      soci::into(subject);
  if (subject.empty()) return;
  const std::string needle = "\"subject\":" + json_string(subject);
  const std::string replacement = "\"subject\":" + json_string("erased-" + std::to_string(accountid));
  const std::string pattern = like_anywhere(needle);

  std::vector<std::pair<std::int64_t, std::string>> outbox;
  {
    std::int64_t id = 0;
    std::string payload;
    soci::statement st = (tx.sql.prepare << "SELECT id, payload FROM " + tx.table("webhook_outbox") +
                                                " WHERE payload LIKE :p ESCAPE '!'",
                          soci::use(pattern), soci::into(id), soci::into(payload));
    st.execute();
    while (st.fetch()) outbox.emplace_back(id, payload);
  }
  for (auto& [id, payload] : outbox) {
    replace_all(payload, needle, replacement);
    tx.sql << "UPDATE " + tx.table("webhook_outbox") + " SET payload = :p, timemodified = :tm WHERE id = :id",
        soci::use(payload), soci::use(now), soci::use(id);
  }
  tx.sql << "UPDATE " + tx.table("webhook_inbox") +
                " SET state = 'ignored', body = '', last_error = 'account_erased: The person was erased.',"
                " timemodified = :tm WHERE state = 'dead' AND body LIKE :p ESCAPE '!'",
      soci::use(now), soci::use(pattern);
}

}  // namespace

Result<std::optional<HostAccountData>> SociHostAccountStore::find(std::int64_t accountid) {
  return guarded(tx_, "reading host account data", [&]() -> Result<std::optional<HostAccountData>> {
    HostAccountData d;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT accountid, last_event_ms, gmc_number, career_stage, specialty, programme,"
                            " programme_status, site, region, placement_starts_on FROM " +
                                tx_.table("webhook_accounts") + " WHERE accountid = :id",
         soci::use(accountid), soci::into(d.accountid), soci::into(d.last_event_ms), soci::into(d.gmc_number),
         soci::into(d.career_stage), soci::into(d.specialty), soci::into(d.programme), soci::into(d.programme_status),
         soci::into(d.site), soci::into(d.region), soci::into(d.placement_starts_on));
    if (!fetch_one(p)) return std::optional<HostAccountData>();
    return std::optional<HostAccountData>(std::move(d));
  });
}

Status SociHostAccountStore::save(const HostAccountData& d, core::UnixSeconds now) {
  return guarded(tx_, "saving host account data", [&]() -> Status {
    if (!account_exists(tx_, d.accountid)) return account_not_found();
    tx_.sql << "INSERT INTO " + tx_.table("webhook_accounts") +
                   " (accountid, last_event_ms, gmc_number, career_stage, specialty, programme, programme_status,"
                   " site, region, placement_starts_on, timecreated, timemodified) VALUES (:a, :ms, :gmc, :stage,"
                   " :spec, :prog, :pstatus, :site, :region, :starts, :tc, :tm) ON CONFLICT (accountid) DO UPDATE SET"
                   " last_event_ms = excluded.last_event_ms, gmc_number = excluded.gmc_number,"
                   " career_stage = excluded.career_stage, specialty = excluded.specialty,"
                   " programme = excluded.programme, programme_status = excluded.programme_status,"
                   " site = excluded.site, region = excluded.region,"
                   " placement_starts_on = excluded.placement_starts_on, timemodified = excluded.timemodified",
        soci::use(d.accountid), soci::use(d.last_event_ms), soci::use(d.gmc_number), soci::use(d.career_stage),
        soci::use(d.specialty), soci::use(d.programme), soci::use(d.programme_status), soci::use(d.site),
        soci::use(d.region), soci::use(d.placement_starts_on), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Status SociHostAccountStore::set_account_status(std::int64_t accountid, core::AccountStatus status,
                                                core::UnixSeconds now) {
  return guarded(tx_, "changing an account's status", [&]() -> Status {
    const std::string text = core::to_string(status);
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("accounts") +
                                                 " SET status = :status, timemodified = :tm WHERE id = :id",
                          soci::use(text), soci::use(now), soci::use(accountid));
    st.execute(true);
    if (st.get_affected_rows() == 0) return account_not_found();
    return Status::ok();
  });
}

Status SociHostAccountStore::erase_person(std::int64_t accountid, core::UnixSeconds now) {
  return guarded(tx_, "erasing a person", [&]() -> Status {
    if (!account_exists(tx_, accountid)) return account_not_found();
    // Rows that only describe the person go. Handoffs point at sessions, so
    // they go first. Tables that a later migration may not have created yet
    // on an older schema are skipped rather than failing the erasure.
    auto remove = [&](const char* table, const std::string& where) {
      const std::string name = tx_.table(table);
      if (!table_exists(tx_.sql, tx_.dialect, name)) return;
      tx_.sql << "DELETE FROM " + name + " WHERE " + where, soci::use(accountid);
    };
    remove("lti_handoffs", "sessionid IN (SELECT id FROM " + tx_.table("sessions") + " WHERE accountid = :id)");
    remove("sessions", "accountid = :id");
    remove("mentee_profiles", "accountid = :id");
    remove("mentor_profiles", "accountid = :id");
    remove("training_records", "accountid = :id");
    remove("cpd_entries", "accountid = :id");
    remove("governance", "accountid = :id");
    remove("lti_roster", "accountid = :id");
    remove("evaluation_consents", "accountid = :id");
    remove("demographics", "accountid = :id");
    remove("account_gmc", "accountid = :id");
    remove("webhook_accounts", "accountid = :id");
    remove("webhook_training_outcomes", "accountid = :id");
    scrub_webhook_rows(tx_, accountid, now);
    // The account row stays so that enrolments (aggregate uptake figures)
    // still count; nothing in it names the person any more.
    const std::string subject = "erased-" + std::to_string(accountid);
    tx_.sql << "UPDATE " + tx_.table("accounts") +
                   " SET subject = :subject, display_name = '', email = '', status = 'suspended',"
                   " timemodified = :tm WHERE id = :id",
        soci::use(subject), soci::use(now), soci::use(accountid);
    return Status::ok();
  });
}

Result<std::optional<std::int64_t>> SociHostAccountStore::erased_at(const std::string& subject_key) {
  return guarded(tx_, "reading an erasure", [&]() -> Result<std::optional<std::int64_t>> {
    std::int64_t ms = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT erased_event_ms FROM " + tx_.table("webhook_erasures") +
                                " WHERE subject_key = :key",
         soci::use(subject_key), soci::into(ms));
    if (!fetch_one(p)) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(ms);
  });
}

Status SociHostAccountStore::record_erasure(const std::string& subject_key, std::int64_t event_ms,
                                            core::UnixSeconds now) {
  if (subject_key.size() != 64)
    return Status::internal("subject_key_invalid", "An erasure must be recorded under a 64-character key.");
  return guarded(tx_, "recording an erasure", [&]() -> Status {
    tx_.sql << "INSERT INTO " + tx_.table("webhook_erasures") +
                   " (subject_key, erased_event_ms, timecreated, timemodified) VALUES (:key, :ms, :tc, :tm)"
                   " ON CONFLICT (subject_key) DO UPDATE SET erased_event_ms = excluded.erased_event_ms,"
                   " timemodified = excluded.timemodified",
        soci::use(subject_key), soci::use(event_ms), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<StoredTrainingOutcome> SociHostAccountStore::add_training_outcome(const StoredTrainingOutcome& o,
                                                                         core::UnixSeconds now) {
  return guarded(tx_, "recording a training outcome", [&]() -> Result<StoredTrainingOutcome> {
    if (!account_exists(tx_, o.accountid)) return account_not_found();
    const std::string day = o.recorded_on.to_string();
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("webhook_training_outcomes") +
                                " (accountid, outcome, recorded_on, programme, timecreated, timemodified)"
                                " VALUES (:a, :o, :d, :p, :tc, :tm) RETURNING id",
         soci::use(o.accountid), soci::use(o.outcome), soci::use(day), soci::use(o.programme), soci::use(now),
         soci::use(now), soci::into(id));
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Recording an outcome returned no row.");
    StoredTrainingOutcome out = o;
    out.id = id;
    return out;
  });
}

Result<std::vector<StoredTrainingOutcome>> SociHostAccountStore::list_training_outcomes(std::int64_t accountid) {
  return guarded(tx_, "listing training outcomes", [&]() -> Result<std::vector<StoredTrainingOutcome>> {
    StoredTrainingOutcome o;
    std::string day;
    soci::statement st = (tx_.sql.prepare << "SELECT id, accountid, outcome, recorded_on, programme FROM " +
                                                 tx_.table("webhook_training_outcomes") +
                                                 " WHERE accountid = :a ORDER BY recorded_on, id",
                          soci::use(accountid), soci::into(o.id), soci::into(o.accountid), soci::into(o.outcome),
                          soci::into(day), soci::into(o.programme));
    st.execute();
    std::vector<StoredTrainingOutcome> out;
    while (st.fetch()) {
      auto d = core::Date::parse(day);
      if (!d) return stored_value_invalid(tx_.table("webhook_training_outcomes"), "recorded_on", day);
      o.recorded_on = *d;
      out.push_back(o);
    }
    return out;
  });
}

}  // namespace mentoring::storage
