// Assigned matching for a whole cohort.
//
// solve_optimal() first matches as many mentees as possible and, among all
// ways of doing that, gives the largest total score. It is exact: a min-cost
// flow (source -> mentee -> mentor -> sink, mentor arcs carrying their free
// places) solved by LEMON's network simplex, where each mentee-mentor arc
// costs -(B + score) with B = 1000 x (mentees) + 1. One more matched mentee
// is then always worth more than any difference in total score (a total
// score is at most 1000 per pair), so the cheapest flow is the lexicographic
// optimum. Tests check it against exhaustive search.
#pragma once

#include <cstdint>
#include <vector>

#include "core/matching/candidates.h"
#include "core/matching/problem.h"
#include "core/status.h"

namespace mentoring::core::matching {

// How a pair came to be in a result.
enum class PairSource {
  kPinned,    // fixed by an administrator
  kOptimal,   // the optimal assignment
  kStable,    // stable (deferred acceptance) matching
  kGreedy,    // greedy baseline
  kChosen,    // hybrid: the mentee's own choice
  kFallback,  // hybrid: assigned because the mentee did not choose or the choice fell through
};
const char* to_string(PairSource s);  // "pinned", "optimal", "stable", "greedy", "chosen", "fallback"

struct Assignment {
  std::vector<int> mentor_of;       // per mentee index: mentor index, or -1 when unmatched
  std::vector<PairSource> source;   // per mentee; meaningful where matched
  int matched = 0;                  // mentees with a mentor, pins included
  std::int64_t total_score = 0;     // sum of pair scores, pins included
};

// Only the pins: the starting point every solver is given as `fixed`.
Assignment pinned_only(const MatchingProblem& problem);

// Places each mentor has left once `fixed` is taken into account (pins are
// already out of MatchingProblem::free_places()).
std::vector<int> remaining_places(const MatchingProblem& problem, const Assignment& fixed);

// Recomputes `matched` and `total_score` from `mentor_of`.
void recount(const MatchingProblem& problem, Assignment& a);

// The exact optimum over the candidate edges, keeping `fixed` pairs as they
// are. Mentees already in `fixed` are not moved. Reason on failure:
// "solver_failed" (an internal error; the inputs cannot cause it).
Result<Assignment> solve_optimal(const MatchingProblem& problem, const CandidateGraph& graph,
                                 const Assignment& fixed);

// The baseline most schemes start from: mentees in id order each take their
// best-scoring candidate that still has a place.
Assignment solve_greedy(const MatchingProblem& problem, const CandidateGraph& graph, const Assignment& fixed);

}  // namespace mentoring::core::matching
