// Candidate generation: which mentors each mentee is considered for.
//
// Scoring every pair is 900 million pairs at 60,000 mentees x 15,000 mentors,
// so the engine looks mentors up instead: through an inverted index of
// profile terms (mentors who share a word with the mentee's topics or goals,
// leaving out words found in more than `common_term_fraction` of profiles),
// the mentee's specialty, and, for mentees who want someone local, their
// region. Of those mentors, the best `candidates_per_mentee` that pass the
// hard constraints and "must" criteria are kept, found exactly: every
// mentor's topic score is accumulated over all the mentee's terms, an upper
// bound on the whole score orders them, and exact scores are computed until
// no remaining bound can beat the k-th best. When fewer than that many are
// found, every other mentor is scored too, so with candidates_per_mentee >=
// the number of mentors the candidates are exactly every allowed pair, and
// the optimum equals the all-pairs optimum (tested).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/matching/problem.h"

namespace mentoring::core::matching {

struct Candidate {
  std::int32_t mentor = 0;  // mentor index
  std::int32_t score = 0;   // 0..1000
  bool operator==(const Candidate&) const = default;
};

// For each mentee, allowed mentors best first (score descending, then mentor
// id ascending). Ineligible and pinned mentees have none.
struct CandidateGraph {
  std::vector<std::int64_t> offsets;  // mentee_count + 1 entries
  std::vector<Candidate> edges;

  std::span<const Candidate> of(int e) const {
    return {edges.data() + offsets[e], static_cast<std::size_t>(offsets[e + 1] - offsets[e])};
  }
  int mentee_count() const { return offsets.empty() ? 0 : static_cast<int>(offsets.size()) - 1; }
  std::size_t edge_count() const { return edges.size(); }
};

// Through the index, as described above; uses config().worker_threads
// threads, with the same result for any number.
CandidateGraph generate_candidates(const MatchingProblem& problem);
// Every allowed pair, scored exhaustively: O(mentees x mentors). For tests
// and as the reference the index must agree with.
CandidateGraph all_pair_candidates(const MatchingProblem& problem);

}  // namespace mentoring::core::matching
