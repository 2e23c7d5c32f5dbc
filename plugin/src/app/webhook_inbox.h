// The webhook inbox use cases: record a verified delivery (one transaction,
// committed before the host gets its 2xx), then apply it later, exactly once,
// with retries and a dead-letter state an administrator can inspect and
// replay.
//
// Exactly once: a worker claims a row (core/webhook_stores.h), and applies
// the event and marks the row done in ONE transaction whose final UPDATE
// names the claim token. If the process dies before the commit, nothing
// happened and the row's lease runs out so another worker takes it; if it
// dies after, the row is done and never taken again.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/account_events.h"
#include "core/clock.h"
#include "core/events.h"
#include "core/stores.h"
#include "core/webhook_stores.h"

namespace mentoring::app {

struct InboxSettings {
  // Failed attempts (store or database errors) before a delivery goes dead.
  // Default: 8.
  int max_attempts = 8;
  // First retry delay; doubled on each further attempt up to
  // retry_max_seconds. Defaults: 5 s, 3600 s.
  std::int64_t retry_base_seconds = 5;
  std::int64_t retry_max_seconds = 3600;
  // How long a claim lasts before another worker may take the row. Default: 60 s.
  std::int64_t lease_seconds = 60;
  // Rows claimed at a time. Default: 50.
  int batch_size = 50;
  // Done and ignored rows are kept this long so duplicates are recognised.
  // At least 7 days. Default: 30 days.
  std::int64_t retention_seconds = 30 * 86400;
};

// Decodes a stored body (it was checked at intake, so this fails only if the
// decoder changed in between).
using EventDecoder = std::function<core::Result<core::InboundEvent>(std::string_view body)>;
// A fresh random claim token (32 hex characters or so).
using TokenSource = std::function<std::string()>;

// Delay before attempt `attempt` + 1 (attempt >= 1): base * 2^(attempt-1),
// capped at max_seconds, then scaled by (0.5 + jitter/2) so that retries from
// many rows spread out. `jitter` is in [0, 1).
std::int64_t backoff_seconds(int attempt, std::int64_t base_seconds, std::int64_t max_seconds, double jitter);

class WebhookInbox {
 public:
  WebhookInbox(core::Database& db, const core::Clock& clock, EventDecoder decoder, TokenSource tokens,
               InboxSettings settings, EvaluationConsent consent = {});

  // Records a verified, decoded delivery under its webhook-id. True when it
  // is new, false for a duplicate (acknowledged and not recorded again).
  core::Result<bool> accept(const std::string& msgid, const core::InboundEvent& event, const std::string& body);

  // Applies every due delivery once; returns how many rows it finished or
  // rescheduled. Errors only for a failed claim.
  core::Result<int> process_due();

  core::Result<std::vector<core::InboxEntry>> list(std::optional<core::InboxState> state, core::Page page);
  core::Result<core::InboxEntry> replay(std::int64_t id);
  // Forgets done and ignored rows older than the retention period.
  core::Result<std::int64_t> purge();

  const InboxSettings& settings() const { return settings_; }

 private:
  void process_one(const core::InboxEntry& entry, const std::string& token);

  core::Database& db_;
  const core::Clock& clock_;
  EventDecoder decoder_;
  TokenSource tokens_;
  InboxSettings settings_;
  EvaluationConsent consent_;
};

}  // namespace mentoring::app
