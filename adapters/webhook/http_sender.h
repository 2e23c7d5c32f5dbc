// Sends the plugin's webhooks to the host with libcurl: a POST of the exact
// body, signed with Standard Webhooks headers (outbound_signer.h).
#pragma once

#include <string>
#include <vector>

#include "adapters/webhook/signature.h"
#include "app/webhook_outbox.h"

namespace mentoring::webhook {

// Follows no redirects, verifies TLS certificates and host names, reads at
// most 64 KiB of the answer and gives up after `timeout_ms`. Thread-safe.
class CurlWebhookSender final : public app::WebhookSender {
 public:
  CurlWebhookSender(std::string url, std::vector<WebhookSecret> secrets, long timeout_ms);
  core::Result<int> send(const std::string& msgid, std::int64_t timestamp, const std::string& body) override;

 private:
  std::string url_;
  std::vector<WebhookSecret> secrets_;
  long timeout_ms_;
};

}  // namespace mentoring::webhook
