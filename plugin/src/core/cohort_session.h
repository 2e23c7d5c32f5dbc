// Group sessions of a cohort (the toolkit's "Mentees": a midpoint group
// check-in and an end-of-scheme meeting) and who attended them, with the
// rules for scheduling one. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.h"
#include "core/scheme.h"
#include "core/status.h"

namespace mentoring::core {

enum class SessionKind { kMidpoint, kEnd };
const char* to_string(SessionKind v);  // "midpoint", "end"
std::optional<SessionKind> parse_session_kind(std::string_view s);

inline constexpr std::size_t kMaxSessionTitleLength = 200;
inline constexpr std::size_t kMaxSessionLocationLength = 500;
inline constexpr int kMinSessionMinutes = 15;
inline constexpr int kMaxSessionMinutes = 480;
// A session may start up to this many days after the cohort's mentoring
// ends, so the end-of-scheme meeting can follow the last day.
inline constexpr std::int64_t kSessionDaysAfterEnd = 30;

struct CohortSessionInput {
  std::int64_t cohortid = 0;
  SessionKind kind = SessionKind::kMidpoint;
  std::string title;     // "Midpoint group check-in", 1..200 bytes, one line
  UnixSeconds starts_at = 0;
  int minutes = 60;      // 15..480
  std::string location;  // a room or a joining link, at most 500 bytes, one line
};

struct CohortSession {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  SessionKind kind = SessionKind::kMidpoint;
  std::string title;
  UnixSeconds starts_at = 0;
  int minutes = 0;
  std::string location;
  std::optional<std::int64_t> created_by;  // the staff account; none for a service call
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// One enrolment's attendance at one session. The last two fields record,
// once, what attending the end-of-scheme meeting did.
struct SessionAttendance {
  std::int64_t id = 0;
  std::int64_t sessionid = 0;
  std::int64_t enrolmentid = 0;
  bool attended = false;
  std::optional<std::int64_t> recorded_by;
  std::optional<std::int64_t> cpd_entryid;          // the mentor's CPD entry for the meeting
  std::optional<UnixSeconds> mentor_invited_at;     // the mentee was invited to mentor
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// invalid_argument naming the field: "session_title_required",
// "session_title_too_long", "session_title_invalid" (not one line of
// UTF-8), "session_location_too_long", "session_location_invalid",
// "session_minutes_invalid" (outside 15..480), "session_outside_cohort"
// (starting before the cohort's mentoring starts or more than 30 days
// after it ends).
Status validate(const CohortSessionInput& input, const Cohort& cohort);

// CPD hours for attending a session of `minutes`: whole quarter hours,
// rounded down (15..480 minutes gives 0.25..8).
double session_cpd_hours(int minutes);

}  // namespace mentoring::core
