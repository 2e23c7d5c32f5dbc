#include "adapters/webhook/outbound_signer.h"

namespace mentoring::webhook {

std::vector<http::Header> OutboundHeaders::to_list() const {
  return {{std::string(kIdHeader), id},
          {std::string(kTimestampHeader), timestamp},
          {std::string(kSignatureHeader), signature}};
}

core::Result<OutboundHeaders> sign_outbound(const std::vector<WebhookSecret>& secrets,
                                            std::string_view msg_id, std::int64_t timestamp,
                                            std::string_view body) {
  if (secrets.empty())
    return core::Status::failed_precondition("webhook_secret_missing",
                                             "No webhook secret is configured for this host.");
  OutboundHeaders out;
  out.id = std::string(msg_id);
  out.timestamp = std::to_string(timestamp);
  for (const WebhookSecret& secret : secrets) {
    core::Result<std::string> signature = sign(secret, msg_id, timestamp, body);
    if (!signature) return signature.status();
    if (!out.signature.empty()) out.signature += ' ';
    out.signature += *signature;
  }
  return out;
}

}  // namespace mentoring::webhook
