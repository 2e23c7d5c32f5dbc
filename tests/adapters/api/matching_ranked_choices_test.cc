// Ranked mentor choices (PairingService::request_ranked and what follows) on
// a real database: the request goes to the first choice and moves on when a
// mentor declines, lets it lapse or fills up, with a pairing_proposed event
// to each mentor asked; an exhausted list leaves the mentee for an
// administrator; the mentee can withdraw; and every refused list changes
// nothing. Also the heartbeat that fails abandoned matching runs.
#include <algorithm>
#include <boost/json.hpp>

#include "app/matching_worker.h"
#include "core/webhook_stores.h"
#include "tests/adapters/api/matching_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using core::ChoiceListState;
using core::ChoiceState;
using testing::kDaySeconds;
using testing::MatchingFixture;

class RankedChoicesTest : public MatchingFixture {
 protected:
  // Mentor enrolment ids of the pairing_proposed events sent, in order.
  std::vector<std::int64_t> proposed_to() {
    std::vector<std::int64_t> out;
    commit([&](core::Stores& s) {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      ASSERT_TRUE(list.is_ok()) << list.status().to_string();
      std::vector<core::OutboxEntry> events = *list;
      std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
      for (const auto& e : events) {
        if (e.event_type != "mentoring.pairing_proposed") continue;
        auto request = s.pairings.find_request(json::parse(e.payload).as_object().at("request_id").as_int64());
        ASSERT_TRUE(request.is_ok() && request->has_value());
        out.push_back((*request)->mentorid);
      }
    });
    return out;
  }
  std::int64_t pending_request_of(std::int64_t mentee) {
    auto list = pairings_->requests(0, mentee, 0, core::RequestState::kPending, core::Page{});
    EXPECT_TRUE(list.is_ok()) << list.status().to_string();
    if (!list.is_ok() || list->empty()) return 0;
    return list->front().id;
  }
  std::int64_t pending_mentor_of(std::int64_t mentee) {
    auto list = pairings_->requests(0, mentee, 0, core::RequestState::kPending, core::Page{});
    if (!list.is_ok() || list->empty()) return 0;
    return list->front().mentorid;
  }
  core::ChoiceList list_of(std::int64_t cohort, std::int64_t mentee) {
    auto got = pairings_->choices(cohort, mentee);
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    EXPECT_TRUE(got.is_ok() && got->has_value());
    return got.is_ok() && got->has_value() ? **got : core::ChoiceList{};
  }
  std::vector<ChoiceState> states(const core::ChoiceList& l) {
    std::vector<ChoiceState> out;
    for (const auto& e : l.entries) out.push_back(e.state);
    return out;
  }
};

TEST_P(RankedChoicesTest, ADeclineMovesTheRequestToTheNextChoiceInTheSameTransaction) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"research"});
  const std::int64_t m3 = mentor(cohort, "m3", 1, {"leadership"});
  auto list = pairings_->request_ranked(cohort, e1, {m2, m1, m3}, "Hello");
  ASSERT_TRUE(list.is_ok()) << list.status().to_string();
  EXPECT_EQ(list->state, ChoiceListState::kActive);
  ASSERT_EQ(list->entries.size(), 3u);
  EXPECT_EQ(list->entries[0].mentorid, m2);
  EXPECT_EQ(list->entries[0].state, ChoiceState::kRequested);
  EXPECT_EQ(pending_mentor_of(e1), m2);
  EXPECT_EQ(proposed_to(), (std::vector<std::int64_t>{m2}));

  ASSERT_TRUE(pairings_->decline(pending_request_of(e1)).is_ok());
  EXPECT_EQ(pending_mentor_of(e1), m1) << "the second choice is asked at once";
  EXPECT_EQ(proposed_to(), (std::vector<std::int64_t>{m2, m1}));
  auto now_list = list_of(cohort, e1);
  EXPECT_EQ(states(now_list),
            (std::vector<ChoiceState>{ChoiceState::kDeclined, ChoiceState::kRequested, ChoiceState::kWaiting}));

  auto accepted = pairings_->accept(pending_request_of(e1));
  ASSERT_TRUE(accepted.is_ok()) << accepted.status().to_string();
  EXPECT_EQ(accepted->mentorid, m1);
  now_list = list_of(cohort, e1);
  EXPECT_EQ(now_list.state, ChoiceListState::kAccepted);
  EXPECT_EQ(states(now_list),
            (std::vector<ChoiceState>{ChoiceState::kDeclined, ChoiceState::kAccepted, ChoiceState::kNotNeeded}));
  EXPECT_EQ(proposed_to().size(), 2u) << "the third choice is never asked";
}

TEST_P(RankedChoicesTest, ALapsedRequestMovesOnAndAnExhaustedListFallsBackToTheAdministrator) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"research"});
  ASSERT_TRUE(pairings_->request_ranked(cohort, e1, {m1, m2}, "").is_ok());
  clock_.advance_ms((app::kDefaultReplyDays * kDaySeconds + 1) * 1000);
  auto l = list_of(cohort, e1);
  EXPECT_EQ(states(l), (std::vector<ChoiceState>{ChoiceState::kLapsed, ChoiceState::kRequested}));
  EXPECT_EQ(pending_mentor_of(e1), m2);
  ASSERT_TRUE(pairings_->decline(pending_request_of(e1)).is_ok());
  l = list_of(cohort, e1);
  EXPECT_EQ(l.state, ChoiceListState::kExhausted);
  EXPECT_EQ(pending_request_of(e1), 0);
  // The mentee is unpaired, so the administrator can pair them by hand, and
  // they may rank again.
  auto assigned = pairings_->assign(cohort, e1, m1);
  ASSERT_TRUE(assigned.is_ok()) << assigned.status().to_string();
}

TEST_P(RankedChoicesTest, ThePeriodicSweepMovesALapsedListOnWithoutAnyoneReadingIt) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"research"});
  ASSERT_TRUE(pairings_->request_ranked(cohort, e1, {m1, m2}, "").is_ok());
  EXPECT_EQ(proposed_to(), (std::vector<std::int64_t>{m1}));
  clock_.advance_ms((app::kDefaultReplyDays * kDaySeconds + 1) * 1000);
  auto lapsed = pairings_->lapse_expired();
  ASSERT_TRUE(lapsed.is_ok()) << lapsed.status().to_string();
  EXPECT_EQ(*lapsed, 1);
  // The second choice has been told already, by the sweep alone.
  EXPECT_EQ(proposed_to(), (std::vector<std::int64_t>{m1, m2}));
  EXPECT_EQ(pending_mentor_of(e1), m2);
}

TEST_P(RankedChoicesTest, AMentorWhoFillsUpPassesTheRequestToTheNextChoice) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t e3 = mentee(cohort, "e3", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 2, {"research"});
  ASSERT_TRUE(pairings_->request_ranked(cohort, e1, {m1, m2}, "").is_ok());
  ASSERT_TRUE(pairings_->request_ranked(cohort, e2, {m1, m2}, "").is_ok());
  // m1 takes e2 (their only place) by accepting e2's request.
  auto taken = pairings_->accept(pending_request_of(e2));
  ASSERT_TRUE(taken.is_ok()) << taken.status().to_string();
  EXPECT_EQ(pending_mentor_of(e1), m2) << "moved on in the accepting transaction";
  auto l = list_of(cohort, e1);
  EXPECT_EQ(states(l), (std::vector<ChoiceState>{ChoiceState::kMentorFull, ChoiceState::kRequested}));
  // A full mentor cannot be ranked at all.
  auto refused = pairings_->request_ranked(cohort, e3, {m2, m1}, "");
  EXPECT_EQ(refused.status().reason(), "mentor_full");
  EXPECT_EQ(refused.status().field(), "mentorids[1]");
  EXPECT_FALSE(pairings_->choices(cohort, e3)->has_value()) << "a refused list stores nothing";
  EXPECT_EQ(pending_request_of(e3), 0);
}

TEST_P(RankedChoicesTest, AdministratorPairingClosesTheListAndWithdrawingDropsTheRest) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 2, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 2, {"research"});
  ASSERT_TRUE(pairings_->request_ranked(cohort, e1, {m1, m2}, "").is_ok());
  ASSERT_TRUE(pairings_->assign(cohort, e1, m2).is_ok());
  auto l = list_of(cohort, e1);
  EXPECT_EQ(l.state, ChoiceListState::kClosed);
  EXPECT_EQ(pending_request_of(e1), 0) << "the open request is withdrawn";

  ASSERT_TRUE(pairings_->request_ranked(cohort, e2, {m1, m2}, "").is_ok());
  auto withdrawn = pairings_->withdraw_choices(cohort, e2);
  ASSERT_TRUE(withdrawn.is_ok()) << withdrawn.status().to_string();
  EXPECT_EQ(withdrawn->state, ChoiceListState::kWithdrawn);
  EXPECT_EQ(states(*withdrawn), (std::vector<ChoiceState>{ChoiceState::kWithdrawn, ChoiceState::kWithdrawn}));
  EXPECT_EQ(pending_request_of(e2), 0);
  EXPECT_EQ(pairings_->withdraw_choices(cohort, e2).status().reason(), "choice_list_not_found");
  // Withdrawing the request itself withdraws the list too.
  ASSERT_TRUE(pairings_->request_ranked(cohort, e2, {m2, m1}, "").is_ok());
  ASSERT_TRUE(pairings_->withdraw(pending_request_of(e2)).is_ok());
  EXPECT_EQ(list_of(cohort, e2).state, ChoiceListState::kWithdrawn);
  EXPECT_EQ(pending_request_of(e2), 0);
}

TEST_P(RankedChoicesTest, ListsAreValidatedAndARefusalChangesNothing) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"research"});
  const std::int64_t m3 = mentor(cohort, "m3", 1, {"leadership"});
  const std::int64_t m4 = mentor(cohort, "m4", 1, {"surgery"});
  const std::int64_t other = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t outsider = mentor(other, "m9", 1, {"teaching"});
  auto reason = [&](std::vector<std::int64_t> ids) {
    return pairings_->request_ranked(cohort, e1, ids, "").status().reason();
  };
  EXPECT_EQ(reason({}), "choices_count_invalid");
  EXPECT_EQ(reason({m1, m2, m3, m4}), "choices_count_invalid") << "at most 3 by default";
  EXPECT_EQ(reason({m1, m2, m1}), "choice_duplicate");
  EXPECT_EQ(reason({m1, outsider}), "mentor_not_enrolled");
  EXPECT_EQ(reason({m1, e1}), "mentor_not_enrolled");
  // Training: a required module the mentor has not done.
  commit([&](core::Stores& s) {
    core::TrainingModule mod;
    mod.schemeid = schemeid_;
    mod.code = "mentoring_skills";
    mod.title = "Mentoring skills";
    mod.required = true;
    auto made = s.training.replace_modules(schemeid_, {mod}, now());
    ASSERT_TRUE(made.is_ok()) << made.status().to_string();
  });
  auto untrained = pairings_->request_ranked(cohort, e1, {m1}, "");
  EXPECT_EQ(untrained.status().reason(), "mentor_training_not_in_date");
  EXPECT_EQ(untrained.status().field(), "mentorids[0]");
  EXPECT_EQ(pending_request_of(e1), 0);
  EXPECT_TRUE(proposed_to().empty());
  EXPECT_FALSE(pairings_->choices(cohort, e1)->has_value());

  const std::int64_t assigned_cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e9 = mentee(assigned_cohort, "e9", {"teaching"});
  EXPECT_EQ(pairings_->request_ranked(assigned_cohort, e9, {m1}, "").status().reason(), "cohort_not_mentee_choice");
}

TEST_P(RankedChoicesTest, TheMaximumIsConfigurable) {
  app::PairingService five(*db_, clock_, app::kDefaultReplyDays, 5);
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(mentor(cohort, "m" + std::to_string(i), 1, {"teaching"}));
  auto list = five.request_ranked(cohort, e1, ids, "");
  ASSERT_TRUE(list.is_ok()) << list.status().to_string();
  EXPECT_EQ(list->entries.size(), 5u);
  EXPECT_EQ(five.max_choices(), 5);
}

TEST_P(RankedChoicesTest, HybridRankingsMustComeFromTheShortlist) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kHybrid);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"teaching", "research"});
  EXPECT_EQ(pairings_->request_ranked(cohort, e1, {m1}, "").status().reason(), "shortlist_not_open");
  app::RunOptions o;
  o.model = core::RunModel::kHybrid;
  o.shortlist_size = 1;
  auto run = matching_->start_run(cohort, o);
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  ASSERT_EQ(run->shortlists.size(), 1u);
  const std::int64_t listed = run->shortlists[0].mentorid;
  const std::int64_t unlisted = listed == m1 ? m2 : m1;
  auto refused = pairings_->request_ranked(cohort, e1, {listed, unlisted}, "");
  EXPECT_EQ(refused.status().reason(), "choice_not_on_shortlist");
  EXPECT_EQ(refused.status().field(), "mentorids[1]");
  auto ok = pairings_->request_ranked(cohort, e1, {listed}, "");
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->source, core::RequestSource::kHybrid);
}

// --- abandoned runs ---

TEST_P(RankedChoicesTest, AClaimedRunIsFailedOnlyWhenItsHeartbeatIsOlderThanTheTimeout) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  matching_->set_heartbeat_timeout(120);
  std::int64_t runid = 0;
  commit([&](core::Stores& s) {
    core::MatchingRunRecord r;
    r.cohortid = cohort;
    auto begun = s.matching_runs.begin(r, now());
    ASSERT_TRUE(begun.is_ok());
    runid = begun->id;
    ASSERT_TRUE(*s.matching_runs.claim(runid, "instance-a", now()));
  });
  // 100 s on, with a heartbeat at 90 s: alive.
  clock_.advance_ms(90 * 1000);
  commit([&](core::Stores& s) { ASSERT_TRUE(*s.matching_runs.heartbeat(runid, "instance-a", now())); });
  clock_.advance_ms(100 * 1000);
  auto none = matching_->fail_abandoned();
  ASSERT_TRUE(none.is_ok()) << none.status().to_string();
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(matching_->start_run(cohort, app::RunOptions{}).status().reason(), "matching_run_in_progress");
  // Another worker's heartbeat does not count.
  commit([&](core::Stores& s) { EXPECT_FALSE(*s.matching_runs.heartbeat(runid, "instance-b", now())); });
  // 121 s after the last heartbeat: abandoned, far sooner than an hour.
  clock_.advance_ms(21 * 1000);
  auto failed = matching_->fail_abandoned();
  ASSERT_TRUE(failed.is_ok());
  EXPECT_EQ(*failed, 1);
  auto view = matching_->get_run(runid);
  ASSERT_TRUE(view.is_ok());
  EXPECT_EQ(view->run.state, core::RunState::kFailed);
  EXPECT_NE(view->run.error.find("abandoned"), std::string::npos);
  commit([&](core::Stores& s) { EXPECT_FALSE(*s.matching_runs.heartbeat(runid, "instance-a", now())); });
  // The cohort can run again.
  auto next = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(next.is_ok()) << next.status().to_string();
  EXPECT_EQ(next->run.state, core::RunState::kReady);
}

TEST_P(RankedChoicesTest, TheWorkerFailsAbandonedRunsAndTheirJobs) {
  app::JobService jobs(*db_, clock_);
  matching_->set_jobs(&jobs);
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  std::int64_t staff = 0;
  commit([&](core::Stores& s) { staff = new_account(s, "staff1"); });
  // A worker elsewhere claimed a run and died.
  matching_->set_background([] {});
  app::RunOptions o;
  o.requested_by = staff;
  auto queued = matching_->start_run(cohort, o);
  ASSERT_TRUE(queued.is_ok()) << queued.status().to_string();
  ASSERT_TRUE(queued->jobid.has_value());
  commit([&](core::Stores& s) { ASSERT_TRUE(*s.matching_runs.claim(queued->run.id, "dead-instance", now())); });
  clock_.advance_ms((app::kDefaultRunHeartbeatTimeout + 1) * 1000);
  app::MatchingWorker worker(*matching_, app::MatchingWorkerOptions{"live-instance", 1000});
  auto done = worker.run_queued();
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  auto view = matching_->get_run(queued->run.id);
  ASSERT_TRUE(view.is_ok());
  EXPECT_EQ(view->run.state, core::RunState::kFailed);
  auto job = jobs.get(*queued->jobid);
  ASSERT_TRUE(job.is_ok());
  EXPECT_EQ(job->job.state, core::JobState::kFailed);
}

TEST_P(RankedChoicesTest, ARunDoneByAWorkerRecordsItsHeartbeat) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  matching_->set_background([] {});
  auto queued = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(queued.is_ok());
  EXPECT_FALSE(queued->run.heartbeat_at.has_value());
  clock_.advance_ms(5000);
  ASSERT_TRUE(*matching_->execute(queued->run.id, "w1"));
  auto view = matching_->get_run(queued->run.id);
  ASSERT_TRUE(view.is_ok());
  EXPECT_EQ(view->run.state, core::RunState::kReady);
  ASSERT_TRUE(view->run.heartbeat_at.has_value());
  EXPECT_EQ(*view->run.heartbeat_at, now());
}

INSTANTIATE_TEST_SUITE_P(Backends, RankedChoicesTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring
