#include "core/objective.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/text.h"

namespace mentoring::core {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool is_single_line(std::string_view s, std::size_t max) {
  return s.size() <= max && is_valid_utf8_text(s, /*multiline=*/false);
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Words that carry no subject of their own. An objective made only of these
// ("improve things", "make everything better") says nothing anyone could
// measure, so at least two other words are required.
const std::set<std::string>& generic_words() {
  static const std::set<std::string> kWords = {
      "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "with", "by", "at", "as", "be", "is", "are",
      "our", "we", "us", "it", "its", "this", "that", "all", "every", "everyone", "everybody", "everything",
      "things", "thing", "stuff", "lots", "lot", "more", "less", "much", "many", "very", "really", "generally",
      "general", "overall", "better", "best", "good", "great", "improve", "improved", "improving", "improvement",
      "increase", "increased", "increasing", "decrease", "decreased", "reduce", "reduced", "reducing", "make",
      "making", "do", "doing", "get", "getting", "have", "help", "support", "work", "working", "people", "etc",
      "some", "somehow", "various", "area", "areas", "aspects", "outcomes", "experience", "culture", "scheme",
      "mentoring"};
  return kWords;
}

// Splits on anything that is not an ASCII letter or digit; bytes above 0x7F
// count as letters so words in other scripts are kept whole.
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  for (unsigned char c : s) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (letter) {
      cur.push_back(static_cast<char>(c));
    } else if (!cur.empty()) {
      out.push_back(lower_ascii(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(lower_ascii(cur));
  return out;
}

bool is_percent_unit(std::string_view unit) {
  const std::string u = lower_ascii(trim(unit));
  return u == "%" || u == "percent" || u == "per cent" || u == "percentage";
}

}  // namespace

Date add_months(Date date, int months) {
  const std::int64_t total = static_cast<std::int64_t>(date.year()) * 12 + (date.month() - 1) + months;
  const int year = static_cast<int>(total / 12);
  const int month = static_cast<int>(total % 12) + 1;
  for (int day = date.day(); day >= 28; --day)
    if (auto d = Date::from_ymd(year, month, day)) return *d;
  if (auto d = Date::from_ymd(year, month, date.day())) return *d;
  // Outside the years Date supports: keep the arithmetic going in days.
  return date.plus_days(static_cast<std::int64_t>(months) * 30);
}

const char* to_string(ObjectiveDirection v) { return v == ObjectiveDirection::kDecrease ? "decrease" : "increase"; }

std::optional<ObjectiveDirection> parse_objective_direction(std::string_view s) {
  for (auto v : {ObjectiveDirection::kIncrease, ObjectiveDirection::kDecrease})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const char* to_string(ObjectiveState v) {
  switch (v) {
    case ObjectiveState::kNoData: return "no_data";
    case ObjectiveState::kOnTrack: return "on_track";
    case ObjectiveState::kAtRisk: return "at_risk";
    case ObjectiveState::kAchieved: return "achieved";
    case ObjectiveState::kMissed: return "missed";
  }
  return "no_data";
}

std::optional<ObjectiveState> parse_objective_state(std::string_view s) {
  for (auto v : {ObjectiveState::kNoData, ObjectiveState::kOnTrack, ObjectiveState::kAtRisk, ObjectiveState::kAchieved,
                 ObjectiveState::kMissed})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::vector<std::string> split_aims(std::string_view aims_text) {
  std::vector<std::string> aims;
  std::size_t start = 0;
  while (start <= aims_text.size()) {
    std::size_t end = aims_text.find_first_of("\r\n", start);
    if (end == std::string_view::npos) end = aims_text.size();
    std::string line = trim(aims_text.substr(start, end - start));
    // List markers people type or paste: "- ", "* ", "• ", "1. ", "2) ".
    if (line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0) {
      line = trim(std::string_view(line).substr(2));
    } else if (line.rfind("\xE2\x80\xA2", 0) == 0) {
      line = trim(std::string_view(line).substr(3));
    } else {
      std::size_t i = 0;
      while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
      if (i > 0 && i + 1 < line.size() && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ')
        line = trim(std::string_view(line).substr(i + 1));
    }
    if (!line.empty()) aims.push_back(std::move(line));
    start = end + 1;
  }
  return aims;
}

Result<std::vector<Finding>> validate(const ObjectiveInput& in, const std::vector<std::string>& scheme_aims,
                                      Date today) {
  if (in.schemeid <= 0)
    return Status::invalid("objective_scheme_required", "Choose the scheme this objective belongs to.", "schemeid");

  // S: specific.
  const std::string what = trim(in.what);
  if (what.empty())
    return Status::invalid("objective_what_required", "Say what the objective will achieve.", "what");
  if (!is_single_line(in.what, kMaxObjectiveWhatLength))
    return Status::invalid("objective_what_invalid",
                           "Describe the objective in one line of at most 500 characters.", "what");
  {
    const auto words = words_of(what);
    const auto specific = std::count_if(words.begin(), words.end(), [](const std::string& w) {
      return w.size() >= 2 && !generic_words().contains(w);
    });
    if (words.size() < 3 || what.size() < 15 || specific < 2)
      return Status::invalid("objective_what_too_vague",
                             "Say specifically who or what will change, for example 'Increase the share of FY1 "
                             "doctors who feel prepared for practice'.",
                             "what");
  }

  // M: measurable.
  if (trim(in.metric).empty())
    return Status::invalid("objective_metric_required",
                           "Say how the objective will be measured, for example 'annual FY1 preparedness survey'.",
                           "metric");
  if (!is_single_line(in.metric, kMaxObjectiveMetricLength))
    return Status::invalid("objective_metric_invalid", "Describe the measure in one line of at most 300 characters.",
                           "metric");
  if (!in.baseline)
    return Status::invalid("objective_baseline_required",
                           "Give the baseline: the value of the measure before the scheme starts.", "baseline");
  if (!std::isfinite(*in.baseline))
    return Status::invalid("objective_baseline_invalid", "The baseline must be a number.", "baseline");
  if (trim(in.unit).empty())
    return Status::invalid("objective_unit_required",
                           "Say what the numbers count, for example '%' or 'trainees'.", "unit");
  if (!is_single_line(in.unit, kMaxObjectiveUnitLength))
    return Status::invalid("objective_unit_invalid", "The unit must be one line of at most 40 characters.", "unit");
  if (!in.target)
    return Status::invalid("objective_target_required", "Give the target value the objective aims for.", "target");
  if (!std::isfinite(*in.target))
    return Status::invalid("objective_target_invalid", "The target must be a number.", "target");
  const double baseline = *in.baseline;
  const double target = *in.target;
  if (target == baseline)
    return Status::invalid("objective_target_equals_baseline",
                           "The target is the same as the baseline, so nothing would change.", "target");
  if (in.direction == ObjectiveDirection::kIncrease && target < baseline)
    return Status::invalid("objective_target_wrong_direction",
                           "The target (" + number(target) + ") is lower than the baseline (" + number(baseline) +
                               ") but the objective is to increase it.",
                           "target");
  if (in.direction == ObjectiveDirection::kDecrease && target > baseline)
    return Status::invalid("objective_target_wrong_direction",
                           "The target (" + number(target) + ") is higher than the baseline (" + number(baseline) +
                               ") but the objective is to decrease it.",
                           "target");
  if (is_percent_unit(in.unit)) {
    if (baseline < 0 || baseline > 100)
      return Status::invalid("objective_percentage_out_of_range", "A percentage baseline must be between 0 and 100.",
                             "baseline");
    if (target < 0 || target > 100)
      return Status::invalid("objective_percentage_out_of_range", "A percentage target must be between 0 and 100.",
                             "target");
  }

  // R: relevant to one of the scheme's aims.
  if (scheme_aims.empty())
    return Status::invalid("objective_scheme_has_no_aims",
                           "Write the scheme's aims first, one per line, so each objective can be linked to one.",
                           "aim_index");
  if (!in.aim_index)
    return Status::invalid("objective_aim_required", "Choose the scheme aim this objective supports.", "aim_index");
  if (*in.aim_index < 0 || static_cast<std::size_t>(*in.aim_index) >= scheme_aims.size())
    return Status::invalid("objective_aim_unknown", "Choose one of the scheme's aims.", "aim_index");

  // T: time-bound.
  if (!in.deadline)
    return Status::invalid("objective_deadline_required", "Give the date by which the target should be reached.",
                           "deadline");
  if (*in.deadline <= today)
    return Status::invalid("objective_deadline_not_future", "The deadline must be after today.", "deadline");
  if (*in.deadline > add_months(today, kMaxObjectiveYears * 12))
    return Status::invalid("objective_deadline_too_far",
                           "The deadline must be within five years, so the objective can be evaluated.", "deadline");
  const Date baseline_on = in.baseline_on.value_or(today);
  if (baseline_on > today)
    return Status::invalid("objective_baseline_date_in_future", "The baseline cannot be measured in the future.",
                           "baseline_on");
  if (baseline_on >= *in.deadline)
    return Status::invalid("objective_baseline_date_after_deadline",
                           "The baseline must be measured before the deadline.", "baseline_on");

  if (in.ownerid <= 0)
    return Status::invalid("objective_owner_required", "Choose who is responsible for reporting on this objective.",
                           "ownerid");

  // A: achievable. A judgement for the people who know the scheme, so only warnings.
  std::vector<Finding> warnings;
  if (in.direction == ObjectiveDirection::kIncrease && baseline > 0 && target >= kAmbitiousTargetRatio * baseline)
    warnings.push_back({"objective_target_ambitious", "target",
                        "The target (" + number(target) + ") is at least ten times the baseline (" +
                            number(baseline) + "); check that it is achievable."});
  if (in.direction == ObjectiveDirection::kDecrease && target == 0 && baseline > 0)
    warnings.push_back({"objective_target_zero", "target",
                        "The target removes the problem entirely; check that reaching zero is achievable."});
  if (in.deadline->days_since_epoch() - today.days_since_epoch() < kShortObjectiveDays)
    warnings.push_back({"objective_deadline_soon", "deadline",
                        "The deadline is less than three months away, which may be too soon to see a change."});
  return warnings;
}

Objective make_objective(const ObjectiveInput& in, Date today) {
  Objective o;
  o.schemeid = in.schemeid;
  o.what = trim(in.what);
  o.metric = trim(in.metric);
  o.baseline = in.baseline.value_or(0);
  o.unit = trim(in.unit);
  o.baseline_on = in.baseline_on.value_or(today);
  o.target = in.target.value_or(0);
  o.direction = in.direction;
  o.deadline = in.deadline.value_or(today);
  o.ownerid = in.ownerid;
  o.aim_index = in.aim_index.value_or(0);
  return o;
}

ObjectiveProgress progress(const Objective& o, std::optional<double> latest, Date today) {
  ObjectiveProgress p;
  const double span_days =
      static_cast<double>(o.deadline.days_since_epoch() - o.baseline_on.days_since_epoch());
  const double gone_days = static_cast<double>(today.days_since_epoch() - o.baseline_on.days_since_epoch());
  p.time_elapsed = span_days > 0 ? std::clamp(gone_days / span_days, 0.0, 1.0) : 1.0;

  if (!latest || !std::isfinite(*latest)) {
    p.state = ObjectiveState::kNoData;
    return p;
  }
  const double change = o.target - o.baseline;
  // change is never 0 for a validated objective; treat a stored 0 as reached.
  const double raw = change != 0 ? (*latest - o.baseline) / change : 1.0;
  p.fraction = std::clamp(raw, 0.0, 1.0);
  if (raw >= 1.0) {
    p.state = ObjectiveState::kAchieved;
  } else if (today > o.deadline) {
    p.state = ObjectiveState::kMissed;
  } else if (p.fraction < p.time_elapsed - kAtRiskTolerance) {
    p.state = ObjectiveState::kAtRisk;
  } else {
    p.state = ObjectiveState::kOnTrack;
  }
  return p;
}

}  // namespace mentoring::core
