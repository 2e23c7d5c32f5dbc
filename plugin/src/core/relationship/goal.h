// The mentee's goals: their personal development plan (toolkit: "Personal
// development plan or goal setting"). Each goal is written the SMART way:
// specific, measurable, achievable, relevant and time-bound (a target date),
// with an optional date to review it together. A goal is open until it is
// achieved or dropped; both people may add progress notes. Goals are seen
// only by the pair.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core::relationship {

enum class GoalStatus { kOpen, kAchieved, kDropped };
const char* to_string(GoalStatus v);  // "open", "achieved", "dropped"
std::optional<GoalStatus> parse_goal_status(std::string_view s);

inline constexpr std::size_t kMaxGoalTitleLength = 200;
inline constexpr std::size_t kMaxGoalTextLength = 1000;
inline constexpr std::size_t kMaxGoalNoteLength = 2000;
// A goal's target is at most three years away (the longest agreement).
inline constexpr std::int64_t kMaxGoalHorizonDays = 3 * 366;

struct Goal {
  std::int64_t id = 0;
  std::int64_t pairingid = 0;
  std::int64_t accountid = 0;  // the mentee whose goal it is
  std::string title;           // required, one line
  std::string specific;        // required: what exactly
  std::string measurable;      // required: how you will know
  std::string achievable;      // optional: why it is within reach
  std::string relevant;        // optional: why it matters now
  Date target_on;              // time-bound
  std::optional<Date> review_on;
  GoalStatus status = GoalStatus::kOpen;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct GoalNote {
  std::int64_t id = 0;
  std::int64_t goalid = 0;
  std::int64_t accountid = 0;  // who wrote it
  std::string text;
  UnixSeconds timecreated = 0;
};

// Invalid argument with the field named. Reasons: goal_title_required,
// goal_title_invalid, goal_specific_required, goal_measurable_required,
// goal_text_invalid, goal_target_in_past, goal_target_too_far,
// goal_review_in_past, goal_review_after_target. Dates in the past are
// refused only when `today` is given (a new goal or a changed date).
Status validate(const Goal& goal, std::optional<Date> today);

// Reasons: goal_note_required, goal_note_invalid.
Status validate_note(const std::string& text);

}  // namespace mentoring::core::relationship
