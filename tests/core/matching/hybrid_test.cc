// Hybrid matching: shortlists with a strong option and limited exposure, and
// an automatic optimal assignment for everyone without an honoured choice.
#include <gtest/gtest.h>

#include <random>

#include "core/matching/engine.h"
#include "people.h"
#include "random_instances.h"

namespace mentoring::core::matching {
namespace {

using testing::mentee;
using testing::mentor;

struct Hybrid {
  MatchingProblem problem;
  CandidateGraph graph;
};

Hybrid prepare(const MatchingInput& in, const MatchingConfig& c = {}) {
  auto p = MatchingProblem::prepare(in, c);
  EXPECT_TRUE(p.is_ok()) << p.status().to_string();
  CandidateGraph g = generate_candidates(*p);
  return Hybrid{std::move(*p), std::move(g)};
}

TEST(MatchingHybridTest, PopularMentorIsNotShortlistedBeyondTheirPlaces) {
  // Everyone wants mentor 1 most; mentor 1 has one place.
  MatchingInput in;
  in.mentors = {mentor(1, {"teaching", "leadership", "research"}, 1), mentor(2, {"teaching"}, 5),
                mentor(3, {"leadership"}, 5), mentor(4, {"research"}, 5)};
  for (int i = 0; i < 8; ++i) in.mentees.push_back(mentee(10 + i, {"teaching", "leadership", "research"}));
  Hybrid h = prepare(in);
  HybridOptions o;
  o.exposure_per_place = 2;
  auto s = build_shortlists(h.problem, h.graph, o);
  ASSERT_TRUE(s.is_ok());
  int on_lists = 0;
  for (const auto& list : s->of_mentee) {
    EXPECT_EQ(list.size(), 3u);
    for (const auto& x : list) on_lists += x.mentor == 0;
  }
  EXPECT_EQ(on_lists, 2);  // ceil(1 place x 2)
  EXPECT_EQ(s->exposure[0], 2);
  for (int m = 0; m < 4; ++m) EXPECT_LE(s->exposure[m], s->exposure_limit[m]);
}

TEST(MatchingHybridTest, EveryShortlistHasAStrongOptionWhenOneExists) {
  std::mt19937_64 rng(31);
  testing::InstanceShape shape;
  shape.max_mentees = 40;
  shape.max_mentors = 12;
  shape.max_capacity = 4;
  shape.constraints = false;
  for (int i = 0; i < 40; ++i) {
    MatchingInput in = testing::random_input(rng, shape);
    Hybrid h = prepare(in, testing::random_config(rng, shape));
    HybridOptions o;
    o.strong_score = 500;
    auto s = build_shortlists(h.problem, h.graph, o);
    ASSERT_TRUE(s.is_ok());
    int without = 0;
    for (int e = 0; e < h.problem.mentee_count(); ++e) {
      const auto& list = s->of_mentee[e];
      EXPECT_LE(list.size(), 3u);
      const bool strong = std::any_of(list.begin(), list.end(), [](const auto& x) { return x.strong; });
      if (!list.empty() && !strong) {
        ++without;
        // Then no strong candidate had room on their lists.
        for (const Candidate& c : h.graph.of(e)) {
          if (c.score >= o.strong_score) {
            EXPECT_EQ(s->exposure[c.mentor], s->exposure_limit[c.mentor]);
          }
        }
      }
      for (const auto& x : list) EXPECT_EQ(x.strong, x.score >= o.strong_score);
    }
    EXPECT_EQ(without, s->mentees_without_strong_option);
  }
}

TEST(MatchingHybridTest, FirstEntriesTogetherFormTheOptimalAssignment) {
  std::mt19937_64 rng(8);
  testing::InstanceShape shape;
  shape.max_mentees = 30;
  shape.max_mentors = 10;
  shape.max_capacity = 3;
  MatchingInput in = testing::random_input(rng, shape);
  Hybrid h = prepare(in);
  auto s = build_shortlists(h.problem, h.graph, HybridOptions{});
  ASSERT_TRUE(s.is_ok());
  auto optimal = solve_optimal(h.problem, h.graph, pinned_only(h.problem));
  ASSERT_TRUE(optimal.is_ok());
  for (int e = 0; e < h.problem.mentee_count(); ++e) {
    const int m = optimal->mentor_of[e];
    if (m < 0) continue;
    const auto& list = s->of_mentee[e];
    EXPECT_TRUE(std::any_of(list.begin(), list.end(), [&](const auto& x) { return x.mentor == m; }));
  }
}

TEST(MatchingHybridTest, HybridFallsBackToAdminWhenNoChoiceMade) {
  MatchingInput in;
  in.mentors = {mentor(1, {"teaching"}, 1), mentor(2, {"teaching"}, 1), mentor(3, {"teaching"}, 1)};
  in.mentees = {mentee(10), mentee(11), mentee(12)};
  Hybrid h = prepare(in);
  HybridOptions o;
  o.choice_deadline = 1000;
  o.exposure_per_place = 3;  // every mentor on every list
  auto s = build_shortlists(h.problem, h.graph, o);
  ASSERT_TRUE(s.is_ok());

  // Before the deadline nothing is resolved.
  auto early = resolve_hybrid(h.problem, h.graph, *s, {}, 999);
  ASSERT_FALSE(early.is_ok());
  EXPECT_EQ(early.status().reason(), "choice_deadline_not_passed");

  // Mentees 10 and 11 both choose mentor 1; 10 chose first. 11's choice
  // falls through, 12 made no choice, and a late choice does not count.
  std::vector<Choice> choices = {{11, 1, 600}, {10, 1, 500}, {12, 2, 1001}};
  auto r = resolve_hybrid(h.problem, h.graph, *s, choices, 2000);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->choices_honoured, 1);
  EXPECT_EQ(r->choices_fell_through, 1);
  EXPECT_EQ(r->late_choices, 1);
  EXPECT_EQ(r->no_choice, 1);
  const Assignment& a = r->assignment;
  EXPECT_EQ(a.matched, 3);
  EXPECT_EQ(a.mentor_of[0], 0);
  EXPECT_EQ(a.source[0], PairSource::kChosen);
  EXPECT_EQ(a.source[1], PairSource::kFallback);
  EXPECT_EQ(a.source[2], PairSource::kFallback);
  EXPECT_NE(a.mentor_of[1], 0);
  EXPECT_NE(a.mentor_of[1], a.mentor_of[2]);
  const RunReport report = build_report(h.problem, h.graph, a, a);
  EXPECT_EQ(report.chosen, 1);
  EXPECT_EQ(report.fallbacks, 2);
}

TEST(MatchingHybridTest, ChoicesOffTheShortlistAreRejected) {
  MatchingInput in;
  in.mentors = {mentor(1), mentor(2), mentor(3), mentor(4)};
  in.mentees = {mentee(10)};
  Hybrid h = prepare(in);
  HybridOptions o;
  o.shortlist_size = 1;
  auto s = build_shortlists(h.problem, h.graph, o);
  ASSERT_TRUE(s.is_ok());
  ASSERT_EQ(s->of_mentee[0].size(), 1u);
  const PersonId listed = h.problem.mentor(s->of_mentee[0][0].mentor).id;
  const PersonId other = listed == 1 ? 2 : 1;
  EXPECT_EQ(resolve_hybrid(h.problem, h.graph, *s, {{10, other, 0}}, 0).status().reason(), "choice_not_on_shortlist");
  EXPECT_EQ(resolve_hybrid(h.problem, h.graph, *s, {{99, listed, 0}}, 0).status().reason(), "choice_unknown_person");
  EXPECT_EQ(resolve_hybrid(h.problem, h.graph, *s, {{10, listed, 0}, {10, listed, 0}}, 0).status().reason(),
            "choice_duplicate_mentee");
  HybridOptions bad;
  bad.shortlist_size = 0;
  EXPECT_EQ(build_shortlists(h.problem, h.graph, bad).status().reason(), "shortlist_size_invalid");
}

}  // namespace
}  // namespace mentoring::core::matching
