// Matching runs in the background (app/matching_worker.h): a started run is
// queued with its job and comes back at once; a worker does it, reporting
// progress; several workers on one database (as several plugin instances
// would be) each claim different runs and no run is done twice; a stopped
// worker leaves queued runs for the next one.
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "app/matching_worker.h"
#include "tests/adapters/api/matching_fixture.h"

namespace mentoring {
namespace {
using core::RunState;
using testing::MatchingFixture;

class MatchingBackgroundTest : public MatchingFixture {
 protected:
  void SetUp() override {
    MatchingFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    jobs_ = std::make_unique<app::JobService>(*db_, clock_);
    matching_->set_jobs(jobs_.get());
    matching_->set_background([this] { ++notified_; });
    commit([&](core::Stores& s) { staff_ = new_account(s, "staff"); });
  }
  void TearDown() override {
    jobs_.reset();
    MatchingFixture::TearDown();
  }

  // A cohort of two mentees and a mentor with room for both.
  std::int64_t small_cohort(const std::string& tag) {
    const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
    mentee(cohort, tag + "-e1", {"teaching"});
    mentee(cohort, tag + "-e2", {"research"});
    mentor(cohort, tag + "-m1", 2, {"teaching", "research"});
    return cohort;
  }

  app::RunOptions by_staff() const {
    app::RunOptions o;
    o.requested_by = staff_;
    return o;
  }

  std::unique_ptr<app::JobService> jobs_;
  std::atomic<int> notified_{0};
  std::int64_t staff_ = 0;
};

TEST_P(MatchingBackgroundTest, AStartedRunIsQueuedWithItsJobAndTheWorkerDoesIt) {
  const std::int64_t cohort = small_cohort("a");
  auto run = matching_->start_run(cohort, by_staff());
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  EXPECT_EQ(run->run.state, RunState::kRunning) << "nothing done before the answer";
  EXPECT_TRUE(run->proposals.empty());
  EXPECT_EQ(notified_.load(), 1);
  ASSERT_TRUE(run->jobid.has_value());
  auto job = jobs_->get(*run->jobid);
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  EXPECT_EQ(job->job.state, core::JobState::kQueued);
  EXPECT_EQ(job->job.ownerid, staff_);
  EXPECT_EQ(job->percent, 0);
  // A second start while the first is queued is refused, as while it runs.
  EXPECT_EQ(matching_->start_run(cohort, by_staff()).status().reason(), "matching_run_in_progress");

  app::MatchingWorker worker(*matching_, {.name = "w1"});
  auto done = worker.run_queued();
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  EXPECT_EQ(*done, 1);
  auto after = matching_->get_run(run->run.id);
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(after->run.state, RunState::kReady);
  EXPECT_EQ(after->run.claimed_by, "w1");
  EXPECT_EQ(after->proposals.size(), 2u);
  job = jobs_->get(*run->jobid);
  EXPECT_EQ(job->job.state, core::JobState::kSucceeded);
  EXPECT_EQ(job->percent, 100);
  EXPECT_EQ(job->job.message, "2 pairs proposed");
  // Nothing is left: the run cannot be done again.
  EXPECT_EQ(*worker.run_queued(), 0);
  EXPECT_FALSE(*matching_->execute(run->run.id, "w2"));
}

TEST_P(MatchingBackgroundTest, ARunTheEngineRefusesFailsWithItsJobAndFreesTheCohort) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  mentor(cohort, "m2", 1, {"teaching"});
  auto pairing = pairings_->assign(cohort, e1, m1);
  ASSERT_TRUE(pairing.is_ok());
  ASSERT_TRUE(pairings_->end(pairing->id, core::EndReason::kNotAGoodFit, core::EndedBy::kAdmin, "").is_ok());
  // A pin may not override a "not a good fit" ending: the engine refuses the run.
  ASSERT_TRUE(matching_->set_rule(cohort, e1, m1, core::RuleKind::kPin).is_ok());
  auto run = matching_->start_run(cohort, by_staff());
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  app::MatchingWorker worker(*matching_, {});
  EXPECT_EQ(*worker.run_queued(), 1);
  auto after = matching_->get_run(run->run.id);
  EXPECT_EQ(after->run.state, RunState::kFailed);
  EXPECT_FALSE(after->run.error.empty());
  auto job = jobs_->get(*run->jobid);
  EXPECT_EQ(job->job.state, core::JobState::kFailed);
  EXPECT_EQ(job->job.message, after->run.error);
  // The cohort is free for the next run.
  ASSERT_TRUE(matching_->remove_rule(cohort, e1, m1).is_ok());
  EXPECT_TRUE(matching_->start_run(cohort, by_staff()).is_ok());
}

TEST_P(MatchingBackgroundTest, WorkersOnSeveralConnectionsEachClaimDifferentRunsAndNoneIsDoneTwice) {
  constexpr int kCohorts = 6;
  constexpr int kWorkers = 3;
  std::vector<std::int64_t> runs;
  for (int i = 0; i < kCohorts; ++i) {
    auto run = matching_->start_run(small_cohort("c" + std::to_string(i)), by_staff());
    ASSERT_TRUE(run.is_ok()) << run.status().to_string();
    runs.push_back(run->run.id);
  }
  // Each worker has its own database handle, service and job service, as a
  // separate plugin instance on the same database would.
  struct Instance {
    std::unique_ptr<storage::SociDatabase> db;
    std::unique_ptr<app::JobService> jobs;
    std::unique_ptr<app::MatchingService> matching;
    std::unique_ptr<app::MatchingWorker> worker;
  };
  std::vector<Instance> instances(kWorkers);
  for (int i = 0; i < kWorkers; ++i) {
    auto db = storage::open_database(settings_);
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    instances[i].db = std::move(db).value();
    instances[i].jobs = std::make_unique<app::JobService>(*instances[i].db, clock_);
    instances[i].matching = std::make_unique<app::MatchingService>(*instances[i].db, clock_);
    instances[i].matching->set_jobs(instances[i].jobs.get());
    instances[i].worker = std::make_unique<app::MatchingWorker>(
        *instances[i].matching, app::MatchingWorkerOptions{.name = "instance-" + std::to_string(i)});
  }
  std::vector<int> done(kWorkers, 0);
  std::vector<std::string> errors(kWorkers);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kWorkers; ++i) {
    threads.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      auto n = instances[i].worker->run_queued();
      if (n) done[i] = *n;
      else errors[i] = n.status().to_string();
    });
  }
  go = true;
  for (auto& t : threads) t.join();
  int total = 0;
  for (int i = 0; i < kWorkers; ++i) {
    EXPECT_EQ(errors[i], "") << "worker " << i;
    total += done[i];
  }
  EXPECT_EQ(total, kCohorts) << "every run done exactly once";
  std::map<std::string, int> by_worker;
  for (std::int64_t id : runs) {
    auto run = matching_->get_run(id);
    ASSERT_TRUE(run.is_ok());
    EXPECT_EQ(run->run.state, RunState::kReady) << id;
    EXPECT_EQ(run->proposals.size(), 2u) << id;
    ++by_worker[run->run.claimed_by];
    auto job = jobs_->get(*run->jobid);
    EXPECT_EQ(job->job.state, core::JobState::kSucceeded);
  }
  for (int i = 0; i < kWorkers; ++i)
    EXPECT_EQ(by_worker["instance-" + std::to_string(i)], done[i]) << "each run records who did it";
  auto left = matching_->queued(100);
  ASSERT_TRUE(left.is_ok());
  EXPECT_TRUE(left->empty());
}

TEST_P(MatchingBackgroundTest, TheWorkerThreadDoesANotifiedRunAndStopsCleanlyLeavingLaterRunsQueued) {
  app::MatchingWorker worker(*matching_, {.name = "thread", .poll_interval_ms = 60000});
  matching_->set_background([&worker] { worker.notify(); });
  worker.start();
  EXPECT_TRUE(worker.running());
  auto run = matching_->start_run(small_cohort("t"), by_staff());
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  RunState state = RunState::kRunning;
  for (int i = 0; i < 600 && state == RunState::kRunning; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    state = matching_->get_run(run->run.id)->run.state;
  }
  EXPECT_EQ(state, RunState::kReady) << "done without polling: the notification woke the worker";
  worker.stop();
  EXPECT_FALSE(worker.running());
  worker.stop();  // idempotent

  // With the worker stopped, a run stays queued (nobody claims it) ...
  matching_->set_background([] {});
  auto later = matching_->start_run(small_cohort("u"), by_staff());
  ASSERT_TRUE(later.is_ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto queued = matching_->get_run(later->run.id);
  EXPECT_EQ(queued->run.state, RunState::kRunning);
  EXPECT_EQ(queued->run.claimed_by, "");
  EXPECT_EQ(*worker.run_queued(), 0) << "a stopped worker takes nothing";
  // ... for the next worker, which finds it when it starts.
  app::MatchingWorker next(*matching_, {.name = "next", .poll_interval_ms = 60000});
  next.start();
  state = RunState::kRunning;
  for (int i = 0; i < 600 && state != RunState::kReady; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    state = matching_->get_run(later->run.id)->run.state;
  }
  EXPECT_EQ(state, RunState::kReady);
  EXPECT_EQ(matching_->get_run(later->run.id)->run.claimed_by, "next");
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchingBackgroundTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring
