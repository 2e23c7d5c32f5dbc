// The assigned matching is exactly optimal: most mentees matched, then the
// highest total score. Checked against exhaustive search on small seeded
// random instances, with every constraint in play.
#include <gtest/gtest.h>

#include <random>

#include "core/matching/engine.h"
#include "random_instances.h"

namespace mentoring::core::matching {
namespace {

using testing::exhaustive_optimum;
using testing::InstanceShape;

void expect_valid(const MatchingProblem& p, const Assignment& a) {
  std::vector<int> load(static_cast<std::size_t>(p.mentor_count()), 0);
  for (int e = 0; e < p.mentee_count(); ++e) {
    const int m = a.mentor_of[e];
    if (m < 0) continue;
    if (p.pinned_mentor(e) >= 0) {
      EXPECT_EQ(m, p.pinned_mentor(e));
      continue;
    }
    EXPECT_EQ(p.forbid_reason(e, m), ForbidReason::kAllowed) << "mentee " << e << " mentor " << m;
    ++load[m];
  }
  for (int m = 0; m < p.mentor_count(); ++m) EXPECT_LE(load[m], p.free_places(m));
}

TEST(MatchingOptimalityTest, OptimalAssignmentEqualsExhaustiveSearchOnRandomInstances) {
  std::mt19937_64 rng(20260805);
  InstanceShape shape;
  int nontrivial = 0;
  for (int i = 0; i < 300; ++i) {
    MatchingInput in = testing::random_input(rng, shape);
    MatchingConfig config = testing::random_config(rng, shape);
    testing::maybe_pin(rng, in, config);
    auto p = MatchingProblem::prepare(in, config);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    const CandidateGraph g = generate_candidates(*p);
    auto a = solve_optimal(*p, g, pinned_only(*p));
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    const auto best = exhaustive_optimum(*p);
    ASSERT_EQ(a->matched, best.matched) << "instance " << i;
    ASSERT_EQ(a->total_score, best.score) << "instance " << i;
    expect_valid(*p, *a);
    if (best.matched > 0 && best.matched < p->mentee_count()) ++nontrivial;
  }
  // The instances must exercise the interesting case: some but not all matched.
  EXPECT_GT(nontrivial, 50);
}

TEST(MatchingOptimalityTest, CardinalityComesBeforeScore) {
  // Mentor A suits both mentees best; mentor B only suits mentee 1, weakly.
  // Giving A to mentee 1 scores more for one pair, but only A->2 and B->1
  // match both.
  MatchingInput in;
  MentorInput a;
  a.id = 1;
  a.topics = {"teaching", "leadership", "research"};
  a.training_in_date = true;
  MentorInput b = a;
  b.id = 2;
  b.topics = {"surgery", "wellbeing", "exams", "portfolio"};
  in.mentors = {a, b};
  MenteeInput m1;
  m1.id = 10;
  m1.topics = {"teaching", "leadership", "research"};
  MenteeInput m2 = m1;
  m2.id = 11;
  m2.topics = {"teaching", "wellbeing", "exams", "portfolio"};
  m2.excluded_mentor_ids = {2};
  in.mentees = {m1, m2};
  MatchingConfig c;
  for (auto& w : c.weights) w = Weight{false, 0};
  c.weight(Criterion::kTopics) = Weight{false, 1};
  auto p = MatchingProblem::prepare(in, c);
  ASSERT_TRUE(p.is_ok());
  const int s11 = p->score(0, 0).total, s12 = p->score(0, 1).total, s21 = p->score(1, 0).total;
  ASSERT_EQ(p->forbid_reason(0, 1), ForbidReason::kAllowed);
  ASSERT_EQ(p->forbid_reason(1, 1), ForbidReason::kExcludedByMentee);
  ASSERT_GT(s11, s21 + s12) << "the instance must tempt a score-first solver";
  auto r = solve_optimal(*p, all_pair_candidates(*p), pinned_only(*p));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->matched, 2);
  EXPECT_EQ(r->mentor_of[0], 1);
  EXPECT_EQ(r->mentor_of[1], 0);
}

TEST(MatchingOptimalityTest, IndexCandidatesEqualAllPairsWhenKCoversEveryMentor) {
  std::mt19937_64 rng(77);
  InstanceShape shape;
  shape.max_mentees = 30;
  shape.max_mentors = 20;
  shape.max_capacity = 3;
  for (int i = 0; i < 60; ++i) {
    MatchingInput in = testing::random_input(rng, shape);
    MatchingConfig config = testing::random_config(rng, shape);
    config.candidates_per_mentee = static_cast<int>(in.mentors.size());
    config.worker_threads = 1 + i % 2;
    auto p = MatchingProblem::prepare(in, config);
    ASSERT_TRUE(p.is_ok());
    const CandidateGraph indexed = generate_candidates(*p);
    const CandidateGraph all = all_pair_candidates(*p);
    ASSERT_EQ(indexed.offsets, all.offsets) << "instance " << i;
    ASSERT_EQ(indexed.edges, all.edges) << "instance " << i;
    auto a = solve_optimal(*p, indexed, pinned_only(*p));
    auto b = solve_optimal(*p, all, pinned_only(*p));
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(a->mentor_of, b->mentor_of);
  }
}

TEST(MatchingOptimalityTest, SmallKKeepsTheBestScoringCandidates) {
  std::mt19937_64 rng(5);
  InstanceShape shape;
  shape.max_mentees = 20;
  shape.max_mentors = 25;
  shape.constraints = false;
  for (int i = 0; i < 30; ++i) {
    MatchingInput in = testing::random_input(rng, shape);
    MatchingConfig config = testing::random_config(rng, shape);
    config.candidates_per_mentee = 3;
    auto p = MatchingProblem::prepare(in, config);
    ASSERT_TRUE(p.is_ok());
    const CandidateGraph g = generate_candidates(*p);
    for (int e = 0; e < p->mentee_count(); ++e) {
      ASSERT_LE(g.of(e).size(), 3u);
      for (std::size_t j = 1; j < g.of(e).size(); ++j) EXPECT_GE(g.of(e)[j - 1].score, g.of(e)[j].score);
      for (const Candidate& c : g.of(e)) EXPECT_EQ(c.score, p->score(e, c.mentor).total);
    }
  }
}

TEST(MatchingOptimalityTest, SameInputGivesTheSameResultWhateverTheOrderAndThreads) {
  std::mt19937_64 rng(99);
  InstanceShape shape;
  shape.max_mentees = 200;
  shape.max_mentors = 60;
  shape.max_capacity = 3;
  MatchingInput in = testing::random_input(rng, shape);
  MatchingConfig config = testing::random_config(rng, shape);
  config.candidates_per_mentee = 5;
  auto first = run_assigned(in, config);
  std::reverse(in.mentees.begin(), in.mentees.end());
  std::reverse(in.mentors.begin(), in.mentors.end());
  config.worker_threads = 2;
  auto second = run_assigned(in, config);
  ASSERT_TRUE(first.is_ok() && second.is_ok());
  ASSERT_EQ(first->pairs.size(), second->pairs.size());
  for (std::size_t i = 0; i < first->pairs.size(); ++i) {
    EXPECT_EQ(first->pairs[i].mentee_id, second->pairs[i].mentee_id);
    EXPECT_EQ(first->pairs[i].mentor_id, second->pairs[i].mentor_id);
  }
}

}  // namespace
}  // namespace mentoring::core::matching
