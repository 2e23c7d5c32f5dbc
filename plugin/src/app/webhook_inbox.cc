#include "app/webhook_inbox.h"

#include <algorithm>

#include "app/unit_of_work.h"

namespace mentoring::app {
using core::InboxEntry;
using core::InboxState;
using core::Result;
using core::Status;

std::int64_t backoff_seconds(int attempt, std::int64_t base_seconds, std::int64_t max_seconds, double jitter) {
  std::int64_t delay = std::max<std::int64_t>(base_seconds, 1);
  for (int i = 1; i < attempt && delay < max_seconds; ++i) delay *= 2;
  delay = std::min(delay, std::max<std::int64_t>(max_seconds, 1));
  jitter = std::clamp(jitter, 0.0, 1.0);
  const auto scaled = static_cast<std::int64_t>(static_cast<double>(delay) * (0.5 + jitter / 2));
  return std::max<std::int64_t>(scaled, 1);
}

WebhookInbox::WebhookInbox(core::Database& db, const core::Clock& clock, EventDecoder decoder, TokenSource tokens,
                           InboxSettings settings, EvaluationConsent consent)
    : db_(db),
      clock_(clock),
      decoder_(std::move(decoder)),
      tokens_(std::move(tokens)),
      settings_(settings),
      consent_(std::move(consent)) {}

Result<bool> WebhookInbox::accept(const std::string& msgid, const core::InboundEvent& event, const std::string& body) {
  return in_transaction<bool>(db_, [&](core::Stores& s) {
    return s.webhook_inbox.insert(msgid, core::to_string(event.type), event.occurred_at_ms, body, clock_.now());
  });
}

Result<int> WebhookInbox::process_due() {
  // The common case in ONE transaction: claim the due rows, apply each and
  // mark it finished, then a single commit (on SQLite with synchronous=FULL
  // each commit waits for the disk, and the acknowledgements of new
  // deliveries queue behind the worker's commits). The claim commits with the
  // effects, so it is as exclusive as a claim of its own: other instances
  // skip these rows (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer).
  // If anything fails, the whole transaction rolls back, claim included, and
  // the rows are claimed again and redone one by one, so one bad row cannot
  // hold the others back and each gets its own outcome.
  std::size_t count = 0;
  {
    const std::string token = tokens_();
    Status batch = db_.transact([&](core::Stores& s) -> Status {
      const core::UnixSeconds now = clock_.now();
      auto claimed = s.webhook_inbox.claim_due(token, now, settings_.lease_seconds, settings_.batch_size);
      if (!claimed) return claimed.status();
      count = claimed->size();
      for (const InboxEntry& entry : *claimed) {
        auto event = decoder_(entry.body);
        if (!event) return event.status();
        auto applied = apply_account_event(s, *event, consent_, now);
        if (!applied) return applied.status();
        const EventResult& r = *applied;
        const InboxState state = r.outcome == EventOutcome::kApplied   ? InboxState::kDone
                                 : r.outcome == EventOutcome::kIgnored ? InboxState::kIgnored
                                                                        : InboxState::kDead;
        const std::string note = r.reason.empty() ? "" : r.reason + ": " + r.message;
        MENTORING_RETURN_IF_ERROR(s.webhook_inbox.finish(entry.id, token, state, note, now));
      }
      return Status::ok();
    });
    if (batch.is_ok()) return static_cast<int>(count);
  }
  const std::string token = tokens_();
  auto claimed = in_transaction<std::vector<InboxEntry>>(db_, [&](core::Stores& s) {
    return s.webhook_inbox.claim_due(token, clock_.now(), settings_.lease_seconds, settings_.batch_size);
  });
  if (!claimed) return claimed.status();
  for (const InboxEntry& e : *claimed) process_one(e, token);
  return static_cast<int>(claimed->size());
}

void WebhookInbox::process_one(const InboxEntry& entry, const std::string& token) {
  auto event = decoder_(entry.body);
  EventResult result;
  Status failure;
  if (!event) {
    result = EventResult{EventOutcome::kDeadLetter, event.status().reason(), event.status().message()};
  } else {
    // Apply and mark done in one transaction. A dead letter decided by the
    // rules writes nothing but the row's state.
    failure = db_.transact([&](core::Stores& s) -> Status {
      const core::UnixSeconds now = clock_.now();
      auto applied = apply_account_event(s, *event, consent_, now);
      if (!applied) return applied.status();
      result = *applied;
      if (result.outcome == EventOutcome::kDeadLetter) return Status::ok();
      const InboxState state = result.outcome == EventOutcome::kApplied ? InboxState::kDone : InboxState::kIgnored;
      const std::string note = result.reason.empty() ? "" : result.reason + ": " + result.message;
      return s.webhook_inbox.finish(entry.id, token, state, note, now);
    });
    if (failure.is_ok() && result.outcome != EventOutcome::kDeadLetter) return;
  }

  // Either the rules dead-lettered the event, or applying it failed and the
  // transaction rolled back. Record that in a transaction of its own.
  Status recorded = db_.transact([&](core::Stores& s) -> Status {
    const core::UnixSeconds now = clock_.now();
    if (failure.is_ok())
      return s.webhook_inbox.finish(entry.id, token, InboxState::kDead, result.reason + ": " + result.message, now);
    if (failure.code() == core::Code::kConflict && failure.reason() == "webhook_claim_lost") return Status::ok();
    // Input problems will not go away by retrying; store and database
    // trouble may.
    const bool permanent = failure.code() == core::Code::kInvalidArgument ||
                           failure.code() == core::Code::kNotFound ||
                           failure.code() == core::Code::kFailedPrecondition ||
                           failure.code() == core::Code::kAlreadyExists;
    const std::string error = failure.reason() + ": " + failure.message();
    if (permanent || entry.attempts + 1 >= settings_.max_attempts)
      return s.webhook_inbox.finish(entry.id, token, InboxState::kDead, error, now);
    const double jitter = static_cast<double>(entry.id % 100) / 100.0;
    return s.webhook_inbox.retry_later(
        entry.id, token,
        now + backoff_seconds(entry.attempts + 1, settings_.retry_base_seconds, settings_.retry_max_seconds, jitter),
        error, now);
  });
  // If even that failed (database down), the lease runs out and the row is
  // claimed again later: nothing is lost.
  (void)recorded;
}

Result<std::vector<InboxEntry>> WebhookInbox::list(std::optional<InboxState> state, core::Page page) {
  return in_transaction<std::vector<InboxEntry>>(db_, [&](core::Stores& s) { return s.webhook_inbox.list(state, page); });
}

Result<InboxEntry> WebhookInbox::replay(std::int64_t id) {
  return in_transaction<InboxEntry>(db_, [&](core::Stores& s) { return s.webhook_inbox.replay(id, clock_.now()); });
}

Result<std::int64_t> WebhookInbox::purge() {
  return in_transaction<std::int64_t>(db_, [&](core::Stores& s) {
    return s.webhook_inbox.purge(clock_.now() - std::max<std::int64_t>(settings_.retention_seconds, 7 * 86400));
  });
}

}  // namespace mentoring::app
