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

json::object answers_json(const core::CheckinAnswers& a) {
  return json::object{{"working", core::to_string(a.working)},
                      {"frequency", core::to_string(a.frequency)},
                      {"goals_progress", a.goals_progress},
                      {"would_continue", core::to_string(a.would_continue)},
                      {"comments", a.comments}};
}

json::object to_json(const core::CheckinResponse& r) {
  return json::object{{"id", r.id},
                      {"pairingid", r.pairingid},
                      {"cohortid", r.cohortid},
                      {"accountid", r.accountid},
                      {"role", core::to_string(r.role)},
                      {"phase", core::to_string(r.phase)},
                      {"answers", answers_json(r.answers)},
                      {"timecreated", r.timecreated},
                      {"timemodified", r.timemodified}};
}

json::object to_json(const app::CheckinDue& d) {
  return json::object{{"pairingid", d.pairing.id},
                      {"cohortid", d.cohort.id},
                      {"role", core::to_string(d.role)},
                      {"phase", core::to_string(d.phase)},
                      {"opens_on", d.window.opens_on.to_string()},
                      {"due_on", d.window.due_on.to_string()},
                      {"closes_on", d.window.closes_on.to_string()},
                      {"open", d.open},
                      {"overdue", d.overdue},
                      {"response", d.response ? json::value(to_json(*d.response)) : json::value(nullptr)}};
}

Result<core::CheckinAnswers> answers_from_json(const json::object& body) {
  core::CheckinAnswers a;
  MENTORING_RETURN_IF_ERROR(
      unknown_fields(body, {"working", "frequency", "goals_progress", "would_continue", "comments"}));
  MENTORING_RETURN_IF_ERROR(read_enum(body, "working", a.working, core::parse_checkin_working,
                                      "checkin_working_invalid", "one of yes, partly, no", true));
  MENTORING_RETURN_IF_ERROR(read_enum(body, "frequency", a.frequency, core::parse_checkin_frequency,
                                      "checkin_frequency_invalid",
                                      "one of weekly, fortnightly, monthly, less_often, not_met", true));
  MENTORING_RETURN_IF_ERROR(read_int(body, "goals_progress", a.goals_progress, true));
  MENTORING_RETURN_IF_ERROR(read_enum(body, "would_continue", a.would_continue, core::parse_would_continue,
                                      "checkin_would_continue_invalid", "one of yes, unsure, no", true));
  MENTORING_RETURN_IF_ERROR(read_string(body, "comments", a.comments));
  return a;
}

// {"yes": 12, "partly": null, ...} with a null for each withheld cell.
json::object counts_json(const core::evaluation::PublishedCounts& c) {
  json::object o;
  for (std::size_t i = 0; i < c.labels.size() && i < c.cells.size(); ++i)
    o[c.labels[i]] = c.cells[i].value ? json::value(*c.cells[i].value) : json::value(nullptr);
  return o;
}

}  // namespace

void add_checkin_routes(http::Router& router, const ConcernApiContext& ctx) {
  auto& svc = ctx.checkins;
  add_service_route(router, ctx.service_token, "GET", "/api/v1/checkins",
                    [&svc](const Request&, const PathParams&, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto due = svc.due_for(*account);
                      if (!due) return http::error_response(due.status());
                      json::array items;
                      for (const app::CheckinDue& d : *due) items.push_back(to_json(d));
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
  add_service_route(router, ctx.service_token, "PUT", "/api/v1/pairings/{id}/checkins/{phase}",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto account = acting_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto phase = core::parse_checkin_phase(p.get("phase"));
                      if (!phase)
                        return http::error_response(Status::not_found(
                            "checkin_phase_not_found", "There are midpoint and end check-ins only."));
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      auto answers = answers_from_json(*body);
                      if (!answers) return http::error_response(answers.status());
                      auto saved = svc.save(*account, *id, *phase, *answers);
                      if (!saved) return http::error_response(saved.status());
                      return http::json_response(200, to_json(*saved));
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/cohorts/{id}/checkins/overdue",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto overdue = svc.overdue(*id);
                      if (!overdue) return http::error_response(overdue.status());
                      json::array items;
                      for (const app::OverdueCheckin& o : *overdue)
                        items.push_back(json::object{{"pairingid", o.pairingid},
                                                     {"accountid", o.accountid},
                                                     {"role", core::to_string(o.role)},
                                                     {"phase", core::to_string(o.phase)},
                                                     {"due_on", o.due_on.to_string()},
                                                     {"days_overdue", o.days_overdue}});
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/cohorts/{id}/checkins/summary",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto tallies = svc.tallies(*id);
                      if (!tallies) return http::error_response(tallies.status());
                      json::array items;
                      for (const app::PublishedCheckinTally& t : *tallies) {
                        json::object o{{"phase", core::to_string(t.tally.phase)},
                                       {"role", core::to_string(t.tally.role)},
                                       {"withheld", t.withheld}};
                        if (!t.withheld) {
                          o["responses"] = t.tally.responses;
                          o["working"] = counts_json(t.working);
                          o["met"] = counts_json(t.met);
                          o["would_continue"] = counts_json(t.would_continue);
                          o["mean_goals_progress"] = t.tally.mean_goals_progress;
                        }
                        items.push_back(std::move(o));
                      }
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
}

}  // namespace mentoring::api
