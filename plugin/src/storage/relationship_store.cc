#include <soci/soci.h>

#include <algorithm>

#include "storage/matching_soci_stores.h"
#include "storage/relationship_soci_store.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::Status;
namespace rel = core::relationship;

namespace {

std::optional<std::int64_t> opt(std::int64_t v, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<std::int64_t>(v) : std::nullopt;
}

// --- meetings ---

constexpr const char* kMeetingColumns =
    "id, pairingid, booked_by, starts_at, minutes, mode, place, link, topics, agreed_actions, state, sequence,"
    " recorded_by, recorded_at, timecreated, timemodified";

struct MeetingRow {
  rel::Meeting m;
  std::string mode, state;
  std::int64_t recorded_by = 0, recorded_at = 0;
  soci::indicator by_ind = soci::i_null, at_ind = soci::i_null;
};

template <typename P>
void bind(P& p, MeetingRow& r) {
  p, soci::into(r.m.id), soci::into(r.m.pairingid), soci::into(r.m.booked_by), soci::into(r.m.starts_at),
      soci::into(r.m.minutes), soci::into(r.mode), soci::into(r.m.place), soci::into(r.m.link),
      soci::into(r.m.topics), soci::into(r.m.agreed_actions), soci::into(r.state), soci::into(r.m.sequence),
      soci::into(r.recorded_by, r.by_ind), soci::into(r.recorded_at, r.at_ind), soci::into(r.m.timecreated),
      soci::into(r.m.timemodified);
}

Result<rel::Meeting> to_meeting(const TxContext& tx, const MeetingRow& r) {
  rel::Meeting m = r.m;
  auto mode = rel::parse_meeting_mode(r.mode);
  if (!mode) return stored_value_invalid(tx.table("meetings"), "mode", r.mode);
  m.mode = *mode;
  auto state = rel::parse_meeting_state(r.state);
  if (!state) return stored_value_invalid(tx.table("meetings"), "state", r.state);
  m.state = *state;
  m.recorded_by = opt(r.recorded_by, r.by_ind);
  m.recorded_at = opt(r.recorded_at, r.at_ind);
  return m;
}

// --- goals ---

constexpr const char* kGoalColumns =
    "id, pairingid, accountid, title, specific_text, measurable_text, achievable_text, relevant_text, target_on,"
    " review_on, status, timecreated, timemodified";

Result<core::Date> stored_date(const TxContext& tx, const char* table, const char* column, const std::string& v) {
  auto d = core::Date::parse(v);
  if (!d) return stored_value_invalid(tx.table(table), column, v);
  return *d;
}

// Pairings of one cohort, or of all when the key is 0.
constexpr const char* kCohortFilter = " AND (:c1 = CAST(0 AS BIGINT) OR p.cohortid = :c2)";

}  // namespace

// --- pairings and their people ---

Result<std::optional<rel::PairingParties>> SociRelationshipStore::parties(std::int64_t pairingid) {
  return guarded(tx_, "reading a pairing's people", [&]() -> Result<std::optional<rel::PairingParties>> {
    SociPairingStore pairings(tx_);
    auto pairing = pairings.find(pairingid);
    if (!pairing) return pairing.status();
    if (!*pairing) return std::optional<rel::PairingParties>();
    rel::PairingParties out;
    out.pairing = **pairing;
    const std::string e = tx_.table("enrolments"), a = tx_.table("accounts"), c = tx_.table("cohorts");
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT co.schemeid, me.accountid, ma.display_name, ma.email, me.timecreated,"
                            " re.accountid, ra.display_name, ra.email FROM " + e + " me JOIN " + a +
                                " ma ON ma.id = me.accountid JOIN " + c + " co ON co.id = me.cohortid, " + e +
                                " re JOIN " + a + " ra ON ra.id = re.accountid WHERE me.id = :m AND re.id = :r",
         soci::use(out.pairing.menteeid), soci::use(out.pairing.mentorid), soci::into(out.schemeid),
         soci::into(out.mentee_accountid), soci::into(out.mentee_name), soci::into(out.mentee_email),
         soci::into(out.mentee_enrolled_at), soci::into(out.mentor_accountid), soci::into(out.mentor_name),
         soci::into(out.mentor_email));
    if (!fetch_one(p)) return Status::internal("pairing_people_missing", "A pairing names an enrolment that is gone.");
    return std::optional<rel::PairingParties>(std::move(out));
  });
}

Result<std::vector<rel::PairingParties>> SociRelationshipStore::pairings_of_account(std::int64_t accountid) {
  return guarded(tx_, "listing a person's pairings", [&]() -> Result<std::vector<rel::PairingParties>> {
    std::vector<std::int64_t> ids;
    std::int64_t id = 0;
    const std::string e = tx_.table("enrolments");
    soci::statement st =
        (tx_.sql.prepare << "SELECT p.id FROM " + tx_.table("pairings") + " p WHERE p.state IN ('active', 'ended')"
                            " AND (p.menteeid IN (SELECT id FROM " + e + " WHERE accountid = :a1)"
                            " OR p.mentorid IN (SELECT id FROM " + e + " WHERE accountid = :a2))"
                            " ORDER BY CASE WHEN p.state = 'active' THEN 0 ELSE 1 END, p.id DESC",
         soci::use(accountid), soci::use(accountid), soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    std::vector<rel::PairingParties> out;
    for (std::int64_t pid : ids) {
      auto p = parties(pid);
      if (!p) return p.status();
      if (*p) out.push_back(std::move(**p));
    }
    return out;
  });
}

// --- agreement acceptances ---

Result<core::AgreementAcceptance> SociRelationshipStore::add_acceptance(const core::AgreementAcceptance& a,
                                                                        core::UnixSeconds now) {
  return guarded(tx_, "recording an agreement acceptance", [&]() -> Result<core::AgreementAcceptance> {
    if (!row_exists(tx_, "pairings", a.pairingid))
      return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    if (!row_exists(tx_, "accounts", a.accepted_by))
      return Status::not_found("account_not_found", "There is no account with that id.");
    core::AgreementAcceptance out = a;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("agreement_acceptances") +
                                " (pairingid, accountid, template_version, accepted_at, timecreated, timemodified)"
                                " VALUES (:p, :a, :v, :at, :tc, :tm)"
                                " ON CONFLICT (pairingid, accountid, template_version) DO NOTHING RETURNING id",
         soci::use(a.pairingid), soci::use(a.accepted_by), soci::use(a.template_version), soci::use(a.accepted_at),
         soci::use(now), soci::use(now), soci::into(out.id));
    if (!fetch_one(p))
      return Status::already_exists("agreement_already_accepted",
                                    "You have already accepted this version of the agreement.");
    return out;
  });
}

Result<std::vector<core::AgreementAcceptance>> SociRelationshipStore::acceptances(std::int64_t pairingid) {
  return guarded(tx_, "reading agreement acceptances", [&]() -> Result<std::vector<core::AgreementAcceptance>> {
    std::vector<core::AgreementAcceptance> out;
    core::AgreementAcceptance a;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, pairingid, template_version, accountid, accepted_at FROM " +
                                tx_.table("agreement_acceptances") + " WHERE pairingid = :p ORDER BY accepted_at, id",
         soci::use(pairingid), soci::into(a.id), soci::into(a.pairingid), soci::into(a.template_version),
         soci::into(a.accepted_by), soci::into(a.accepted_at));
    st.execute();
    while (st.fetch()) out.push_back(a);
    return out;
  });
}

// --- meetings ---

Result<std::vector<rel::Meeting>> SociRelationshipStore::meetings_where(const std::string& where,
                                                                        std::vector<std::int64_t> keys) {
  std::vector<rel::Meeting> out;
  MeetingRow r;
  soci::details::prepare_temp_type p =
      (tx_.sql.prepare << std::string("SELECT ") + kMeetingColumns + " FROM " + tx_.table("meetings") + " " + where);
  for (std::int64_t& k : keys) p, soci::use(k);
  bind(p, r);
  soci::statement st(p);
  st.execute();
  while (st.fetch()) {
    auto m = to_meeting(tx_, r);
    if (!m) return m.status();
    out.push_back(std::move(m).value());
  }
  return out;
}

Status SociRelationshipStore::lock_people(std::int64_t first, std::int64_t second) {
  return guarded(tx_, "locking the people of a booking", [&]() -> Status {
    std::int64_t low = std::min(first, second), high = std::max(first, second);
    // A write that changes nothing still takes the row lock.
    for (std::int64_t id : {low, high}) {
      tx_.sql << "UPDATE " + tx_.table("accounts") + " SET timemodified = timemodified WHERE id = :id", soci::use(id);
      if (low == high) break;
    }
    return Status::ok();
  });
}

Result<rel::Meeting> SociRelationshipStore::create_meeting(const rel::Meeting& m, core::UnixSeconds now) {
  return guarded(tx_, "booking a meeting", [&]() -> Result<rel::Meeting> {
    if (!row_exists(tx_, "pairings", m.pairingid))
      return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    const std::string mode = rel::to_string(m.mode), state = rel::to_string(m.state);
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("meetings") +
                   " (pairingid, booked_by, starts_at, minutes, mode, place, link, topics, agreed_actions, state,"
                   " sequence, timecreated, timemodified)"
                   " VALUES (:p, :b, :s, :m, :mode, :place, :link, :topics, :actions, :state, :seq, :tc, :tm)"
                   " RETURNING id",
        soci::use(m.pairingid), soci::use(m.booked_by), soci::use(m.starts_at), soci::use(m.minutes),
        soci::use(mode), soci::use(m.place), soci::use(m.link), soci::use(m.topics), soci::use(m.agreed_actions),
        soci::use(state), soci::use(m.sequence), soci::use(now), soci::use(now), soci::into(id);
    auto stored = find_meeting(id);
    if (!stored) return stored.status();
    if (!*stored) return Status::internal("insert_returned_nothing", "A booked meeting was not found.");
    return **stored;
  });
}

Result<std::optional<rel::Meeting>> SociRelationshipStore::find_meeting(std::int64_t id) {
  return guarded(tx_, "reading a meeting", [&]() -> Result<std::optional<rel::Meeting>> {
    auto rows = meetings_where("WHERE id = :a", {id});
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<rel::Meeting>();
    return std::optional<rel::Meeting>(rows->front());
  });
}

Result<std::vector<rel::Meeting>> SociRelationshipStore::meetings(std::int64_t pairingid) {
  return guarded(tx_, "listing meetings", [&]() -> Result<std::vector<rel::Meeting>> {
    return meetings_where("WHERE pairingid = :a ORDER BY starts_at, id", {pairingid});
  });
}

Result<std::vector<rel::Meeting>> SociRelationshipStore::meetings_of_account_between(std::int64_t accountid,
                                                                                     core::UnixSeconds from,
                                                                                     core::UnixSeconds to) {
  return guarded(tx_, "listing a person's meetings", [&]() -> Result<std::vector<rel::Meeting>> {
    std::vector<rel::Meeting> out;
    const std::string e = tx_.table("enrolments"), p = tx_.table("pairings");
    // A meeting lasts at most kMaxMinutes, so one starting that long before
    // `from` is the earliest that can still reach it.
    const core::UnixSeconds earliest = from - static_cast<core::UnixSeconds>(rel::kMaxMinutes) * 60;
    auto rows = meetings_where(
        "WHERE state IN ('booked', 'held') AND starts_at >= :a AND starts_at < :b AND pairingid IN (SELECT pp.id FROM " +
            p + " pp JOIN " + e + " pe ON pe.id = pp.menteeid OR pe.id = pp.mentorid WHERE pe.accountid = :c)"
            " ORDER BY starts_at, id",
        {earliest, to, accountid});
    if (!rows) return rows.status();
    for (rel::Meeting& m : *rows)
      if (m.ends_at() > from) out.push_back(std::move(m));
    return out;
  });
}

Result<rel::Meeting> SociRelationshipStore::update_meeting(const rel::Meeting& m, rel::MeetingState expected,
                                                           core::UnixSeconds now) {
  return guarded(tx_, "changing a meeting", [&]() -> Result<rel::Meeting> {
    const std::string state = rel::to_string(m.state), was = rel::to_string(expected);
    soci::indicator by_ind = m.recorded_by ? soci::i_ok : soci::i_null;
    soci::indicator at_ind = m.recorded_at ? soci::i_ok : soci::i_null;
    std::int64_t by = m.recorded_by.value_or(0), at = m.recorded_at.value_or(0), id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("meetings") +
                                " SET state = :state, sequence = :seq, agreed_actions = :actions, recorded_by = :by,"
                                " recorded_at = :at, timemodified = :tm WHERE id = :id AND state = :was RETURNING id",
         soci::use(state), soci::use(m.sequence), soci::use(m.agreed_actions), soci::use(by, by_ind),
         soci::use(at, at_ind), soci::use(now), soci::use(m.id), soci::use(was), soci::into(id));
    if (!fetch_one(p)) {
      if (!row_exists(tx_, "meetings", m.id))
        return Status::not_found("meeting_not_found", "There is no meeting with that id.");
      return Status::conflict("meeting_changed", "The meeting was changed by someone else first; look at it again.");
    }
    auto stored = find_meeting(m.id);
    if (!stored) return stored.status();
    if (!*stored) return Status::internal("update_returned_nothing", "A changed meeting was not found.");
    return **stored;
  });
}

Status SociRelationshipStore::save_note(std::int64_t meetingid, std::int64_t accountid, const std::string& note,
                                        core::UnixSeconds now) {
  return guarded(tx_, "saving a private note", [&]() -> Status {
    if (!row_exists(tx_, "meetings", meetingid))
      return Status::not_found("meeting_not_found", "There is no meeting with that id.");
    tx_.sql << "INSERT INTO " + tx_.table("meeting_notes") +
                   " (meetingid, accountid, note, timecreated, timemodified) VALUES (:m, :a, :n, :tc, :tm)"
                   " ON CONFLICT (meetingid, accountid) DO UPDATE SET note = excluded.note,"
                   " timemodified = excluded.timemodified",
        soci::use(meetingid), soci::use(accountid), soci::use(note), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::map<std::int64_t, std::string>> SociRelationshipStore::notes_by(std::int64_t pairingid,
                                                                            std::int64_t accountid) {
  return guarded(tx_, "reading private notes", [&]() -> Result<std::map<std::int64_t, std::string>> {
    std::map<std::int64_t, std::string> out;
    std::int64_t meetingid = 0;
    std::string note;
    soci::statement st =
        (tx_.sql.prepare << "SELECT n.meetingid, n.note FROM " + tx_.table("meeting_notes") + " n JOIN " +
                                tx_.table("meetings") +
                                " m ON m.id = n.meetingid WHERE m.pairingid = :p AND n.accountid = :a",
         soci::use(pairingid), soci::use(accountid), soci::into(meetingid), soci::into(note));
    st.execute();
    while (st.fetch()) out[meetingid] = note;
    return out;
  });
}

// --- goals ---

Result<std::vector<rel::Goal>> SociRelationshipStore::goals_where(const std::string& where, std::int64_t key) {
  std::vector<rel::Goal> out;
  rel::Goal g;
  std::string target, review, status;
  soci::indicator review_ind = soci::i_null;
  soci::statement st =
      (tx_.sql.prepare << std::string("SELECT ") + kGoalColumns + " FROM " + tx_.table("goals") + " " + where,
       soci::use(key), soci::into(g.id), soci::into(g.pairingid), soci::into(g.accountid), soci::into(g.title),
       soci::into(g.specific), soci::into(g.measurable), soci::into(g.achievable), soci::into(g.relevant),
       soci::into(target), soci::into(review, review_ind), soci::into(status), soci::into(g.timecreated),
       soci::into(g.timemodified));
  st.execute();
  while (st.fetch()) {
    rel::Goal row = g;
    auto t = stored_date(tx_, "goals", "target_on", target);
    if (!t) return t.status();
    row.target_on = *t;
    row.review_on.reset();
    if (review_ind == soci::i_ok) {
      auto r = stored_date(tx_, "goals", "review_on", review);
      if (!r) return r.status();
      row.review_on = *r;
    }
    auto s = rel::parse_goal_status(status);
    if (!s) return stored_value_invalid(tx_.table("goals"), "status", status);
    row.status = *s;
    out.push_back(std::move(row));
  }
  return out;
}

Result<rel::Goal> SociRelationshipStore::create_goal(const rel::Goal& g, core::UnixSeconds now) {
  return guarded(tx_, "adding a goal", [&]() -> Result<rel::Goal> {
    if (!row_exists(tx_, "pairings", g.pairingid))
      return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    const std::string target = g.target_on.to_string(), status = rel::to_string(g.status);
    std::string review = g.review_on ? g.review_on->to_string() : "";
    soci::indicator review_ind = g.review_on ? soci::i_ok : soci::i_null;
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("goals") +
                   " (pairingid, accountid, title, specific_text, measurable_text, achievable_text, relevant_text,"
                   " target_on, review_on, status, timecreated, timemodified)"
                   " VALUES (:p, :a, :t, :s, :m, :ac, :r, :target, :review, :status, :tc, :tm) RETURNING id",
        soci::use(g.pairingid), soci::use(g.accountid), soci::use(g.title), soci::use(g.specific),
        soci::use(g.measurable), soci::use(g.achievable), soci::use(g.relevant), soci::use(target),
        soci::use(review, review_ind), soci::use(status), soci::use(now), soci::use(now), soci::into(id);
    auto stored = find_goal(id);
    if (!stored) return stored.status();
    if (!*stored) return Status::internal("insert_returned_nothing", "A stored goal was not found.");
    return **stored;
  });
}

Result<std::optional<rel::Goal>> SociRelationshipStore::find_goal(std::int64_t id) {
  return guarded(tx_, "reading a goal", [&]() -> Result<std::optional<rel::Goal>> {
    auto rows = goals_where("WHERE id = :k", id);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<rel::Goal>();
    return std::optional<rel::Goal>(rows->front());
  });
}

Result<std::vector<rel::Goal>> SociRelationshipStore::goals(std::int64_t pairingid) {
  return guarded(tx_, "listing goals", [&]() -> Result<std::vector<rel::Goal>> {
    return goals_where("WHERE pairingid = :k ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, target_on, id",
                       pairingid);
  });
}

Result<rel::Goal> SociRelationshipStore::update_goal(const rel::Goal& g, core::UnixSeconds now) {
  return guarded(tx_, "changing a goal", [&]() -> Result<rel::Goal> {
    const std::string target = g.target_on.to_string(), status = rel::to_string(g.status);
    std::string review = g.review_on ? g.review_on->to_string() : "";
    soci::indicator review_ind = g.review_on ? soci::i_ok : soci::i_null;
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("goals") +
                                " SET title = :t, specific_text = :s, measurable_text = :m, achievable_text = :a,"
                                " relevant_text = :r, target_on = :target, review_on = :review, status = :status,"
                                " timemodified = :tm WHERE id = :id RETURNING id",
         soci::use(g.title), soci::use(g.specific), soci::use(g.measurable), soci::use(g.achievable),
         soci::use(g.relevant), soci::use(target), soci::use(review, review_ind), soci::use(status), soci::use(now),
         soci::use(g.id), soci::into(id));
    if (!fetch_one(p)) return Status::not_found("goal_not_found", "There is no goal with that id.");
    auto stored = find_goal(g.id);
    if (!stored) return stored.status();
    if (!*stored) return Status::internal("update_returned_nothing", "A changed goal was not found.");
    return **stored;
  });
}

Result<rel::GoalNote> SociRelationshipStore::add_goal_note(const rel::GoalNote& n, core::UnixSeconds now) {
  return guarded(tx_, "adding a progress note", [&]() -> Result<rel::GoalNote> {
    if (!row_exists(tx_, "goals", n.goalid))
      return Status::not_found("goal_not_found", "There is no goal with that id.");
    rel::GoalNote out = n;
    tx_.sql << "INSERT INTO " + tx_.table("goal_notes") +
                   " (goalid, accountid, text, timecreated, timemodified) VALUES (:g, :a, :t, :tc, :tm) RETURNING id",
        soci::use(n.goalid), soci::use(n.accountid), soci::use(n.text), soci::use(now), soci::use(now),
        soci::into(out.id);
    out.timecreated = now;
    return out;
  });
}

Result<std::vector<rel::GoalNote>> SociRelationshipStore::goal_notes(std::int64_t pairingid) {
  return guarded(tx_, "reading progress notes", [&]() -> Result<std::vector<rel::GoalNote>> {
    std::vector<rel::GoalNote> out;
    rel::GoalNote n;
    soci::statement st =
        (tx_.sql.prepare << "SELECT n.id, n.goalid, n.accountid, n.text, n.timecreated FROM " +
                                tx_.table("goal_notes") + " n JOIN " + tx_.table("goals") +
                                " g ON g.id = n.goalid WHERE g.pairingid = :p ORDER BY n.timecreated, n.id",
         soci::use(pairingid), soci::into(n.id), soci::into(n.goalid), soci::into(n.accountid), soci::into(n.text),
         soci::into(n.timecreated));
    st.execute();
    while (st.fetch()) out.push_back(n);
    return out;
  });
}

// --- protected time ---

Result<rel::ProtectedTime> SociRelationshipStore::add_protected_time(const rel::ProtectedTime& e,
                                                                     core::UnixSeconds now) {
  return guarded(tx_, "logging protected time", [&]() -> Result<rel::ProtectedTime> {
    if (!row_exists(tx_, "pairings", e.pairingid))
      return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    rel::ProtectedTime out = e;
    const std::string role = core::to_string(e.role), day = e.used_on.to_string();
    tx_.sql << "INSERT INTO " + tx_.table("protected_time_entries") +
                   " (pairingid, accountid, role, used_on, minutes, timecreated, timemodified)"
                   " VALUES (:p, :a, :r, :d, :m, :tc, :tm) RETURNING id",
        soci::use(e.pairingid), soci::use(e.accountid), soci::use(role), soci::use(day), soci::use(e.minutes),
        soci::use(now), soci::use(now), soci::into(out.id);
    out.timecreated = now;
    return out;
  });
}

Result<std::vector<rel::ProtectedTime>> SociRelationshipStore::protected_time(std::int64_t pairingid) {
  return guarded(tx_, "reading protected time", [&]() -> Result<std::vector<rel::ProtectedTime>> {
    const std::string table = tx_.table("protected_time_entries");
    std::vector<rel::ProtectedTime> out;
    rel::ProtectedTime e;
    std::string role, day;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, pairingid, accountid, role, used_on, minutes, timecreated FROM " + table +
                                " WHERE pairingid = :p ORDER BY used_on DESC, id DESC",
         soci::use(pairingid), soci::into(e.id), soci::into(e.pairingid), soci::into(e.accountid), soci::into(role),
         soci::into(day), soci::into(e.minutes), soci::into(e.timecreated));
    st.execute();
    while (st.fetch()) {
      rel::ProtectedTime row = e;
      auto r = core::parse_role(role);
      if (!r) return stored_value_invalid(table, "role", role);
      row.role = *r;
      auto d = stored_date(tx_, "protected_time_entries", "used_on", day);
      if (!d) return d.status();
      row.used_on = *d;
      out.push_back(std::move(row));
    }
    return out;
  });
}

// --- engagement ---

Result<std::vector<core::evaluation::PairingActivity>> SociRelationshipStore::active_activity(std::int64_t cohortid,
                                                                                              core::UnixSeconds now) {
  return guarded(tx_, "reading pairing activity", [&]() -> Result<std::vector<core::evaluation::PairingActivity>> {
    std::vector<core::evaluation::PairingActivity> out;
    std::map<std::int64_t, std::size_t> index;
    const std::string e = tx_.table("enrolments"), p = tx_.table("pairings");
    std::int64_t id = 0, mentee = 0, mentor = 0, enrolled = 0, started = 0, created = 0;
    soci::indicator started_ind = soci::i_null;
    soci::statement st =
        (tx_.sql.prepare << "SELECT p.id, me.accountid, re.accountid, me.timecreated, p.started_at, p.timecreated FROM " +
                                p + " p JOIN " + e + " me ON me.id = p.menteeid JOIN " + e +
                                " re ON re.id = p.mentorid WHERE p.state = 'active'" + kCohortFilter + " ORDER BY p.id",
         soci::use(cohortid), soci::use(cohortid), soci::into(id), soci::into(mentee), soci::into(mentor),
         soci::into(enrolled), soci::into(started, started_ind), soci::into(created));
    st.execute();
    while (st.fetch()) {
      core::evaluation::PairingActivity a;
      a.pairingid = id;
      a.menteeid = mentee;
      a.mentorid = mentor;
      const core::UnixSeconds matched = started_ind == soci::i_ok ? started : created;
      a.matched_on = core::Date::from_unix(matched);
      // An enrolment made after the match (an administrator pairing someone
      // at once) counts as made on the day of the match.
      a.enrolled_on = core::Date::from_unix(std::min(enrolled, matched));
      index[id] = out.size();
      out.push_back(std::move(a));
    }
    std::int64_t pairingid = 0, starts = 0;
    std::string state;
    soci::statement ms =
        (tx_.sql.prepare << "SELECT m.pairingid, m.starts_at, m.state FROM " + tx_.table("meetings") + " m JOIN " + p +
                                " p ON p.id = m.pairingid WHERE p.state = 'active'" + kCohortFilter +
                                " AND m.state IN ('held', 'booked') ORDER BY m.starts_at",
         soci::use(cohortid), soci::use(cohortid), soci::into(pairingid), soci::into(starts), soci::into(state));
    ms.execute();
    while (ms.fetch()) {
      auto it = index.find(pairingid);
      if (it == index.end()) continue;
      core::evaluation::PairingActivity& a = out[it->second];
      const core::Date day = core::Date::from_unix(starts);
      if (state == "held") {
        // A meeting on the day of the match is on or after it.
        a.meetings_held.push_back(std::max(day, a.matched_on));
      } else if (starts >= now && !a.next_meeting_on) {
        a.next_meeting_on = day;
      }
    }
    return out;
  });
}

Result<core::EngagementCounts> SociRelationshipStore::engagement_counts(std::int64_t schemeid, std::int64_t cohortid) {
  return guarded(tx_, "counting engagement", [&]() -> Result<core::EngagementCounts> {
    core::EngagementCounts c;
    const std::string cohorts = "(SELECT id FROM " + tx_.table("cohorts") + " WHERE schemeid = :s AND (:c1 = CAST(0 AS BIGINT) OR id = :c2))";
    tx_.sql << "SELECT count(*) FROM " + tx_.table("enrolments") + " WHERE role = 'mentee' AND cohortid IN " + cohorts,
        soci::use(schemeid), soci::use(cohortid), soci::use(cohortid), soci::into(c.mentees_enrolled);
    tx_.sql << "SELECT count(DISTINCT menteeid) FROM " + tx_.table("pairings") +
                   " WHERE state IN ('active', 'ended') AND cohortid IN " + cohorts,
        soci::use(schemeid), soci::use(cohortid), soci::use(cohortid), soci::into(c.mentees_matched);
    tx_.sql << "SELECT count(*) FROM " + tx_.table("pairings") +
                   " WHERE state = 'ended' AND end_reason = 'completed' AND cohortid IN " + cohorts,
        soci::use(schemeid), soci::use(cohortid), soci::use(cohortid), soci::into(c.pairings_completed);
    tx_.sql << "SELECT count(*) FROM " + tx_.table("meetings") + " m JOIN " + tx_.table("pairings") +
                   " p ON p.id = m.pairingid WHERE m.state = 'held' AND p.cohortid IN " + cohorts,
        soci::use(schemeid), soci::use(cohortid), soci::use(cohortid), soci::into(c.meetings_held);
    return c;
  });
}

// --- reminders ---

Result<bool> SociRelationshipStore::record_nudge(const core::evaluation::Nudge& n, core::UnixSeconds now) {
  return guarded(tx_, "recording a reminder", [&]() -> Result<bool> {
    const std::string kind = core::evaluation::to_string(n.kind), due = n.due_on.to_string();
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("nudges") +
                                " (pairingid, kind, nudge_key, due_on, timecreated, timemodified)"
                                " VALUES (:p, :k, :key, :d, :tc, :tm) ON CONFLICT (nudge_key) DO NOTHING RETURNING id",
         soci::use(n.pairingid), soci::use(kind), soci::use(n.key), soci::use(due), soci::use(now), soci::use(now),
         soci::into(id));
    return fetch_one(p);
  });
}

Status SociRelationshipStore::link_nudge(const std::string& key, std::int64_t outboxid, core::UnixSeconds now) {
  return guarded(tx_, "linking a reminder to its event", [&]() -> Status {
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("nudges") +
                                " SET outboxid = :o, timemodified = :tm WHERE nudge_key = :k RETURNING id",
         soci::use(outboxid), soci::use(now), soci::use(key), soci::into(id));
    if (!fetch_one(p)) return Status::not_found("nudge_not_found", "No reminder has that key.");
    return Status::ok();
  });
}

Result<std::int64_t> SociRelationshipStore::count_nudges(std::int64_t pairingid) {
  return guarded(tx_, "counting reminders", [&]() -> Result<std::int64_t> {
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("nudges") + " WHERE pairingid = :p", soci::use(pairingid),
        soci::into(n);
    return n;
  });
}

}  // namespace mentoring::storage
