#include "core/matching/criteria.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/text.h"

namespace mentoring::core::matching {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

const char* to_string(Criterion c) {
  switch (c) {
    case Criterion::kTopics: return "topics";
    case Criterion::kSpecialty: return "specialty";
    case Criterion::kCareerStage: return "career_stage";
    case Criterion::kGeography: return "geography";
    case Criterion::kMeetingMode: return "meeting_mode";
    case Criterion::kLanguages: return "languages";
    case Criterion::kPreferences: return "preferences";
  }
  return "unknown";
}

const char* label(Criterion c) {
  switch (c) {
    case Criterion::kTopics: return "Shared topics and goals";
    case Criterion::kSpecialty: return "Specialty";
    case Criterion::kCareerStage: return "Career stage";
    case Criterion::kGeography: return "Location";
    case Criterion::kMeetingMode: return "Meeting mode";
    case Criterion::kLanguages: return "Languages";
    case Criterion::kPreferences: return "Stated preferences";
  }
  return "Unknown";
}

std::optional<Criterion> parse_criterion(std::string_view s) {
  for (Criterion c : kAllCriteria) {
    if (s == to_string(c)) return c;
  }
  return std::nullopt;
}

Result<Weight> parse_weight(std::string_view text) {
  const std::string t = lower(trim(text));
  if (t == "must") return Weight{true, kHighWeight};
  if (t == "high") return Weight{false, kHighWeight};
  if (t == "medium") return Weight{false, kMediumWeight};
  if (t == "low") return Weight{false, kLowWeight};
  // A plain decimal: digits with at most one point. from_chars would also
  // accept "inf", "nan" and exponents, which staff never mean.
  bool digit = false;
  int points = 0;
  for (char c : t) {
    if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '.') {
      ++points;
    } else {
      digit = false;
      points = 2;
      break;
    }
  }
  double v = 0;
  if (digit && points <= 1 && t.size() <= 12) {
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec == std::errc() && ptr == t.data() + t.size() && v >= 0 && v <= kMaxNumericWeight) {
      return Weight{false, v};
    }
  }
  return Status::invalid("weight_invalid",
                         "A weight must be must, high, medium, low or a number from 0 to 100.",
                         "weight");
}

std::string to_string(const Weight& w) {
  if (w.must) return "must";
  if (w.value == kHighWeight) return "high";
  if (w.value == kMediumWeight) return "medium";
  if (w.value == kLowWeight) return "low";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", w.value);
  return buf;
}

Status set_weight(MatchingConfig& config, std::string_view criterion, std::string_view weight) {
  auto c = parse_criterion(criterion);
  if (!c) {
    return Status::invalid("criterion_unknown", "There is no matching criterion called '" +
                                                    std::string(criterion.substr(0, 40)) + "'.",
                           "criterion");
  }
  auto w = parse_weight(weight);
  if (!w) return w.status();
  config.weight(*c) = *w;
  return Status::ok();
}

Status validate(const MatchingConfig& config) {
  double total = 0;
  for (const Weight& w : config.weights) {
    if (!(w.value >= 0 && w.value <= kMaxNumericWeight)) {
      return Status::invalid("weight_invalid",
                             "A weight must be must, high, medium, low or a number from 0 to 100.",
                             "weight");
    }
    total += w.value;
  }
  if (total <= 0) {
    return Status::invalid("weights_all_zero", "At least one matching criterion needs a weight above 0.",
                           "weights");
  }
  if (config.stage_window.min_gap > config.stage_window.max_gap ||
      std::abs(config.stage_window.min_gap) > 100 || std::abs(config.stage_window.max_gap) > 100) {
    return Status::invalid("stage_window_invalid",
                           "The career-stage window must run from a smaller to a larger gap, within 100 stages.",
                           "stage_window");
  }
  if (config.stage_falloff < 1 || config.stage_falloff > 100) {
    return Status::invalid("stage_falloff_invalid", "The career-stage falloff must be from 1 to 100 stages.",
                           "stage_falloff");
  }
  if (config.candidates_per_mentee < 1 || config.candidates_per_mentee > 100000) {
    return Status::invalid("candidates_per_mentee_invalid",
                           "Candidates per mentee must be from 1 to 100000.", "candidates_per_mentee");
  }
  if (!(config.common_term_fraction > 0 && config.common_term_fraction <= 1)) {
    return Status::invalid("common_term_fraction_invalid",
                           "The common-term fraction must be above 0 and at most 1.", "common_term_fraction");
  }
  if (config.worker_threads < 1 || config.worker_threads > 64) {
    return Status::invalid("worker_threads_invalid", "Worker threads must be from 1 to 64.", "worker_threads");
  }
  return Status::ok();
}

}  // namespace mentoring::core::matching
