#include <boost/json.hpp>
#include <cstdio>

#include "adapters/api/audit_support.h"
#include "adapters/api/json_fields.h"
#include "adapters/api/relationship_api.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
namespace rel = core::relationship;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

std::string utc_timestamp(core::UnixSeconds t) {
  const core::Date day = core::Date::from_unix(t);
  const std::int64_t secs = ((t % 86400) + 86400) % 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02dZ", static_cast<int>(secs / 3600), static_cast<int>(secs % 3600 / 60),
                static_cast<int>(secs % 60));
  return day.to_string() + buf;
}

Result<core::UnixSeconds> parse_utc_timestamp(std::string_view s, const char* field) {
  auto bad = [&] {
    return Status::invalid("time_invalid",
                           std::string("The field '") + field + "' must be a UTC time like 2026-06-10T08:30:00Z.",
                           field);
  };
  if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return bad();
  auto day = core::Date::parse(s.substr(0, 10));
  if (!day) return bad();
  int parts[3];
  for (int i = 0; i < 3; ++i) {
    const char a = s[11 + i * 3], b = s[12 + i * 3];
    if (a < '0' || a > '9' || b < '0' || b > '9') return bad();
    parts[i] = (a - '0') * 10 + (b - '0');
  }
  if (parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return bad();
  return day->days_since_epoch() * 86400 + parts[0] * 3600 + parts[1] * 60 + parts[2];
}

namespace {

Result<std::int64_t> actor_account(const core::Actor& actor) {
  if (actor.is_service())
    return Status::invalid("actor_required",
                           std::string("Name the person the call is made for in the ") + kActorHeader + " header.",
                           kActorHeader);
  return *actor.accountid;
}

json::value optional_date(const std::optional<core::Date>& d) {
  return d ? json::value(d->to_string()) : json::value(nullptr);
}

json::object meeting_json(const rel::Meeting& m, const std::map<std::int64_t, std::string>* my_notes) {
  json::object o{{"id", m.id},
                 {"pairing_id", m.pairingid},
                 {"booked_by", m.booked_by},
                 {"starts_at", utc_timestamp(m.starts_at)},
                 {"ends_at", utc_timestamp(m.ends_at())},
                 {"minutes", m.minutes},
                 {"mode", rel::to_string(m.mode)},
                 {"place", m.place},
                 {"link", m.link},
                 {"topics", m.topics},
                 {"agreed_actions", m.agreed_actions},
                 {"state", rel::to_string(m.state)},
                 {"sequence", m.sequence}};
  o["recorded_by"] = m.recorded_by ? json::value(*m.recorded_by) : json::value(nullptr);
  o["recorded_at"] = m.recorded_at ? json::value(utc_timestamp(*m.recorded_at)) : json::value(nullptr);
  if (my_notes) {
    auto it = my_notes->find(m.id);
    o["your_private_note"] = it == my_notes->end() ? json::value(nullptr) : json::value(it->second);
  }
  return o;
}

json::object goal_json(const rel::Goal& g) {
  return json::object{{"id", g.id},
                      {"pairing_id", g.pairingid},
                      {"account_id", g.accountid},
                      {"title", g.title},
                      {"specific", g.specific},
                      {"measurable", g.measurable},
                      {"achievable", g.achievable},
                      {"relevant", g.relevant},
                      {"target_on", g.target_on.to_string()},
                      {"review_on", optional_date(g.review_on)},
                      {"status", rel::to_string(g.status)},
                      {"timecreated", g.timecreated},
                      {"timemodified", g.timemodified}};
}

json::object note_json(const rel::GoalNote& n) {
  return json::object{{"id", n.id},
                      {"goal_id", n.goalid},
                      {"account_id", n.accountid},
                      {"text", n.text},
                      {"created_at", utc_timestamp(n.timecreated)}};
}

json::object protected_json(const rel::ProtectedTime& e) {
  return json::object{{"id", e.id},
                      {"account_id", e.accountid},
                      {"role", core::to_string(e.role)},
                      {"used_on", e.used_on.to_string()},
                      {"minutes", e.minutes}};
}

json::object summary_json(const rel::PairingParties& p, std::int64_t accountid) {
  const bool mentee = p.mentee_accountid == accountid;
  return json::object{{"pairing_id", p.pairing.id},
                      {"cohort_id", p.pairing.cohortid},
                      {"scheme_id", p.schemeid},
                      {"state", core::to_string(p.pairing.state)},
                      {"role", mentee ? "mentee" : "mentor"},
                      {"partner", json::object{{"account_id", mentee ? p.mentor_accountid : p.mentee_accountid},
                                               {"name", mentee ? p.mentor_name : p.mentee_name}}}};
}

json::object view_json(const app::RelationshipView& v) {
  json::object o = summary_json(v.parties, v.viewer_accountid);
  if (v.agreement) {
    json::array acceptances;
    for (const auto& a : v.acceptances)
      acceptances.push_back(json::object{{"account_id", a.accepted_by},
                                         {"version", a.template_version},
                                         {"accepted_at", utc_timestamp(a.accepted_at)}});
    o["agreement"] = json::object{
        {"version", v.agreement->version},
        {"status", core::to_string(v.agreement_status)},
        {"you_accepted", v.viewer_accepted_current},
        {"text", core::render_agreement_text(*v.agreement, v.parties.mentee_name, v.parties.mentor_name)},
        {"acceptances", std::move(acceptances)}};
  } else {
    o["agreement"] = nullptr;
  }
  json::array meetings;
  for (const auto& m : v.meetings) meetings.push_back(meeting_json(m, &v.my_notes));
  o["meetings"] = std::move(meetings);
  json::array goals;
  for (const auto& g : v.goals) {
    json::object go = goal_json(g);
    json::array notes;
    for (const auto& n : v.goal_notes)
      if (n.goalid == g.id) notes.push_back(note_json(n));
    go["notes"] = std::move(notes);
    goals.push_back(std::move(go));
  }
  o["goals"] = std::move(goals);
  json::array entries;
  for (const auto& e : v.protected_time) entries.push_back(protected_json(e));
  o["protected_time"] = json::object{{"entries", std::move(entries)},
                                     {"mentee_minutes", v.totals.mentee_minutes},
                                     {"mentor_minutes", v.totals.mentor_minutes},
                                     {"total_minutes", v.totals.total_minutes()}};
  return o;
}

Status read_optional_date_field(const json::object& o, const char* key, std::optional<std::optional<core::Date>>& out) {
  if (!o.contains(key)) return Status::ok();
  if (o.at(key).is_null()) {
    out = std::optional<core::Date>();
    return Status::ok();
  }
  std::optional<core::Date> d;
  MENTORING_RETURN_IF_ERROR(read_date(o, key, d));
  out = d;
  return Status::ok();
}

Status read_optional_string(const json::object& o, const char* key, std::optional<std::string>& out) {
  if (!o.contains(key)) return Status::ok();
  std::string v;
  MENTORING_RETURN_IF_ERROR(read_string(o, key, v));
  out = std::move(v);
  return Status::ok();
}

json::object meeting_alone_json(const rel::Meeting& m) { return meeting_json(m, nullptr); }

// Answers a service's result: `encode`d with `status`, or its error.
template <typename T, typename Encode>
Response reply(int status, const Result<T>& r, Encode encode) {
  if (!r) return http::error_response(r.status());
  return http::json_response(status, encode(*r));
}

Response answer(const Result<Response>& r) { return r ? *r : http::error_response(r.status()); }

// A route acting for the named person on the resource {id} of its path:
// checks the actor, then the id, then answers with `fn(who, id)`, a response
// or the error to send.
template <typename Fn>
ServiceHandler person_route(Fn fn) {
  return [fn](const Request&, const PathParams& p, const core::Actor& actor) -> Response {
    auto who = actor_account(actor);
    if (!who) return http::error_response(who.status());
    auto id = p.get_int64("id");
    if (!id) return http::error_response(id.status());
    return answer(fn(*who, *id));
  };
}

// The same for a route with a JSON object body, read after the actor and
// before the id: answers with `fn(who, id, body)`.
template <typename Fn>
ServiceHandler person_body_route(Fn fn) {
  return [fn](const Request& req, const PathParams& p, const core::Actor& actor) -> Response {
    auto who = actor_account(actor);
    if (!who) return http::error_response(who.status());
    auto body = http::parse_json_object_body(req);
    if (!body) return http::error_response(body.status());
    auto id = p.get_int64("id");
    if (!id) return http::error_response(id.status());
    return answer(fn(*who, *id, *body));
  };
}

}  // namespace

void add_relationship_routes(http::Router& router, const RelationshipApiContext& ctx) {
  app::RelationshipService& svc = ctx.relationships;
  const std::string& token = ctx.service_token;

  add_service_route(router, token, "GET", "/api/v1/relationships",
                    [&svc](const Request&, const PathParams&, const core::Actor& actor) {
                      auto who = actor_account(actor);
                      if (!who) return http::error_response(who.status());
                      return reply(200, svc.pairings(*who), [&](const std::vector<rel::PairingParties>& list) {
                        json::array out;
                        for (const auto& p : list) out.push_back(summary_json(p, *who));
                        return json::object{{"relationships", std::move(out)}};
                      });
                    });

  add_service_route(router, token, "GET", "/api/v1/relationships/{id}",
                    person_route([&svc](std::int64_t who, std::int64_t id) -> Result<Response> {
                      return reply(200, svc.view(who, id), view_json);
                    }));

  add_service_route(
      router, token, "POST", "/api/v1/relationships/{id}/agreement/accept",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"version"}));
        int version = 0;
        MENTORING_RETURN_IF_ERROR(read_int(body, "version", version, true));
        return reply(201, svc.accept_agreement(who, id, version), [](const core::AgreementAcceptance& a) {
          return json::object{{"pairing_id", a.pairingid},
                              {"account_id", a.accepted_by},
                              {"version", a.template_version},
                              {"accepted_at", utc_timestamp(a.accepted_at)}};
        });
      }));

  add_service_route(
      router, token, "POST", "/api/v1/relationships/{id}/meetings",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"starts_at", "minutes", "mode", "place", "link", "topics"}));
        rel::MeetingRequest r;
        std::string starts;
        MENTORING_RETURN_IF_ERROR(read_string(body, "starts_at", starts, true));
        auto t = parse_utc_timestamp(starts, "starts_at");
        if (!t) return t.status();
        r.starts_at = *t;
        MENTORING_RETURN_IF_ERROR(read_int(body, "minutes", r.minutes, true));
        MENTORING_RETURN_IF_ERROR(read_enum(body, "mode", r.mode, rel::parse_meeting_mode, "meeting_mode_invalid",
                                            "in_person, video or phone", true));
        for (auto [key, out] :
             {std::pair{"place", &r.place}, std::pair{"link", &r.link}, std::pair{"topics", &r.topics}})
          MENTORING_RETURN_IF_ERROR(read_string(body, key, *out));
        return reply(201, svc.book_meeting(who, id, r), meeting_alone_json);
      }));

  add_service_route(
      router, token, "POST", "/api/v1/meetings/{id}/record",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"outcome", "agreed_actions", "private_note"}));
        rel::MeetingState outcome = rel::MeetingState::kHeld;
        MENTORING_RETURN_IF_ERROR(read_enum(body, "outcome", outcome, rel::parse_meeting_state,
                                            "meeting_outcome_invalid", "held or missed", true));
        std::string actions, note;
        MENTORING_RETURN_IF_ERROR(read_string(body, "agreed_actions", actions));
        MENTORING_RETURN_IF_ERROR(read_string(body, "private_note", note));
        return reply(200, svc.record_meeting(who, id, outcome, actions, note), meeting_alone_json);
      }));

  add_service_route(router, token, "POST", "/api/v1/meetings/{id}/cancel",
                    person_route([&svc](std::int64_t who, std::int64_t id) -> Result<Response> {
                      return reply(200, svc.cancel_meeting(who, id), meeting_alone_json);
                    }));

  add_service_route(
      router, token, "PUT", "/api/v1/meetings/{id}/note",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"note"}));
        std::string note;
        MENTORING_RETURN_IF_ERROR(read_string(body, "note", note, true));
        MENTORING_RETURN_IF_ERROR(svc.save_note(who, id, note));
        return http::json_response(200, json::object{{"meeting_id", id}, {"your_private_note", note}});
      }));

  add_service_route(router, token, "GET", "/api/v1/meetings/{id}/calendar.ics",
                    person_route([&svc](std::int64_t who, std::int64_t id) -> Result<Response> {
                      auto found = svc.meeting(who, id);
                      if (!found) return found.status();
                      exports::InvitationMethod method = exports::InvitationMethod::kRequest;
                      // The stamp is the meeting's last change, so the same
                      // meeting always downloads as the same bytes.
                      const exports::MeetingInvitation invitation =
                          meeting_invitation(*found, found->meeting.timemodified, &method);
                      auto ics = exports::render_invitation(invitation, method);
                      if (!ics) return ics.status();
                      Response res;
                      res.status = 200;
                      res.set_header("Content-Type", exports::content_type(method));
                      res.set_header("Content-Disposition",
                                     "attachment; filename=\"mentoring-meeting-" + std::to_string(id) + ".ics\"");
                      res.body = std::move(ics).value();
                      return res;
                    }));

  add_service_route(
      router, token, "POST", "/api/v1/relationships/{id}/goals",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(
            body, {"title", "specific", "measurable", "achievable", "relevant", "target_on", "review_on"}));
        rel::Goal g;
        for (auto [key, out] : {std::pair{"title", &g.title}, std::pair{"specific", &g.specific},
                                std::pair{"measurable", &g.measurable}, std::pair{"achievable", &g.achievable},
                                std::pair{"relevant", &g.relevant}})
          MENTORING_RETURN_IF_ERROR(read_string(body, key, *out));
        MENTORING_RETURN_IF_ERROR(read_required_date(body, "target_on", g.target_on));
        MENTORING_RETURN_IF_ERROR(read_date(body, "review_on", g.review_on));
        return reply(201, svc.add_goal(who, id, g), goal_json);
      }));

  add_service_route(
      router, token, "PATCH", "/api/v1/goals/{id}",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(
            body, {"title", "specific", "measurable", "achievable", "relevant", "target_on", "review_on", "status"}));
        app::GoalChange c;
        for (auto [key, out] : {std::pair{"title", &c.title}, std::pair{"specific", &c.specific},
                                std::pair{"measurable", &c.measurable}, std::pair{"achievable", &c.achievable},
                                std::pair{"relevant", &c.relevant}})
          MENTORING_RETURN_IF_ERROR(read_optional_string(body, key, *out));
        std::optional<core::Date> target;
        MENTORING_RETURN_IF_ERROR(read_date(body, "target_on", target));
        c.target_on = target;
        MENTORING_RETURN_IF_ERROR(read_optional_date_field(body, "review_on", c.review_on));
        if (body.contains("status")) {
          rel::GoalStatus status = rel::GoalStatus::kOpen;
          MENTORING_RETURN_IF_ERROR(read_enum(body, "status", status, rel::parse_goal_status, "goal_status_invalid",
                                              "open, achieved or dropped", true));
          c.status = status;
        }
        return reply(200, svc.change_goal(who, id, c), goal_json);
      }));

  add_service_route(
      router, token, "POST", "/api/v1/goals/{id}/notes",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"note"}));
        std::string note;
        MENTORING_RETURN_IF_ERROR(read_string(body, "note", note, true));
        return reply(201, svc.add_goal_note(who, id, note), note_json);
      }));

  add_service_route(
      router, token, "POST", "/api/v1/relationships/{id}/protected-time",
      person_body_route([&svc](std::int64_t who, std::int64_t id, const json::object& body) -> Result<Response> {
        MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"used_on", "minutes"}));
        core::Date day;
        MENTORING_RETURN_IF_ERROR(read_required_date(body, "used_on", day));
        int minutes = 0;
        MENTORING_RETURN_IF_ERROR(read_int(body, "minutes", minutes, true));
        return reply(201, svc.log_protected_time(who, id, day, minutes), protected_json);
      }));

  add_service_route(router, token, "POST", "/api/v1/reminders/sweep",
                    [&ctx](const Request&, const PathParams&, const core::Actor&) {
                      return reply(200, ctx.reminders.run(), [](const auto& r) {
                        return json::object{{"pairings", r.pairings},
                                            {"queued", r.queued},
                                            {"already_sent", r.already_sent}};
                      });
                    });
}

}  // namespace mentoring::api
