// Everything webhooks need in one plugin instance: the inbox and outbox use
// cases, the sender, the routes and the background worker. The runtime
// creates one, adds its routes, and starts it; destroying it stops the
// worker after the row in hand.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/webhook/routes.h"
#include "adapters/webhook/signature.h"
#include "adapters/webhook/worker.h"
#include "app/webhook_inbox.h"
#include "app/webhook_outbox.h"

namespace mentoring::webhook {

struct WebhookConfig {
  std::vector<WebhookSecret> inbound_secrets;
  std::vector<WebhookSecret> outbound_secrets;
  std::string target_url;  // empty: nothing is sent
  std::string service_token;
  VerifyOptions verify;
  app::InboxSettings inbox;
  app::OutboxSettings outbox;
  long send_timeout_ms = 10000;
  int poll_interval_ms = 1000;
};

class WebhookService {
 public:
  using LogFn = std::function<void(int level, std::string_view line)>;
  // `db` and `clock` must outlive the service.
  WebhookService(core::Database& db, const core::Clock& clock, WebhookConfig config, LogFn log);
  ~WebhookService();

  // The routes of routes.h. The service must outlive the router.
  void add_routes(http::Router& router);
  void start_worker();
  void stop_worker();

  app::WebhookInbox& inbox() { return inbox_; }
  app::WebhookOutbox& outbox() { return outbox_; }

 private:
  WebhookConfig config_;
  std::unique_ptr<app::WebhookSender> sender_;
  app::WebhookInbox inbox_;
  app::WebhookOutbox outbox_;
  std::unique_ptr<WebhookContext> ctx_;
  std::unique_ptr<Worker> worker_;
};

}  // namespace mentoring::webhook
