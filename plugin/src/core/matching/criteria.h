// The compatibility criteria and a scheme's matching settings.
//
// Staff weight each criterion in their own words: "must", "high", "medium",
// "low", or a number from 0 to 100. high = 3, medium = 2, low = 1, 0 = ignored.
// "must" makes the criterion a hard filter (a pair that does not meet it is
// never proposed, unless an administrator pins it) and otherwise weighs like
// "high".
//
// Each criterion gives a pair a value from 0 to 1000 (1000 = fully met). The
// pair's score is the weighted average of those values, an integer from 0 to
// 1000, so the optimiser works on exact integers.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace mentoring::core::matching {

enum class Criterion {
  kTopics,       // shared topics and goals (keywords and free text, BM25 with stemming)
  kSpecialty,    // same specialty
  kCareerStage,  // mentor's stage minus mentee's stage inside the scheme's window
  kGeography,    // site/region against the mentee's local/remote preference
  kMeetingMode,  // a meeting mode both can do
  kLanguages,    // a language the mentee asked for
  kPreferences,  // things the mentee chose to state for matching
};
inline constexpr int kCriterionCount = 7;
inline constexpr std::array<Criterion, kCriterionCount> kAllCriteria = {
    Criterion::kTopics,      Criterion::kSpecialty, Criterion::kCareerStage, Criterion::kGeography,
    Criterion::kMeetingMode, Criterion::kLanguages, Criterion::kPreferences};

// Stable names: "topics", "specialty", "career_stage", "geography",
// "meeting_mode", "languages", "preferences".
const char* to_string(Criterion c);
std::optional<Criterion> parse_criterion(std::string_view s);
// What staff see: "Shared topics and goals", "Specialty", ...
const char* label(Criterion c);

struct Weight {
  bool must = false;
  double value = 0;  // 0..100; "must" weighs as high (3)
  bool operator==(const Weight&) const = default;
};

inline constexpr double kHighWeight = 3;
inline constexpr double kMediumWeight = 2;
inline constexpr double kLowWeight = 1;
inline constexpr double kMaxNumericWeight = 100;

// Parses "must", "high", "medium", "low" (any case, surrounding spaces
// ignored) or a decimal number 0..100. Reason on failure: "weight_invalid".
Result<Weight> parse_weight(std::string_view text);
// "must", "high", "medium", "low" when the value is one of those, else the number.
std::string to_string(const Weight& w);

// Mentor stage minus mentee stage that counts as a good gap. Traditional
// schemes use a positive window (e.g. 2..6), near-peer a small one (1..2),
// reverse mentoring a negative one.
struct CareerStageWindow {
  int min_gap = 1;
  int max_gap = 6;
};

struct MatchingConfig {
  // Default: topics high, specialty medium, career stage medium, geography
  // low, meeting mode medium, languages low, stated preferences medium.
  std::array<Weight, kCriterionCount> weights = {
      Weight{false, kHighWeight},  Weight{false, kMediumWeight}, Weight{false, kMediumWeight},
      Weight{false, kLowWeight},   Weight{false, kMediumWeight}, Weight{false, kLowWeight},
      Weight{false, kMediumWeight}};
  CareerStageWindow stage_window;
  // Outside the window, the career-stage value falls by 1000 / falloff per
  // stage of distance. Default 2: one stage outside scores 500, two score 0.
  int stage_falloff = 2;
  // Conflict of interest: never pair people from the same department.
  bool exclude_same_department = false;
  // How many of the best-scoring allowed mentors each mentee is considered
  // for. Larger is closer to the all-pairs optimum and slower. Default 50.
  int candidates_per_mentee = 50;
  // Terms found in more than this fraction of mentor profiles do not, on
  // their own, make a mentor a candidate (they still score). Default 0.05.
  double common_term_fraction = 0.05;
  // Threads for candidate generation (results do not depend on it). Default 1.
  int worker_threads = 1;

  Weight& weight(Criterion c) { return weights[static_cast<int>(c)]; }
  const Weight& weight(Criterion c) const { return weights[static_cast<int>(c)]; }
};

// Sets one criterion's weight from staff text: set_weight(cfg, "topics", "must").
// Reasons: "criterion_unknown", "weight_invalid".
Status set_weight(MatchingConfig& config, std::string_view criterion, std::string_view weight);

// Reasons: "weights_all_zero", "stage_window_invalid", "stage_falloff_invalid",
// "candidates_per_mentee_invalid", "common_term_fraction_invalid",
// "worker_threads_invalid".
Status validate(const MatchingConfig& config);

}  // namespace mentoring::core::matching
