#include <algorithm>
#include <cctype>

#include "storage/matching_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::MenteeRequest;
using core::MentorPlace;
using core::Pairing;
using core::Result;
using core::Status;
using core::WaitingEntry;

namespace {

Status mentor_full() { return Status::conflict("mentor_full", "The mentor has no free place for another mentee."); }
Status mentee_already_paired() {
  return Status::conflict("mentee_already_paired", "The mentee already has an active pairing in this cohort.");
}
Status request_not_pending() {
  return Status::conflict("request_not_pending",
                          "The request is no longer pending: it was answered, withdrawn or has lapsed.");
}

template <typename T>
std::optional<T> opt(const T& v, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<T>(v) : std::nullopt;
}

// --- places ---

constexpr const char* kPlaceColumns = "id, cohortid, mentorid, capacity, active";

struct PlaceRow {
  std::int64_t id = 0, cohortid = 0, mentorid = 0;
  int capacity = 0, active = 0;
};

template <typename P>
void bind(P& p, PlaceRow& r) {
  p, soci::into(r.id), soci::into(r.cohortid), soci::into(r.mentorid), soci::into(r.capacity), soci::into(r.active);
}

MentorPlace to_place(const PlaceRow& r) { return MentorPlace{r.id, r.cohortid, r.mentorid, r.capacity, r.active}; }

// --- pairings ---

constexpr const char* kPairingColumns =
    "id, cohortid, menteeid, mentorid, state, source, runid, started_at, ended_at, end_reason, ended_by, end_note,"
    " timecreated, timemodified";

struct PairingRow {
  std::int64_t id = 0, cohortid = 0, menteeid = 0, mentorid = 0;
  std::string state, source;
  std::int64_t runid = 0, started_at = 0, ended_at = 0;
  soci::indicator runid_ind = soci::i_null, started_ind = soci::i_null, ended_ind = soci::i_null;
  std::string end_reason, ended_by;
  soci::indicator reason_ind = soci::i_null, by_ind = soci::i_null;
  std::string end_note;
  std::int64_t timecreated = 0, timemodified = 0;
};

template <typename P>
void bind(P& p, PairingRow& r) {
  p, soci::into(r.id), soci::into(r.cohortid), soci::into(r.menteeid), soci::into(r.mentorid), soci::into(r.state),
      soci::into(r.source), soci::into(r.runid, r.runid_ind), soci::into(r.started_at, r.started_ind),
      soci::into(r.ended_at, r.ended_ind), soci::into(r.end_reason, r.reason_ind), soci::into(r.ended_by, r.by_ind),
      soci::into(r.end_note), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<Pairing> to_pairing(const TxContext& tx, const PairingRow& r) {
  const std::string table = tx.table("pairings");
  Pairing p;
  p.id = r.id;
  p.cohortid = r.cohortid;
  p.menteeid = r.menteeid;
  p.mentorid = r.mentorid;
  auto state = core::parse_pairing_state(r.state);
  if (!state) return stored_value_invalid(table, "state", r.state);
  p.state = *state;
  auto source = core::parse_pairing_source(r.source);
  if (!source) return stored_value_invalid(table, "source", r.source);
  p.source = *source;
  p.runid = opt(r.runid, r.runid_ind);
  p.started_at = opt(r.started_at, r.started_ind);
  p.ended_at = opt(r.ended_at, r.ended_ind);
  if (r.reason_ind == soci::i_ok) {
    auto reason = core::parse_end_reason(r.end_reason);
    if (!reason) return stored_value_invalid(table, "end_reason", r.end_reason);
    p.end_reason = *reason;
  }
  if (r.by_ind == soci::i_ok) {
    auto by = core::parse_ended_by(r.ended_by);
    if (!by) return stored_value_invalid(table, "ended_by", r.ended_by);
    p.ended_by = *by;
  }
  p.end_note = r.end_note;
  p.timecreated = r.timecreated;
  p.timemodified = r.timemodified;
  return p;
}

Result<std::optional<Pairing>> pairing_where(TxContext& tx, const std::string& where, std::int64_t value) {
  PairingRow r;
  soci::details::prepare_temp_type p =
      (tx.sql.prepare << std::string("SELECT ") + kPairingColumns + " FROM " + tx.table("pairings") + " WHERE " + where,
       soci::use(value));
  bind(p, r);
  if (!fetch_one(p)) return std::optional<Pairing>();
  auto out = to_pairing(tx, r);
  if (!out) return out.status();
  return std::optional<Pairing>(std::move(out).value());
}

// --- requests ---

constexpr const char* kRequestColumns =
    "id, cohortid, menteeid, mentorid, message, state, source, expires_at, decided_at, pairingid, timecreated,"
    " timemodified";

struct RequestRow {
  std::int64_t id = 0, cohortid = 0, menteeid = 0, mentorid = 0;
  std::string message, state, source;
  std::int64_t expires_at = 0, decided_at = 0, pairingid = 0;
  soci::indicator decided_ind = soci::i_null, pairing_ind = soci::i_null;
  std::int64_t timecreated = 0, timemodified = 0;
};

template <typename P>
void bind(P& p, RequestRow& r) {
  p, soci::into(r.id), soci::into(r.cohortid), soci::into(r.menteeid), soci::into(r.mentorid), soci::into(r.message),
      soci::into(r.state), soci::into(r.source), soci::into(r.expires_at), soci::into(r.decided_at, r.decided_ind),
      soci::into(r.pairingid, r.pairing_ind), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<MenteeRequest> to_request(const TxContext& tx, const RequestRow& r) {
  const std::string table = tx.table("mentee_requests");
  MenteeRequest q;
  q.id = r.id;
  q.cohortid = r.cohortid;
  q.menteeid = r.menteeid;
  q.mentorid = r.mentorid;
  q.message = r.message;
  auto state = core::parse_request_state(r.state);
  if (!state) return stored_value_invalid(table, "state", r.state);
  q.state = *state;
  auto source = core::parse_request_source(r.source);
  if (!source) return stored_value_invalid(table, "source", r.source);
  q.source = *source;
  q.expires_at = r.expires_at;
  q.decided_at = opt(r.decided_at, r.decided_ind);
  q.pairingid = opt(r.pairingid, r.pairing_ind);
  q.timecreated = r.timecreated;
  q.timemodified = r.timemodified;
  return q;
}

Result<std::optional<MenteeRequest>> request_by_id(TxContext& tx, std::int64_t id) {
  RequestRow r;
  soci::details::prepare_temp_type p = (tx.sql.prepare << std::string("SELECT ") + kRequestColumns + " FROM " +
                                                              tx.table("mentee_requests") + " WHERE id = :id",
                                        soci::use(id));
  bind(p, r);
  if (!fetch_one(p)) return std::optional<MenteeRequest>();
  auto out = to_request(tx, r);
  if (!out) return out.status();
  return std::optional<MenteeRequest>(std::move(out).value());
}

// "%word%" for LIKE ... ESCAPE '\', lower-cased.
std::string like_pattern(const std::string& word) {
  std::string out = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out + "%";
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

Result<MentorPlace> SociPairingStore::sync_place(std::int64_t cohortid, std::int64_t mentorid, int capacity,
                                                 core::UnixSeconds now) {
  return guarded(tx_, "saving a mentor's places", [&]() -> Result<MentorPlace> {
    if (!row_exists(tx_, "enrolments", mentorid))
      return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    PlaceRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("mentor_places") +
                                " (cohortid, mentorid, capacity, active, timecreated, timemodified) VALUES (:cohortid,"
                                " :mentorid, :capacity, 0, :timecreated, :timemodified) ON CONFLICT (mentorid) DO"
                                " UPDATE SET capacity = excluded.capacity, timemodified = excluded.timemodified"
                                " RETURNING " +
                                kPlaceColumns,
         soci::use(cohortid), soci::use(mentorid), soci::use(capacity), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("place_not_saved", "Saving the mentor's places returned no row.");
    return to_place(r);
  });
}

Result<std::optional<MentorPlace>> SociPairingStore::find_place(std::int64_t mentorid) {
  return guarded(tx_, "reading a mentor's places", [&]() -> Result<std::optional<MentorPlace>> {
    PlaceRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kPlaceColumns + " FROM " + tx_.table("mentor_places") +
                                " WHERE mentorid = :mentorid",
         soci::use(mentorid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<MentorPlace>();
    return std::optional<MentorPlace>(to_place(r));
  });
}

Result<std::vector<MentorPlace>> SociPairingStore::list_places(std::int64_t cohortid) {
  return guarded(tx_, "listing mentors' places", [&]() -> Result<std::vector<MentorPlace>> {
    std::vector<MentorPlace> out;
    PlaceRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kPlaceColumns + " FROM " + tx_.table("mentor_places") +
                                " WHERE cohortid = :cohortid ORDER BY mentorid",
         soci::use(cohortid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) out.push_back(to_place(r));
    return out;
  });
}

Result<Pairing> SociPairingStore::insert_active(const core::PairingInput& in, core::UnixSeconds now) {
  auto existing = pairing_where(tx_, "menteeid = :menteeid AND state = 'active'", in.menteeid);
  if (!existing) return existing.status();
  if (*existing) return mentee_already_paired();
  // The capacity check and the increment are one statement: no other
  // transaction can slip in between them.
  std::int64_t placeid = 0;
  soci::details::prepare_temp_type take =
      (tx_.sql.prepare << "UPDATE " + tx_.table("mentor_places") +
                              " SET active = active + 1, timemodified = :now WHERE mentorid = :mentorid AND"
                              " active < capacity RETURNING id",
       soci::use(now), soci::use(in.mentorid), soci::into(placeid));
  if (!fetch_one(take)) return mentor_full();
  const std::string source = core::to_string(in.source);
  std::int64_t runid = in.runid.value_or(0);
  soci::indicator run_ind = in.runid ? soci::i_ok : soci::i_null;
  PairingRow r;
  soci::details::prepare_temp_type p =
      (tx_.sql.prepare << "INSERT INTO " + tx_.table("pairings") +
                              " (cohortid, menteeid, mentorid, state, source, runid, started_at, end_note,"
                              " timecreated, timemodified) VALUES (:cohortid, :menteeid, :mentorid, 'active',"
                              " :source, :runid, :started_at, '', :timecreated, :timemodified) RETURNING " +
                              kPairingColumns,
       soci::use(in.cohortid), soci::use(in.menteeid), soci::use(in.mentorid), soci::use(source),
       soci::use(runid, run_ind), soci::use(now), soci::use(now), soci::use(now));
  bind(p, r);
  if (!fetch_one(p)) return Status::internal("pairing_not_saved", "Saving the pairing returned no row.");
  return to_pairing(tx_, r);
}

Result<Pairing> SociPairingStore::create_active(const core::PairingInput& in, core::UnixSeconds now) {
  Result<Pairing> out = guarded(tx_, "creating a pairing", [&]() -> Result<Pairing> {
    if (!row_exists(tx_, "enrolments", in.menteeid) || !row_exists(tx_, "enrolments", in.mentorid))
      return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    return insert_active(in, now);
  });
  // A concurrent pairing of the same mentee trips the unique index.
  if (!out && out.status().code() == core::Code::kAlreadyExists) return mentee_already_paired();
  return out;
}

Result<std::optional<Pairing>> SociPairingStore::find(std::int64_t id) {
  return guarded(tx_, "reading a pairing", [&] { return pairing_where(tx_, "id = :id", id); });
}

Result<std::optional<Pairing>> SociPairingStore::active_for_mentee(std::int64_t menteeid) {
  return guarded(tx_, "reading a mentee's pairing",
                 [&] { return pairing_where(tx_, "menteeid = :menteeid AND state = 'active'", menteeid); });
}

Result<std::vector<Pairing>> SociPairingStore::list_by_cohort(std::int64_t cohortid,
                                                              std::optional<core::PairingState> state,
                                                              core::Page page) {
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "listing pairings", [&]() -> Result<std::vector<Pairing>> {
    std::vector<Pairing> out;
    const std::string state_text = state ? core::to_string(*state) : "";
    const int any_state = state ? 0 : 1;
    PairingRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kPairingColumns + " FROM " + tx_.table("pairings") +
                                " WHERE cohortid = :cohortid AND (:any_state = 1 OR state = :state) ORDER BY id"
                                " LIMIT :limit OFFSET :offset",
         soci::use(cohortid), soci::use(any_state), soci::use(state_text), soci::use(checked->limit),
         soci::use(checked->offset));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto x = to_pairing(tx_, r);
      if (!x) return x.status();
      out.push_back(std::move(x).value());
    }
    return out;
  });
}

Result<Pairing> SociPairingStore::end(std::int64_t id, core::EndReason reason, core::EndedBy by,
                                      const std::string& note, core::UnixSeconds now) {
  return guarded(tx_, "ending a pairing", [&]() -> Result<Pairing> {
    auto found = pairing_where(tx_, "id = :id", id);
    if (!found) return found.status();
    if (!*found) return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    const std::string reason_text = core::to_string(reason), by_text = core::to_string(by);
    std::int64_t ended = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("pairings") +
                                " SET state = 'ended', ended_at = :ended_at, end_reason = :reason, ended_by = :by,"
                                " end_note = :note, timemodified = :now WHERE id = :id AND state = 'active'"
                                " RETURNING id",
         soci::use(now), soci::use(reason_text), soci::use(by_text), soci::use(note), soci::use(now), soci::use(id),
         soci::into(ended));
    if (!fetch_one(p))
      return Status::conflict("pairing_not_active", "The pairing is not active, so it cannot be ended.");
    tx_.sql << "UPDATE " + tx_.table("mentor_places") +
                   " SET active = active - 1, timemodified = :now WHERE mentorid = :mentorid AND active > 0",
        soci::use(now), soci::use((*found)->mentorid);
    auto after = pairing_where(tx_, "id = :id", id);
    if (!after) return after.status();
    return **after;
  });
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> SociPairingStore::not_a_good_fit_pairs(
    std::int64_t cohortid) {
  using Pairs = std::vector<std::pair<std::int64_t, std::int64_t>>;
  return guarded(tx_, "reading ended pairings", [&]() -> Result<Pairs> {
    Pairs out;
    std::int64_t mentee = 0, mentor = 0;
    const std::string e = tx_.table("enrolments");
    soci::statement st =
        (tx_.sql.prepare << "SELECT DISTINCT cm.id, cr.id FROM " + tx_.table("pairings") + " p JOIN " + e +
                                " em ON em.id = p.menteeid JOIN " + e + " er ON er.id = p.mentorid JOIN " + e +
                                " cm ON cm.accountid = em.accountid AND cm.role = 'mentee' AND cm.cohortid = :c1"
                                " JOIN " +
                                e +
                                " cr ON cr.accountid = er.accountid AND cr.role = 'mentor' AND cr.cohortid = :c2"
                                " WHERE p.state = 'ended' AND p.end_reason = 'not_a_good_fit' ORDER BY cm.id, cr.id",
         soci::use(cohortid), soci::use(cohortid), soci::into(mentee), soci::into(mentor));
    st.execute();
    while (st.fetch()) out.emplace_back(mentee, mentor);
    return out;
  });
}

Result<MenteeRequest> SociPairingStore::create_request(const MenteeRequest& q, core::UnixSeconds now) {
  Result<MenteeRequest> out = guarded(tx_, "saving a request", [&]() -> Result<MenteeRequest> {
    if (!row_exists(tx_, "enrolments", q.menteeid) || !row_exists(tx_, "enrolments", q.mentorid))
      return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    int pending = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("mentee_requests") +
                   " WHERE menteeid = :menteeid AND state = 'pending'",
        soci::use(q.menteeid), soci::into(pending);
    if (pending > 0) return Status::already_exists("duplicate_record", "pending");
    const std::string source = core::to_string(q.source);
    RequestRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("mentee_requests") +
                                " (cohortid, menteeid, mentorid, message, state, source, expires_at, timecreated,"
                                " timemodified) VALUES (:cohortid, :menteeid, :mentorid, :message, 'pending', :source,"
                                " :expires_at, :timecreated, :timemodified) RETURNING " +
                                kRequestColumns,
         soci::use(q.cohortid), soci::use(q.menteeid), soci::use(q.mentorid), soci::use(q.message), soci::use(source),
         soci::use(q.expires_at), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("request_not_saved", "Saving the request returned no row.");
    return to_request(tx_, r);
  });
  if (!out && out.status().code() == core::Code::kAlreadyExists)
    return Status::conflict("request_already_pending",
                            "The mentee already has a pending request; withdraw it or wait for an answer first.");
  return out;
}

Result<std::optional<MenteeRequest>> SociPairingStore::find_request(std::int64_t id) {
  return guarded(tx_, "reading a request", [&] { return request_by_id(tx_, id); });
}

Result<std::vector<MenteeRequest>> SociPairingStore::list_requests(std::int64_t cohortid, std::int64_t menteeid,
                                                                   std::int64_t mentorid,
                                                                   std::optional<core::RequestState> state,
                                                                   core::Page page) {
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "listing requests", [&]() -> Result<std::vector<MenteeRequest>> {
    std::vector<MenteeRequest> out;
    const std::string state_text = state ? core::to_string(*state) : "";
    const int any_state = state ? 0 : 1;
    RequestRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kRequestColumns + " FROM " + tx_.table("mentee_requests") +
                                " WHERE (:c0 = 0 OR cohortid = :c1) AND (:e0 = 0 OR menteeid = :e1) AND"
                                " (:r0 = 0 OR mentorid = :r1) AND (:s0 = 1 OR state = :s1) ORDER BY id DESC"
                                " LIMIT :limit OFFSET :offset",
         soci::use(cohortid), soci::use(cohortid), soci::use(menteeid), soci::use(menteeid), soci::use(mentorid),
         soci::use(mentorid), soci::use(any_state), soci::use(state_text), soci::use(checked->limit),
         soci::use(checked->offset));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto x = to_request(tx_, r);
      if (!x) return x.status();
      out.push_back(std::move(x).value());
    }
    return out;
  });
}

Result<std::int64_t> SociPairingStore::lapse_requests(std::int64_t cohortid, core::UnixSeconds now) {
  return guarded(tx_, "lapsing requests", [&]() -> Result<std::int64_t> {
    std::int64_t id = 0, n = 0;
    soci::statement st =
        (tx_.sql.prepare << "UPDATE " + tx_.table("mentee_requests") +
                                " SET state = 'lapsed', decided_at = :d, timemodified = :m WHERE state = 'pending'"
                                " AND expires_at <= :now AND (:c0 = 0 OR cohortid = :c1) RETURNING id",
         soci::use(now), soci::use(now), soci::use(now), soci::use(cohortid), soci::use(cohortid), soci::into(id));
    st.execute();
    while (st.fetch()) ++n;
    return n;
  });
}

Result<MenteeRequest> SociPairingStore::close_request(std::int64_t id, core::RequestState to, core::UnixSeconds now) {
  // Lapsed here is a request whose mentor filled up before answering it (the
  // ones past their reply time lapse through lapse_requests).
  if (to != core::RequestState::kDeclined && to != core::RequestState::kWithdrawn &&
      to != core::RequestState::kLapsed)
    return Status::invalid("request_state_invalid", "A request can only be closed as declined, withdrawn or lapsed.",
                           "state");
  return guarded(tx_, "closing a request", [&]() -> Result<MenteeRequest> {
    auto found = request_by_id(tx_, id);
    if (!found) return found.status();
    if (!*found) return Status::not_found("request_not_found", "There is no request with that id.");
    const std::string state = core::to_string(to);
    std::int64_t done = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("mentee_requests") +
                                " SET state = :state, decided_at = :d, timemodified = :m WHERE id = :id AND"
                                " state = 'pending' AND expires_at > :now RETURNING id",
         soci::use(state), soci::use(now), soci::use(now), soci::use(id), soci::use(now), soci::into(done));
    if (!fetch_one(p)) return request_not_pending();
    auto after = request_by_id(tx_, id);
    if (!after) return after.status();
    return **after;
  });
}

Result<Pairing> SociPairingStore::accept_request(std::int64_t id, core::UnixSeconds now) {
  Result<Pairing> out = guarded(tx_, "accepting a request", [&]() -> Result<Pairing> {
    auto found = request_by_id(tx_, id);
    if (!found) return found.status();
    if (!*found) return Status::not_found("request_not_found", "There is no request with that id.");
    const MenteeRequest& q = **found;
    std::int64_t done = 0;
    soci::details::prepare_temp_type claim =
        (tx_.sql.prepare << "UPDATE " + tx_.table("mentee_requests") +
                                " SET state = 'accepted', decided_at = :d, timemodified = :m WHERE id = :id AND"
                                " state = 'pending' AND expires_at > :now RETURNING id",
         soci::use(now), soci::use(now), soci::use(id), soci::use(now), soci::into(done));
    if (!fetch_one(claim)) return request_not_pending();
    core::PairingInput in{
        q.cohortid, q.menteeid, q.mentorid,
        q.source == core::RequestSource::kHybrid ? core::PairingSource::kHybrid : core::PairingSource::kChoice,
        std::nullopt};
    auto pairing = insert_active(in, now);
    if (!pairing) return pairing.status();
    tx_.sql << "UPDATE " + tx_.table("mentee_requests") + " SET pairingid = :p WHERE id = :id", soci::use(pairing->id),
        soci::use(id);
    return pairing;
  });
  if (!out && out.status().code() == core::Code::kAlreadyExists) return mentee_already_paired();
  return out;
}

Result<WaitingEntry> SociPairingStore::add_waiting(const WaitingEntry& w, core::UnixSeconds now) {
  Result<WaitingEntry> out = guarded(tx_, "joining a waiting list", [&]() -> Result<WaitingEntry> {
    if (!row_exists(tx_, "enrolments", w.menteeid) || !row_exists(tx_, "enrolments", w.mentorid))
      return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    int n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("mentor_waitlist") + " WHERE mentorid = :r AND menteeid = :e",
        soci::use(w.mentorid), soci::use(w.menteeid), soci::into(n);
    if (n > 0) return Status::already_exists("duplicate_record", "waiting");
    WaitingEntry e = w;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("mentor_waitlist") +
                                " (cohortid, menteeid, mentorid, message, timecreated, timemodified) VALUES"
                                " (:cohortid, :menteeid, :mentorid, :message, :tc, :tm) RETURNING id",
         soci::use(w.cohortid), soci::use(w.menteeid), soci::use(w.mentorid), soci::use(w.message), soci::use(now),
         soci::use(now), soci::into(e.id));
    if (!fetch_one(p)) return Status::internal("waiting_not_saved", "Saving the waiting list entry returned no row.");
    e.timecreated = now;
    return e;
  });
  if (!out && out.status().code() == core::Code::kAlreadyExists)
    return Status::conflict("already_waiting", "The mentee is already on this mentor's waiting list.");
  return out;
}

Result<std::vector<WaitingEntry>> SociPairingStore::list_waiting(std::int64_t mentorid) {
  return guarded(tx_, "reading a waiting list", [&]() -> Result<std::vector<WaitingEntry>> {
    std::vector<WaitingEntry> out;
    WaitingEntry e;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, cohortid, menteeid, mentorid, message, timecreated FROM " +
                                tx_.table("mentor_waitlist") + " WHERE mentorid = :mentorid ORDER BY timecreated, id",
         soci::use(mentorid), soci::into(e.id), soci::into(e.cohortid), soci::into(e.menteeid), soci::into(e.mentorid),
         soci::into(e.message), soci::into(e.timecreated));
    st.execute();
    while (st.fetch()) out.push_back(e);
    return out;
  });
}

Result<bool> SociPairingStore::remove_waiting(std::int64_t mentorid, std::int64_t menteeid) {
  return guarded(tx_, "leaving a waiting list", [&]() -> Result<bool> {
    std::int64_t id = 0;
    soci::details::prepare_temp_type p = (tx_.sql.prepare << "DELETE FROM " + tx_.table("mentor_waitlist") +
                                                                 " WHERE mentorid = :r AND menteeid = :e RETURNING id",
                                          soci::use(mentorid), soci::use(menteeid), soci::into(id));
    return fetch_one(p);
  });
}

Result<core::DirectoryPage> SociPairingStore::directory(const core::DirectoryQuery& q) {
  auto checked = checked_page(q.page);
  if (!checked) return checked.status();
  return guarded(tx_, "searching the mentor directory", [&]() -> Result<core::DirectoryPage> {
    // Up to kWords words, each of which must appear somewhere in the
    // profile's searchable text; unused slots match everything.
    constexpr std::size_t kWords = 5;
    std::vector<std::string> words;
    std::string current;
    for (char c : q.text + " ") {
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (!current.empty() && words.size() < kWords) words.push_back(like_pattern(current));
        current.clear();
      } else {
        current += c;
      }
    }
    while (words.size() < kWords) words.push_back("%");
    const std::string specialty = lower(q.specialty), region = lower(q.region);
    const int free_only = q.free_only ? 1 : 0;
    const std::string e = tx_.table("enrolments"), mp = tx_.table("mentor_profiles");
    const std::string text = "(lower(mp.specialty) || ' ' || lower(mp.expertise_areas) || ' ' || lower(mp.bio))";
    std::string where = " WHERE e.cohortid = :cohortid AND e.role = 'mentor' AND e.status = 'active'";
    for (std::size_t i = 0; i < kWords; ++i) where += " AND " + text + " LIKE :w" + std::to_string(i) + " ESCAPE '\\'";
    where +=
        " AND (:s0 = '' OR lower(mp.specialty) = :s1) AND (:g0 = '' OR lower(mp.region) = :g1)"
        " AND (:f = 0 OR COALESCE(pl.active, 0) < mp.capacity)";
    const std::string from = " FROM " + e + " e JOIN " + mp + " mp ON mp.accountid = e.accountid JOIN " +
                             tx_.table("accounts") + " a ON a.id = e.accountid LEFT JOIN " +
                             tx_.table("mentor_places") + " pl ON pl.mentorid = e.id";
    core::DirectoryPage out;
    {
      soci::details::prepare_temp_type p = (tx_.sql.prepare << "SELECT count(*)" + from + where, soci::use(q.cohortid));
      for (auto& w : words) p, soci::use(w);
      p, soci::use(specialty), soci::use(specialty), soci::use(region), soci::use(region), soci::use(free_only),
          soci::into(out.total);
      fetch_one(p);
    }
    struct Row {
      std::int64_t mentorid = 0, accountid = 0;
      std::string name, stage, specialty, site, region, expertise, languages, bio, away;
      soci::indicator away_ind = soci::i_null;
      int capacity = 0, active = 0;
    } r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT e.id, e.accountid, a.display_name, mp.career_stage, mp.specialty, mp.site,"
                            " mp.region, mp.expertise_areas, mp.languages, mp.bio, " +
                                date_as_text(tx_.dialect, "mp.away_until") + ", mp.capacity, COALESCE(pl.active, 0)" +
                                from + where + " ORDER BY a.display_name, e.id LIMIT :limit OFFSET :offset",
         soci::use(q.cohortid));
    for (auto& w : words) p, soci::use(w);
    p, soci::use(specialty), soci::use(specialty), soci::use(region), soci::use(region), soci::use(free_only),
        soci::use(checked->limit), soci::use(checked->offset);
    p, soci::into(r.mentorid), soci::into(r.accountid), soci::into(r.name), soci::into(r.stage),
        soci::into(r.specialty), soci::into(r.site), soci::into(r.region), soci::into(r.expertise),
        soci::into(r.languages), soci::into(r.bio), soci::into(r.away, r.away_ind), soci::into(r.capacity),
        soci::into(r.active);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      core::DirectoryEntry d;
      d.mentorid = r.mentorid;
      d.accountid = r.accountid;
      d.display_name = r.name;
      auto stage = core::parse_career_stage(r.stage);
      if (!stage) return stored_value_invalid(mp, "career_stage", r.stage);
      d.profile.accountid = r.accountid;
      d.profile.career_stage = *stage;
      d.profile.specialty = r.specialty;
      d.profile.site = r.site;
      d.profile.region = r.region;
      d.profile.expertise_areas = split_list(r.expertise, '\n');
      d.profile.languages = split_list(r.languages, ',');
      d.profile.bio = r.bio;
      d.profile.capacity = r.capacity;
      if (r.away_ind == soci::i_ok) d.profile.away_until = core::Date::parse(r.away);
      d.capacity = r.capacity;
      d.active = r.active;
      out.entries.push_back(std::move(d));
    }
    return out;
  });
}

}  // namespace mentoring::storage
