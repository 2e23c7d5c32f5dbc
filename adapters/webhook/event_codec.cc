#include "adapters/webhook/event_codec.h"

#include <openssl/evp.h>

#include <boost/json.hpp>
#include <initializer_list>

namespace mentoring::webhook {
namespace json = boost::json;
using core::InboundEvent;
using core::InboundEventType;
using core::Result;
using core::Status;

namespace {

Status field_invalid(const std::string& path, const std::string& what) {
  return Status::invalid("webhook_field_invalid", "The field '" + path + "' must be " + what + ".", path);
}

Status check_keys(const json::object& o, std::initializer_list<const char*> allowed, const std::string& prefix) {
  for (const auto& kv : o) {
    bool ok = false;
    for (const char* a : allowed) ok = ok || kv.key() == a;
    if (!ok) {
      const std::string path = prefix + std::string(kv.key());
      return Status::invalid("webhook_field_unknown", "The field '" + path + "' is not part of this event.", path);
    }
  }
  return Status::ok();
}

Status read_text(const json::object& o, const char* key, std::string& out, bool required) {
  const std::string path = std::string("data.") + key;
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return Status::invalid("webhook_field_required", "The field '" + path + "' is required.", path);
    return Status::ok();
  }
  if (!v->is_string()) return field_invalid(path, "a string");
  out = std::string(v->as_string());
  if (required && out.empty())
    return Status::invalid("webhook_field_required", "The field '" + path + "' must not be empty.", path);
  return Status::ok();
}

Status read_day(const json::object& o, const char* key, std::optional<core::Date>& out, bool required) {
  std::string text;
  MENTORING_RETURN_IF_ERROR(read_text(o, key, text, required));
  if (text.empty()) return Status::ok();
  out = core::Date::parse(text);
  if (!out) return field_invalid(std::string("data.") + key, "a date written YYYY-MM-DD");
  return Status::ok();
}

}  // namespace

std::string subject_key(std::string_view platform, std::string_view subject) {
  std::string text(platform);
  text += '\n';
  text += subject;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr) != 1) return {};
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 15];
  }
  return out;
}

Result<InboundEvent> decode_event(std::string_view body) {
  json::parse_options popts;
  popts.max_depth = 8;
  boost::system::error_code ec;
  json::value root = json::parse(body, ec, {}, popts);
  if (ec)
    return Status::invalid("webhook_body_invalid_json", "The webhook body is not valid JSON (" + ec.message() + ").");
  if (!root.is_object()) return Status::invalid("webhook_body_not_object", "The webhook body must be a JSON object.");
  const json::object& env = root.as_object();
  MENTORING_RETURN_IF_ERROR(check_keys(env, {"type", "timestamp", "data"}, ""));

  const json::value* type = env.if_contains("type");
  if (!type) return Status::invalid("webhook_field_required", "The field 'type' is required.", "type");
  if (!type->is_string()) return field_invalid("type", "a string");
  auto parsed_type = core::parse_inbound_event_type(std::string_view(type->as_string()));
  if (!parsed_type)
    return Status::invalid("webhook_event_type_unknown",
                           "The event type '" + std::string(type->as_string()).substr(0, 64) +
                               "' is not one the plugin handles; see docs/webhooks.md for the catalogue.",
                           "type");

  const json::value* ts = env.if_contains("timestamp");
  if (!ts) return Status::invalid("webhook_field_required", "The field 'timestamp' is required.", "timestamp");
  std::optional<std::int64_t> ms;
  if (ts->is_string()) ms = core::parse_rfc3339_ms(std::string_view(ts->as_string()));
  if (!ms)
    return Status::invalid("webhook_timestamp_field_invalid",
                           "The field 'timestamp' must be an RFC 3339 UTC time such as 2026-11-25T10:00:00.000Z.",
                           "timestamp");

  const json::value* data_value = env.if_contains("data");
  if (!data_value) return Status::invalid("webhook_field_required", "The field 'data' is required.", "data");
  if (!data_value->is_object())
    return Status::invalid("webhook_body_not_object", "The field 'data' must be a JSON object.", "data");
  const json::object& data = data_value->as_object();

  InboundEvent e;
  e.type = *parsed_type;
  e.occurred_at_ms = *ms;
  switch (e.type) {
    case InboundEventType::kAccountCreated:
    case InboundEventType::kAccountUpdated: {
      MENTORING_RETURN_IF_ERROR(check_keys(data,
                                           {"platform", "subject", "name", "email", "gmc_number", "career_stage",
                                            "specialty", "programme", "site", "region"},
                                           "data."));
      MENTORING_RETURN_IF_ERROR(read_text(data, "name", e.account.name, false));
      MENTORING_RETURN_IF_ERROR(read_text(data, "email", e.account.email, false));
      MENTORING_RETURN_IF_ERROR(read_text(data, "gmc_number", e.account.gmc_number, false));
      std::string stage;
      MENTORING_RETURN_IF_ERROR(read_text(data, "career_stage", stage, false));
      if (!stage.empty()) {
        e.account.career_stage = core::parse_career_stage(stage);
        if (!e.account.career_stage)
          return Status::invalid("event_career_stage_invalid",
                                 "The field 'data.career_stage' must be a career stage such as fy1, ct2, st3, sas, "
                                 "consultant, gp or other.",
                                 "data.career_stage");
      }
      MENTORING_RETURN_IF_ERROR(read_text(data, "specialty", e.account.specialty, false));
      MENTORING_RETURN_IF_ERROR(read_text(data, "programme", e.account.programme, false));
      MENTORING_RETURN_IF_ERROR(read_text(data, "site", e.account.site, false));
      MENTORING_RETURN_IF_ERROR(read_text(data, "region", e.account.region, false));
      break;
    }
    case InboundEventType::kAccountSuspended:
    case InboundEventType::kAccountDeleted:
      MENTORING_RETURN_IF_ERROR(check_keys(data, {"platform", "subject"}, "data."));
      break;
    case InboundEventType::kPlacementChanged:
      MENTORING_RETURN_IF_ERROR(
          check_keys(data, {"platform", "subject", "site", "region", "specialty", "starts_on"}, "data."));
      MENTORING_RETURN_IF_ERROR(read_text(data, "site", e.placement.site, true));
      MENTORING_RETURN_IF_ERROR(read_text(data, "region", e.placement.region, false));
      MENTORING_RETURN_IF_ERROR(read_text(data, "specialty", e.placement.specialty, false));
      MENTORING_RETURN_IF_ERROR(read_day(data, "starts_on", e.placement.starts_on, false));
      break;
    case InboundEventType::kProgrammeEnrolmentChanged: {
      MENTORING_RETURN_IF_ERROR(check_keys(data, {"platform", "subject", "programme", "status"}, "data."));
      MENTORING_RETURN_IF_ERROR(read_text(data, "programme", e.programme.programme, true));
      std::string status;
      MENTORING_RETURN_IF_ERROR(read_text(data, "status", status, true));
      auto parsed = core::parse_programme_status(status);
      if (!parsed)
        return field_invalid("data.status", "one of enrolled, completed, withdrawn, out_of_programme");
      e.programme.status = *parsed;
      break;
    }
    case InboundEventType::kTrainingOutcomeRecorded: {
      MENTORING_RETURN_IF_ERROR(
          check_keys(data, {"platform", "subject", "outcome", "recorded_on", "programme"}, "data."));
      MENTORING_RETURN_IF_ERROR(read_text(data, "outcome", e.outcome.outcome, true));
      std::optional<core::Date> day;
      MENTORING_RETURN_IF_ERROR(read_day(data, "recorded_on", day, true));
      e.outcome.recorded_on = *day;
      MENTORING_RETURN_IF_ERROR(read_text(data, "programme", e.outcome.programme, false));
      break;
    }
  }
  MENTORING_RETURN_IF_ERROR(read_text(data, "platform", e.person.platform, true));
  MENTORING_RETURN_IF_ERROR(read_text(data, "subject", e.person.subject, true));
  MENTORING_RETURN_IF_ERROR(core::validate(e));
  e.person.subject_key = subject_key(e.person.platform, e.person.subject);
  return e;
}

}  // namespace mentoring::webhook
