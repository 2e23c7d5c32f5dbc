#include "adapters/api/setup_codec.h"

#include <charconv>
#include <limits>
#include <set>

#include "adapters/api/json_fields.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

constexpr const char* kStages =
    "one of medical_student, fy1, fy2, ct1-ct3, "
    "st1-st8, sas, consultant, gp or other";

Result<const json::object*> object_field(const json::value& v, const char* what) {
  if (!v.is_object())
    return core::Status::invalid("field_not_object", std::string("Each entry of '") + what + "' must be an object.",
                                 what);
  return &v.as_object();
}

Result<const json::array*> array_field(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v) return field_required(key);
  if (!v->is_array())
    return core::Status::invalid("field_not_list", std::string("The field '") + key + "' must be a list.", key);
  return &v->as_array();
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

json::value date_or_null(const std::optional<core::Date>& d) {
  return d ? json::value(d->to_string()) : json::value(nullptr);
}

json::object to_json(const core::Finding& f) {
  return {{"reason", f.reason}, {"field", f.field}, {"message", f.message}};
}

}  // namespace

json::object to_json(const core::Objective& o) {
  return {{"id", o.id},
          {"schemeid", o.schemeid},
          {"what", o.what},
          {"metric", o.metric},
          {"baseline", o.baseline},
          {"unit", o.unit},
          {"baseline_on", o.baseline_on.to_string()},
          {"target", o.target},
          {"direction", core::to_string(o.direction)},
          {"deadline", o.deadline.to_string()},
          {"ownerid", o.ownerid},
          {"aim_index", o.aim_index},
          {"timecreated", o.timecreated},
          {"timemodified", o.timemodified}};
}

json::object to_json(const app::SavedObjective& s) {
  json::object out = to_json(s.objective);
  json::array warnings;
  for (const auto& w : s.warnings) warnings.push_back(to_json(w));
  out["warnings"] = std::move(warnings);
  return out;
}

json::object to_json(const core::ObjectiveMeasurement& m) {
  return {{"id", m.id},       {"objectiveid", m.objectiveid}, {"measured_on", m.measured_on.to_string()},
          {"value", m.value}, {"timecreated", m.timecreated}, {"timemodified", m.timemodified}};
}

json::object to_json(const app::ObjectiveReport& r) {
  return {{"objective", to_json(r.objective)},
          {"latest", r.latest ? json::value(to_json(*r.latest)) : json::value(nullptr)},
          {"fraction", r.progress.fraction},
          {"time_elapsed", r.progress.time_elapsed},
          {"state", core::to_string(r.progress.state)}};
}

json::object to_json(const core::GovernanceAssignment& a) {
  return {{"id", a.id},
          {"schemeid", a.schemeid},
          {"responsibility", core::to_string(a.responsibility)},
          {"accountid", a.accountid},
          {"reports_to", a.reports_to},
          {"cadence", core::to_string(a.cadence)},
          {"next_report_due", a.next_report_due.to_string()},
          {"timecreated", a.timecreated},
          {"timemodified", a.timemodified}};
}

json::object to_json(const core::GovernanceGaps& g) {
  json::array unassigned, overdue;
  for (auto r : g.unassigned) unassigned.emplace_back(core::to_string(r));
  for (const auto& o : g.overdue)
    overdue.push_back(json::object{{"responsibility", core::to_string(o.responsibility)},
                                   {"accountid", o.accountid},
                                   {"due", o.due.to_string()},
                                   {"days_overdue", o.days_overdue},
                                   {"message", o.message}});
  return {{"unassigned", std::move(unassigned)}, {"overdue", std::move(overdue)}, {"complete", g.empty()}};
}

json::object to_json(const core::SchemeEligibility& e) {
  json::array stages;
  for (auto s : e.audience.career_stages) stages.emplace_back(core::to_string(s));
  json::object mentors{
      {"minimum_stage",
       e.mentors.minimum_stage ? json::value(core::to_string(*e.mentors.minimum_stage)) : json::value(nullptr)},
      {"min_stages_above_mentee", e.mentors.min_stages_above_mentee},
      {"max_stages_above_mentee",
       e.mentors.max_stages_above_mentee ? json::value(*e.mentors.max_stages_above_mentee) : json::value(nullptr)},
      {"regions", strings(e.mentors.regions)},
      {"other_professions_allowed", e.mentors.other_professions_allowed}};
  return {{"schemeid", e.schemeid},
          {"career_stages", std::move(stages)},
          {"specialties", strings(e.audience.specialties)},
          {"regions", strings(e.audience.regions)},
          {"img_new_to_uk_only", e.audience.img_new_to_uk_only},
          {"returning_from_time_out_only", e.audience.returning_from_time_out_only},
          {"widening_participation_only", e.audience.widening_participation_only},
          {"mentors", std::move(mentors)},
          {"timecreated", e.timecreated},
          {"timemodified", e.timemodified}};
}

json::object to_json(const core::MenteeProfile& p) {
  json::array points;
  for (auto t : p.transition_points) points.emplace_back(core::to_string(t));
  return {{"id", p.id},
          {"accountid", p.accountid},
          {"career_stage", core::to_string(p.career_stage)},
          {"specialty", p.specialty},
          {"site", p.site},
          {"region", p.region},
          {"goals", p.goals},
          {"hopes", p.hopes},
          {"transition_points", std::move(points)},
          {"topics", strings(p.topics)},
          {"location_preference", core::to_string(p.location_preference)},
          {"meeting_mode", core::to_string(p.meeting_mode)},
          {"languages", strings(p.languages)},
          {"availability", p.availability},
          {"timecreated", p.timecreated},
          {"timemodified", p.timemodified}};
}

json::object to_json(const core::MentorProfile& p) {
  return {{"id", p.id},
          {"accountid", p.accountid},
          {"career_stage", core::to_string(p.career_stage)},
          {"specialty", p.specialty},
          {"site", p.site},
          {"region", p.region},
          {"expertise_areas", strings(p.expertise_areas)},
          {"capacity", p.capacity},
          {"away_until", date_or_null(p.away_until)},
          {"languages", strings(p.languages)},
          {"bio", p.bio},
          {"timecreated", p.timecreated},
          {"timemodified", p.timemodified}};
}

json::object to_json(const core::TrainingModule& m) {
  return {{"id", m.id},
          {"schemeid", m.schemeid},
          {"code", m.code},
          {"title", m.title},
          {"required", m.required},
          {"valid_for_months", m.valid_for_months},
          {"refresher_code", m.refresher_code},
          {"timecreated", m.timecreated},
          {"timemodified", m.timemodified}};
}

json::object to_json(const core::TrainingRecord& r) {
  return {{"id", r.id},
          {"accountid", r.accountid},
          {"module_code", r.module_code},
          {"completed_on", r.completed_on.to_string()},
          {"expires_on", date_or_null(r.expires_on)},
          {"timecreated", r.timecreated},
          {"timemodified", r.timemodified}};
}

json::object to_json(const core::MentorReadiness& r) {
  json::array issues;
  for (const auto& i : r.issues)
    issues.push_back(json::object{{"module_code", i.module_code},
                                  {"module_title", i.module_title},
                                  {"kind", core::to_string(i.kind)},
                                  {"date", date_or_null(i.date)},
                                  {"reason", i.reason},
                                  {"message", i.message}});
  return {{"ready", r.ready}, {"issues", std::move(issues)}};
}

json::object to_json(const core::CpdEntry& c) {
  return {{"id", c.id},
          {"accountid", c.accountid},
          {"date", c.date.to_string()},
          {"hours", c.hours},
          {"activity", c.activity},
          {"timecreated", c.timecreated},
          {"timemodified", c.timemodified}};
}

json::object to_json(const core::CpdTotal& t) {
  return {{"starts_on", t.starts_on.to_string()},
          {"ends_on", t.ends_on.to_string()},
          {"hours", t.hours},
          {"entries", t.entries}};
}

json::object to_json(const core::AgreementTemplate& a) {
  return {{"id", a.id},
          {"schemeid", a.schemeid},
          {"version", a.version},
          {"frequency", core::to_string(a.frequency)},
          {"meeting_minutes", a.meeting_minutes},
          {"duration_months", a.duration_months},
          {"boundaries", a.boundaries},
          {"ground_rules", a.ground_rules},
          {"confidentiality", a.confidentiality},
          {"timecreated", a.timecreated},
          {"timemodified", a.timemodified}};
}

Result<core::ObjectiveInput> objective_input_from_json(std::int64_t schemeid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"what", "metric", "baseline", "unit", "baseline_on", "target",
                                               "direction", "deadline", "ownerid", "aim_index"}));
  core::ObjectiveInput in;
  in.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(read_string(o, "what", in.what));
  MENTORING_RETURN_IF_ERROR(read_string(o, "metric", in.metric));
  MENTORING_RETURN_IF_ERROR(read_number(o, "baseline", in.baseline));
  MENTORING_RETURN_IF_ERROR(read_string(o, "unit", in.unit));
  MENTORING_RETURN_IF_ERROR(read_date(o, "baseline_on", in.baseline_on));
  MENTORING_RETURN_IF_ERROR(read_number(o, "target", in.target));
  MENTORING_RETURN_IF_ERROR(read_enum(o, "direction", in.direction, core::parse_objective_direction,
                                      "objective_direction_invalid", "increase or decrease"));
  MENTORING_RETURN_IF_ERROR(read_date(o, "deadline", in.deadline));
  MENTORING_RETURN_IF_ERROR(read_int64(o, "ownerid", in.ownerid));
  MENTORING_RETURN_IF_ERROR(read_optional_int(o, "aim_index", in.aim_index));
  return in;
}

Result<std::pair<core::Date, double>> measurement_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"measured_on", "value"}));
  core::Date on;
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "measured_on", on));
  std::optional<double> value;
  MENTORING_RETURN_IF_ERROR(read_number(o, "value", value));
  if (!value) return field_required("value");
  return std::make_pair(on, *value);
}

Result<std::vector<core::GovernanceAssignment>> governance_from_json(std::int64_t schemeid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"assignments"}));
  auto items = array_field(o, "assignments");
  if (!items) return items.status();
  std::vector<core::GovernanceAssignment> out;
  for (const auto& item : **items) {
    auto entry = object_field(item, "assignments");
    if (!entry) return entry.status();
    const json::object& e = **entry;
    MENTORING_RETURN_IF_ERROR(
        unknown_fields(e, {"responsibility", "accountid", "reports_to", "cadence", "next_report_due"}));
    core::GovernanceAssignment a;
    a.schemeid = schemeid;
    MENTORING_RETURN_IF_ERROR(read_enum(e, "responsibility", a.responsibility, core::parse_responsibility,
                                        "governance_responsibility_invalid",
                                        "one of the responsibilities listed in the API documentation", true));
    MENTORING_RETURN_IF_ERROR(read_int64(e, "accountid", a.accountid, true));
    MENTORING_RETURN_IF_ERROR(read_string(e, "reports_to", a.reports_to));
    MENTORING_RETURN_IF_ERROR(read_enum(e, "cadence", a.cadence, core::parse_reporting_cadence,
                                        "governance_cadence_invalid", "monthly, quarterly, termly or annually"));
    MENTORING_RETURN_IF_ERROR(read_required_date(e, "next_report_due", a.next_report_due));
    out.push_back(std::move(a));
  }
  return out;
}

Result<core::SchemeEligibility> eligibility_from_json(std::int64_t schemeid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(
      unknown_fields(o, {"career_stages", "specialties", "regions", "img_new_to_uk_only",
                         "returning_from_time_out_only", "widening_participation_only", "mentors"}));
  core::SchemeEligibility e;
  e.schemeid = schemeid;
  std::vector<std::string> stages;
  MENTORING_RETURN_IF_ERROR(read_strings(o, "career_stages", stages));
  for (const auto& s : stages) {
    auto stage = core::parse_career_stage(s);
    if (!stage)
      return Status::invalid("career_stage_invalid", std::string("Each career stage must be ") + kStages + ".",
                             "career_stages");
    e.audience.career_stages.push_back(*stage);
  }
  MENTORING_RETURN_IF_ERROR(read_strings(o, "specialties", e.audience.specialties));
  MENTORING_RETURN_IF_ERROR(read_strings(o, "regions", e.audience.regions));
  MENTORING_RETURN_IF_ERROR(read_bool(o, "img_new_to_uk_only", e.audience.img_new_to_uk_only));
  MENTORING_RETURN_IF_ERROR(read_bool(o, "returning_from_time_out_only", e.audience.returning_from_time_out_only));
  MENTORING_RETURN_IF_ERROR(read_bool(o, "widening_participation_only", e.audience.widening_participation_only));
  if (const json::value* m = o.if_contains("mentors")) {
    if (!m->is_object())
      return Status::invalid("field_not_object", "The field 'mentors' must be an object.", "mentors");
    const json::object& r = m->as_object();
    MENTORING_RETURN_IF_ERROR(unknown_fields(r, {"minimum_stage", "min_stages_above_mentee", "max_stages_above_mentee",
                                                 "regions", "other_professions_allowed"}));
    if (const json::value* min = r.if_contains("minimum_stage"); min && !min->is_null()) {
      core::CareerStage stage = core::CareerStage::kOther;
      MENTORING_RETURN_IF_ERROR(
          read_enum(r, "minimum_stage", stage, core::parse_career_stage, "career_stage_invalid", kStages, true));
      e.mentors.minimum_stage = stage;
    }
    MENTORING_RETURN_IF_ERROR(read_int(r, "min_stages_above_mentee", e.mentors.min_stages_above_mentee));
    MENTORING_RETURN_IF_ERROR(read_optional_int(r, "max_stages_above_mentee", e.mentors.max_stages_above_mentee));
    MENTORING_RETURN_IF_ERROR(read_strings(r, "regions", e.mentors.regions));
    MENTORING_RETURN_IF_ERROR(read_bool(r, "other_professions_allowed", e.mentors.other_professions_allowed));
  }
  return e;
}

Result<core::MenteeProfile> mentee_profile_from_json(std::int64_t accountid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(
      unknown_fields(o, {"career_stage", "specialty", "site", "region", "goals", "hopes", "transition_points", "topics",
                         "location_preference", "meeting_mode", "languages", "availability"}));
  core::MenteeProfile p;
  p.accountid = accountid;
  MENTORING_RETURN_IF_ERROR(
      read_enum(o, "career_stage", p.career_stage, core::parse_career_stage, "career_stage_invalid", kStages, true));
  MENTORING_RETURN_IF_ERROR(read_string(o, "specialty", p.specialty));
  MENTORING_RETURN_IF_ERROR(read_string(o, "site", p.site));
  MENTORING_RETURN_IF_ERROR(read_string(o, "region", p.region));
  MENTORING_RETURN_IF_ERROR(read_string(o, "goals", p.goals));
  MENTORING_RETURN_IF_ERROR(read_string(o, "hopes", p.hopes));
  std::vector<std::string> points;
  MENTORING_RETURN_IF_ERROR(read_strings(o, "transition_points", points));
  for (const auto& s : points) {
    auto t = core::parse_transition_point(s);
    if (!t)
      return Status::invalid("transition_point_invalid", "'" + s + "' is not a transition point this API knows.",
                             "transition_points");
    p.transition_points.push_back(*t);
  }
  MENTORING_RETURN_IF_ERROR(read_strings(o, "topics", p.topics));
  MENTORING_RETURN_IF_ERROR(read_enum(o, "location_preference", p.location_preference, core::parse_location_preference,
                                      "location_preference_invalid", "no_preference, local or remote"));
  MENTORING_RETURN_IF_ERROR(read_enum(o, "meeting_mode", p.meeting_mode, core::parse_meeting_mode,
                                      "meeting_mode_invalid", "no_preference, in_person or virtual"));
  MENTORING_RETURN_IF_ERROR(read_strings(o, "languages", p.languages));
  MENTORING_RETURN_IF_ERROR(read_string(o, "availability", p.availability));
  return p;
}

Result<core::MentorProfile> mentor_profile_from_json(std::int64_t accountid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"career_stage", "specialty", "site", "region", "expertise_areas",
                                               "capacity", "away_until", "languages", "bio"}));
  core::MentorProfile p;
  p.accountid = accountid;
  MENTORING_RETURN_IF_ERROR(
      read_enum(o, "career_stage", p.career_stage, core::parse_career_stage, "career_stage_invalid", kStages, true));
  MENTORING_RETURN_IF_ERROR(read_string(o, "specialty", p.specialty));
  MENTORING_RETURN_IF_ERROR(read_string(o, "site", p.site));
  MENTORING_RETURN_IF_ERROR(read_string(o, "region", p.region));
  MENTORING_RETURN_IF_ERROR(read_strings(o, "expertise_areas", p.expertise_areas));
  MENTORING_RETURN_IF_ERROR(read_int(o, "capacity", p.capacity));
  MENTORING_RETURN_IF_ERROR(read_date(o, "away_until", p.away_until));
  MENTORING_RETURN_IF_ERROR(read_strings(o, "languages", p.languages));
  MENTORING_RETURN_IF_ERROR(read_string(o, "bio", p.bio));
  return p;
}

Result<std::vector<core::TrainingModule>> training_modules_from_json(std::int64_t schemeid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"modules"}));
  auto items = array_field(o, "modules");
  if (!items) return items.status();
  std::vector<core::TrainingModule> out;
  for (const auto& item : **items) {
    auto entry = object_field(item, "modules");
    if (!entry) return entry.status();
    const json::object& e = **entry;
    MENTORING_RETURN_IF_ERROR(unknown_fields(e, {"code", "title", "required", "valid_for_months", "refresher_code"}));
    core::TrainingModule m;
    m.schemeid = schemeid;
    MENTORING_RETURN_IF_ERROR(read_string(e, "code", m.code, true));
    MENTORING_RETURN_IF_ERROR(read_string(e, "title", m.title));
    MENTORING_RETURN_IF_ERROR(read_bool(e, "required", m.required));
    MENTORING_RETURN_IF_ERROR(read_int(e, "valid_for_months", m.valid_for_months));
    MENTORING_RETURN_IF_ERROR(read_string(e, "refresher_code", m.refresher_code));
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::pair<std::int64_t, core::TrainingRecord>> training_record_from_json(std::int64_t accountid,
                                                                                const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"schemeid", "module_code", "completed_on", "expires_on"}));
  std::int64_t schemeid = 0;
  MENTORING_RETURN_IF_ERROR(read_int64(o, "schemeid", schemeid, true));
  core::TrainingRecord r;
  r.accountid = accountid;
  MENTORING_RETURN_IF_ERROR(read_string(o, "module_code", r.module_code, true));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "completed_on", r.completed_on));
  MENTORING_RETURN_IF_ERROR(read_date(o, "expires_on", r.expires_on));
  return std::make_pair(schemeid, std::move(r));
}

Result<core::CpdEntry> cpd_entry_from_json(std::int64_t accountid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"date", "hours", "activity"}));
  core::CpdEntry c;
  c.accountid = accountid;
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "date", c.date));
  std::optional<double> hours;
  MENTORING_RETURN_IF_ERROR(read_number(o, "hours", hours));
  if (!hours) return field_required("hours");
  c.hours = *hours;
  MENTORING_RETURN_IF_ERROR(read_string(o, "activity", c.activity));
  return c;
}

Result<core::AgreementTemplate> agreement_from_json(std::int64_t schemeid, const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(
      o, {"frequency", "meeting_minutes", "duration_months", "boundaries", "ground_rules", "confidentiality"}));
  core::AgreementTemplate a;
  a.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(read_enum(o, "frequency", a.frequency, core::parse_meeting_frequency,
                                      "agreement_frequency_invalid",
                                      "weekly, fortnightly, monthly or every_six_weeks"));
  MENTORING_RETURN_IF_ERROR(read_int(o, "meeting_minutes", a.meeting_minutes));
  MENTORING_RETURN_IF_ERROR(read_int(o, "duration_months", a.duration_months));
  MENTORING_RETURN_IF_ERROR(read_string(o, "boundaries", a.boundaries));
  MENTORING_RETURN_IF_ERROR(read_string(o, "ground_rules", a.ground_rules));
  MENTORING_RETURN_IF_ERROR(read_string(o, "confidentiality", a.confidentiality));
  return a;
}

Result<std::optional<core::Date>> date_from_query(std::string_view value, const char* name) {
  if (value.empty()) return std::optional<core::Date>();
  auto d = core::Date::parse(value);
  if (!d)
    return Status::invalid("query_not_date",
                           std::string("The query parameter '") + name + "' must be a date like 2026-08-05.", name);
  return std::optional<core::Date>(*d);
}

Result<std::int64_t> id_from_query(std::string_view value, const char* name) {
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc() || p != value.data() + value.size() || out < 0)
    return Status::invalid("query_not_id", std::string("The query parameter '") + name + "' must be an id.", name);
  return out;
}

}  // namespace mentoring::api
