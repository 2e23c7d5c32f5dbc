// POST /api/v1/cohorts/{id}/sessions     {"kind", "title", "starts_at", "minutes"?, "location"?}
// GET  /api/v1/cohorts/{id}/sessions     the cohort's sessions with their attendance
// PUT  /api/v1/sessions/{id}/attendance  {"attendance": [{"enrolmentid", "attended"}, ...]}
#include <boost/json.hpp>

#include "adapters/api/audit_support.h"
#include "adapters/api/cohort_session_api.h"
#include "adapters/api/json_fields.h"
#include "adapters/http/json.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;
using http::PathParams;
using http::Request;

namespace {

json::value int_or_null(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object to_json(const core::SessionAttendance& a) {
  return json::object{{"enrolmentid", a.enrolmentid},
                      {"attended", a.attended},
                      {"recorded_by", int_or_null(a.recorded_by)},
                      {"cpd_entryid", int_or_null(a.cpd_entryid)},
                      {"mentor_invited_at", int_or_null(a.mentor_invited_at)},
                      {"timemodified", a.timemodified}};
}

json::object to_json(const core::CohortSession& s) {
  return json::object{{"id", s.id},
                      {"cohortid", s.cohortid},
                      {"kind", core::to_string(s.kind)},
                      {"title", s.title},
                      {"starts_at", s.starts_at},
                      {"minutes", s.minutes},
                      {"location", s.location},
                      {"created_by", int_or_null(s.created_by)},
                      {"timecreated", s.timecreated},
                      {"timemodified", s.timemodified}};
}

json::object to_json(const app::CohortSessionView& v) {
  json::object o = to_json(v.session);
  json::array attendance;
  for (const core::SessionAttendance& a : v.attendance) attendance.push_back(to_json(a));
  o["attendance"] = std::move(attendance);
  return o;
}

Result<core::CohortSessionInput> session_from_json(const json::object& body, std::int64_t cohortid) {
  core::CohortSessionInput in;
  in.cohortid = cohortid;
  MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"kind", "title", "starts_at", "minutes", "location"}));
  MENTORING_RETURN_IF_ERROR(read_enum(body, "kind", in.kind, core::parse_session_kind, "session_kind_invalid",
                                      "one of midpoint, end", true));
  MENTORING_RETURN_IF_ERROR(read_string(body, "title", in.title, true));
  MENTORING_RETURN_IF_ERROR(read_int64(body, "starts_at", in.starts_at, true));
  MENTORING_RETURN_IF_ERROR(read_int(body, "minutes", in.minutes));
  MENTORING_RETURN_IF_ERROR(read_string(body, "location", in.location));
  return in;
}

Result<std::vector<app::AttendanceMark>> marks_from_json(const json::object& body) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(body, {"attendance"}));
  const json::value* list = body.if_contains("attendance");
  if (!list) return field_required("attendance");
  if (!list->is_array())
    return Status::invalid("attendance_not_a_list", "The field 'attendance' must be a list.", "attendance");
  std::vector<app::AttendanceMark> out;
  for (const json::value& item : list->as_array()) {
    if (!item.is_object())
      return Status::invalid("attendance_item_invalid",
                             "Each attendance entry must be an object with enrolmentid and attended.", "attendance");
    const json::object& o = item.as_object();
    app::AttendanceMark m;
    MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"enrolmentid", "attended"}));
    MENTORING_RETURN_IF_ERROR(read_int64(o, "enrolmentid", m.enrolmentid, true));
    if (!o.contains("attended")) return field_required("attended");
    MENTORING_RETURN_IF_ERROR(read_bool(o, "attended", m.attended));
    out.push_back(m);
  }
  return out;
}

}  // namespace

void add_cohort_session_routes(http::Router& router, const CohortSessionApiContext& ctx) {
  auto& svc = ctx.service;
  add_service_route(router, ctx.service_token, "POST", "/api/v1/cohorts/{id}/sessions",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 2);
                      if (!body) return http::error_response(body.status());
                      auto input = session_from_json(*body, *id);
                      if (!input) return http::error_response(input.status());
                      auto created = svc.schedule(*input, actor);
                      if (!created) return http::error_response(created.status());
                      return http::json_response(201, to_json(*created));
                    });
  add_service_route(router, ctx.service_token, "GET", "/api/v1/cohorts/{id}/sessions",
                    [&svc](const Request&, const PathParams& p, const core::Actor&) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto sessions = svc.list(*id);
                      if (!sessions) return http::error_response(sessions.status());
                      json::array items;
                      for (const app::CohortSessionView& v : *sessions) items.push_back(to_json(v));
                      return http::json_response(200, json::object{{"items", std::move(items)}});
                    });
  add_service_route(router, ctx.service_token, "PUT", "/api/v1/sessions/{id}/attendance",
                    [&svc](const Request& req, const PathParams& p, const core::Actor& actor) {
                      auto id = p.get_int64("id");
                      if (!id) return http::error_response(id.status());
                      auto body = http::parse_json_object_body(req, 3);
                      if (!body) return http::error_response(body.status());
                      auto marks = marks_from_json(*body);
                      if (!marks) return http::error_response(marks.status());
                      auto recorded = svc.record_attendance(*id, *marks, actor);
                      if (!recorded) return http::error_response(recorded.status());
                      return http::json_response(200, to_json(*recorded));
                    });
}

}  // namespace mentoring::api
