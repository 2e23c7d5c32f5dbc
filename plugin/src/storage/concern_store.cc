#include <soci/soci.h>

#include "storage/audit_soci_stores.h"
#include "storage/concern_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Concern;
using core::ConcernAction;
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns =
    "id, schemeid, cohortid, pairingid, raised_by, raiser_role, routed_to, category, urgency, text, text_key_version,"
    " text_iv, state, outcome, acknowledged_at, escalated_at, resolved_at, timecreated, timemodified";
constexpr const char* kActionColumns = "id, concernid, accountid, kind, text, text_key_version, text_iv, timecreated";

// The text columns (0013): a sealed text is stored as hex ciphertext (tag
// appended) in `text` with its hex IV and key version; key version 0 marks a
// plain row written before 0013, not yet sealed.
struct StoredText {
  std::string text;
  int key_version = 0;
  std::string iv;
};

StoredText to_stored(const std::string& plain, const core::SealedValue& sealed) {
  if (sealed.key_version >= 1) return {to_hex(sealed.ciphertext), sealed.key_version, to_hex(sealed.iv)};
  return {plain, 0, ""};
}

// Fills `plain` (legacy rows) or `sealed`, never both.
Status from_stored(const std::string& table, const StoredText& t, std::string& plain, core::SealedValue& sealed) {
  plain.clear();
  sealed = core::SealedValue{};
  if (t.key_version < 0) return stored_value_invalid(table, "text_key_version", std::to_string(t.key_version));
  if (t.key_version == 0) {
    plain = t.text;
    return Status::ok();
  }
  auto iv = from_hex(t.iv);
  if (!iv) return stored_value_invalid(table, "text_iv", "(not hex)");
  auto ct = from_hex(t.text);
  if (!ct) return stored_value_invalid(table, "text", "(not hex)");
  sealed.key_version = t.key_version;
  sealed.iv = std::move(*iv);
  sealed.ciphertext = std::move(*ct);
  return Status::ok();
}

// The staff order of core::concern_list_order, in SQL.
constexpr const char* kStaffOrder =
    " ORDER BY CASE WHEN state = 'resolved' THEN 1 ELSE 0 END,"
    " CASE urgency WHEN 'urgent' THEN 0 WHEN 'soon' THEN 1 ELSE 2 END, timecreated, id";

std::optional<core::UnixSeconds> opt(std::int64_t v, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<core::UnixSeconds>(v) : std::nullopt;
}

std::int64_t value_or_zero(const std::optional<core::UnixSeconds>& v, soci::indicator& ind) {
  ind = v ? soci::i_ok : soci::i_null;
  return v.value_or(0);
}

}  // namespace

Result<std::vector<Concern>> SociConcernStore::select(const std::string& where_and_order, std::int64_t key,
                                                      std::int64_t limit, std::int64_t offset) {
  const std::string table = tx_.table("concerns");
  std::vector<Concern> out;
  Concern c;
  std::string role, category, urgency, state, outcome;
  StoredText stored;
  std::int64_t ack = 0, esc = 0, res = 0;
  soci::indicator outcome_ind = soci::i_null, ack_ind = soci::i_null, esc_ind = soci::i_null, res_ind = soci::i_null;
  soci::statement st = (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + table + " " +
                                               where_and_order + " LIMIT :lim OFFSET :off",
                        soci::use(key), soci::use(limit), soci::use(offset), soci::into(c.id), soci::into(c.schemeid),
                        soci::into(c.cohortid), soci::into(c.pairingid), soci::into(c.raised_by), soci::into(role),
                        soci::into(c.routed_to), soci::into(category), soci::into(urgency), soci::into(stored.text),
                        soci::into(stored.key_version), soci::into(stored.iv), soci::into(state),
                        soci::into(outcome, outcome_ind), soci::into(ack, ack_ind), soci::into(esc, esc_ind),
                        soci::into(res, res_ind), soci::into(c.timecreated), soci::into(c.timemodified));
  st.execute();
  while (st.fetch()) {
    Concern row = c;
    auto r = core::parse_role(role);
    if (!r) return stored_value_invalid(table, "raiser_role", role);
    row.raiser_role = *r;
    auto cat = core::parse_concern_category(category);
    if (!cat) return stored_value_invalid(table, "category", category);
    row.category = *cat;
    auto urg = core::parse_concern_urgency(urgency);
    if (!urg) return stored_value_invalid(table, "urgency", urgency);
    row.urgency = *urg;
    MENTORING_RETURN_IF_ERROR(from_stored(table, stored, row.text, row.sealed_text));
    auto s = core::parse_concern_state(state);
    if (!s) return stored_value_invalid(table, "state", state);
    row.state = *s;
    row.outcome.reset();
    if (outcome_ind == soci::i_ok) {
      auto o = core::parse_concern_outcome(outcome);
      if (!o) return stored_value_invalid(table, "outcome", outcome);
      row.outcome = *o;
    }
    row.acknowledged_at = opt(ack, ack_ind);
    row.escalated_at = opt(esc, esc_ind);
    row.resolved_at = opt(res, res_ind);
    out.push_back(std::move(row));
  }
  return out;
}

Result<Concern> SociConcernStore::create(const Concern& c, core::UnixSeconds now) {
  return guarded(tx_, "storing a concern", [&]() -> Result<Concern> {
    if (!row_exists(tx_, "pairings", c.pairingid))
      return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    if (!row_exists(tx_, "accounts", c.raised_by) || !row_exists(tx_, "accounts", c.routed_to))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string role = core::to_string(c.raiser_role), category = core::to_string(c.category),
                      urgency = core::to_string(c.urgency), state = core::to_string(c.state);
    std::string outcome = c.outcome ? core::to_string(*c.outcome) : "";
    soci::indicator outcome_ind = c.outcome ? soci::i_ok : soci::i_null;
    soci::indicator ack_ind, esc_ind, res_ind;
    std::int64_t ack = value_or_zero(c.acknowledged_at, ack_ind), esc = value_or_zero(c.escalated_at, esc_ind),
                 res = value_or_zero(c.resolved_at, res_ind);
    std::int64_t id = 0;
    const StoredText text = to_stored(c.text, c.sealed_text);
    tx_.sql << "INSERT INTO " + tx_.table("concerns") +
                   " (schemeid, cohortid, pairingid, raised_by, raiser_role, routed_to, category, urgency, text,"
                   " text_key_version, text_iv, state, outcome, acknowledged_at, escalated_at, resolved_at,"
                   " timecreated, timemodified)"
                   " VALUES (:s, :c, :p, :rb, :role, :rt, :cat, :urg, :text, :kv, :iv, :state, :outcome, :ack, :esc,"
                   " :res, :tc, :tm) RETURNING id",
        soci::use(c.schemeid), soci::use(c.cohortid), soci::use(c.pairingid), soci::use(c.raised_by), soci::use(role),
        soci::use(c.routed_to), soci::use(category), soci::use(urgency), soci::use(text.text),
        soci::use(text.key_version), soci::use(text.iv), soci::use(state), soci::use(outcome, outcome_ind),
        soci::use(ack, ack_ind), soci::use(esc, esc_ind), soci::use(res, res_ind), soci::use(now), soci::use(now),
        soci::into(id);
    auto stored = select("WHERE id = :k", id, 1, 0);
    if (!stored) return stored.status();
    if (stored->empty()) return Status::internal("insert_returned_nothing", "A stored concern was not found.");
    return stored->front();
  });
}

Result<std::optional<Concern>> SociConcernStore::find(std::int64_t id) {
  return guarded(tx_, "reading a concern", [&]() -> Result<std::optional<Concern>> {
    auto rows = select("WHERE id = :k", id, 1, 0);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<Concern>();
    return std::optional<Concern>(rows->front());
  });
}

Result<Concern> SociConcernStore::update_state(const Concern& c, core::ConcernState expected, core::UnixSeconds now) {
  return guarded(tx_, "changing a concern", [&]() -> Result<Concern> {
    const std::string state = core::to_string(c.state), was = core::to_string(expected);
    std::string outcome = c.outcome ? core::to_string(*c.outcome) : "";
    soci::indicator outcome_ind = c.outcome ? soci::i_ok : soci::i_null;
    soci::indicator ack_ind, esc_ind, res_ind;
    std::int64_t ack = value_or_zero(c.acknowledged_at, ack_ind), esc = value_or_zero(c.escalated_at, esc_ind),
                 res = value_or_zero(c.resolved_at, res_ind);
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("concerns") +
                                " SET state = :state, outcome = :outcome, acknowledged_at = :ack, escalated_at = :esc,"
                                " resolved_at = :res, timemodified = :tm WHERE id = :id AND state = :was RETURNING id",
         soci::use(state), soci::use(outcome, outcome_ind), soci::use(ack, ack_ind), soci::use(esc, esc_ind),
         soci::use(res, res_ind), soci::use(now), soci::use(c.id), soci::use(was), soci::into(id));
    if (!fetch_one(p)) {
      if (!row_exists(tx_, "concerns", c.id))
        return Status::not_found("concern_not_found", "There is no concern with that id.");
      return Status::conflict("concern_changed", "Someone else changed the concern first; look at it again.");
    }
    auto stored = select("WHERE id = :k", c.id, 1, 0);
    if (!stored) return stored.status();
    if (stored->empty()) return Status::internal("update_returned_nothing", "A changed concern was not found.");
    return stored->front();
  });
}

Result<ConcernAction> SociConcernStore::add_action(const ConcernAction& a, core::UnixSeconds now) {
  return guarded(tx_, "recording a concern action", [&]() -> Result<ConcernAction> {
    if (!row_exists(tx_, "concerns", a.concernid))
      return Status::not_found("concern_not_found", "There is no concern with that id.");
    if (!row_exists(tx_, "accounts", a.accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string kind = core::to_string(a.kind);
    const StoredText text = to_stored(a.text, a.sealed_text);
    ConcernAction out = a;
    tx_.sql << "INSERT INTO " + tx_.table("concern_actions") +
                   " (concernid, accountid, kind, text, text_key_version, text_iv, timecreated, timemodified)"
                   " VALUES (:c, :a, :k, :t, :kv, :iv, :tc, :tm) RETURNING id",
        soci::use(a.concernid), soci::use(a.accountid), soci::use(kind), soci::use(text.text),
        soci::use(text.key_version), soci::use(text.iv), soci::use(now), soci::use(now), soci::into(out.id);
    out.timecreated = now;
    return out;
  });
}

Result<std::vector<ConcernAction>> SociConcernStore::select_actions(const std::string& where_and_order,
                                                                    std::int64_t key, std::int64_t limit) {
  const std::string table = tx_.table("concern_actions");
  std::vector<ConcernAction> out;
  ConcernAction a;
  std::string kind;
  StoredText stored;
  soci::statement st = (tx_.sql.prepare << std::string("SELECT ") + kActionColumns + " FROM " + table + " " +
                                               where_and_order + " LIMIT :lim",
                        soci::use(key), soci::use(limit), soci::into(a.id), soci::into(a.concernid),
                        soci::into(a.accountid), soci::into(kind), soci::into(stored.text),
                        soci::into(stored.key_version), soci::into(stored.iv), soci::into(a.timecreated));
  st.execute();
  while (st.fetch()) {
    auto k = core::parse_concern_action_kind(kind);
    if (!k) return stored_value_invalid(table, "kind", kind);
    ConcernAction row = a;
    row.kind = *k;
    MENTORING_RETURN_IF_ERROR(from_stored(table, stored, row.text, row.sealed_text));
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<ConcernAction>> SociConcernStore::actions(std::int64_t concernid) {
  return guarded(tx_, "reading a concern's history", [&]() -> Result<std::vector<ConcernAction>> {
    return select_actions("WHERE concernid = :c ORDER BY timecreated, id", concernid, 100000);
  });
}

namespace {
// Stores sealed text on one row of `table` (concerns or concern_actions).
Status store_sealed(TxContext& tx, const std::string& table, std::int64_t id, const core::SealedValue& sealed,
                    const char* missing_reason, const char* missing_message) {
  if (sealed.key_version < 1) return Status::invalid("concern_text_not_sealed", "Only sealed text can be stored.");
  const StoredText text = to_stored("", sealed);
  soci::statement st = (tx.sql.prepare << "UPDATE " + tx.table(table) +
                                              " SET text = :t, text_key_version = :kv, text_iv = :iv WHERE id = :id",
                        soci::use(text.text), soci::use(text.key_version), soci::use(text.iv), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return Status::not_found(missing_reason, missing_message);
  return Status::ok();
}
}  // namespace

Status SociConcernStore::seal_text(std::int64_t concernid, const core::SealedValue& sealed) {
  return guarded(tx_, "sealing a concern's text", [&]() -> Status {
    return store_sealed(tx_, "concerns", concernid, sealed, "concern_not_found", "There is no concern with that id.");
  });
}

Status SociConcernStore::seal_action_text(std::int64_t actionid, const core::SealedValue& sealed) {
  return guarded(tx_, "sealing a concern action's text", [&]() -> Status {
    return store_sealed(tx_, "concern_actions", actionid, sealed, "concern_action_not_found",
                        "There is no concern action with that id.");
  });
}

Result<std::vector<Concern>> SociConcernStore::list_unsealed(std::int64_t after_id, std::int64_t limit) {
  return guarded(tx_, "listing unsealed concerns", [&]() -> Result<std::vector<Concern>> {
    return select("WHERE text_key_version = 0 AND id > :k ORDER BY id", after_id, limit, 0);
  });
}

Result<std::vector<ConcernAction>> SociConcernStore::list_unsealed_actions(std::int64_t after_id, std::int64_t limit) {
  return guarded(tx_, "listing unsealed concern actions", [&]() -> Result<std::vector<ConcernAction>> {
    return select_actions("WHERE text_key_version = 0 AND id > :k ORDER BY id", after_id, limit);
  });
}

Result<std::vector<Concern>> SociConcernStore::list_after(std::int64_t after_id, std::int64_t limit) {
  return guarded(tx_, "listing concerns to re-key", [&]() -> Result<std::vector<Concern>> {
    return select("WHERE id > :k ORDER BY id", after_id, limit, 0);
  });
}

Result<std::vector<ConcernAction>> SociConcernStore::list_actions_after(std::int64_t after_id, std::int64_t limit) {
  return guarded(tx_, "listing concern actions to re-key", [&]() -> Result<std::vector<ConcernAction>> {
    return select_actions("WHERE id > :k ORDER BY id", after_id, limit);
  });
}

Result<std::vector<Concern>> SociConcernStore::list_raised_by(std::int64_t accountid) {
  return guarded(tx_, "listing a person's concerns", [&]() -> Result<std::vector<Concern>> {
    return select("WHERE raised_by = :k ORDER BY timecreated DESC, id DESC", accountid, core::kMaxPageSize, 0);
  });
}

Result<std::vector<Concern>> SociConcernStore::list_by_scheme(std::int64_t schemeid, bool open_only, core::Page page) {
  return guarded(tx_, "listing a scheme's concerns", [&]() -> Result<std::vector<Concern>> {
    auto checked = checked_page(page);
    if (!checked) return checked.status();
    return select(std::string("WHERE schemeid = :k") + (open_only ? " AND state <> 'resolved'" : "") + kStaffOrder,
                  schemeid, checked->limit, checked->offset);
  });
}

Result<std::int64_t> SociConcernStore::count_by_scheme(std::int64_t schemeid, bool open_only) {
  return guarded(tx_, "counting a scheme's concerns", [&]() -> Result<std::int64_t> {
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("concerns") + " WHERE schemeid = :s" +
                   (open_only ? " AND state <> 'resolved'" : ""),
        soci::use(schemeid), soci::into(n);
    return n;
  });
}

}  // namespace mentoring::storage
