#include <soci/soci.h>

#include "storage/dialect.h"
#include "storage/webhook_soci_stores.h"

namespace mentoring::storage {
using core::InboxEntry;
using core::InboxState;
using core::OutboxEntry;
using core::OutboxState;
using core::Result;
using core::Status;

namespace {

constexpr std::size_t kMaxEventTypeLength = 64;
constexpr std::size_t kMaxPayloadBytes = 64 * 1024;
constexpr std::size_t kMaxErrorLength = 1000;

std::string clip(const std::string& s) {
  if (s.size() <= kMaxErrorLength) return s;
  // Cut on a UTF-8 boundary so the column always holds valid text.
  std::size_t n = kMaxErrorLength;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

Status claim_lost() {
  return Status::conflict("webhook_claim_lost",
                          "The webhook row is no longer claimed by this worker; another worker took it over.");
}

// ---- inbox ----

constexpr const char* kInboxColumns =
    "id, msgid, event_type, occurred_at_ms, body, state, attempts, next_attempt_at, last_error, timecreated, "
    "timemodified";

struct InboxRow {
  std::int64_t id = 0;
  std::string msgid, event_type;
  std::int64_t occurred_at_ms = 0;
  std::string body, state;
  int attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::string last_error;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, InboxRow& r) {
  p, soci::into(r.id), soci::into(r.msgid), soci::into(r.event_type), soci::into(r.occurred_at_ms),
      soci::into(r.body), soci::into(r.state), soci::into(r.attempts), soci::into(r.next_attempt_at),
      soci::into(r.last_error), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<InboxEntry> to_entry(const TxContext& tx, const InboxRow& r) {
  InboxEntry e;
  e.id = r.id;
  e.msgid = r.msgid;
  e.event_type = r.event_type;
  e.occurred_at_ms = r.occurred_at_ms;
  e.body = r.body;
  auto state = core::parse_inbox_state(r.state);
  if (!state) return stored_value_invalid(tx.table("webhook_inbox"), "state", r.state);
  e.state = *state;
  e.attempts = r.attempts;
  e.next_attempt_at = r.next_attempt_at;
  e.last_error = r.last_error;
  e.timecreated = r.timecreated;
  e.timemodified = r.timemodified;
  return e;
}

template <typename Row, typename Entry, typename Convert>
Result<std::vector<Entry>> fetch_all(const TxContext& tx, soci::details::prepare_temp_type& p, Row& r,
                                     Convert convert) {
  bind(p, r);
  soci::statement st(p);
  st.execute();
  std::vector<Entry> out;
  while (st.fetch()) {
    auto e = convert(tx, r);
    if (!e) return e.status();
    out.push_back(std::move(e).value());
  }
  return out;
}

// The claim itself: one UPDATE that marks due, unclaimed rows with `token`.
// On PostgreSQL the inner SELECT locks the rows it picks and skips rows that
// another transaction is claiming at the same moment (FOR UPDATE SKIP
// LOCKED), so two instances never claim the same row; on SQLite BEGIN
// IMMEDIATE already makes each claim run alone.
void claim_rows(TxContext& tx, const std::string& table, const std::string& pending, const std::string& order,
                const std::string& token, core::UnixSeconds now, std::int64_t lease_seconds, int limit) {
  const std::string lock = tx.dialect == Dialect::kPostgresql ? " FOR UPDATE SKIP LOCKED" : "";
  const core::UnixSeconds until = now + lease_seconds;
  soci::statement st =
      (tx.sql.prepare << "UPDATE " + table +
                             " SET claim_token = :token, claimed_until = :until WHERE id IN (SELECT id FROM " + table +
                             " WHERE state = '" + pending +
                             "' AND next_attempt_at <= :now AND claimed_until < :now2 ORDER BY " + order +
                             " LIMIT :limit" + lock + ")",
       soci::use(token), soci::use(until), soci::use(now), soci::use(now), soci::use(limit));
  st.execute(true);
}

}  // namespace

Result<bool> SociInboxStore::insert(const std::string& msgid, const std::string& event_type,
                                    std::int64_t occurred_at_ms, const std::string& body, core::UnixSeconds now) {
  return guarded(tx_, "recording a webhook", [&]() -> Result<bool> {
    // ON CONFLICT DO NOTHING: a duplicate neither fails nor aborts the
    // PostgreSQL transaction.
    soci::statement st =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("webhook_inbox") +
                                " (msgid, event_type, occurred_at_ms, body, state, attempts, next_attempt_at,"
                                " timecreated, timemodified) VALUES (:msgid, :type, :occurred, :body, 'pending', 0,"
                                " :due, :tc, :tm) ON CONFLICT (msgid) DO NOTHING",
         soci::use(msgid), soci::use(event_type), soci::use(occurred_at_ms), soci::use(body), soci::use(now),
         soci::use(now), soci::use(now));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<std::vector<InboxEntry>> SociInboxStore::claim_due(const std::string& token, core::UnixSeconds now,
                                                          std::int64_t lease_seconds, int limit) {
  return guarded(tx_, "claiming webhooks", [&]() -> Result<std::vector<InboxEntry>> {
    const std::string table = tx_.table("webhook_inbox");
    claim_rows(tx_, table, "pending", "occurred_at_ms, id", token, now, lease_seconds, limit);
    InboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kInboxColumns + " FROM " + table +
                                " WHERE claim_token = :token AND state = 'pending' ORDER BY occurred_at_ms, id",
         soci::use(token));
    return fetch_all<InboxRow, InboxEntry>(tx_, p, r, to_entry);
  });
}

Status SociInboxStore::finish(std::int64_t id, const std::string& token, InboxState state, const std::string& note,
                              core::UnixSeconds now) {
  if (state == InboxState::kPending)
    return Status::internal("webhook_state_invalid", "A webhook cannot be finished as pending.");
  return guarded(tx_, "finishing a webhook", [&]() -> Status {
    const std::string state_text = core::to_string(state);
    const std::string error = clip(note);
    // Done and ignored rows drop the body: what it said is now in the tables
    // it changed, and the row is only kept to recognise duplicates. A dead
    // row keeps it for inspection and replay.
    const std::string body_update = state == InboxState::kDead ? "" : ", body = ''";
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("webhook_inbox") +
                                                 " SET state = :state, last_error = :error, claim_token = '',"
                                                 " claimed_until = 0, timemodified = :tm" + body_update +
                                                 " WHERE id = :id AND claim_token = :token AND state = 'pending'",
                          soci::use(state_text), soci::use(error), soci::use(now), soci::use(id), soci::use(token));
    st.execute(true);
    if (st.get_affected_rows() != 1) return claim_lost();
    return Status::ok();
  });
}

Status SociInboxStore::retry_later(std::int64_t id, const std::string& token, core::UnixSeconds next_attempt_at,
                                   const std::string& error, core::UnixSeconds now) {
  return guarded(tx_, "rescheduling a webhook", [&]() -> Status {
    const std::string e = clip(error);
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("webhook_inbox") +
                                                 " SET attempts = attempts + 1, next_attempt_at = :next,"
                                                 " last_error = :error, claim_token = '', claimed_until = 0,"
                                                 " timemodified = :tm"
                                                 " WHERE id = :id AND claim_token = :token AND state = 'pending'",
                          soci::use(next_attempt_at), soci::use(e), soci::use(now), soci::use(id), soci::use(token));
    st.execute(true);
    if (st.get_affected_rows() != 1) return claim_lost();
    return Status::ok();
  });
}

Result<std::optional<InboxEntry>> SociInboxStore::find(std::int64_t id) {
  return guarded(tx_, "reading a webhook", [&]() -> Result<std::optional<InboxEntry>> {
    InboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kInboxColumns + " FROM " + tx_.table("webhook_inbox") +
                                " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<InboxEntry>();
    auto e = to_entry(tx_, r);
    if (!e) return e.status();
    return std::optional<InboxEntry>(std::move(e).value());
  });
}

Result<std::optional<InboxEntry>> SociInboxStore::find_by_msgid(const std::string& msgid) {
  return guarded(tx_, "reading a webhook", [&]() -> Result<std::optional<InboxEntry>> {
    InboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kInboxColumns + " FROM " + tx_.table("webhook_inbox") +
                                " WHERE msgid = :msgid",
         soci::use(msgid));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<InboxEntry>();
    auto e = to_entry(tx_, r);
    if (!e) return e.status();
    return std::optional<InboxEntry>(std::move(e).value());
  });
}

Result<std::vector<InboxEntry>> SociInboxStore::list(std::optional<InboxState> state, core::Page page) {
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "listing webhooks", [&]() -> Result<std::vector<InboxEntry>> {
    const std::string state_text = state ? core::to_string(*state) : "";
    InboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kInboxColumns + " FROM " + tx_.table("webhook_inbox") +
                                (state ? " WHERE state = :state" : "") +
                                " ORDER BY id DESC LIMIT :limit OFFSET :offset");
    if (state) p, soci::use(state_text);
    p, soci::use(checked->limit), soci::use(checked->offset);
    return fetch_all<InboxRow, InboxEntry>(tx_, p, r, to_entry);
  });
}

Result<InboxEntry> SociInboxStore::replay(std::int64_t id, core::UnixSeconds now) {
  auto found = find(id);
  if (!found) return found.status();
  if (!found->has_value())
    return Status::not_found("webhook_inbox_not_found", "There is no inbox delivery with that id.");
  if ((*found)->state != InboxState::kDead)
    return Status::failed_precondition("webhook_inbox_not_dead",
                                       "Only a dead-lettered delivery can be replayed; this one is " +
                                           std::string(core::to_string((*found)->state)) + ".");
  Status st = guarded(tx_, "replaying a webhook", [&]() -> Status {
    tx_.sql << "UPDATE " + tx_.table("webhook_inbox") +
                   " SET state = 'pending', attempts = 0, next_attempt_at = :now, claim_token = '',"
                   " claimed_until = 0, timemodified = :tm WHERE id = :id AND state = 'dead'",
        soci::use(now), soci::use(now), soci::use(id);
    return Status::ok();
  });
  if (!st) return st;
  auto after = find(id);
  if (!after) return after.status();
  if (!after->has_value()) return Status::internal("webhook_inbox_vanished", "The replayed delivery disappeared.");
  return **after;
}

Result<std::int64_t> SociInboxStore::purge(core::UnixSeconds before) {
  return guarded(tx_, "purging webhooks", [&]() -> Result<std::int64_t> {
    soci::statement st = (tx_.sql.prepare << "DELETE FROM " + tx_.table("webhook_inbox") +
                                                 " WHERE state IN ('done', 'ignored') AND timemodified < :before",
                          soci::use(before));
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

// ---- outbox ----

namespace {

constexpr const char* kOutboxColumns =
    "id, event_type, payload, state, attempts, next_attempt_at, deadline_at, last_status, last_error, "
    "delivered_at, timecreated, timemodified";

struct OutboxRow {
  std::int64_t id = 0;
  std::string event_type, payload, state;
  int attempts = 0;
  std::int64_t next_attempt_at = 0, deadline_at = 0;
  int last_status = 0;
  std::string last_error;
  std::int64_t delivered_at = 0, timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, OutboxRow& r) {
  p, soci::into(r.id), soci::into(r.event_type), soci::into(r.payload), soci::into(r.state), soci::into(r.attempts),
      soci::into(r.next_attempt_at), soci::into(r.deadline_at), soci::into(r.last_status), soci::into(r.last_error),
      soci::into(r.delivered_at), soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<OutboxEntry> to_outbox(const TxContext& tx, const OutboxRow& r) {
  OutboxEntry e;
  e.id = r.id;
  e.event_type = r.event_type;
  e.payload = r.payload;
  auto state = core::parse_outbox_state(r.state);
  if (!state) return stored_value_invalid(tx.table("webhook_outbox"), "state", r.state);
  e.state = *state;
  e.attempts = r.attempts;
  e.next_attempt_at = r.next_attempt_at;
  e.deadline_at = r.deadline_at;
  e.last_status = r.last_status;
  e.last_error = r.last_error;
  e.delivered_at = r.delivered_at;
  e.timecreated = r.timecreated;
  e.timemodified = r.timemodified;
  return e;
}

bool valid_event_type(const std::string& t) {
  if (t.empty() || t.size() > kMaxEventTypeLength) return false;
  if (t.front() == '.' || t.back() == '.') return false;
  for (char c : t)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.')) return false;
  return t.find('.') != std::string::npos;
}

}  // namespace

namespace {

constexpr std::size_t kMaxIdempotencyKeyLength = 200;

Status check_outbox_event(const std::string& event_type, const std::string& payload_json) {
  if (!valid_event_type(event_type))
    return Status::invalid("outbox_event_type_invalid",
                           "The event type must be dotted lower-case words of at most 64 bytes, e.g. "
                           "mentoring.enrolled.",
                           "event_type");
  // The payload is built by the plugin's own code with Boost.JSON; a cheap
  // shape check catches a caller passing something else without parsing here.
  if (payload_json.size() < 2 || payload_json.size() > kMaxPayloadBytes || payload_json.front() != '{' ||
      payload_json.back() != '}')
    return Status::invalid("outbox_payload_invalid", "The event payload must be a JSON object of at most 64 KiB.",
                           "payload");
  return Status::ok();
}

}  // namespace

Result<std::optional<OutboxEntry>> SociOutboxStore::append_once(const std::string& event_type,
                                                                const std::string& payload_json,
                                                                const std::string& idempotency_key,
                                                                core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(check_outbox_event(event_type, payload_json));
  bool key_ok = !idempotency_key.empty() && idempotency_key.size() <= kMaxIdempotencyKeyLength;
  for (char c : idempotency_key) key_ok = key_ok && c >= 0x21 && c <= 0x7E;
  if (!key_ok)
    return Status::invalid("outbox_idempotency_key_invalid",
                           "The idempotency key must be 1 to 200 printable ASCII characters.", "idempotency_key");
  return guarded(tx_, "queueing a webhook once", [&]() -> Result<std::optional<OutboxEntry>> {
    // The unique index on idempotency_key decides: ON CONFLICT DO NOTHING
    // returns no row for a key already queued, on both backends, without
    // aborting a PostgreSQL transaction.
    OutboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("webhook_outbox") +
                                " (event_type, payload, idempotency_key, state, attempts, next_attempt_at, deadline_at,"
                                " timecreated, timemodified) VALUES (:type, :payload, :key, 'pending', 0, :due, 0, :tc,"
                                " :tm) ON CONFLICT (idempotency_key) DO NOTHING RETURNING " +
                                kOutboxColumns,
         soci::use(event_type), soci::use(payload_json), soci::use(idempotency_key), soci::use(now), soci::use(now),
         soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<OutboxEntry>();
    auto e = to_outbox(tx_, r);
    if (!e) return e.status();
    return std::optional<OutboxEntry>(std::move(e).value());
  });
}

Result<OutboxEntry> SociOutboxStore::append(const std::string& event_type, const std::string& payload_json,
                                            core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(check_outbox_event(event_type, payload_json));
  return guarded(tx_, "queueing a webhook", [&]() -> Result<OutboxEntry> {
    OutboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("webhook_outbox") +
                                " (event_type, payload, state, attempts, next_attempt_at, deadline_at, timecreated,"
                                " timemodified) VALUES (:type, :payload, 'pending', 0, :due, 0, :tc, :tm) RETURNING " +
                                kOutboxColumns,
         soci::use(event_type), soci::use(payload_json), soci::use(now), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Queueing a webhook returned no row.");
    return to_outbox(tx_, r);
  });
}

Result<std::vector<OutboxEntry>> SociOutboxStore::claim_due(const std::string& token, core::UnixSeconds now,
                                                            std::int64_t lease_seconds, int limit) {
  return guarded(tx_, "claiming webhooks to send", [&]() -> Result<std::vector<OutboxEntry>> {
    const std::string table = tx_.table("webhook_outbox");
    claim_rows(tx_, table, "pending", "next_attempt_at, id", token, now, lease_seconds, limit);
    OutboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kOutboxColumns + " FROM " + table +
                                " WHERE claim_token = :token AND state = 'pending' ORDER BY id",
         soci::use(token));
    return fetch_all<OutboxRow, OutboxEntry>(tx_, p, r, to_outbox);
  });
}

Status SociOutboxStore::mark_delivered(std::int64_t id, const std::string& token, int http_status,
                                       core::UnixSeconds now) {
  return guarded(tx_, "recording a delivery", [&]() -> Status {
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("webhook_outbox") +
                                                 " SET state = 'delivered', attempts = attempts + 1,"
                                                 " last_status = :status, last_error = '', delivered_at = :at,"
                                                 " claim_token = '', claimed_until = 0, timemodified = :tm"
                                                 " WHERE id = :id AND claim_token = :token AND state = 'pending'",
                          soci::use(http_status), soci::use(now), soci::use(now), soci::use(id), soci::use(token));
    st.execute(true);
    if (st.get_affected_rows() != 1) return claim_lost();
    return Status::ok();
  });
}

Status SociOutboxStore::mark_failed(std::int64_t id, const std::string& token, int http_status,
                                    const std::string& error, core::UnixSeconds next_attempt_at, bool dead,
                                    core::UnixSeconds now) {
  return guarded(tx_, "recording a failed delivery", [&]() -> Status {
    const std::string state = dead ? "dead" : "pending";
    const std::string e = clip(error);
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("webhook_outbox") +
                                                 " SET state = :state, attempts = attempts + 1, last_status = :status,"
                                                 " last_error = :error, next_attempt_at = :next, claim_token = '',"
                                                 " claimed_until = 0, timemodified = :tm"
                                                 " WHERE id = :id AND claim_token = :token AND state = 'pending'",
                          soci::use(state), soci::use(http_status), soci::use(e), soci::use(next_attempt_at),
                          soci::use(now), soci::use(id), soci::use(token));
    st.execute(true);
    if (st.get_affected_rows() != 1) return claim_lost();
    return Status::ok();
  });
}

Result<std::optional<OutboxEntry>> SociOutboxStore::find(std::int64_t id) {
  return guarded(tx_, "reading a queued webhook", [&]() -> Result<std::optional<OutboxEntry>> {
    OutboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kOutboxColumns + " FROM " + tx_.table("webhook_outbox") +
                                " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<OutboxEntry>();
    auto e = to_outbox(tx_, r);
    if (!e) return e.status();
    return std::optional<OutboxEntry>(std::move(e).value());
  });
}

Result<std::vector<OutboxEntry>> SociOutboxStore::list(std::optional<OutboxState> state, core::Page page) {
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "listing queued webhooks", [&]() -> Result<std::vector<OutboxEntry>> {
    const std::string state_text = state ? core::to_string(*state) : "";
    OutboxRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kOutboxColumns + " FROM " + tx_.table("webhook_outbox") +
                                (state ? " WHERE state = :state" : "") +
                                " ORDER BY id DESC LIMIT :limit OFFSET :offset");
    if (state) p, soci::use(state_text);
    p, soci::use(checked->limit), soci::use(checked->offset);
    return fetch_all<OutboxRow, OutboxEntry>(tx_, p, r, to_outbox);
  });
}

Result<OutboxEntry> SociOutboxStore::retry(std::int64_t id, core::UnixSeconds deadline_at, core::UnixSeconds now) {
  auto found = find(id);
  if (!found) return found.status();
  if (!found->has_value())
    return Status::not_found("webhook_outbox_not_found", "There is no outgoing webhook with that id.");
  if ((*found)->state == OutboxState::kDelivered)
    return Status::failed_precondition("webhook_outbox_delivered", "This webhook has already been delivered.");
  Status st = guarded(tx_, "retrying a webhook", [&]() -> Status {
    tx_.sql << "UPDATE " + tx_.table("webhook_outbox") +
                   " SET state = 'pending', attempts = 0, next_attempt_at = :now, deadline_at = :deadline,"
                   " claim_token = '', claimed_until = 0, timemodified = :tm WHERE id = :id AND state <> 'delivered'",
        soci::use(now), soci::use(deadline_at), soci::use(now), soci::use(id);
    return Status::ok();
  });
  if (!st) return st;
  auto after = find(id);
  if (!after) return after.status();
  if (!after->has_value()) return Status::internal("webhook_outbox_vanished", "The retried webhook disappeared.");
  return **after;
}

Result<std::int64_t> SociOutboxStore::purge(core::UnixSeconds before) {
  return guarded(tx_, "purging delivered webhooks", [&]() -> Result<std::int64_t> {
    soci::statement st = (tx_.sql.prepare << "DELETE FROM " + tx_.table("webhook_outbox") +
                                                 " WHERE state = 'delivered' AND delivered_at < :before",
                          soci::use(before));
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

}  // namespace mentoring::storage
