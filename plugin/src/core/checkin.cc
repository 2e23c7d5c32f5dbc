#include "core/checkin.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/enum_names.h"
#include "core/text.h"

namespace mentoring::core {
namespace {

constexpr std::array<std::pair<CheckinPhase, const char*>, 2> kPhases{{
    {CheckinPhase::kMidpoint, "midpoint"},
    {CheckinPhase::kEnd, "end"},
}};
constexpr std::array<std::pair<CheckinWorking, const char*>, 3> kWorking{{
    {CheckinWorking::kYes, "yes"},
    {CheckinWorking::kPartly, "partly"},
    {CheckinWorking::kNo, "no"},
}};
constexpr std::array<std::pair<CheckinFrequency, const char*>, 5> kFrequencies{{
    {CheckinFrequency::kWeekly, "weekly"},
    {CheckinFrequency::kFortnightly, "fortnightly"},
    {CheckinFrequency::kMonthly, "monthly"},
    {CheckinFrequency::kLessOften, "less_often"},
    {CheckinFrequency::kNotMet, "not_met"},
}};
constexpr std::array<std::pair<WouldContinue, const char*>, 3> kContinue{{
    {WouldContinue::kYes, "yes"},
    {WouldContinue::kUnsure, "unsure"},
    {WouldContinue::kNo, "no"},
}};

CheckinWindow window_for(Date due, int opens_before, Date started_on) {
  CheckinWindow w;
  w.due_on = due;
  w.opens_on = std::max(due.plus_days(-opens_before), std::min(started_on, due));
  w.closes_on = due.plus_days(kCheckinOpenDaysAfter);
  return w;
}

}  // namespace

const char* to_string(CheckinPhase v) { return name_of(v, kPhases); }
const char* to_string(CheckinWorking v) { return name_of(v, kWorking); }
const char* to_string(CheckinFrequency v) { return name_of(v, kFrequencies); }
const char* to_string(WouldContinue v) { return name_of(v, kContinue); }
std::optional<CheckinPhase> parse_checkin_phase(std::string_view s) { return parse_from(s, kPhases); }
std::optional<CheckinWorking> parse_checkin_working(std::string_view s) { return parse_from(s, kWorking); }
std::optional<CheckinFrequency> parse_checkin_frequency(std::string_view s) { return parse_from(s, kFrequencies); }
std::optional<WouldContinue> parse_would_continue(std::string_view s) { return parse_from(s, kContinue); }

CheckinSchedule checkin_schedule(Date started_on, Date ends_on) {
  CheckinSchedule s;
  Date midpoint_due = ends_on;
  if (started_on < ends_on) {
    const std::int64_t span = ends_on.days_since_epoch() - started_on.days_since_epoch();
    midpoint_due = started_on.plus_days(span / 2);
  }
  s.midpoint = window_for(midpoint_due, kMidpointOpensDaysBefore, started_on);
  s.end = window_for(ends_on, kEndOpensDaysBefore, started_on);
  return s;
}

Status check_checkin_open(const CheckinWindow& window, Date today) {
  if (today < window.opens_on)
    return Status::failed_precondition("checkin_not_open",
                                       "This check-in opens on " + window.opens_on.to_string() + ".");
  if (window.closes_on < today)
    return Status::failed_precondition("checkin_closed",
                                       "This check-in closed on " + window.closes_on.to_string() + ".");
  return Status::ok();
}

Result<CheckinAnswers> validate(CheckinAnswers answers) {
  if (answers.goals_progress < kMinGoalsProgress || answers.goals_progress > kMaxGoalsProgress)
    return Status::invalid("checkin_goals_progress_invalid", "Choose how far your goals have progressed, 1 to 5.",
                           "goals_progress");
  if (!is_valid_utf8_text(answers.comments, /*multiline=*/true))
    return Status::invalid("checkin_comments_invalid", "The comments must be plain text.", "comments");
  answers.comments = trim(answers.comments);
  if (answers.comments.size() > kMaxCheckinCommentsLength)
    return Status::invalid("checkin_comments_too_long", "The comments must be at most 2000 bytes.", "comments");
  return answers;
}

std::vector<CheckinTally> tally_checkins(const std::vector<CheckinResponse>& responses) {
  std::vector<CheckinTally> out;
  for (CheckinPhase phase : {CheckinPhase::kMidpoint, CheckinPhase::kEnd}) {
    for (Role role : {Role::kMentee, Role::kMentor}) {
      CheckinTally t;
      t.phase = phase;
      t.role = role;
      std::int64_t progress_sum = 0;
      for (const CheckinResponse& r : responses) {
        if (r.phase != phase || r.role != role) continue;
        ++t.responses;
        switch (r.answers.working) {
          case CheckinWorking::kYes: ++t.working_yes; break;
          case CheckinWorking::kPartly: ++t.working_partly; break;
          case CheckinWorking::kNo: ++t.working_no; break;
        }
        if (r.answers.frequency == CheckinFrequency::kNotMet) ++t.not_met;
        if (r.answers.would_continue == WouldContinue::kYes) ++t.would_continue_yes;
        progress_sum += r.answers.goals_progress;
      }
      if (t.responses > 0) t.mean_goals_progress = static_cast<double>(progress_sum) / static_cast<double>(t.responses);
      out.push_back(t);
    }
  }
  return out;
}

}  // namespace mentoring::core
