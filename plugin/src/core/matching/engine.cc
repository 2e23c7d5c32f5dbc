#include "core/matching/engine.h"

namespace mentoring::core::matching {

MatchingRun make_run(const MatchingProblem& p, const CandidateGraph& g, const Assignment& result,
                     const Assignment& optimum, const ReportGroups* groups) {
  MatchingRun run;
  for (int e = 0; e < p.mentee_count(); ++e) {
    const int m = result.mentor_of[e];
    if (m < 0) {
      run.unmatched_mentee_ids.push_back(p.mentee(e).id);
      continue;
    }
    Explanation x = explain(p, e, m, result.source[e]);
    run.pairs.push_back(ProposedPair{x.mentee_id, x.mentor_id, x.score, x.source, std::move(x)});
  }
  run.report = build_report(p, g, result, optimum, groups);
  const RunReport& r = run.report;
  if (p.mentee_count() == 0) {
    run.notes.push_back("There are no mentees to match.");
  } else if (r.mentors_available == 0) {
    run.notes.push_back(
        "No mentor can take a mentee in this run: every mentor is ineligible, away, out of date with training, "
        "or has no free places.");
  } else if (r.unmatched_ineligible == r.mentees) {
    run.notes.push_back("No mentee is eligible for this scheme.");
  } else if (r.unmatched_no_candidate + r.unmatched_ineligible + r.pinned == r.mentees && r.pinned == 0) {
    run.notes.push_back(
        "Every mentee-mentor pair is ruled out by the scheme's constraints or its \"must\" criteria.");
  }
  if (r.unmatched_no_candidate > 0 && r.mentors_available > 0) {
    run.notes.push_back(std::to_string(r.unmatched_no_candidate) +
                        " eligible mentees have no allowed mentor under the scheme's constraints and \"must\" "
                        "criteria.");
  }
  if (r.unmatched_capacity > 0) {
    run.notes.push_back(std::to_string(r.unmatched_capacity) +
                        " mentees could not be matched because their suitable mentors have no places left.");
  }
  return run;
}

Result<MatchingRun> run_assigned(const MatchingInput& input, const MatchingConfig& config, AssignedMode mode,
                                 const ReportGroups* groups) {
  auto problem = MatchingProblem::prepare(input, config);
  if (!problem) return problem.status();
  const CandidateGraph graph = generate_candidates(*problem);
  const Assignment pins = pinned_only(*problem);
  auto optimum = solve_optimal(*problem, graph, pins);
  if (!optimum) return optimum.status();
  if (mode == AssignedMode::kOptimal) return make_run(*problem, graph, *optimum, *optimum, groups);
  const Assignment stable = solve_stable(*problem, graph, pins);
  return make_run(*problem, graph, stable, *optimum, groups);
}

}  // namespace mentoring::core::matching
