// POST /api/v1/cohorts/{id}/mentor-applications     apply (actor: the applicant)
// GET  /api/v1/mentor-applications                  the actor's own applications
// GET  /api/v1/mentor-applications/{id}             one application
// POST /api/v1/mentor-applications/{id}/approve     approve: enrols the mentor
// POST /api/v1/mentor-applications/{id}/decline     {"reason"}
// GET  /api/v1/schemes/{id}/mentor-applications     ?status=pending|approved|declined&limit=&offset=
// GET/PUT /api/v1/schemes/{id}/mentor-recruitment   {"approval_required": bool}
// POST /api/v1/schemes/{id}/mentor-invitation/accept {"declaration": true, "bio"?} (actor: the invited person)
#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/codec.h"
#include "adapters/api/json_fields.h"
#include "adapters/api/mentor_application_api.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;
using http::Response;

namespace {

json::value opt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object to_json(const core::MentorApplication& a) {
  json::array areas;
  for (const auto& e : a.answers.expertise_areas) areas.push_back(json::string(e));
  json::object o{{"id", a.id},
                 {"schemeid", a.schemeid},
                 {"cohortid", a.cohortid},
                 {"accountid", a.accountid},
                 {"motivation", a.answers.motivation},
                 {"expertise_areas", std::move(areas)},
                 {"capacity", a.answers.capacity},
                 {"availability", a.answers.availability},
                 {"declaration", a.answers.declaration},
                 {"status", core::to_string(a.status)},
                 {"decided_by", opt(a.decided_by)},
                 {"decided_at", opt(a.decided_at)},
                 {"decision_reason", a.decision_reason},
                 {"enrolmentid", opt(a.enrolmentid)},
                 {"timecreated", a.timecreated},
                 {"timemodified", a.timemodified}};
  o["approval_error"] =
      a.approval_error_reason.empty()
          ? json::value(nullptr)
          : json::value(json::object{{"reason", a.approval_error_reason}, {"message", a.approval_error_message}});
  return o;
}

json::object to_json(const core::MentorRecruitmentSettings& s) {
  return json::object{
      {"schemeid", s.schemeid}, {"approval_required", s.approval_required}, {"timemodified", s.timemodified}};
}

Result<std::int64_t> actor_account(const core::Actor& actor) {
  if (actor.is_service())
    return Status::invalid("actor_required", "Name the person this call is for in X-Mentoring-Actor.", kActorHeader);
  return *actor.accountid;
}

Result<core::MentorApplicationInput> input_from_json(const json::object& body) {
  MENTORING_RETURN_IF_ERROR(
      unknown_fields(body, {"motivation", "expertise_areas", "capacity", "availability", "declaration"}));
  core::MentorApplicationInput in;
  MENTORING_RETURN_IF_ERROR(read_string(body, "motivation", in.motivation));
  MENTORING_RETURN_IF_ERROR(read_strings(body, "expertise_areas", in.expertise_areas));
  MENTORING_RETURN_IF_ERROR(read_int(body, "capacity", in.capacity, true));
  MENTORING_RETURN_IF_ERROR(read_string(body, "availability", in.availability));
  MENTORING_RETURN_IF_ERROR(read_bool(body, "declaration", in.declaration));
  return in;
}

Response application_response(const Result<core::MentorApplication>& r, int status = 200) {
  if (!r) return http::error_response(r.status());
  return http::json_response(status, to_json(*r));
}

json::object to_json(const app::InvitationAcceptance& a) {
  json::array issues;
  for (const core::TrainingIssue& i : a.readiness.issues)
    issues.push_back(json::object{{"module_code", i.module_code}, {"message", i.message}});
  json::array areas;
  for (const auto& e : a.profile.expertise_areas) areas.push_back(json::string(e));
  return json::object{
      {"already_mentor", a.already_mentor},
      {"schemeid", a.cohort.schemeid},
      {"cohortid", a.cohort.id},
      {"enrolmentid", a.enrolment ? json::value(a.enrolment->id) : json::value(nullptr)},
      {"invitation", json::object{{"sessionid", a.invitation.sessionid},
                                  {"cohortid", a.invitation.cohortid},
                                  {"invited_at", a.invitation.invited_at}}},
      {"application", a.application ? json::value(to_json(*a.application)) : json::value(nullptr)},
      {"profile_created", a.profile_created},
      {"mentor_profile", json::object{{"capacity", a.profile.capacity},
                                      {"career_stage", core::to_string(a.profile.career_stage)},
                                      {"expertise_areas", std::move(areas)}}},
      {"training", json::object{{"ready", a.readiness.ready}, {"issues", std::move(issues)}}}};
}

}  // namespace

void add_mentor_application_routes(http::Router& router, const MentorApplicationApiContext& ctx) {
  auto& svc = ctx.recruitment;
  add_service_route(router, ctx.service_token, "POST", "/api/v1/cohorts/{id}/mentor-applications",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto account = actor_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 3);
                      if (!body) return http::error_response(body.status());
                      auto input = input_from_json(*body);
                      if (!input) return http::error_response(input.status());
                      return application_response(svc.apply(*id, *account, std::move(input).value()), 201);
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/mentor-applications",
                    [&svc](const Request&, const PathParams&, const core::Actor& actor) {
                      auto account = actor_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto mine = svc.mine(*account);
                      if (!mine) return http::error_response(mine.status());
                      json::array items;
                      for (const auto& a : *mine) items.push_back(to_json(a));
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/mentor-applications/{id}",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      return application_response(svc.get(*id));
                    });
  add_service_route(router, ctx.service_token, "POST", "/api/v1/mentor-applications/{id}/approve",
                    [&svc](const Request&, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      return application_response(svc.approve(*id, std::nullopt, actor));
                    });
  add_service_route(router, ctx.service_token, "POST", "/api/v1/mentor-applications/{id}/decline",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      Status known = unknown_fields(*body, {"reason"});
                      if (!known) return http::error_response(known);
                      std::string reason;
                      Status read = read_string(*body, "reason", reason);
                      if (!read) return http::error_response(read);
                      return application_response(svc.decline(*id, std::nullopt, std::move(reason), actor));
                    });
  add_service_route(
      router, ctx.service_token, "GET", "/api/v1/schemes/{id}/mentor-applications",
      [&svc](const Request& req, const PathParams& p, const core::Actor&) {
        auto id = p.get_int64("id");
        if (!id) return http::error_response(id.status());
        std::optional<core::ApplicationStatus> status;
        const std::string text(req.query_param("status"));
        if (!text.empty()) {
          status = core::parse_application_status(text);
          if (!status)
            return http::error_response(Status::invalid(
                "application_status_invalid", "status must be one of pending, approved, declined.", "status"));
        }
        auto page = page_from_query(req.query_param("limit"), req.query_param("offset"));
        if (!page) return http::error_response(page.status());
        auto list = svc.list(*id, status, *page);
        if (!list) return http::error_response(list.status());
        json::array items;
        for (const app::ApplicationForStaff& a : list->items) {
          json::object o = to_json(a.application);
          o["applicant"] = json::object{{"display_name", a.applicant.display_name},
                                        {"platform", a.applicant.platform},
                                        {"subject", a.applicant.subject}};
          o["cohort_name"] = a.cohort.name;
          json::array issues;
          for (const core::TrainingIssue& i : a.readiness.issues)
            issues.push_back(json::object{{"module_code", i.module_code}, {"message", i.message}});
          o["training"] = json::object{{"ready", a.readiness.ready}, {"issues", std::move(issues)}};
          items.push_back(std::move(o));
        }
        return http::json_response(200, json::object{{"items", std::move(items)}, {"total", list->total}});
      });
  add_service_route(router, ctx.service_token, "POST", "/api/v1/schemes/{id}/mentor-invitation/accept",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto account = actor_account(actor);
                      if (!account) return http::error_response(account.status());
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      Status known = unknown_fields(*body, {"declaration", "bio"});
                      if (!known) return http::error_response(known);
                      app::InvitationAcceptInput input;
                      Status read = read_bool(*body, "declaration", input.declaration);
                      if (read) read = read_string(*body, "bio", input.bio);
                      if (!read) return http::error_response(read);
                      auto accepted = svc.accept_invitation(*id, *account, std::move(input));
                      if (!accepted) return http::error_response(accepted.status());
                      return http::json_response(accepted->already_mentor ? 200 : 201, to_json(*accepted));
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/schemes/{id}/mentor-recruitment",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto s = svc.settings(*id);
                      if (!s) return http::error_response(s.status());
                      return http::json_response(200, to_json(*s));
                    });
  add_service_route(router, ctx.service_token, "PUT", "/api/v1/schemes/{id}/mentor-recruitment",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      Status known = unknown_fields(*body, {"approval_required"});
                      if (!known) return http::error_response(known);
                      if (!body->contains("approval_required"))
                        return http::error_response(field_required("approval_required"));
                      bool required = true;
                      Status read = read_bool(*body, "approval_required", required);
                      if (!read) return http::error_response(read);
                      auto saved = svc.save_settings(*id, required, actor);
                      if (!saved) return http::error_response(saved.status());
                      return http::json_response(200, to_json(*saved));
                    });
}

}  // namespace mentoring::api
