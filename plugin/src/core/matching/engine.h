// The matching engine in one call per matching model.
//
//   auto run = run_assigned(input, config, AssignedMode::kOptimal);
//
// prepares the problem, generates candidates, solves, explains every pair and
// builds the run report. The steps are also public (problem.h, candidates.h,
// assignment.h, stable.h, hybrid.h, report.h) for callers that need them
// separately, e.g. hybrid matching, which spans the choice period.
//
// Pure: no I/O, clock or randomness. The same input always gives the same
// output. Bad input gives a Status; input with nothing to match (no mentees,
// no available mentor, every pair ruled out) gives a run with zero pairs and
// a note saying why.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/matching/assignment.h"
#include "core/matching/candidates.h"
#include "core/matching/explanation.h"
#include "core/matching/hybrid.h"
#include "core/matching/problem.h"
#include "core/matching/report.h"
#include "core/matching/stable.h"

namespace mentoring::core::matching {

enum class AssignedMode {
  kOptimal,  // most mentees matched, then the highest total score
  kStable,   // no blocking pairs (mentee-proposing deferred acceptance)
};

struct ProposedPair {
  PersonId mentee_id = 0;
  PersonId mentor_id = 0;
  int score = 0;
  PairSource source = PairSource::kOptimal;
  Explanation explanation;
};

struct MatchingRun {
  std::vector<ProposedPair> pairs;            // by mentee id
  std::vector<PersonId> unmatched_mentee_ids; // ascending
  RunReport report;
  // Plain-English notes when the run could not match everyone for a
  // structural reason, e.g. "No mentor can take a mentee in this run."
  std::vector<std::string> notes;
};

// Assigned matching of a whole cohort.
Result<MatchingRun> run_assigned(const MatchingInput& input, const MatchingConfig& config,
                                 AssignedMode mode = AssignedMode::kOptimal, const ReportGroups* groups = nullptr);

// Turns any assignment (assigned, stable, hybrid outcome) into a run:
// explanations, report against `optimum`, notes.
MatchingRun make_run(const MatchingProblem& problem, const CandidateGraph& graph, const Assignment& result,
                     const Assignment& optimum, const ReportGroups* groups = nullptr);

}  // namespace mentoring::core::matching
