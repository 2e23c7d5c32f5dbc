#include "core/jobs.h"

#include <gtest/gtest.h>

namespace mentoring::core {
namespace {

Job running(std::int64_t done, std::int64_t total, std::int64_t started_ms) {
  Job j;
  j.kind = "matching_run";
  j.state = JobState::kRunning;
  j.done = done;
  j.total = total;
  j.started_ms = started_ms;
  return j;
}

TEST(JobsTest, RemainingTimeFollowsTheRateSoFar) {
  // 25 of 100 in 10 s: 75 more at 2.5 per second is 30 s.
  EXPECT_EQ(estimate_remaining_ms(running(25, 100, 0), 10000), 30000);
  // 1 of 3 in 7 ms: 14 ms more.
  EXPECT_EQ(estimate_remaining_ms(running(1, 3, 1000), 1007), 14);
  EXPECT_EQ(estimate_remaining_ms(running(100, 100, 0), 10000), 0);
}

TEST(JobsTest, RemainingTimeIsUnknownBeforeAnyProgressOrAfterTheEnd) {
  EXPECT_FALSE(estimate_remaining_ms(running(0, 100, 0), 10000).has_value());
  EXPECT_FALSE(estimate_remaining_ms(running(0, 0, 0), 10000).has_value());
  EXPECT_FALSE(estimate_remaining_ms(running(5, 10, 10000), 10000).has_value());
  Job done = running(5, 10, 0);
  done.state = JobState::kFailed;
  EXPECT_FALSE(estimate_remaining_ms(done, 10000).has_value());
}

TEST(JobsTest, RemainingTimeDoesNotOverflowOnHugeJobs) {
  const std::int64_t year_ms = 365LL * 86400 * 1000;
  auto left = estimate_remaining_ms(running(1, 4000000000000LL, 0), year_ms);
  ASSERT_TRUE(left.has_value());
  EXPECT_GT(*left, 0);
}

TEST(JobsTest, PercentDoneIsWholeAndFinishedJobsAreComplete) {
  EXPECT_EQ(percent_done(running(1, 3, 0)), 33);
  EXPECT_EQ(percent_done(running(0, 0, 0)), 0);
  Job failed = running(2, 10, 0);
  failed.state = JobState::kSucceeded;
  EXPECT_EQ(percent_done(failed), 100);
}

TEST(JobsTest, KindMessageAndProgressAreValidated) {
  EXPECT_TRUE(validate_job_kind("matching_run").is_ok());
  EXPECT_EQ(validate_job_kind("").reason(), "job_kind_invalid");
  EXPECT_EQ(validate_job_kind("Matching").reason(), "job_kind_invalid");
  EXPECT_EQ(validate_job_kind(std::string(65, 'a')).reason(), "job_kind_invalid");
  EXPECT_TRUE(validate_job_message("Scoring candidates").is_ok());
  EXPECT_EQ(validate_job_message("two\nlines").reason(), "job_message_invalid");
  EXPECT_EQ(validate_job_message(std::string(501, 'a')).reason(), "job_message_invalid");
  EXPECT_TRUE(validate_job_progress(0, 0).is_ok());
  EXPECT_EQ(validate_job_progress(11, 10).reason(), "job_progress_invalid");
  EXPECT_EQ(validate_job_progress(-1, 10).reason(), "job_progress_invalid");
}

TEST(JobsTest, StatesRoundTripThroughTheirNames) {
  for (JobState s : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed})
    EXPECT_EQ(parse_job_state(to_string(s)), s);
  EXPECT_FALSE(parse_job_state("done").has_value());
  EXPECT_TRUE(is_finished(JobState::kFailed));
  EXPECT_FALSE(is_finished(JobState::kRunning));
}

}  // namespace
}  // namespace mentoring::core
