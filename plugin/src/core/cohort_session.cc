#include "core/cohort_session.h"

#include "core/text.h"

namespace mentoring::core {

const char* to_string(SessionKind v) { return v == SessionKind::kEnd ? "end" : "midpoint"; }

std::optional<SessionKind> parse_session_kind(std::string_view s) {
  if (s == "midpoint") return SessionKind::kMidpoint;
  if (s == "end") return SessionKind::kEnd;
  return std::nullopt;
}

Status validate(const CohortSessionInput& in, const Cohort& cohort) {
  if (in.title.empty()) return Status::invalid("session_title_required", "Give the session a title.", "title");
  if (in.title.size() > kMaxSessionTitleLength)
    return Status::invalid("session_title_too_long", "The title must be at most 200 bytes.", "title");
  if (!is_valid_utf8_text(in.title))
    return Status::invalid("session_title_invalid", "The title must be one line of text.", "title");
  if (in.location.size() > kMaxSessionLocationLength)
    return Status::invalid("session_location_too_long", "The location must be at most 500 bytes.", "location");
  if (!is_valid_utf8_text(in.location))
    return Status::invalid("session_location_invalid", "The location must be one line of text.", "location");
  if (in.minutes < kMinSessionMinutes || in.minutes > kMaxSessionMinutes)
    return Status::invalid("session_minutes_invalid", "A session lasts from 15 to 480 minutes.", "minutes");
  const Date day = Date::from_unix(in.starts_at);
  if (day < cohort.starts_on || day > cohort.ends_on.plus_days(kSessionDaysAfterEnd))
    return Status::invalid("session_outside_cohort",
                           "The session must start between the cohort's start (" + cohort.starts_on.to_string() +
                               ") and 30 days after its end (" + cohort.ends_on.to_string() + ").",
                           "starts_at");
  return Status::ok();
}

double session_cpd_hours(int minutes) { return static_cast<double>(minutes / 15) * 0.25; }

}  // namespace mentoring::core
