// The run report: the figures every matching run is judged by, computed
// from the result (never taken from the solver's own account of itself).
//
// Match rates by group are for monitoring only. Groups are given to the
// report alone (never to scoring), shown in aggregate, and any group with
// fewer than `small_number_threshold` mentees is suppressed.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/matching/assignment.h"
#include "core/matching/candidates.h"
#include "core/matching/problem.h"

namespace mentoring::core::matching {

struct ReportGroups {
  std::string dimension;                               // e.g. "programme"
  std::unordered_map<PersonId, std::string> group_of;  // mentee id -> group; missing = "not stated"
};

struct GroupRate {
  std::string group;
  bool suppressed = false;  // fewer than the threshold: no figures shown
  int mentees = 0;          // 0 when suppressed
  int matched = 0;          // 0 when suppressed
  double match_rate = 0;    // percent; 0 when suppressed
};

struct RunReport {
  int mentees = 0;
  int mentees_matched = 0;
  int max_possible_matched = 0;       // from the optimum
  double matched_pct_of_max = 0;      // 100 when the run matched as many as possible
  std::int64_t total_score = 0;
  std::int64_t optimum_score = 0;
  double score_pct_of_optimum = 0;
  // Where the assigned mentor ranks in the mentee's candidates by score
  // (rank = 1 + candidates scoring strictly higher). Pins are not counted.
  int first_choice = 0;
  int top3 = 0;
  int top5 = 0;
  std::int64_t blocking_pairs = 0;
  // Mentor load.
  int mentors = 0;
  int mentors_available = 0;          // could take someone in this run
  int mentors_used = 0;               // given at least one mentee in this run
  int mentors_full = 0;               // available mentors whose free places are all used
  std::vector<int> load_histogram;    // [k] = mentors given k mentees in this run
  std::int64_t places_free = 0;       // before this run (after current mentees)
  std::int64_t places_used = 0;
  // How pairs were made.
  int pinned = 0;
  int chosen = 0;
  int fallbacks = 0;
  int unmatched_ineligible = 0;       // mentees not eligible
  int unmatched_no_candidate = 0;     // eligible, but every mentor is ruled out
  int unmatched_capacity = 0;         // had candidates, but places ran out
  std::vector<GroupRate> groups;
  std::string groups_dimension;
};

inline constexpr int kDefaultSmallNumberThreshold = 10;

// `optimum` is solve_optimal()'s result for the same problem and graph (pass
// `result` itself for an assigned run). `groups` may be null.
RunReport build_report(const MatchingProblem& problem, const CandidateGraph& graph, const Assignment& result,
                       const Assignment& optimum, const ReportGroups* groups = nullptr,
                       int small_number_threshold = kDefaultSmallNumberThreshold);

// A plain-text rendering for logs and the benchmark.
std::string to_text(const RunReport& report);

}  // namespace mentoring::core::matching
