#include "adapters/webhook/routes.h"

#include <openssl/crypto.h>

#include <boost/json.hpp>
#include <charconv>

#include "adapters/http/json.h"
#include "adapters/webhook/event_codec.h"
#include "core/events.h"

namespace mentoring::webhook {
namespace json = boost::json;
using core::Status;

namespace {

Status check_service_token(const WebhookContext& ctx, const http::Request& req) {
  if (ctx.service_token.empty())
    return Status::unauthenticated("api_disabled", "The API is not enabled: set api.service_token.");
  std::string_view auth = req.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer)
    return Status::unauthenticated("api_token_missing", "Send the service token as 'Authorization: Bearer <token>'.");
  std::string_view token = auth.substr(kBearer.size());
  if (token.size() != ctx.service_token.size() ||
      CRYPTO_memcmp(token.data(), ctx.service_token.data(), token.size()) != 0)
    return Status::unauthenticated("api_token_invalid", "The service token is not valid.");
  return Status::ok();
}

core::Result<core::Page> read_page(const http::Request& req) {
  core::Page page;
  auto read = [&](const char* name, std::int64_t& out, std::int64_t lo, std::int64_t hi) -> Status {
    if (!req.has_query_param(name)) return Status::ok();
    std::string_view v = req.query_param(name);
    std::int64_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size() || n < lo || n > hi)
      return Status::invalid("query_parameter_invalid",
                             std::string("The query parameter '") + name + "' must be a whole number from " +
                                 std::to_string(lo) + " to " + std::to_string(hi) + ".",
                             name);
    out = n;
    return Status::ok();
  };
  MENTORING_RETURN_IF_ERROR(read("limit", page.limit, 1, core::kMaxPageSize));
  MENTORING_RETURN_IF_ERROR(read("offset", page.offset, 0, INT64_MAX));
  return page;
}

json::object inbox_json(const core::InboxEntry& e) {
  return json::object{{"id", e.id},
                      {"webhook_id", e.msgid},
                      {"type", e.event_type},
                      {"timestamp", core::format_rfc3339_ms(e.occurred_at_ms)},
                      {"state", core::to_string(e.state)},
                      {"attempts", e.attempts},
                      {"next_attempt_at", e.next_attempt_at},
                      {"last_error", e.last_error},
                      {"body", e.body},
                      {"timecreated", e.timecreated},
                      {"timemodified", e.timemodified}};
}

json::object outbox_json(const core::OutboxEntry& e) {
  json::object o{{"id", e.id},
                 {"webhook_id", e.msgid()},
                 {"type", e.event_type},
                 {"state", core::to_string(e.state)},
                 {"attempts", e.attempts},
                 {"next_attempt_at", e.next_attempt_at},
                 {"deadline_at", e.deadline_at},
                 {"last_status", e.last_status},
                 {"last_error", e.last_error},
                 {"delivered_at", e.delivered_at},
                 {"timecreated", e.timecreated},
                 {"timemodified", e.timemodified}};
  boost::system::error_code ec;
  json::value payload = json::parse(e.payload, ec);
  o["data"] = ec ? json::value(e.payload) : payload;
  return o;
}

http::Response inbound(const WebhookContext& ctx, const http::Request& req) {
  // Signature first, over the raw bytes; nothing is parsed before it passes.
  auto headers = headers_from(req);
  if (!headers) return http::error_response(headers.status());
  Status verified = verify(ctx.inbound_secrets, *headers, req.body, ctx.clock.now(), ctx.verify);
  if (!verified) return http::error_response(verified);
  auto event = decode_event(req.body);
  if (!event) return http::error_response(event.status());
  auto accepted = ctx.inbox.accept(std::string(headers->id), *event, req.body);
  if (!accepted) return http::error_response(accepted.status());
  if (*accepted && ctx.on_accepted) ctx.on_accepted();
  return http::json_response(200, json::object{{"status", *accepted ? "accepted" : "duplicate"}});
}

}  // namespace

void add_webhook_routes(http::Router& router, const WebhookContext& ctx) {
  const WebhookContext* c = &ctx;
  (void)router.add("POST", "/api/v1/webhooks/inbound",
                   [c](const http::Request& req, const http::PathParams&) { return inbound(*c, req); });

  (void)router.add("GET", "/api/v1/webhooks/inbox", [c](const http::Request& req, const http::PathParams&) {
    if (Status st = check_service_token(*c, req); !st) return http::error_response(st);
    std::optional<core::InboxState> state;
    if (req.has_query_param("state")) {
      state = core::parse_inbox_state(req.query_param("state"));
      if (!state)
        return http::error_response(Status::invalid(
            "query_parameter_invalid", "The query parameter 'state' must be pending, done, ignored or dead.",
            "state"));
    }
    auto page = read_page(req);
    if (!page) return http::error_response(page.status());
    auto rows = c->inbox.list(state, *page);
    if (!rows) return http::error_response(rows.status());
    json::array items;
    for (const auto& e : *rows) items.push_back(inbox_json(e));
    return http::json_response(200, json::object{{"items", std::move(items)}});
  });

  (void)router.add("POST", "/api/v1/webhooks/inbox/{id}/replay",
                   [c](const http::Request& req, const http::PathParams& params) {
                     if (Status st = check_service_token(*c, req); !st) return http::error_response(st);
                     auto id = params.get_int64("id");
                     if (!id) return http::error_response(id.status());
                     auto row = c->inbox.replay(*id);
                     if (!row) return http::error_response(row.status());
                     if (c->on_accepted) c->on_accepted();
                     return http::json_response(200, inbox_json(*row));
                   });

  (void)router.add("GET", "/api/v1/webhooks/outbox", [c](const http::Request& req, const http::PathParams&) {
    if (Status st = check_service_token(*c, req); !st) return http::error_response(st);
    std::optional<core::OutboxState> state;
    if (req.has_query_param("state")) {
      state = core::parse_outbox_state(req.query_param("state"));
      if (!state)
        return http::error_response(Status::invalid(
            "query_parameter_invalid", "The query parameter 'state' must be pending, delivered or dead.", "state"));
    }
    auto page = read_page(req);
    if (!page) return http::error_response(page.status());
    auto rows = c->outbox.list(state, *page);
    if (!rows) return http::error_response(rows.status());
    json::array items;
    for (const auto& e : *rows) items.push_back(outbox_json(e));
    return http::json_response(200, json::object{{"items", std::move(items)}});
  });

  (void)router.add("POST", "/api/v1/webhooks/outbox/{id}/retry",
                   [c](const http::Request& req, const http::PathParams& params) {
                     if (Status st = check_service_token(*c, req); !st) return http::error_response(st);
                     auto id = params.get_int64("id");
                     if (!id) return http::error_response(id.status());
                     auto row = c->outbox.retry(*id);
                     if (!row) return http::error_response(row.status());
                     if (c->on_accepted) c->on_accepted();
                     return http::json_response(200, outbox_json(*row));
                   });
}

}  // namespace mentoring::webhook
