// Stable mode leaves no blocking pairs, checked by brute force.
#include <gtest/gtest.h>

#include <random>

#include "core/matching/engine.h"
#include "random_instances.h"

namespace mentoring::core::matching {
namespace {

// Every acceptable pair (e, m) where both would strictly rather be together,
// counted straight from the problem's scores.
std::int64_t brute_force_blocking(const MatchingProblem& p, const Assignment& a) {
  auto score = [&](int e, int m) { return p.score(e, m).total; };
  std::int64_t n = 0;
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (p.pinned_mentor(e) >= 0) continue;
    const int cur = a.mentor_of[e];
    for (int m = 0; m < p.mentor_count(); ++m) {
      if (m == cur || p.forbid_reason(e, m) != ForbidReason::kAllowed) continue;
      const bool mentee_prefers = cur < 0 || score(e, m) > score(e, cur);
      if (!mentee_prefers) continue;
      int held = 0;
      bool displaces = false;
      for (int x = 0; x < p.mentee_count(); ++x) {
        if (a.mentor_of[x] != m || p.pinned_mentor(x) >= 0) continue;
        ++held;
        if (score(e, m) > score(x, m)) displaces = true;
      }
      if (held < p.free_places(m) || displaces) ++n;
    }
  }
  return n;
}

TEST(MatchingStableTest, StableModeHasNoBlockingPairsOnRandomInstances) {
  std::mt19937_64 rng(1234);
  testing::InstanceShape shape;
  shape.max_mentees = 12;
  shape.max_mentors = 6;
  shape.max_capacity = 3;
  int optimal_had_blocking = 0;
  for (int i = 0; i < 200; ++i) {
    MatchingInput in = testing::random_input(rng, shape);
    MatchingConfig config = testing::random_config(rng, shape);
    testing::maybe_pin(rng, in, config);
    auto p = MatchingProblem::prepare(in, config);
    ASSERT_TRUE(p.is_ok());
    const CandidateGraph g = all_pair_candidates(*p);
    const Assignment stable = solve_stable(*p, g, pinned_only(*p));
    ASSERT_EQ(brute_force_blocking(*p, stable), 0) << "instance " << i;
    EXPECT_EQ(count_blocking_pairs(*p, g, stable), 0);
    // The report's fast count agrees with brute force where there are some.
    auto optimal = solve_optimal(*p, g, pinned_only(*p));
    ASSERT_TRUE(optimal.is_ok());
    const auto bf = brute_force_blocking(*p, *optimal);
    EXPECT_EQ(count_blocking_pairs(*p, g, *optimal), bf) << "instance " << i;
    if (bf > 0) ++optimal_had_blocking;
    // Stability never beats the optimum.
    EXPECT_LE(stable.matched, optimal->matched);
  }
  EXPECT_GT(optimal_had_blocking, 0) << "the instances should tell the two modes apart";
}

}  // namespace
}  // namespace mentoring::core::matching
