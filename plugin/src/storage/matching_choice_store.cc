#include "storage/matching_choice_soci_store.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::ChoiceEntry;
using core::ChoiceList;
using core::Result;
using core::Status;

namespace {

constexpr const char* kListColumns = "id, cohortid, menteeid, state, source, message, timecreated, timemodified";

struct ListRow {
  std::int64_t id = 0, cohortid = 0, menteeid = 0;
  std::string state, source, message;
  std::int64_t timecreated = 0, timemodified = 0;
};

template <typename P>
void bind(P& p, ListRow& r) {
  p, soci::into(r.id), soci::into(r.cohortid), soci::into(r.menteeid), soci::into(r.state), soci::into(r.source),
      soci::into(r.message), soci::into(r.timecreated), soci::into(r.timemodified);
}

Status list_not_found() {
  return Status::not_found("choice_list_not_found", "There is no list of choices with that id.");
}

// The list `r` with its entries, by rank.
Result<ChoiceList> load(TxContext& tx, const ListRow& r) {
  const std::string table = tx.table("mentee_choice_lists");
  ChoiceList out;
  out.id = r.id;
  out.cohortid = r.cohortid;
  out.menteeid = r.menteeid;
  auto state = core::parse_choice_list_state(r.state);
  if (!state) return stored_value_invalid(table, "state", r.state);
  out.state = *state;
  auto source = core::parse_request_source(r.source);
  if (!source) return stored_value_invalid(table, "source", r.source);
  out.source = *source;
  out.message = r.message;
  out.timecreated = r.timecreated;
  out.timemodified = r.timemodified;
  std::int64_t id = 0, mentorid = 0, requestid = 0, modified = 0;
  int rank = 0;
  std::string entry_state;
  soci::indicator request_ind = soci::i_null;
  soci::statement st = (tx.sql.prepare << "SELECT id, mentorid, rank, state, requestid, timemodified FROM " +
                                              tx.table("mentee_choices") + " WHERE listid = :l ORDER BY rank",
                        soci::use(r.id), soci::into(id), soci::into(mentorid), soci::into(rank),
                        soci::into(entry_state), soci::into(requestid, request_ind), soci::into(modified));
  st.execute();
  while (st.fetch()) {
    ChoiceEntry e;
    e.id = id;
    e.listid = r.id;
    e.mentorid = mentorid;
    e.rank = rank;
    auto s = core::parse_choice_state(entry_state);
    if (!s) return stored_value_invalid(tx.table("mentee_choices"), "state", entry_state);
    e.state = *s;
    if (request_ind == soci::i_ok) e.requestid = requestid;
    e.timemodified = modified;
    out.entries.push_back(e);
  }
  return out;
}

Result<std::optional<ChoiceList>> one(TxContext& tx, const std::string& where, std::int64_t key) {
  ListRow r;
  soci::details::prepare_temp_type p = (tx.sql.prepare << std::string("SELECT ") + kListColumns + " FROM " +
                                                              tx.table("mentee_choice_lists") + " WHERE " + where,
                                        soci::use(key));
  bind(p, r);
  if (!fetch_one(p)) return std::optional<ChoiceList>();
  auto list = load(tx, r);
  if (!list) return list.status();
  return std::optional<ChoiceList>(std::move(list).value());
}

}  // namespace

Result<ChoiceList> SociChoiceListStore::create(const ChoiceList& list, core::UnixSeconds now) {
  Result<ChoiceList> out = guarded(tx_, "saving a list of choices", [&]() -> Result<ChoiceList> {
    if (!row_exists(tx_, "enrolments", list.menteeid))
      return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    int active = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("mentee_choice_lists") + " WHERE menteeid = :m AND state = 'active'",
        soci::use(list.menteeid), soci::into(active);
    if (active > 0) return Status::already_exists("duplicate_record", "active");
    const std::string source = core::to_string(list.source);
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("mentee_choice_lists") +
                                " (cohortid, menteeid, state, source, message, timecreated, timemodified) VALUES"
                                " (:c, :m, 'active', :s, :msg, :tc, :tm) RETURNING id",
         soci::use(list.cohortid), soci::use(list.menteeid), soci::use(source), soci::use(list.message), soci::use(now),
         soci::use(now), soci::into(id));
    if (!fetch_one(p)) return Status::internal("choice_list_not_saved", "Saving the list of choices returned no row.");
    for (const ChoiceEntry& e : list.entries) {
      tx_.sql << "INSERT INTO " + tx_.table("mentee_choices") +
                     " (listid, mentorid, rank, state, timecreated, timemodified) VALUES (:l, :m, :r, 'waiting', :tc,"
                     " :tm)",
          soci::use(id), soci::use(e.mentorid), soci::use(e.rank), soci::use(now), soci::use(now);
    }
    auto made = one(tx_, "id = :id", id);
    if (!made) return made.status();
    return **made;
  });
  if (!out && out.status().code() == core::Code::kAlreadyExists)
    return Status::conflict("choice_list_active",
                            "The mentee already has a list of choices in progress; withdraw it first.");
  return out;
}

Result<std::optional<ChoiceList>> SociChoiceListStore::find(std::int64_t id) {
  return guarded(tx_, "reading a list of choices", [&] { return one(tx_, "id = :id", id); });
}

Result<std::optional<ChoiceList>> SociChoiceListStore::latest_for_mentee(std::int64_t menteeid) {
  return guarded(tx_, "reading a mentee's choices", [&] {
    return one(tx_, "id = (SELECT MAX(id) FROM " + tx_.table("mentee_choice_lists") + " WHERE menteeid = :m)",
               menteeid);
  });
}

Result<std::vector<std::int64_t>> SociChoiceListStore::needing_attention(std::int64_t cohortid) {
  return guarded(tx_, "finding choices to move on", [&]() -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    std::int64_t id = 0;
    soci::statement st =
        (tx_.sql.prepare << "SELECT l.id FROM " + tx_.table("mentee_choice_lists") +
                                " l WHERE l.state = 'active' AND (:c1 = 0 OR l.cohortid = :c2) AND (NOT EXISTS"
                                " (SELECT 1 FROM " +
                                tx_.table("mentee_choices") + " c JOIN " + tx_.table("mentee_requests") +
                                " r ON r.id = c.requestid JOIN " + tx_.table("mentor_places") +
                                " p ON p.mentorid = c.mentorid WHERE c.listid = l.id AND c.state = 'requested' AND"
                                " r.state = 'pending' AND p.active < p.capacity) OR EXISTS (SELECT 1 FROM " +
                                tx_.table("pairings") +
                                " q WHERE q.menteeid = l.menteeid AND q.state = 'active')) ORDER BY l.id",
         soci::use(cohortid), soci::use(cohortid), soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
    return out;
  });
}

Status SociChoiceListStore::set_entry(std::int64_t entryid, core::ChoiceState state,
                                      std::optional<std::int64_t> requestid, core::UnixSeconds now) {
  return guarded(tx_, "updating a choice", [&]() -> Status {
    const std::string text = core::to_string(state);
    std::int64_t request = requestid.value_or(0), done = 0;
    soci::indicator ind = requestid ? soci::i_ok : soci::i_null;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("mentee_choices") +
                                " SET state = :s, requestid = :r, timemodified = :tm WHERE id = :id RETURNING id",
         soci::use(text), soci::use(request, ind), soci::use(now), soci::use(entryid), soci::into(done));
    if (!fetch_one(p)) return Status::not_found("choice_not_found", "There is no choice with that id.");
    return Status::ok();
  });
}

Result<ChoiceList> SociChoiceListStore::finish(std::int64_t listid, core::ChoiceListState to, core::UnixSeconds now) {
  return guarded(tx_, "closing a list of choices", [&]() -> Result<ChoiceList> {
    const std::string text = core::to_string(to);
    std::int64_t done = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("mentee_choice_lists") +
                                " SET state = :s, timemodified = :tm WHERE id = :id AND state = 'active' RETURNING id",
         soci::use(text), soci::use(now), soci::use(listid), soci::into(done));
    const bool moved = fetch_one(p);
    auto found = one(tx_, "id = :id", listid);
    if (!found) return found.status();
    if (!*found) return list_not_found();
    if (!moved)
      return Status::conflict("choice_list_not_active", std::string("The list of choices is ") +
                                                            core::to_string((*found)->state) + ", not active.");
    return **found;
  });
}

}  // namespace mentoring::storage
