#include <boost/json.hpp>

#include "adapters/api/audit_api.h"
#include "adapters/api/audit_support.h"
#include "adapters/api/codec.h"
#include "adapters/http/json.h"
#include "core/date.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;

boost::json::object to_json(const core::AuditEntry& e) {
  json::object o;
  o["id"] = e.id;
  o["time"] = e.timecreated;
  if (e.actor.is_service())
    o["actorid"] = nullptr;
  else
    o["actorid"] = *e.actor.accountid;
  o["actor"] = e.actor.is_service() ? "service" : "account";
  o["action"] = core::to_string(e.action);
  o["entity"] = e.entity_type;
  o["entityid"] = e.entityid;
  o["summary"] = e.summary;
  return o;
}

namespace {

// ?from= and ?until= as Unix seconds or a YYYY-MM-DD day (midnight UTC).
Result<std::optional<core::UnixSeconds>> time_from_query(const http::Request& req, const char* name) {
  const std::string_view v = req.query_param(name);
  if (v.empty()) return std::optional<core::UnixSeconds>();
  if (auto day = core::Date::parse(v)) return std::optional<core::UnixSeconds>(day->days_since_epoch() * 86400);
  auto n = int_from_query(req, name);
  if (!n)
    return Status::invalid("audit_time_invalid",
                           std::string("The parameter '") + name + "' must be Unix seconds or a YYYY-MM-DD date.",
                           name);
  return *n;
}

Result<core::AuditFilter> filter_from_query(const http::Request& req) {
  core::AuditFilter f;
  if (req.has_query_param("entity")) f.entity_type = std::string(req.query_param("entity"));
  auto entityid = int_from_query(req, "entityid");
  if (!entityid) return entityid.status();
  f.entityid = *entityid;
  if (req.has_query_param("actor")) {
    auto actor = core::parse_actor(req.query_param("actor"));
    if (!actor)
      return Status::invalid("audit_actor_invalid", "The parameter 'actor' must be 'service' or an account id.",
                             "actor");
    f.actor = *actor;
  }
  if (req.has_query_param("action")) {
    auto action = core::parse_audit_action(req.query_param("action"));
    if (!action)
      return Status::invalid("audit_action_invalid",
                             "The parameter 'action' must be create, update, delete, import, export, "
                             "confidential_read or erase.",
                             "action");
    f.action = *action;
  }
  auto from = time_from_query(req, "from");
  if (!from) return from.status();
  f.from = *from;
  auto until = time_from_query(req, "until");
  if (!until) return until.status();
  f.until = *until;
  MENTORING_RETURN_IF_ERROR(core::validate(f));
  return f;
}

}  // namespace

void add_audit_routes(http::Router& router, const AuditApiContext& ctx) {
  add_service_route(router, ctx.service_token, "GET", "/api/v1/audit",
                    [&ctx](const http::Request& req, const http::PathParams&, const core::Actor&) {
                      auto filter = filter_from_query(req);
                      if (!filter) return http::error_response(filter.status());
                      auto page = page_from_query(req.query_param("limit"), req.query_param("offset"));
                      if (!page) return http::error_response(page.status());
                      auto result = ctx.audit.list(*filter, *page);
                      if (!result) return http::error_response(result.status());
                      json::array items;
                      for (const auto& e : result->entries) items.push_back(to_json(e));
                      return http::json_response(200, json::object{{"items", std::move(items)},
                                                                   {"total", result->total},
                                                                   {"limit", std::min(page->limit, core::kMaxPageSize)},
                                                                   {"offset", page->offset}});
                    });
}

}  // namespace mentoring::api
