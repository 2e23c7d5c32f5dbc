#include "adapters/webhook/service.h"

#include "adapters/webhook/event_codec.h"
#include "adapters/webhook/http_sender.h"

namespace mentoring::webhook {

namespace {

std::unique_ptr<app::WebhookSender> make_sender(const WebhookConfig& c) {
  if (c.target_url.empty() || c.outbound_secrets.empty()) return nullptr;
  return std::make_unique<CurlWebhookSender>(c.target_url, c.outbound_secrets, c.send_timeout_ms);
}

}  // namespace

WebhookService::WebhookService(core::Database& db, const core::Clock& clock, WebhookConfig config, LogFn log)
    : config_(std::move(config)),
      sender_(make_sender(config_)),
      inbox_(db, clock, decode_event, random_token, config_.inbox, app::recorded_evaluation_consent),
      outbox_(db, clock, sender_.get(), random_token, random_unit, config_.outbox) {
  ctx_ = std::make_unique<WebhookContext>(WebhookContext{inbox_, outbox_, clock, config_.inbound_secrets,
                                                         config_.verify, config_.service_token, nullptr});
  worker_ = std::make_unique<Worker>(inbox_, outbox_, config_.poll_interval_ms, std::move(log));
  ctx_->on_accepted = [w = worker_.get()] { w->wake(); };
}

WebhookService::~WebhookService() { stop_worker(); }

void WebhookService::add_routes(http::Router& router) { add_webhook_routes(router, *ctx_); }

void WebhookService::start_worker() { worker_->start(); }

void WebhookService::stop_worker() {
  if (worker_) worker_->stop();
}

}  // namespace mentoring::webhook
