// Hybrid matching: each mentee is offered a short list of mentors and
// chooses; after the choice deadline everyone who did not choose, or whose
// choice could not be honoured, is given an optimal assignment for the
// administrator to confirm.
//
// Shortlists are built so that choosing cannot go badly wrong:
// - the first entry is the mentee's mentor in the optimal assignment, so if
//   everyone took their first entry every choice would be honoured;
// - at least one entry is "strong" (score >= strong_score) when the mentee
//   has any strong candidate left with room on their list;
// - a mentor appears on at most ceil(free places x exposure_per_place)
//   shortlists, so popular mentors are not flooded with requests they must
//   turn down. Remaining entries are filled round by round (everyone's
//   second entry, then everyone's third), so low ids do not take all the
//   popular mentors.
#pragma once

#include <vector>

#include "core/clock.h"
#include "core/matching/assignment.h"
#include "core/status.h"

namespace mentoring::core::matching {

struct HybridOptions {
  int shortlist_size = 3;           // k: mentors per shortlist, 1..10. Default 3.
  int strong_score = 600;           // a score this high (0..1000) is a strong option. Default 600.
  double exposure_per_place = 2.0;  // shortlists per free place, 1..20. Default 2.
  UnixSeconds choice_deadline = 0;  // choices made after this do not count
};

// Reasons: "shortlist_size_invalid", "strong_score_invalid", "exposure_invalid".
Status validate(const HybridOptions& options);

struct ShortlistEntry {
  int mentor = 0;  // mentor index
  int score = 0;
  bool strong = false;
};

struct Shortlists {
  std::vector<std::vector<ShortlistEntry>> of_mentee;  // per mentee index; empty when pinned or no candidates
  std::vector<int> exposure;        // per mentor: how many shortlists they are on
  std::vector<int> exposure_limit;  // per mentor
  int mentees_without_strong_option = 0;  // mentees with a shortlist but no strong entry on it
  UnixSeconds choice_deadline = 0;
};

// Reasons: validate(HybridOptions), "solver_failed".
Result<Shortlists> build_shortlists(const MatchingProblem& problem, const CandidateGraph& graph,
                                    const HybridOptions& options);

struct Choice {
  PersonId mentee_id = 0;
  PersonId mentor_id = 0;
  UnixSeconds chosen_at = 0;
};

struct HybridOutcome {
  // Pins, honoured choices (PairSource::kChosen) and the automatic
  // assignment of everyone else (PairSource::kFallback: to be confirmed by an
  // administrator).
  Assignment assignment;
  int choices_honoured = 0;
  int choices_fell_through = 0;  // the mentor's places were taken by earlier choices
  int late_choices = 0;          // made after the deadline; treated as no choice
  int no_choice = 0;             // mentees with a shortlist who did not choose
};

// Honours choices in the order they were made (ties: lower mentee id) while
// the mentor has room, then assigns everyone left optimally. Reasons:
// "choice_deadline_not_passed" (now is before the deadline),
// "choice_unknown_person", "choice_duplicate_mentee", "choice_not_on_shortlist",
// "solver_failed".
Result<HybridOutcome> resolve_hybrid(const MatchingProblem& problem, const CandidateGraph& graph,
                                     const Shortlists& shortlists, const std::vector<Choice>& choices,
                                     UnixSeconds now);

}  // namespace mentoring::core::matching
