// Stable matching, for schemes that ask that no mentee and mentor would
// both rather be with each other than with whom they were given.
//
// Preferences come from the score: a mentee prefers a higher-scoring mentor
// (ties: lower mentor id), a mentor a higher-scoring mentee (ties: lower
// mentee id). Only candidate pairs are acceptable. The algorithm is
// mentee-proposing deferred acceptance with capacities (Gale and Shapley;
// Roth's hospitals/residents form), which gives the stable matching every
// mentee likes best. A stable matching may match fewer mentees and score
// less in total than solve_optimal(); the run report shows by how much.
#pragma once

#include <cstdint>

#include "core/matching/assignment.h"

namespace mentoring::core::matching {

// `fixed` pairs (pins, honoured choices) stay and use up places.
Assignment solve_stable(const MatchingProblem& problem, const CandidateGraph& graph, const Assignment& fixed);

// Candidate pairs (e, m), e not pinned, where e is unmatched or scores
// strictly higher with m than with their mentor, and m has a free place or
// scores strictly higher with e than with one of their mentees who is not
// pinned. Equal scores do not block (weak stability). solve_stable()'s
// result always has none.
std::int64_t count_blocking_pairs(const MatchingProblem& problem, const CandidateGraph& graph,
                                  const Assignment& assignment);

}  // namespace mentoring::core::matching
