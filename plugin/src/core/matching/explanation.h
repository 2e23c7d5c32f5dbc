// Why a pair was proposed: the score, criterion by criterion.
//
// Only scoring criteria appear. Nothing confidential does: not which
// constraints ruled other mentors out (supervision, exclusions, "not a good
// fit" history, bans), and not the mentor's own free text. Shared topics are
// given in the mentee's own words.
#pragma once

#include <string>
#include <vector>

#include "core/matching/assignment.h"
#include "core/matching/problem.h"

namespace mentoring::core::matching {

struct CriterionLine {
  Criterion criterion = Criterion::kTopics;
  std::string label;   // "Shared topics and goals"
  std::string weight;  // "must", "high", "medium", "low" or the number
  int value = 0;       // 0..1000: how far the criterion is met
  int points = 0;      // its share of the score; the lines add up to the score
  std::string detail;  // "Shares: teaching, leadership"
};

struct Explanation {
  PersonId mentee_id = 0;
  PersonId mentor_id = 0;
  int score = 0;  // 0..1000
  PairSource source = PairSource::kOptimal;
  std::vector<CriterionLine> lines;  // criteria with a weight above 0, in the fixed criterion order
};

Explanation explain(const MatchingProblem& problem, int mentee, int mentor, PairSource source);

}  // namespace mentoring::core::matching
