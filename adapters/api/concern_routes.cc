#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/concern_api.h"
#include "adapters/api/json_fields.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

json::value time_or_null(const std::optional<core::UnixSeconds>& t) {
  return t ? json::value(*t) : json::value(nullptr);
}

// `with_text` is false for staff queues: they list concerns without the text.
json::object to_json(const core::Concern& c, bool with_text) {
  json::object o{{"id", c.id},
                 {"schemeid", c.schemeid},
                 {"cohortid", c.cohortid},
                 {"pairingid", c.pairingid},
                 {"raised_by", c.raised_by},
                 {"raiser_role", core::to_string(c.raiser_role)},
                 {"routed_to", c.routed_to},
                 {"category", core::to_string(c.category)},
                 {"urgency", core::to_string(c.urgency)},
                 {"state", core::to_string(c.state)},
                 {"outcome", c.outcome ? json::value(core::to_string(*c.outcome)) : json::value(nullptr)},
                 {"acknowledged_at", time_or_null(c.acknowledged_at)},
                 {"escalated_at", time_or_null(c.escalated_at)},
                 {"resolved_at", time_or_null(c.resolved_at)},
                 {"timecreated", c.timecreated},
                 {"timemodified", c.timemodified}};
  if (with_text) o["text"] = c.text;
  return o;
}

const char* viewer_name(core::ConcernViewer v) {
  switch (v) {
    case core::ConcernViewer::kRaiser: return "raiser";
    case core::ConcernViewer::kPointOfContact: return "point_of_contact";
    case core::ConcernViewer::kSchemeLead: return "scheme_lead";
    case core::ConcernViewer::kNone: break;
  }
  return "none";
}

Response view_response(const Result<app::ConcernView>& v, int status = 200) {
  if (!v) return http::error_response(v.status());
  json::array history;
  for (const core::ConcernAction& a : v->history)
    history.push_back(json::object{{"id", a.id},
                                   {"accountid", a.accountid},
                                   {"kind", core::to_string(a.kind)},
                                   {"text", a.text},
                                   {"timecreated", a.timecreated}});
  json::object o = to_json(v->concern, true);
  o["history"] = std::move(history);
  o["viewer"] = viewer_name(v->viewer);
  return http::json_response(status, o);
}

// {"note": "..."} (optional) and, for resolve, "outcome".
struct ActionBody {
  std::string note;
  core::ConcernOutcome outcome = core::ConcernOutcome::kResolved;
};

Result<ActionBody> action_body(const Request& req, bool with_outcome) {
  ActionBody b;
  // An empty body is an action without a note.
  if (req.body.empty() && !with_outcome) return b;
  auto body = http::parse_json_object_body(req, 2);
  if (!body) return body.status();
  if (with_outcome) {
    MENTORING_RETURN_IF_ERROR(unknown_fields(*body, {"note", "outcome"}));
    MENTORING_RETURN_IF_ERROR(read_enum(*body, "outcome", b.outcome, core::parse_concern_outcome,
                                        "concern_outcome_invalid",
                                        "one of resolved, rematch, signposted, withdrawn", true));
  } else {
    MENTORING_RETURN_IF_ERROR(unknown_fields(*body, {"note"}));
  }
  MENTORING_RETURN_IF_ERROR(read_string(*body, "note", b.note));
  return b;
}

using Action = std::function<Result<app::ConcernView>(std::int64_t account, std::int64_t id, const ActionBody&)>;

void add_action(http::Router& router, const ConcernApiContext& ctx, const char* pattern, bool with_outcome,
                Action action) {
  add_service_route(router, ctx.service_token, "POST", pattern,
                    [action, with_outcome](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = action_body(req, with_outcome);
                      if (!body) return http::error_response(body.status());
                      return view_response(action(*account, *id, *body));
                    });
}

}  // namespace

Result<std::int64_t> acting_account(const core::Actor& actor) {
  if (actor.is_service())
    return Status::invalid("actor_required",
                           std::string("Name the person the call is made for in the ") + kActorHeader + " header.",
                           kActorHeader);
  return *actor.accountid;
}

void add_concern_routes(http::Router& router, const ConcernApiContext& ctx) {
  auto& svc = ctx.concerns;
  add_service_route(router, ctx.service_token, "POST", "/api/v1/concerns",
                    [&svc](const Request& req, const PathParams&, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      core::ConcernInput in;
                      Status st = unknown_fields(*body, {"pairingid", "category", "urgency", "text"});
                      if (st) st = read_int64(*body, "pairingid", in.pairingid, true);
                      if (st)
                        st = read_enum(*body, "category", in.category, core::parse_concern_category,
                                       "concern_category_invalid",
                                       "one of meetings, personality_fit, conduct, wellbeing, other", true);
                      if (st)
                        st = read_enum(*body, "urgency", in.urgency, core::parse_concern_urgency,
                                       "concern_urgency_invalid", "one of routine, soon, urgent");
                      if (st) st = read_string(*body, "text", in.text, true);
                      if (!st) return http::error_response(st);
                      auto raised = svc.raise(*account, in);
                      if (!raised) return http::error_response(raised.status());
                      return http::json_response(201, to_json(*raised, true));
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/concerns",
                    [&svc](const Request&, const PathParams&, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto mine = svc.mine(*account);
                      if (!mine) return http::error_response(mine.status());
                      json::array items;
                      for (const core::Concern& c : *mine) items.push_back(to_json(c, true));
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/concerns/{id}",
                    [&svc](const Request&, const PathParams& p, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      return view_response(svc.view(*account, *id));
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/schemes/{id}/concerns",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto limit = int_from_query(req, "limit");
                      if (!limit) return http::error_response(limit.status());
                      auto offset = int_from_query(req, "offset");
                      if (!offset) return http::error_response(offset.status());
                      const std::string_view state = req.query_param("state");
                      if (!state.empty() && state != "open" && state != "all")
                        return http::error_response(
                            Status::invalid("concern_filter_invalid", "The parameter 'state' must be open or all.",
                                            "state"));
                      core::Page page{limit->value_or(50), offset->value_or(0)};
                      auto q = svc.queue(*account, *id, state != "all", page);
                      if (!q) return http::error_response(q.status());
                      json::array items;
                      for (const core::Concern& c : q->concerns) items.push_back(to_json(c, false));
                      return http::json_response(
                          200, json::object{{"items", std::move(items)}, {"total", q->total}, {"viewer", viewer_name(q->viewer)}});
                    });
  add_action(router, ctx, "/api/v1/concerns/{id}/acknowledge", false,
             [&svc](std::int64_t a, std::int64_t id, const ActionBody& b) { return svc.acknowledge(a, id, b.note); });
  add_action(router, ctx, "/api/v1/concerns/{id}/notes", false,
             [&svc](std::int64_t a, std::int64_t id, const ActionBody& b) { return svc.add_note(a, id, b.note); });
  add_action(router, ctx, "/api/v1/concerns/{id}/escalate", false,
             [&svc](std::int64_t a, std::int64_t id, const ActionBody& b) { return svc.escalate(a, id, b.note); });
  add_action(router, ctx, "/api/v1/concerns/{id}/resolve", true, [&svc](std::int64_t a, std::int64_t id,
                                                                        const ActionBody& b) {
    return svc.resolve(a, id, b.outcome, b.note);
  });
}

}  // namespace mentoring::api
