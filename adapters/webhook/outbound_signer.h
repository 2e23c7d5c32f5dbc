// Headers for a webhook the plugin sends. Pure: the caller supplies the id
// (generated once per event and reused on every retry, so the receiver can
// deduplicate) and the timestamp of this attempt (fresh on every retry, so the
// receiver's replay window is measured from the attempt, not the event).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.h"
#include "adapters/webhook/signature.h"
#include "core/status.h"

namespace mentoring::webhook {

struct OutboundHeaders {
  std::string id;         // webhook-id
  std::string timestamp;  // webhook-timestamp, decimal seconds
  std::string signature;  // webhook-signature: "v1,<b64>[ v1,<b64>...]"

  // The three headers in the specification's order, names in lower case.
  std::vector<http::Header> to_list() const;
};

// Signs `body` once per secret, in the order given, and joins the signatures
// with single spaces. During a rotation pass {new, old}: receivers that
// already have the new secret and those that still have the old one both
// accept the message. Errors: webhook_secret_missing (no secrets),
// webhook_id_invalid, webhook_timestamp_invalid, webhook_hmac_failed.
core::Result<OutboundHeaders> sign_outbound(const std::vector<WebhookSecret>& secrets,
                                            std::string_view msg_id, std::int64_t timestamp,
                                            std::string_view body);

}  // namespace mentoring::webhook
