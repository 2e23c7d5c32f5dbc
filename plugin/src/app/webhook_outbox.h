// Delivering the plugin's own events (core/events.h, outbound) to the host.
// Other features append rows with `stores.outbox.append(...)` inside the
// transaction that makes the change; this dispatcher sends them, signed, to
// the configured URL, retrying with exponential backoff and jitter until a
// deadline, after which a row is dead and waits for an administrator.
//
// Delivery is at least once: the row is marked delivered only after the host
// answered 2xx, so a crash in between sends it again with the same
// webhook-id, which the host deduplicates. Claims keep two instances from
// sending one row at the same time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/webhook_inbox.h"
#include "core/clock.h"
#include "core/stores.h"
#include "core/webhook_stores.h"

namespace mentoring::app {

// Sends one signed webhook. Implemented in adapters/webhook (libcurl).
class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  // POSTs `body` with webhook-id `msgid` and webhook-timestamp `timestamp`.
  // The HTTP status for any answer; unavailable "webhook_send_failed" when no
  // answer came (refused, timed out).
  virtual core::Result<int> send(const std::string& msgid, std::int64_t timestamp, const std::string& body) = 0;
};

struct OutboxSettings {
  // A row not delivered this long after it was queued goes dead. Default:
  // 72 hours.
  std::int64_t dead_after_seconds = 72 * 3600;
  // First retry delay, doubled each attempt up to retry_max_seconds, with
  // jitter. Defaults: 10 s, 3600 s.
  std::int64_t retry_base_seconds = 10;
  std::int64_t retry_max_seconds = 3600;
  // Must be longer than one send can take. Default: 120 s.
  std::int64_t lease_seconds = 120;
  int batch_size = 20;
  // Delivered rows are kept this long for the delivery log. Default: 30 days.
  std::int64_t retention_seconds = 30 * 86400;
};

// A number in [0, 1) for jitter.
using JitterSource = std::function<double()>;

// The body sent for an outbox row: the Standard Webhooks envelope
// {"type":...,"timestamp":...,"data":...}, the same bytes on every attempt.
std::string outbound_body(const core::OutboxEntry& entry);

class WebhookOutbox {
 public:
  // `sender` may be null (no target URL configured): nothing is sent and
  // rows wait.
  WebhookOutbox(core::Database& db, const core::Clock& clock, WebhookSender* sender, TokenSource tokens,
                JitterSource jitter, OutboxSettings settings);

  // Sends every due row once; returns how many were attempted.
  core::Result<int> dispatch_due();
  core::Result<std::vector<core::OutboxEntry>> list(std::optional<core::OutboxState> state, core::Page page);
  // Makes a pending or dead row due now with a fresh deadline.
  core::Result<core::OutboxEntry> retry(std::int64_t id);
  core::Result<std::int64_t> purge();

 private:
  core::Database& db_;
  const core::Clock& clock_;
  WebhookSender* sender_;
  TokenSource tokens_;
  JitterSource jitter_;
  OutboxSettings settings_;
};

}  // namespace mentoring::app
