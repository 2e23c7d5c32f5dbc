// SMART objectives: how a scheme says what it will achieve and how it will be
// evaluated (toolkit, "Organisation aims and objectives": "This should include
// SMART objectives that can be used to evaluate the mentoring scheme").
//
// A scheme's aims are broad and may be unmeasurable ("improving staff
// experience"); each objective is tied to one aim and is Specific, Measurable,
// Achievable, Relevant and Time-bound. `validate` checks each letter and
// refuses what cannot be evaluated; whether a target is achievable is a
// judgement, so it only produces warnings that staff may accept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core {

// Something worth telling a person that does not stop them: a soft warning
// ("the target is more than ten times the baseline") or one unmet factor in a
// checklist. `reason` is stable snake_case; `field` names the input it is
// about (may be empty); `message` is one sentence in English.
struct Finding {
  std::string reason;
  std::string field;
  std::string message;
};

// `date` moved by whole calendar months, clamped to the end of a shorter
// month (2026-01-31 + 1 month = 2026-02-28). Negative `months` go back.
Date add_months(Date date, int months);

enum class ObjectiveDirection { kIncrease, kDecrease };
const char* to_string(ObjectiveDirection v);  // "increase", "decrease"
std::optional<ObjectiveDirection> parse_objective_direction(std::string_view s);

enum class ObjectiveState { kNoData, kOnTrack, kAtRisk, kAchieved, kMissed };
const char* to_string(ObjectiveState v);  // "no_data", "on_track", "at_risk", "achieved", "missed"
std::optional<ObjectiveState> parse_objective_state(std::string_view s);

struct Objective {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  std::string what;      // specific: "Increase the share of FY1 doctors who feel prepared for practice"
  std::string metric;    // measurable: "FY1 preparedness survey, % agreeing"
  double baseline = 0;   // the value when the objective was set
  std::string unit;      // what the numbers count: "%", "trainees", "applications"
  Date baseline_on;      // when the baseline was measured; progress is timed from here
  double target = 0;
  ObjectiveDirection direction = ObjectiveDirection::kIncrease;
  Date deadline;         // time-bound
  std::int64_t ownerid = 0;   // account responsible for reporting on it
  int aim_index = 0;     // relevant: index into split_aims(scheme.aims)
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// What staff type in. Optional members are the ones a form may leave blank;
// `validate` says which blank matters.
struct ObjectiveInput {
  std::int64_t schemeid = 0;
  std::string what;
  std::string metric;
  std::optional<double> baseline;
  std::string unit;
  std::optional<Date> baseline_on;  // defaults to the day the objective is set
  std::optional<double> target;
  ObjectiveDirection direction = ObjectiveDirection::kIncrease;
  std::optional<Date> deadline;
  std::int64_t ownerid = 0;
  std::optional<int> aim_index;
};

inline constexpr std::size_t kMaxObjectiveWhatLength = 500;
inline constexpr std::size_t kMaxObjectiveMetricLength = 300;
inline constexpr std::size_t kMaxObjectiveUnitLength = 40;
inline constexpr int kMaxObjectiveYears = 5;
// A target this many times the baseline (or more) is flagged as perhaps not achievable.
inline constexpr double kAmbitiousTargetRatio = 10.0;
// A deadline closer than this many days leaves little time to see any change.
inline constexpr int kShortObjectiveDays = 90;
// Progress this far (as a fraction of the whole change) behind a straight line
// from baseline to target is "at risk".
inline constexpr double kAtRiskTolerance = 0.15;

// A scheme's aims text as a list: one aim per non-blank line, with list
// markers ("- ", "* ", "• ", "1. ", "1) ") removed. `aim_index` points into it.
std::vector<std::string> split_aims(std::string_view aims_text);

// Checks each SMART letter in turn (specific, measurable, relevant,
// time-bound) and returns the first hard problem, naming the field. When the
// objective is acceptable it returns the soft warnings about achievability
// (possibly none) for staff to confirm.
//
// Reasons: objective_scheme_required, objective_what_required,
// objective_what_invalid, objective_what_too_vague, objective_metric_required,
// objective_metric_invalid, objective_baseline_required,
// objective_baseline_invalid, objective_unit_required, objective_unit_invalid,
// objective_target_required, objective_target_invalid,
// objective_target_equals_baseline, objective_target_wrong_direction,
// objective_percentage_out_of_range, objective_aim_required,
// objective_scheme_has_no_aims, objective_aim_unknown,
// objective_deadline_required, objective_deadline_not_future,
// objective_deadline_too_far, objective_baseline_date_in_future,
// objective_baseline_date_after_deadline, objective_owner_required.
// Warnings: objective_target_ambitious, objective_target_zero,
// objective_deadline_soon.
Result<std::vector<Finding>> validate(const ObjectiveInput& input, const std::vector<std::string>& scheme_aims,
                                      Date today);

// The stored form of a validated input (baseline_on defaults to `today`).
// Call only after `validate` succeeded.
Objective make_objective(const ObjectiveInput& input, Date today);

struct ObjectiveProgress {
  // How far the latest value has moved from the baseline towards the target,
  // clamped to 0..1 (moving the wrong way is 0).
  double fraction = 0;
  // How far through the time from baseline_on to the deadline `today` is, 0..1.
  double time_elapsed = 0;
  ObjectiveState state = ObjectiveState::kNoData;
};

// Where an objective stands on `today` given its latest measurement:
//   no_data  - nothing measured yet;
//   achieved - the latest value has reached the target;
//   missed   - the deadline has passed without reaching it;
//   at_risk  - progress is more than kAtRiskTolerance behind a straight line
//              from baseline to target over the objective's time;
//   on_track - otherwise.
ObjectiveProgress progress(const Objective& objective, std::optional<double> latest_value, Date today);

}  // namespace mentoring::core
