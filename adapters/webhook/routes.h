// The webhook endpoints:
//
//   POST /api/v1/webhooks/inbound            the host's deliveries (Standard
//                                            Webhooks signature, no token)
//   GET  /api/v1/webhooks/inbox?state=dead   inbox log (service token)
//   POST /api/v1/webhooks/inbox/{id}/replay  dead delivery -> pending
//   GET  /api/v1/webhooks/outbox?state=...   delivery log (service token)
//   POST /api/v1/webhooks/outbox/{id}/retry  pending/dead event -> due now
//
// An inbound delivery is answered 200 only after it is committed to the
// inbox; duplicates get 200 too and change nothing. Anything refused
// (signature, timestamp, size, JSON, event type, fields) gets 4xx and changes
// nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/webhook/signature.h"
#include "app/webhook_inbox.h"
#include "app/webhook_outbox.h"
#include "core/clock.h"

namespace mentoring::webhook {

struct WebhookContext {
  app::WebhookInbox& inbox;
  app::WebhookOutbox& outbox;
  const core::Clock& clock;
  // The host's secrets; empty refuses every delivery (webhook_secret_missing).
  std::vector<WebhookSecret> inbound_secrets;
  VerifyOptions verify;
  // Bearer token for the log and replay endpoints; empty disables them.
  std::string service_token;
  // Called after a new delivery is committed, to wake the worker. May be empty.
  std::function<void()> on_accepted;
};

// `ctx` must outlive the router.
void add_webhook_routes(http::Router& router, const WebhookContext& ctx);

}  // namespace mentoring::webhook
