#include <soci/soci.h>

#include "storage/concern_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::CheckinResponse;
using core::Result;
using core::Status;

Result<std::vector<CheckinResponse>> SociCheckinStore::select(const std::string& where, std::int64_t a,
                                                              std::int64_t b, const std::string& phase) {
  const std::string table = tx_.table("checkin_responses");
  std::vector<CheckinResponse> out;
  CheckinResponse r;
  std::string role, ph, working, frequency, cont;
  soci::statement st =
      (tx_.sql.prepare << "SELECT id, pairingid, cohortid, accountid, role, phase, working, frequency, goals_progress,"
                          " would_continue, comments, timecreated, timemodified FROM " +
                              table + " " + where,
       soci::use(a), soci::use(b), soci::use(phase), soci::into(r.id), soci::into(r.pairingid),
       soci::into(r.cohortid), soci::into(r.accountid), soci::into(role), soci::into(ph), soci::into(working),
       soci::into(frequency), soci::into(r.answers.goals_progress), soci::into(cont), soci::into(r.answers.comments),
       soci::into(r.timecreated), soci::into(r.timemodified));
  st.execute();
  while (st.fetch()) {
    CheckinResponse row = r;
    auto ro = core::parse_role(role);
    if (!ro) return stored_value_invalid(table, "role", role);
    row.role = *ro;
    auto p = core::parse_checkin_phase(ph);
    if (!p) return stored_value_invalid(table, "phase", ph);
    row.phase = *p;
    auto w = core::parse_checkin_working(working);
    if (!w) return stored_value_invalid(table, "working", working);
    row.answers.working = *w;
    auto f = core::parse_checkin_frequency(frequency);
    if (!f) return stored_value_invalid(table, "frequency", frequency);
    row.answers.frequency = *f;
    auto c = core::parse_would_continue(cont);
    if (!c) return stored_value_invalid(table, "would_continue", cont);
    row.answers.would_continue = *c;
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::optional<CheckinResponse>> SociCheckinStore::find(std::int64_t pairingid, std::int64_t accountid,
                                                               core::CheckinPhase phase) {
  return guarded(tx_, "reading a check-in", [&]() -> Result<std::optional<CheckinResponse>> {
    auto rows = select("WHERE pairingid = :a AND accountid = :b AND phase = :ph", pairingid, accountid,
                       core::to_string(phase));
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<CheckinResponse>();
    return std::optional<CheckinResponse>(rows->front());
  });
}

Result<CheckinResponse> SociCheckinStore::create(const CheckinResponse& r, core::UnixSeconds now) {
  return guarded(tx_, "storing a check-in", [&]() -> Result<CheckinResponse> {
    if (!row_exists(tx_, "pairings", r.pairingid))
      return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    if (!row_exists(tx_, "accounts", r.accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string phase = core::to_string(r.phase);
    int existing = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("checkin_responses") +
                   " WHERE pairingid = :p AND accountid = :a AND phase = :ph",
        soci::use(r.pairingid), soci::use(r.accountid), soci::use(phase), soci::into(existing);
    if (existing > 0)
      return Status::already_exists("checkin_exists",
                                    "This check-in has already been answered; change the answers instead.");
    const std::string role = core::to_string(r.role), working = core::to_string(r.answers.working),
                      frequency = core::to_string(r.answers.frequency),
                      cont = core::to_string(r.answers.would_continue);
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("checkin_responses") +
                   " (pairingid, cohortid, accountid, role, phase, working, frequency, goals_progress, would_continue,"
                   " comments, timecreated, timemodified) VALUES (:p, :c, :a, :role, :ph, :w, :f, :g, :cont, :com,"
                   " :tc, :tm) RETURNING id",
        soci::use(r.pairingid), soci::use(r.cohortid), soci::use(r.accountid), soci::use(role), soci::use(phase),
        soci::use(working), soci::use(frequency), soci::use(r.answers.goals_progress), soci::use(cont),
        soci::use(r.answers.comments), soci::use(now), soci::use(now), soci::into(id);
    CheckinResponse out = r;
    out.id = id;
    out.timecreated = now;
    out.timemodified = now;
    return out;
  });
}

Result<CheckinResponse> SociCheckinStore::update(const CheckinResponse& r, core::UnixSeconds now) {
  return guarded(tx_, "changing a check-in", [&]() -> Result<CheckinResponse> {
    const std::string phase = core::to_string(r.phase), working = core::to_string(r.answers.working),
                      frequency = core::to_string(r.answers.frequency),
                      cont = core::to_string(r.answers.would_continue);
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("checkin_responses") +
                                " SET working = :w, frequency = :f, goals_progress = :g, would_continue = :cont,"
                                " comments = :com, timemodified = :tm"
                                " WHERE pairingid = :p AND accountid = :a AND phase = :ph RETURNING id",
         soci::use(working), soci::use(frequency), soci::use(r.answers.goals_progress), soci::use(cont),
         soci::use(r.answers.comments), soci::use(now), soci::use(r.pairingid), soci::use(r.accountid),
         soci::use(phase), soci::into(id));
    if (!fetch_one(p)) return Status::not_found("checkin_not_found", "This check-in has not been answered yet.");
    auto stored = find(r.pairingid, r.accountid, r.phase);
    if (!stored) return stored.status();
    if (!stored->has_value()) return Status::internal("update_returned_nothing", "A changed check-in was not found.");
    return **stored;
  });
}

Result<std::vector<CheckinResponse>> SociCheckinStore::list_by_cohort(std::int64_t cohortid) {
  return guarded(tx_, "listing a cohort's check-ins", [&]() -> Result<std::vector<CheckinResponse>> {
    // :b and :ph are bound but unused: one select() serves every listing.
    return select("WHERE cohortid = :a AND (:b = 0 OR :ph = '') ORDER BY pairingid, phase, accountid", cohortid, 0,
                  "");
  });
}

Result<std::vector<CheckinResponse>> SociCheckinStore::list_by_account(std::int64_t accountid) {
  return guarded(tx_, "listing a person's check-ins", [&]() -> Result<std::vector<CheckinResponse>> {
    return select("WHERE accountid = :a AND (:b = 0 OR :ph = '') ORDER BY timecreated, id", accountid, 0, "");
  });
}

Result<std::vector<core::PartyPairing>> SociCheckinStore::pairings_of_account(std::int64_t accountid) {
  return guarded(tx_, "listing a person's pairings", [&]() -> Result<std::vector<core::PartyPairing>> {
    std::vector<core::PartyPairing> out;
    std::int64_t id = 0;
    std::string role;
    soci::statement st =
        (tx_.sql.prepare << "SELECT p.id, e.role FROM " + tx_.table("pairings") + " p JOIN " +
                                tx_.table("enrolments") +
                                " e ON (e.id = p.menteeid OR e.id = p.mentorid) WHERE e.accountid = :a"
                                " AND p.state IN ('active', 'ended') ORDER BY p.id",
         soci::use(accountid), soci::into(id), soci::into(role));
    st.execute();
    while (st.fetch()) {
      auto r = core::parse_role(role);
      if (!r) return stored_value_invalid(tx_.table("enrolments"), "role", role);
      out.push_back({id, *r});
    }
    return out;
  });
}

}  // namespace mentoring::storage
