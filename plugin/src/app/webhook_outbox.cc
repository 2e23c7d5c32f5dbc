#include "app/webhook_outbox.h"

#include "app/unit_of_work.h"
#include "core/events.h"

namespace mentoring::app {
using core::OutboxEntry;
using core::Result;
using core::Status;

std::string outbound_body(const OutboxEntry& e) {
  // event_type is restricted to [a-z0-9_.] by the store and the payload is a
  // JSON object written by the plugin, so plain concatenation is valid JSON.
  return "{\"type\":\"" + e.event_type + "\",\"timestamp\":\"" + core::format_rfc3339_ms(e.timecreated * 1000) +
         "\",\"data\":" + e.payload + "}";
}

WebhookOutbox::WebhookOutbox(core::Database& db, const core::Clock& clock, WebhookSender* sender, TokenSource tokens,
                             JitterSource jitter, OutboxSettings settings)
    : db_(db),
      clock_(clock),
      sender_(sender),
      tokens_(std::move(tokens)),
      jitter_(std::move(jitter)),
      settings_(settings) {}

Result<int> WebhookOutbox::dispatch_due() {
  if (!sender_) return 0;
  const std::string token = tokens_();
  auto claimed = in_transaction<std::vector<OutboxEntry>>(db_, [&](core::Stores& s) {
    return s.outbox.claim_due(token, clock_.now(), settings_.lease_seconds, settings_.batch_size);
  });
  if (!claimed) return claimed.status();
  for (const OutboxEntry& e : *claimed) {
    const std::string body = outbound_body(e);
    auto status = sender_->send(e.msgid(), clock_.now(), body);
    Status recorded = db_.transact([&](core::Stores& s) -> Status {
      const core::UnixSeconds now = clock_.now();
      if (status && *status >= 200 && *status < 300) return s.outbox.mark_delivered(e.id, token, *status, now);
      const int http_status = status ? *status : 0;
      const std::string error =
          status ? "http_status: The host answered HTTP " + std::to_string(*status) + "."
                 : status.status().reason() + ": " + status.status().message();
      const core::UnixSeconds deadline =
          e.deadline_at > 0 ? e.deadline_at : e.timecreated + settings_.dead_after_seconds;
      const core::UnixSeconds next =
          now + backoff_seconds(e.attempts + 1, settings_.retry_base_seconds, settings_.retry_max_seconds,
                                jitter_ ? jitter_() : 0.5);
      const bool dead = now >= deadline || next > deadline;
      return s.outbox.mark_failed(e.id, token, http_status, error, dead ? now : next, dead, now);
    });
    // A failed record (claim lost, database down) leaves the row pending: it
    // is sent again after the lease, with the same webhook-id.
    (void)recorded;
  }
  return static_cast<int>(claimed->size());
}

Result<std::vector<OutboxEntry>> WebhookOutbox::list(std::optional<core::OutboxState> state, core::Page page) {
  return in_transaction<std::vector<OutboxEntry>>(db_, [&](core::Stores& s) { return s.outbox.list(state, page); });
}

Result<OutboxEntry> WebhookOutbox::retry(std::int64_t id) {
  return in_transaction<OutboxEntry>(db_, [&](core::Stores& s) {
    const core::UnixSeconds now = clock_.now();
    return s.outbox.retry(id, now + settings_.dead_after_seconds, now);
  });
}

Result<std::int64_t> WebhookOutbox::purge() {
  return in_transaction<std::int64_t>(db_, [&](core::Stores& s) {
    return s.outbox.purge(clock_.now() - settings_.retention_seconds);
  });
}

}  // namespace mentoring::app
