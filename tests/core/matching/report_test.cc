// Run report figures on a case small enough to work out by hand.
#include <gtest/gtest.h>

#include "core/matching/engine.h"
#include "people.h"

namespace mentoring::core::matching {
namespace {

using testing::mentee;
using testing::mentor;

// Only specialty counts: a pair scores 1000 with the same specialty, else 0.
//   mentors 1 (X), 3 (X), 2 (Y), one place each; 4 (X) is away.
//   mentees 10, 11, 12 (X), 13 (Y), 14 (X, not eligible).
struct HandCase {
  MatchingProblem problem;
  CandidateGraph graph;
  static HandCase make() {
    MatchingInput in;
    in.mentors = {mentor(1), mentor(2), mentor(3), mentor(4)};
    in.mentors[0].specialty = "X";
    in.mentors[1].specialty = "Y";
    in.mentors[2].specialty = "X";
    in.mentors[3].specialty = "X";
    in.mentors[3].away = true;
    in.mentees = {mentee(10), mentee(11), mentee(12), mentee(13), mentee(14)};
    for (auto& e : in.mentees) e.specialty = "X";
    in.mentees[3].specialty = "Y";
    in.mentees[4].eligible = false;
    MatchingConfig c;
    for (auto& w : c.weights) w = Weight{false, 0};
    c.weight(Criterion::kSpecialty) = Weight{false, 1};
    auto p = MatchingProblem::prepare(in, c);
    EXPECT_TRUE(p.is_ok());
    CandidateGraph g = generate_candidates(*p);
    return HandCase{std::move(*p), std::move(g)};
  }
};

TEST(MatchingReportTest, GreedyFiguresMatchTheHandWorkedCase) {
  HandCase h = HandCase::make();
  auto optimum = solve_optimal(h.problem, h.graph, pinned_only(h.problem));
  ASSERT_TRUE(optimum.is_ok());
  // Greedy by id: 10 -> 1, 11 -> 3, 12 -> 2 (score 0), 13 finds everyone full.
  const Assignment greedy = solve_greedy(h.problem, h.graph, pinned_only(h.problem));
  EXPECT_EQ(greedy.mentor_of, (std::vector<int>{0, 2, 1, -1, -1}));

  ReportGroups groups;
  groups.dimension = "programme";
  groups.group_of = {{10, "fy1"}, {11, "fy1"}, {12, "fy1"}, {13, "fy2"}};
  const RunReport r = build_report(h.problem, h.graph, greedy, *optimum, &groups, 2);
  EXPECT_EQ(r.mentees, 5);
  EXPECT_EQ(r.mentees_matched, 3);
  EXPECT_EQ(r.max_possible_matched, 3);
  EXPECT_DOUBLE_EQ(r.matched_pct_of_max, 100.0);
  EXPECT_EQ(r.total_score, 2000);
  EXPECT_EQ(r.optimum_score, 3000);
  EXPECT_NEAR(r.score_pct_of_optimum, 66.667, 0.001);
  EXPECT_EQ(r.first_choice, 2);  // 12's mentor ranks third
  EXPECT_EQ(r.top3, 3);
  EXPECT_EQ(r.top5, 3);
  EXPECT_EQ(r.blocking_pairs, 1);  // 13 and mentor 2, who holds 12 at score 0
  EXPECT_EQ(r.mentors, 4);
  EXPECT_EQ(r.mentors_available, 3);
  EXPECT_EQ(r.mentors_used, 3);
  EXPECT_EQ(r.mentors_full, 3);
  EXPECT_EQ(r.load_histogram, (std::vector<int>{1, 3}));
  EXPECT_EQ(r.places_free, 3);
  EXPECT_EQ(r.places_used, 3);
  EXPECT_EQ(r.unmatched_ineligible, 1);
  EXPECT_EQ(r.unmatched_capacity, 1);
  EXPECT_EQ(r.unmatched_no_candidate, 0);
  ASSERT_EQ(r.groups.size(), 3u);  // fy1, fy2, not stated: in name order
  EXPECT_EQ(r.groups[0].group, "fy1");
  EXPECT_FALSE(r.groups[0].suppressed);
  EXPECT_EQ(r.groups[0].mentees, 3);
  EXPECT_EQ(r.groups[0].matched, 3);
  EXPECT_DOUBLE_EQ(r.groups[0].match_rate, 100.0);
  EXPECT_EQ(r.groups[1].group, "fy2");
  EXPECT_TRUE(r.groups[1].suppressed);  // one mentee: below the threshold of 2
  EXPECT_EQ(r.groups[1].mentees, 0);
  EXPECT_EQ(r.groups[1].matched, 0);
  EXPECT_EQ(r.groups[2].group, "not stated");
  EXPECT_TRUE(r.groups[2].suppressed);
  EXPECT_NE(to_text(r).find("suppressed"), std::string::npos);
}

TEST(MatchingReportTest, OptimalFiguresMatchTheHandWorkedCase) {
  HandCase h = HandCase::make();
  auto optimum = solve_optimal(h.problem, h.graph, pinned_only(h.problem));
  ASSERT_TRUE(optimum.is_ok());
  const RunReport r = build_report(h.problem, h.graph, *optimum, *optimum);
  EXPECT_EQ(r.mentees_matched, 3);
  EXPECT_EQ(r.total_score, 3000);
  EXPECT_DOUBLE_EQ(r.score_pct_of_optimum, 100.0);
  EXPECT_EQ(r.first_choice, 3);
  EXPECT_EQ(r.blocking_pairs, 0);
  EXPECT_EQ(optimum->mentor_of[3], 1);  // 13 gets the only Y mentor
  EXPECT_TRUE(r.groups.empty());
}

TEST(MatchingReportTest, ExplanationsAddUpAndKeepConfidencesOut) {
  MatchingInput in;
  in.mentors = {mentor(1, {"teaching", "leadership"}), mentor(2, {"teaching", "research"})};
  in.mentors[0].offer = "My private note: happy to discuss burnout";
  in.mentees = {mentee(10, {"Teaching", "leadership", "exams"})};
  in.mentees[0].supervisor_ids = {2};
  in.mentees[0].not_a_good_fit_mentor_ids = {3};
  auto run = run_assigned(in, MatchingConfig{});
  ASSERT_TRUE(run.is_ok());
  ASSERT_EQ(run->pairs.size(), 1u);
  const ProposedPair& pair = run->pairs[0];
  EXPECT_EQ(pair.mentor_id, 1);
  const Explanation& x = pair.explanation;
  EXPECT_EQ(x.lines.size(), static_cast<std::size_t>(kCriterionCount));
  int sum = 0;
  std::string all;
  for (const auto& line : x.lines) {
    sum += line.points;
    all += line.label + ": " + line.weight + ": " + line.detail + "\n";
  }
  EXPECT_EQ(sum, pair.score);
  EXPECT_EQ(x.lines[0].detail, "Shares: teaching, leadership");
  EXPECT_EQ(x.lines[0].weight, "high");
  for (const char* secret : {"supervis", "exclu", "ban", "fit", "burnout", "private"}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret << " in\n" << all;
  }
}

}  // namespace
}  // namespace mentoring::core::matching
