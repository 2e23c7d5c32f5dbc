#include <soci/soci.h>

#include "storage/evaluation_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::OutcomeRecord;
using core::Result;
using core::Status;

Result<std::optional<std::int64_t>> SociOutcomeStore::find_account_by_email(const std::string& email) {
  return guarded(tx_, "finding an account by e-mail", [&]() -> Result<std::optional<std::int64_t>> {
    std::vector<std::int64_t> ids;
    std::int64_t id = 0;
    soci::statement st = (tx_.sql.prepare << "SELECT id FROM " + tx_.table("accounts") +
                                                 " WHERE lower(email) = lower(:e) AND email <> '' ORDER BY id",
                          soci::use(email), soci::into(id));
    st.execute();
    while (st.fetch() && ids.size() < 2) ids.push_back(id);
    // Two accounts with one address (a person known to two platforms) cannot
    // be told apart: the row must name the account.
    if (ids.size() != 1) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(ids.front());
  });
}

Status SociOutcomeStore::add(const OutcomeRecord& r, core::UnixSeconds now) {
  return guarded(tx_, "storing an outcome record", [&]() -> Status {
    if (!row_exists(tx_, "accounts", r.accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    if (!row_exists(tx_, "schemes", r.schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    const std::string kind = core::to_string(r.kind), on = r.recorded_on.to_string();
    const std::string arcp = r.arcp ? core::to_string(*r.arcp) : "";
    int passed = r.exam_passed.value_or(false) ? 1 : 0;
    soci::indicator passed_ind = r.exam_passed ? soci::i_ok : soci::i_null;
    int rating = r.rating.value_or(0);
    soci::indicator rating_ind = r.rating ? soci::i_ok : soci::i_null;
    tx_.sql << "INSERT INTO " + tx_.table("outcome_records") +
                   " (accountid, schemeid, kind, recorded_on, arcp_code, exam_name, exam_passed, rating, timecreated,"
                   " timemodified) VALUES (:a, :s, :k, :on, :arcp, :exam, :passed, :rating, :tc, :tm)",
        soci::use(r.accountid), soci::use(r.schemeid), soci::use(kind), soci::use(on), soci::use(arcp),
        soci::use(r.exam_name), soci::use(passed, passed_ind), soci::use(rating, rating_ind), soci::use(now),
        soci::use(now);
    return Status::ok();
  });
}

Result<std::vector<OutcomeRecord>> SociOutcomeStore::list_for_cohort(std::int64_t schemeid, std::int64_t cohortid) {
  return guarded(tx_, "reading outcome records", [&]() -> Result<std::vector<OutcomeRecord>> {
    std::vector<OutcomeRecord> out;
    OutcomeRecord r;
    std::string kind, on, arcp;
    int passed = 0, rating = 0;
    soci::indicator passed_ind = soci::i_null, rating_ind = soci::i_null;
    soci::statement st =
        (tx_.sql.prepare << "SELECT o.id, o.accountid, o.schemeid, o.kind, " +
                                date_as_text(tx_.dialect, "o.recorded_on") +
                                ", o.arcp_code, o.exam_name, o.exam_passed, o.rating, o.timecreated, o.timemodified"
                                " FROM " +
                                tx_.table("outcome_records") +
                                " o WHERE o.schemeid = :s AND o.accountid IN"
                                " (SELECT accountid FROM " +
                                tx_.table("enrolments") + " WHERE cohortid = :c AND role = 'mentee') ORDER BY o.id",
         soci::use(schemeid), soci::use(cohortid), soci::into(r.id), soci::into(r.accountid), soci::into(r.schemeid),
         soci::into(kind), soci::into(on), soci::into(arcp), soci::into(r.exam_name), soci::into(passed, passed_ind),
         soci::into(rating, rating_ind), soci::into(r.timecreated), soci::into(r.timemodified));
    st.execute();
    while (st.fetch()) {
      OutcomeRecord row = r;
      auto k = core::parse_outcome_kind(kind);
      if (!k) return stored_value_invalid(tx_.table("outcome_records"), "kind", kind);
      row.kind = *k;
      auto d = core::Date::parse(on);
      if (!d) return stored_value_invalid(tx_.table("outcome_records"), "recorded_on", on);
      row.recorded_on = *d;
      row.arcp = arcp.empty() ? std::nullopt : core::parse_arcp_outcome(arcp);
      if (!arcp.empty() && !row.arcp) return stored_value_invalid(tx_.table("outcome_records"), "arcp_code", arcp);
      row.exam_passed = passed_ind == soci::i_ok ? std::optional<bool>(passed != 0) : std::nullopt;
      row.rating = rating_ind == soci::i_ok ? std::optional<int>(rating) : std::nullopt;
      out.push_back(std::move(row));
    }
    return out;
  });
}

Result<std::int64_t> SociOutcomeStore::count(std::int64_t schemeid) {
  return guarded(tx_, "counting outcome records", [&]() -> Result<std::int64_t> {
    int n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("outcome_records") + " WHERE schemeid = :s", soci::use(schemeid),
        soci::into(n);
    return static_cast<std::int64_t>(n);
  });
}

}  // namespace mentoring::storage
