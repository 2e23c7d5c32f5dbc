#include "core/scheme.h"

#include "core/text.h"

namespace mentoring::core {

const char* to_string(SchemeType v) {
  switch (v) {
    case SchemeType::kTraditional: return "traditional";
    case SchemeType::kNearPeer: return "near_peer";
    case SchemeType::kReverse: return "reverse";
    case SchemeType::kReciprocal: return "reciprocal";
  }
  return "traditional";
}

const char* to_string(SchemePhase v) {
  return v == SchemePhase::kBusinessAsUsual ? "business_as_usual" : "pilot";
}

const char* to_string(MatchingModel v) {
  switch (v) {
    case MatchingModel::kAssigned: return "assigned";
    case MatchingModel::kMenteeChoice: return "mentee_choice";
    case MatchingModel::kHybrid: return "hybrid";
  }
  return "assigned";
}

std::optional<SchemeType> parse_scheme_type(std::string_view s) {
  for (auto v : {SchemeType::kTraditional, SchemeType::kNearPeer, SchemeType::kReverse, SchemeType::kReciprocal})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::optional<SchemePhase> parse_scheme_phase(std::string_view s) {
  for (auto v : {SchemePhase::kPilot, SchemePhase::kBusinessAsUsual})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::optional<MatchingModel> parse_matching_model(std::string_view s) {
  for (auto v : {MatchingModel::kAssigned, MatchingModel::kMenteeChoice, MatchingModel::kHybrid})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

Status validate(const SchemeInput& in) {
  const std::string name = trim(in.name);
  if (name.empty()) return Status::invalid("scheme_name_required", "Give the scheme a name.", "name");
  if (in.name.size() > kMaxSchemeNameLength || !is_valid_utf8_text(in.name))
    return Status::invalid("scheme_name_invalid",
                           "The scheme name must be text of at most 200 characters.", "name");
  if (in.aims.size() > kMaxAimsLength || !is_valid_utf8_text(in.aims, /*multiline=*/true))
    return Status::invalid("scheme_aims_invalid", "The aims must be text of at most 10,000 characters.", "aims");
  return Status::ok();
}

Status validate(const CohortInput& in) {
  if (in.schemeid <= 0) return Status::invalid("cohort_scheme_required", "Choose the cohort's scheme.", "schemeid");
  const std::string name = trim(in.name);
  if (name.empty()) return Status::invalid("cohort_name_required", "Give the cohort a name.", "name");
  if (in.name.size() > kMaxSchemeNameLength || !is_valid_utf8_text(in.name))
    return Status::invalid("cohort_name_invalid", "The cohort name must be text of at most 200 characters.", "name");
  if (in.closes_on < in.opens_on)
    return Status::invalid("cohort_closes_before_opens", "Enrolment must close on or after the day it opens.",
                           "closes_on");
  if (in.ends_on < in.starts_on)
    return Status::invalid("cohort_ends_before_starts", "Mentoring must end on or after the day it starts.",
                           "ends_on");
  if (in.ends_on < in.closes_on)
    return Status::invalid("cohort_closes_after_end", "Enrolment must close before mentoring ends.", "closes_on");
  if (in.ends_on.days_since_epoch() - in.opens_on.days_since_epoch() > 3 * 366)
    return Status::invalid("cohort_too_long", "A cohort can last at most three years from enrolment opening.",
                           "ends_on");
  return Status::ok();
}

namespace {
Date first_wednesday(int year, int month) {
  Date d = *Date::from_ymd(year, month, 1);
  // 1970-01-01 was a Thursday: weekday index 0 = Thursday ... 6 = Wednesday.
  const std::int64_t wd = ((d.days_since_epoch() % 7) + 7) % 7;
  return d.plus_days((6 - wd + 7) % 7);
}
}  // namespace

CohortInput default_cohort_after(std::int64_t schemeid, Date today) {
  Date start = first_wednesday(today.year(), today.month() <= 2 ? 2 : 8);
  if (start < today) {
    start = today.month() < 8 ? first_wednesday(today.year(), 8) : first_wednesday(today.year() + 1, 2);
    if (start < today) start = first_wednesday(today.year() + 1, 2);
  }
  CohortInput c;
  c.schemeid = schemeid;
  c.name = (start.month() == 8 ? "August " : "February ") + std::to_string(start.year());
  c.opens_on = start.plus_days(-56);
  c.closes_on = start;
  c.starts_on = start;
  c.ends_on = start.plus_days(364);
  return c;
}

Status check_enrolment_window(const Cohort& c, Date today) {
  if (today < c.opens_on)
    return Status::failed_precondition("enrolment_not_open",
                                       "Enrolment for " + c.name + " opens on " + c.opens_on.to_string() + ".");
  if (c.closes_on < today)
    return Status::failed_precondition("enrolment_closed",
                                       "Enrolment for " + c.name + " closed on " + c.closes_on.to_string() + ".");
  return Status::ok();
}

}  // namespace mentoring::core
