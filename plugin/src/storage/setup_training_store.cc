#include <algorithm>

#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::CpdEntry;
using core::Result;
using core::Status;
using core::TrainingModule;
using core::TrainingRecord;

namespace {

Status scheme_not_found() { return Status::not_found("scheme_not_found", "There is no scheme with that id."); }
Status account_not_found() { return Status::not_found("account_not_found", "There is no account with that id."); }

struct ModuleRow {
  std::int64_t id = 0, schemeid = 0;
  std::string code, title;
  int required = 0, valid_for_months = 0;
  std::string refresher_code;
  std::int64_t timecreated = 0, timemodified = 0;
};

struct RecordRow {
  std::int64_t id = 0, accountid = 0;
  std::string module_code, completed_on, expires_on;
  soci::indicator expires_ind = soci::i_null;
  std::int64_t timecreated = 0, timemodified = 0;
};

std::string record_columns(Dialect d) {
  return "id, accountid, module_code, " + date_as_text(d, "completed_on") + ", " + date_as_text(d, "expires_on") +
         ", timecreated, timemodified";
}

void bind(soci::details::prepare_temp_type& p, RecordRow& r) {
  p, soci::into(r.id), soci::into(r.accountid), soci::into(r.module_code), soci::into(r.completed_on),
      soci::into(r.expires_on, r.expires_ind), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<TrainingRecord> to_record(const TxContext& tx, const RecordRow& r) {
  TrainingRecord t;
  t.id = r.id;
  t.accountid = r.accountid;
  t.module_code = r.module_code;
  auto completed = core::Date::parse(r.completed_on);
  if (!completed) return stored_value_invalid(tx.table("training_records"), "completed_on", r.completed_on);
  t.completed_on = *completed;
  if (r.expires_ind == soci::i_ok) {
    auto expires = core::Date::parse(r.expires_on);
    if (!expires) return stored_value_invalid(tx.table("training_records"), "expires_on", r.expires_on);
    t.expires_on = *expires;
  }
  t.timecreated = r.timecreated;
  t.timemodified = r.timemodified;
  return t;
}

struct CpdRow {
  std::int64_t id = 0, accountid = 0;
  std::string entry_on;
  double hours = 0;
  std::string activity;
  std::int64_t timecreated = 0, timemodified = 0;
};

std::string cpd_columns(Dialect d) {
  return "id, accountid, " + date_as_text(d, "entry_on") + ", hours, activity, timecreated, timemodified";
}

void bind(soci::details::prepare_temp_type& p, CpdRow& r) {
  p, soci::into(r.id), soci::into(r.accountid), soci::into(r.entry_on), soci::into(r.hours), soci::into(r.activity),
      soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<CpdEntry> to_cpd(const TxContext& tx, const CpdRow& r) {
  CpdEntry c;
  c.id = r.id;
  c.accountid = r.accountid;
  auto d = core::Date::parse(r.entry_on);
  if (!d) return stored_value_invalid(tx.table("cpd_entries"), "entry_on", r.entry_on);
  c.date = *d;
  c.hours = r.hours;
  c.activity = r.activity;
  c.timecreated = r.timecreated;
  c.timemodified = r.timemodified;
  return c;
}

}  // namespace

Result<std::vector<TrainingModule>> SociTrainingStore::list_modules(std::int64_t schemeid) {
  return guarded(tx_, "listing training modules", [&]() -> Result<std::vector<TrainingModule>> {
    std::vector<TrainingModule> out;
    ModuleRow r;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, schemeid, code, title, required, valid_for_months, refresher_code,"
                            " timecreated, timemodified FROM " + tx_.table("training_modules") +
                                " WHERE schemeid = :schemeid ORDER BY sortorder, id",
         soci::use(schemeid), soci::into(r.id), soci::into(r.schemeid), soci::into(r.code), soci::into(r.title),
         soci::into(r.required), soci::into(r.valid_for_months), soci::into(r.refresher_code),
         soci::into(r.timecreated), soci::into(r.timemodified));
    st.execute();
    while (st.fetch()) {
      TrainingModule m;
      m.id = r.id;
      m.schemeid = r.schemeid;
      m.code = r.code;
      m.title = r.title;
      m.required = r.required != 0;
      m.valid_for_months = r.valid_for_months;
      m.refresher_code = r.refresher_code;
      m.timecreated = r.timecreated;
      m.timemodified = r.timemodified;
      out.push_back(std::move(m));
    }
    return out;
  });
}

Result<std::vector<TrainingModule>> SociTrainingStore::replace_modules(std::int64_t schemeid,
                                                                      const std::vector<TrainingModule>& modules,
                                                                      core::UnixSeconds now) {
  auto replaced = guarded(tx_, "replacing training modules", [&]() -> Status {
    if (!row_exists(tx_, "schemes", schemeid)) return scheme_not_found();
    // Codes are kept where they stay, so a module keeps its id and
    // timecreated; dropped codes are deleted.
    std::vector<std::string> codes;
    int order = 0;
    for (const auto& m : modules) {
      const int required = m.required ? 1 : 0;
      ++order;
      tx_.sql << "INSERT INTO " + tx_.table("training_modules") +
                     " (schemeid, code, title, required, valid_for_months, refresher_code, sortorder, timecreated,"
                     " timemodified) VALUES (:schemeid, :code, :title, :required, :valid, :refresher, :sortorder,"
                     " :timecreated, :timemodified) ON CONFLICT (schemeid, code) DO UPDATE SET"
                     " title = excluded.title, required = excluded.required,"
                     " valid_for_months = excluded.valid_for_months, refresher_code = excluded.refresher_code,"
                     " sortorder = excluded.sortorder, timemodified = excluded.timemodified",
          soci::use(schemeid), soci::use(m.code), soci::use(m.title), soci::use(required),
          soci::use(m.valid_for_months), soci::use(m.refresher_code), soci::use(order), soci::use(now),
          soci::use(now);
      codes.push_back(m.code);
    }
    std::vector<std::string> stored;
    std::string code;
    soci::statement st = (tx_.sql.prepare << "SELECT code FROM " + tx_.table("training_modules") +
                                                 " WHERE schemeid = :schemeid",
                          soci::use(schemeid), soci::into(code));
    st.execute();
    while (st.fetch()) stored.push_back(code);
    for (const auto& c : stored) {
      if (std::find(codes.begin(), codes.end(), c) != codes.end()) continue;
      tx_.sql << "DELETE FROM " + tx_.table("training_modules") + " WHERE schemeid = :schemeid AND code = :code",
          soci::use(schemeid), soci::use(c);
    }
    return Status::ok();
  });
  if (!replaced) return replaced;
  return list_modules(schemeid);
}

Result<TrainingRecord> SociTrainingStore::add_record(std::int64_t schemeid, const TrainingRecord& t,
                                                     core::UnixSeconds now) {
  return guarded(tx_, "recording training", [&]() -> Result<TrainingRecord> {
    if (!row_exists(tx_, "schemes", schemeid)) return scheme_not_found();
    if (!row_exists(tx_, "accounts", t.accountid)) return account_not_found();
    const std::string completed = t.completed_on.to_string();
    std::string expires = t.expires_on ? t.expires_on->to_string() : std::string();
    soci::indicator expires_ind = t.expires_on ? soci::i_ok : soci::i_null;
    RecordRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("training_records") +
                                " (schemeid, accountid, module_code, completed_on, expires_on, timecreated,"
                                " timemodified) VALUES (:schemeid, :accountid, :code, :completed, :expires,"
                                " :timecreated, :timemodified) RETURNING " + record_columns(tx_.dialect),
         soci::use(schemeid), soci::use(t.accountid), soci::use(t.module_code), soci::use(completed),
         soci::use(expires, expires_ind), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Recording training returned no row.");
    return to_record(tx_, r);
  });
}

Result<std::vector<TrainingRecord>> SociTrainingStore::list_records(std::int64_t accountid, std::int64_t schemeid) {
  return guarded(tx_, "listing training records", [&]() -> Result<std::vector<TrainingRecord>> {
    std::vector<TrainingRecord> out;
    RecordRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + record_columns(tx_.dialect) + " FROM " + tx_.table("training_records") +
                                " WHERE accountid = :accountid AND schemeid = :schemeid ORDER BY completed_on, id",
         soci::use(accountid), soci::use(schemeid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto t = to_record(tx_, r);
      if (!t) return t.status();
      out.push_back(std::move(t).value());
      r.expires_ind = soci::i_null;
    }
    return out;
  });
}

Result<CpdEntry> SociTrainingStore::add_cpd(const CpdEntry& c, core::UnixSeconds now) {
  return guarded(tx_, "recording CPD", [&]() -> Result<CpdEntry> {
    if (!row_exists(tx_, "accounts", c.accountid)) return account_not_found();
    const std::string on = c.date.to_string();
    CpdRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("cpd_entries") +
                                " (accountid, entry_on, hours, activity, timecreated, timemodified) VALUES"
                                " (:accountid, :entry_on, :hours, :activity, :timecreated, :timemodified)"
                                " RETURNING " + cpd_columns(tx_.dialect),
         soci::use(c.accountid), soci::use(on), soci::use(c.hours), soci::use(c.activity), soci::use(now),
         soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Recording CPD returned no row.");
    return to_cpd(tx_, r);
  });
}

Result<std::vector<CpdEntry>> SociTrainingStore::list_cpd(std::int64_t accountid) {
  return guarded(tx_, "listing CPD", [&]() -> Result<std::vector<CpdEntry>> {
    std::vector<CpdEntry> out;
    CpdRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + cpd_columns(tx_.dialect) + " FROM " + tx_.table("cpd_entries") +
                                " WHERE accountid = :accountid ORDER BY entry_on, id",
         soci::use(accountid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto c = to_cpd(tx_, r);
      if (!c) return c.status();
      out.push_back(std::move(c).value());
    }
    return out;
  });
}

}  // namespace mentoring::storage
