// Storage ports for webhooks: the inbox of verified deliveries from the host,
// the outbox of the plugin's own events, and what host events change about a
// person (core/events.h).
//
// Inbox and outbox rows are claimed before they are worked on: a claim sets
// a random token and a lease end on rows that are due and not claimed (or
// whose lease ran out), so several plugin instances sharing one database
// never work on one row at the same time. Every later change of a claimed
// row names the token and fails with Conflict "webhook_claim_lost" when the
// row is no longer theirs, which rolls the whole unit of work back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/account.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"
#include "core/stores.h"

namespace mentoring::core {

enum class InboxState { kPending, kDone, kIgnored, kDead };
const char* to_string(InboxState s);  // "pending", "done", "ignored", "dead"
std::optional<InboxState> parse_inbox_state(std::string_view s);

struct InboxEntry {
  std::int64_t id = 0;
  std::string msgid;  // the sender's webhook-id
  std::string event_type;
  std::int64_t occurred_at_ms = 0;
  // The raw body as received. Emptied once the event is done or ignored:
  // what it said now lives in the tables it changed.
  std::string body;
  InboxState state = InboxState::kPending;
  int attempts = 0;
  UnixSeconds next_attempt_at = 0;
  std::string last_error;  // "reason: message" of the last failure or why it was ignored
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

class InboxStore {
 public:
  virtual ~InboxStore() = default;
  // Records a verified delivery as pending, due now. False (and nothing
  // written) when `msgid` is already in the inbox: a duplicate.
  virtual Result<bool> insert(const std::string& msgid, const std::string& event_type, std::int64_t occurred_at_ms,
                              const std::string& body, UnixSeconds now) = 0;
  // Claims up to `limit` pending rows due at `now`, oldest event first,
  // until now + lease_seconds.
  virtual Result<std::vector<InboxEntry>> claim_due(const std::string& token, UnixSeconds now,
                                                    std::int64_t lease_seconds, int limit) = 0;
  // Ends a claimed row in `state` (done, ignored or dead) with `note`.
  virtual Status finish(std::int64_t id, const std::string& token, InboxState state, const std::string& note,
                        UnixSeconds now) = 0;
  // Counts a failed attempt and makes the row due again at `next_attempt_at`.
  virtual Status retry_later(std::int64_t id, const std::string& token, UnixSeconds next_attempt_at,
                             const std::string& error, UnixSeconds now) = 0;
  virtual Result<std::optional<InboxEntry>> find(std::int64_t id) = 0;
  virtual Result<std::optional<InboxEntry>> find_by_msgid(const std::string& msgid) = 0;
  // Newest first.
  virtual Result<std::vector<InboxEntry>> list(std::optional<InboxState> state, Page page) = 0;
  // A dead row becomes pending and due now, with its attempts reset.
  // NotFound "webhook_inbox_not_found"; FailedPrecondition
  // "webhook_inbox_not_dead" for a row in any other state.
  virtual Result<InboxEntry> replay(std::int64_t id, UnixSeconds now) = 0;
  // Deletes done and ignored rows last changed before `before`; returns how many.
  virtual Result<std::int64_t> purge(UnixSeconds before) = 0;
};

enum class OutboxState { kPending, kDelivered, kDead };
const char* to_string(OutboxState s);  // "pending", "delivered", "dead"
std::optional<OutboxState> parse_outbox_state(std::string_view s);

struct OutboxEntry {
  std::int64_t id = 0;
  std::string event_type;
  std::string payload;  // the event's `data` object, JSON
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  UnixSeconds next_attempt_at = 0;
  // No attempt starts after this: the row goes dead. 0 until an
  // administrator retries the row: the dispatcher then uses timecreated plus
  // its configured limit.
  UnixSeconds deadline_at = 0;
  int last_status = 0;          // HTTP status of the last attempt, 0 for none or no answer
  std::string last_error;
  UnixSeconds delivered_at = 0;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;

  // The webhook-id sent on every attempt: "msg_<id>_<timecreated>", so a
  // database restored from a backup does not reuse the ids of events the host
  // has already seen.
  std::string msgid() const { return "msg_" + std::to_string(id) + "_" + std::to_string(timecreated); }
};

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;
  // Adds an event to send, due now, in the caller's transaction: it is sent
  // only if the change it describes commits. `event_type` is one of
  // core/events.h's outbound names (or another dotted lower-case name of at
  // most 64 bytes); `payload_json` the JSON object for `data`, at most
  // 64 KiB. Errors: outbox_event_type_invalid, outbox_payload_invalid.
  virtual Result<OutboxEntry> append(const std::string& event_type, const std::string& payload_json,
                                     UnixSeconds now) = 0;
  // As append, for an event the host must hear of once: at most one row
  // with `idempotency_key` (1 to 200 printable ASCII characters, else
  // outbox_idempotency_key_invalid) is ever queued, enforced by a unique
  // index. Returns nullopt, and writes nothing, when a row with the key is
  // already in the outbox. On PostgreSQL a transaction queueing a key that
  // another open transaction has just queued waits for it: when that one
  // commits this one writes nothing; when it rolls back this one queues it.
  // Keys of delivered rows go with them when purge() removes them, so callers
  // keep their own durable record where a repeat must never happen.
  virtual Result<std::optional<OutboxEntry>> append_once(const std::string& event_type,
                                                         const std::string& payload_json,
                                                         const std::string& idempotency_key, UnixSeconds now) = 0;
  virtual Result<std::vector<OutboxEntry>> claim_due(const std::string& token, UnixSeconds now,
                                                     std::int64_t lease_seconds, int limit) = 0;
  virtual Status mark_delivered(std::int64_t id, const std::string& token, int http_status, UnixSeconds now) = 0;
  // Records a failed attempt: the row is due again at `next_attempt_at`, or
  // dead when `dead`.
  virtual Status mark_failed(std::int64_t id, const std::string& token, int http_status, const std::string& error,
                             UnixSeconds next_attempt_at, bool dead, UnixSeconds now) = 0;
  virtual Result<std::optional<OutboxEntry>> find(std::int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<OutboxEntry>> list(std::optional<OutboxState> state, Page page) = 0;
  // A pending or dead row becomes due now, its attempts reset and its
  // deadline moved to `deadline_at`. NotFound "webhook_outbox_not_found";
  // FailedPrecondition "webhook_outbox_delivered".
  virtual Result<OutboxEntry> retry(std::int64_t id, UnixSeconds deadline_at, UnixSeconds now) = 0;
  // Deletes delivered rows delivered before `before`; returns how many.
  virtual Result<std::int64_t> purge(UnixSeconds before) = 0;
};

// What the host said about a person that the core tables have no column for.
struct HostAccountData {
  std::int64_t accountid = 0;
  // Timestamp of the newest event applied for this person: older ones are
  // ignored.
  std::int64_t last_event_ms = 0;
  std::string gmc_number;
  std::string career_stage;  // core::to_string(CareerStage) or empty
  std::string specialty;
  std::string programme;
  std::string programme_status;  // core::to_string(ProgrammeStatus) or empty
  std::string site;
  std::string region;
  std::string placement_starts_on;  // YYYY-MM-DD or empty
};

struct StoredTrainingOutcome {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  std::string outcome;
  Date recorded_on;
  std::string programme;
};

class HostAccountStore {
 public:
  virtual ~HostAccountStore() = default;
  virtual Result<std::optional<HostAccountData>> find(std::int64_t accountid) = 0;
  // Inserts or replaces. NotFound "account_not_found".
  virtual Status save(const HostAccountData& data, UnixSeconds now) = 0;
  // NotFound "account_not_found".
  virtual Status set_account_status(std::int64_t accountid, AccountStatus status, UnixSeconds now) = 0;
  // Erases a person as docs/privacy.md says: the account row stays (so
  // enrolment counts still add up) with its name, email and subject replaced
  // and its status suspended; profiles, sessions, training and CPD records,
  // governance assignments, roster rows, evaluation consent, demographic and
  // GMC rows, host data and training outcomes are deleted. Outbox payloads
  // naming the person get the subject replaced, and dead inbox deliveries
  // about them are emptied and closed. Meant to run before
  // PrivacyStore::erase (it finds webhook rows by the subject that erasure
  // replaces); every step is safe to repeat. NotFound "account_not_found".
  virtual Status erase_person(std::int64_t accountid, UnixSeconds now) = 0;
  // The timestamp of the account.deleted event applied for `subject_key`.
  virtual Result<std::optional<std::int64_t>> erased_at(const std::string& subject_key) = 0;
  virtual Status record_erasure(const std::string& subject_key, std::int64_t event_ms, UnixSeconds now) = 0;
  // NotFound "account_not_found".
  virtual Result<StoredTrainingOutcome> add_training_outcome(const StoredTrainingOutcome& outcome,
                                                            UnixSeconds now) = 0;
  virtual Result<std::vector<StoredTrainingOutcome>> list_training_outcomes(std::int64_t accountid) = 0;
};

}  // namespace mentoring::core
