#include "core/matching/criteria.h"

#include <gtest/gtest.h>

namespace mentoring::core::matching {
namespace {

TEST(MatchingCriteriaTest, WeightsParseFromStaffWords) {
  EXPECT_EQ(*parse_weight("must"), (Weight{true, kHighWeight}));
  EXPECT_EQ(*parse_weight(" High "), (Weight{false, 3}));
  EXPECT_EQ(*parse_weight("medium"), (Weight{false, 2}));
  EXPECT_EQ(*parse_weight("LOW"), (Weight{false, 1}));
  EXPECT_EQ(*parse_weight("0"), (Weight{false, 0}));
  EXPECT_EQ(*parse_weight("2.5"), (Weight{false, 2.5}));
  EXPECT_EQ(*parse_weight("100"), (Weight{false, 100}));
}

TEST(MatchingCriteriaTest, BadWeightsAreRejectedWithAReason) {
  for (const char* bad : {"", "very high", "-1", "100.5", "1e2", "nan", "inf", "1..2", "3x", "0x10"}) {
    auto w = parse_weight(bad);
    ASSERT_FALSE(w.is_ok()) << bad;
    EXPECT_EQ(w.status().reason(), "weight_invalid") << bad;
  }
}

TEST(MatchingCriteriaTest, WeightsPrintBackInStaffWords) {
  EXPECT_EQ(to_string(Weight{true, 3}), "must");
  EXPECT_EQ(to_string(Weight{false, 3}), "high");
  EXPECT_EQ(to_string(Weight{false, 1}), "low");
  EXPECT_EQ(to_string(Weight{false, 2.5}), "2.5");
}

TEST(MatchingCriteriaTest, SetWeightNamesTheCriterion) {
  MatchingConfig c;
  ASSERT_TRUE(set_weight(c, "specialty", "must").is_ok());
  EXPECT_TRUE(c.weight(Criterion::kSpecialty).must);
  EXPECT_EQ(set_weight(c, "age", "high").reason(), "criterion_unknown");
  EXPECT_EQ(set_weight(c, "topics", "lots").reason(), "weight_invalid");
  for (Criterion k : kAllCriteria) EXPECT_EQ(parse_criterion(to_string(k)), k);
}

TEST(MatchingCriteriaTest, ConfigValidationExplainsWhatIsWrong) {
  MatchingConfig c;
  EXPECT_TRUE(validate(c).is_ok());
  MatchingConfig zero = c;
  for (auto& w : zero.weights) w = Weight{false, 0};
  EXPECT_EQ(validate(zero).reason(), "weights_all_zero");
  MatchingConfig window = c;
  window.stage_window = {4, 2};
  EXPECT_EQ(validate(window).reason(), "stage_window_invalid");
  MatchingConfig k = c;
  k.candidates_per_mentee = 0;
  EXPECT_EQ(validate(k).reason(), "candidates_per_mentee_invalid");
  MatchingConfig threads = c;
  threads.worker_threads = 0;
  EXPECT_EQ(validate(threads).reason(), "worker_threads_invalid");
}

}  // namespace
}  // namespace mentoring::core::matching
