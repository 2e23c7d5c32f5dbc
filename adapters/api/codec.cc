#include "adapters/api/codec.h"

#include "adapters/api/json_fields.h"

#include <charconv>
#include <set>

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;

json::object to_json(const core::Account& a) {
  return {{"id", a.id},
          {"platform", a.platform},
          {"subject", a.subject},
          {"display_name", a.display_name},
          {"email", a.email},
          {"status", core::to_string(a.status)},
          {"timecreated", a.timecreated},
          {"timemodified", a.timemodified}};
}

json::object to_json(const core::Scheme& s) {
  return {{"id", s.id},
          {"name", s.name},
          {"type", core::to_string(s.type)},
          {"aims", s.aims},
          {"phase", core::to_string(s.phase)},
          {"timecreated", s.timecreated},
          {"timemodified", s.timemodified}};
}

json::object to_json(const core::Cohort& c) {
  return {{"id", c.id},
          {"schemeid", c.schemeid},
          {"name", c.name},
          {"opens_on", c.opens_on.to_string()},
          {"closes_on", c.closes_on.to_string()},
          {"starts_on", c.starts_on.to_string()},
          {"ends_on", c.ends_on.to_string()},
          {"matching_model", core::to_string(c.matching_model)},
          {"timecreated", c.timecreated},
          {"timemodified", c.timemodified}};
}

json::object to_json(const core::Enrolment& e) {
  return {{"id", e.id},
          {"cohortid", e.cohortid},
          {"accountid", e.accountid},
          {"role", core::to_string(e.role)},
          {"status", core::to_string(e.status)},
          {"timecreated", e.timecreated},
          {"timemodified", e.timemodified}};
}


Result<core::AccountInput> account_input_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"platform", "subject", "display_name", "email"}));
  core::AccountInput in;
  MENTORING_RETURN_IF_ERROR(read_string(o, "platform", in.platform, true));
  MENTORING_RETURN_IF_ERROR(read_string(o, "subject", in.subject, true));
  MENTORING_RETURN_IF_ERROR(read_string(o, "display_name", in.display_name, false));
  MENTORING_RETURN_IF_ERROR(read_string(o, "email", in.email, false));
  return in;
}

Result<core::SchemeInput> scheme_input_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"name", "type", "aims", "phase"}));
  core::SchemeInput in;
  MENTORING_RETURN_IF_ERROR(read_string(o, "name", in.name, true));
  MENTORING_RETURN_IF_ERROR(read_string(o, "aims", in.aims, false));
  std::string text;
  if (o.contains("type")) {
    MENTORING_RETURN_IF_ERROR(read_string(o, "type", text, true));
    auto t = core::parse_scheme_type(text);
    if (!t) return Status::invalid("scheme_type_invalid", "The type must be traditional, near_peer, reverse or reciprocal.", "type");
    in.type = *t;
  }
  if (o.contains("phase")) {
    MENTORING_RETURN_IF_ERROR(read_string(o, "phase", text, true));
    auto p = core::parse_scheme_phase(text);
    if (!p) return Status::invalid("scheme_phase_invalid", "The phase must be pilot or business_as_usual.", "phase");
    in.phase = *p;
  }
  return in;
}

Result<core::CohortInput> cohort_input_from_json(std::int64_t schemeid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(
      unknown_fields(o, {"name", "opens_on", "closes_on", "starts_on", "ends_on", "matching_model"}));
  core::CohortInput in;
  in.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(read_string(o, "name", in.name, true));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "opens_on", in.opens_on));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "closes_on", in.closes_on));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "starts_on", in.starts_on));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "ends_on", in.ends_on));
  if (o.contains("matching_model")) {
    std::string text;
    MENTORING_RETURN_IF_ERROR(read_string(o, "matching_model", text, true));
    auto m = core::parse_matching_model(text);
    if (!m)
      return Status::invalid("matching_model_invalid", "The matching model must be assigned, mentee_choice or hybrid.",
                             "matching_model");
    in.matching_model = *m;
  }
  return in;
}

Result<core::Page> page_from_query(std::string_view limit, std::string_view offset) {
  core::Page page;
  auto parse = [](std::string_view s, std::int64_t& out, const char* name) -> Status {
    if (s.empty()) return Status::ok();
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec != std::errc() || p != s.data() + s.size() || out < 0)
      return Status::invalid("query_not_number", std::string("The query parameter '") + name + "' must be a whole number of 0 or more.", name);
    return Status::ok();
  };
  MENTORING_RETURN_IF_ERROR(parse(limit, page.limit, "limit"));
  MENTORING_RETURN_IF_ERROR(parse(offset, page.offset, "offset"));
  if (page.limit == 0 || page.limit > core::kMaxPageSize)
    return Status::invalid("query_limit_out_of_range", "The limit must be between 1 and 1000.", "limit");
  return page;
}

}  // namespace mentoring::api
