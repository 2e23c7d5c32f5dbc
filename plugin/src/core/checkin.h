// Midpoint and end check-ins (toolkit, "Other types of support mentees may
// need": "a midpoint group check-in ... to hear feedback on what is working
// well and what can be improved" and "an end-of-scheme meeting ... to
// feedback on what went well and what could be improved"; "You may also
// wish to collect feedback throughout the scheme ... early problems can be
// identified and solved").
//
// Each party of a pairing (mentee and mentor) answers a short structured
// form twice: at the midpoint between the pairing's start and the end of
// the cohort's mentoring period, and at the end. Answers can be changed
// until the window closes. Staff see who is overdue; the answers feed the
// evaluation only in aggregate.
//
// Pure: the schedule, the form rules and the aggregate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/enrolment.h"
#include "core/status.h"

namespace mentoring::core {

enum class CheckinPhase { kMidpoint, kEnd };
const char* to_string(CheckinPhase v);  // "midpoint", "end"
std::optional<CheckinPhase> parse_checkin_phase(std::string_view s);

// "Is the mentoring relationship working for you?"
enum class CheckinWorking { kYes, kPartly, kNo };
const char* to_string(CheckinWorking v);  // "yes", "partly", "no"
std::optional<CheckinWorking> parse_checkin_working(std::string_view s);

// "How often have you met?"
enum class CheckinFrequency { kWeekly, kFortnightly, kMonthly, kLessOften, kNotMet };
// "weekly", "fortnightly", "monthly", "less_often", "not_met".
const char* to_string(CheckinFrequency v);
std::optional<CheckinFrequency> parse_checkin_frequency(std::string_view s);

// "Would you continue?" (midpoint: with this pairing; end: with mentoring,
// for a mentee as a future mentor).
enum class WouldContinue { kYes, kUnsure, kNo };
const char* to_string(WouldContinue v);  // "yes", "unsure", "no"
std::optional<WouldContinue> parse_would_continue(std::string_view s);

// Goals progress is 1 (none) .. 5 (fully met).
inline constexpr int kMinGoalsProgress = 1;
inline constexpr int kMaxGoalsProgress = 5;
inline constexpr std::size_t kMaxCheckinCommentsLength = 2000;
// The midpoint form opens 14 days before its due date and the end form 28
// days before; both stay open for 28 days after their due date.
inline constexpr int kMidpointOpensDaysBefore = 14;
inline constexpr int kEndOpensDaysBefore = 28;
inline constexpr int kCheckinOpenDaysAfter = 28;

struct CheckinWindow {
  Date opens_on;
  Date due_on;
  Date closes_on;  // inclusive
};

struct CheckinSchedule {
  CheckinWindow midpoint;
  CheckinWindow end;
  const CheckinWindow& window(CheckinPhase p) const { return p == CheckinPhase::kMidpoint ? midpoint : end; }
};

// Due dates from the day the pairing started and the last day of the
// cohort's mentoring period: the end check-in is due on `ends_on`, the
// midpoint halfway between (rounded down). A pairing that starts on or
// after `ends_on` has both due on `ends_on`. Opening dates are never before
// the start.
CheckinSchedule checkin_schedule(Date started_on, Date ends_on);

// failed_precondition checkin_not_open before the window opens,
// checkin_closed after it closes.
Status check_checkin_open(const CheckinWindow& window, Date today);

// The form as a person sends it.
struct CheckinAnswers {
  CheckinWorking working = CheckinWorking::kYes;
  CheckinFrequency frequency = CheckinFrequency::kMonthly;
  int goals_progress = 0;
  WouldContinue would_continue = WouldContinue::kYes;
  std::string comments;  // optional free text
};

// Reasons: checkin_goals_progress_invalid (not 1..5),
// checkin_comments_too_long, checkin_comments_invalid. Trims the comments.
Result<CheckinAnswers> validate(CheckinAnswers answers);

struct CheckinResponse {
  std::int64_t id = 0;
  std::int64_t pairingid = 0;
  std::int64_t cohortid = 0;
  std::int64_t accountid = 0;
  Role role = Role::kMentee;
  CheckinPhase phase = CheckinPhase::kMidpoint;
  CheckinAnswers answers;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// Counts for one phase and role of a cohort. Evaluation shows them only when
// `responses` reaches the disclosure threshold (app/checkins.h).
struct CheckinTally {
  CheckinPhase phase = CheckinPhase::kMidpoint;
  Role role = Role::kMentee;
  std::int64_t responses = 0;
  std::int64_t working_yes = 0, working_partly = 0, working_no = 0;
  std::int64_t not_met = 0;
  std::int64_t would_continue_yes = 0;
  double mean_goals_progress = 0;  // 0 when there are no responses
};

// One tally per (phase, role), midpoint mentees first, then midpoint
// mentors, end mentees, end mentors; comments are never part of a tally.
std::vector<CheckinTally> tally_checkins(const std::vector<CheckinResponse>& responses);

}  // namespace mentoring::core
