#include "core/relationship/goal.h"

#include "core/text.h"

namespace mentoring::core::relationship {

const char* to_string(GoalStatus v) {
  switch (v) {
    case GoalStatus::kOpen: return "open";
    case GoalStatus::kAchieved: return "achieved";
    case GoalStatus::kDropped: return "dropped";
  }
  return "open";
}

std::optional<GoalStatus> parse_goal_status(std::string_view s) {
  for (auto v : {GoalStatus::kOpen, GoalStatus::kAchieved, GoalStatus::kDropped})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

namespace {

Status text_field(const std::string& value, const char* field, bool required, const char* required_reason,
                  const char* required_message) {
  if (required && trim(value).empty()) return Status::invalid(required_reason, required_message, field);
  if (value.size() > kMaxGoalTextLength || !is_valid_utf8_text(value, true))
    return Status::invalid("goal_text_invalid", "Each part of a goal must be text of at most 1,000 characters.",
                           field);
  return Status::ok();
}

}  // namespace

Status validate(const Goal& g, std::optional<Date> today) {
  if (trim(g.title).empty()) return Status::invalid("goal_title_required", "Give the goal a short title.", "title");
  if (g.title.size() > kMaxGoalTitleLength || !is_valid_utf8_text(g.title))
    return Status::invalid("goal_title_invalid", "The title must be text of at most 200 characters on one line.",
                           "title");
  MENTORING_RETURN_IF_ERROR(text_field(g.specific, "specific", true, "goal_specific_required",
                                       "Say exactly what you want to achieve."));
  MENTORING_RETURN_IF_ERROR(text_field(g.measurable, "measurable", true, "goal_measurable_required",
                                       "Say how you will know you have achieved it."));
  MENTORING_RETURN_IF_ERROR(text_field(g.achievable, "achievable", false, "", ""));
  MENTORING_RETURN_IF_ERROR(text_field(g.relevant, "relevant", false, "", ""));
  if (today) {
    if (g.target_on < *today)
      return Status::invalid("goal_target_in_past", "The target date must be today or later.", "target_on");
    if (g.target_on > today->plus_days(kMaxGoalHorizonDays))
      return Status::invalid("goal_target_too_far", "The target date must be within three years.", "target_on");
    if (g.review_on && *g.review_on < *today)
      return Status::invalid("goal_review_in_past", "The review date must be today or later.", "review_on");
  }
  if (g.review_on && *g.review_on > g.target_on)
    return Status::invalid("goal_review_after_target", "Review the goal on or before its target date.", "review_on");
  return Status::ok();
}

Status validate_note(const std::string& text) {
  if (trim(text).empty()) return Status::invalid("goal_note_required", "Write the progress note.", "note");
  if (text.size() > kMaxGoalNoteLength || !is_valid_utf8_text(text, true))
    return Status::invalid("goal_note_invalid", "A progress note must be text of at most 2,000 characters.", "note");
  return Status::ok();
}

}  // namespace mentoring::core::relationship
