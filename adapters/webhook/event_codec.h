// Decodes a verified webhook body into a core::InboundEvent. Runs only after
// the signature has been checked over the raw bytes (adapters/webhook/
// signature.h). The envelope is the Standard Webhooks one:
//
//   {"type": "account.updated", "timestamp": "2026-11-25T10:00:00.000Z",
//    "data": {"platform": "...", "subject": "...", ...}}
//
// Unknown keys are refused (a misspelt field would otherwise be silently
// dropped); docs/webhooks.md lists every event's fields.
#pragma once

#include <string>
#include <string_view>

#include "core/events.h"
#include "core/status.h"

namespace mentoring::webhook {

// Errors (all invalid_argument, field set to the JSON path):
//   webhook_body_invalid_json   not JSON, or nested deeper than 8 levels
//   webhook_body_not_object     the body or `data` is not an object
//   webhook_field_unknown       a key outside the envelope or the event's fields
//   webhook_field_invalid       a field of the wrong JSON type
//   webhook_field_required      a required field is missing
//   webhook_event_type_unknown  `type` is not in the catalogue
//   webhook_timestamp_field_invalid  `timestamp` is not an RFC 3339 UTC time
//   and the field rules of core::validate(InboundEvent).
core::Result<core::InboundEvent> decode_event(std::string_view body);

// Hex SHA-256 of "platform\nsubject": the key under which an erasure is
// remembered.
std::string subject_key(std::string_view platform, std::string_view subject);

}  // namespace mentoring::webhook
