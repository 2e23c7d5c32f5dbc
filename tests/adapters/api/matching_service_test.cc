// The matching use cases (app/matching_runs.h, app/matching_pairings.h) on a
// real database: runs and publishing, conflicts that stop a publish, one run
// per cohort, requests that lapse, waiting lists, endings and rematching,
// and the hybrid choice period.
#include <boost/json.hpp>
#include <set>

#include "core/webhook_stores.h"
#include "tests/adapters/api/matching_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using core::RunState;
using testing::kDaySeconds;
using testing::MatchingFixture;

class MatchingServiceTest : public MatchingFixture {};

const core::Proposal* proposal_for(const app::RunView& v, std::int64_t mentee) {
  for (const auto& p : v.proposals)
    if (p.menteeid == mentee) return &p;
  return nullptr;
}

TEST_P(MatchingServiceTest, AnAssignedRunProposesExplainedPairsAndPublishingMakesThemActive) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"research"});
  const std::int64_t e3 = mentee(cohort, "e3", {"leadership"});
  const std::int64_t teach = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t lead = mentor(cohort, "m2", 2, {"leadership", "research"});

  auto run = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  EXPECT_EQ(run->run.state, RunState::kReady);
  ASSERT_EQ(run->proposals.size(), 3u);
  const core::Proposal* p1 = proposal_for(*run, e1);
  ASSERT_NE(p1, nullptr);
  EXPECT_EQ(p1->mentorid, teach) << "the only mentor sharing e1's topic";
  EXPECT_EQ(proposal_for(*run, e2)->mentorid, lead);
  EXPECT_EQ(proposal_for(*run, e3)->mentorid, lead);
  // The explanation adds up to the score and names the shared topic.
  json::object x = json::parse(p1->explanation).as_object();
  EXPECT_EQ(x["score"].as_int64(), p1->score);
  std::int64_t points = 0;
  bool shares = false;
  for (const auto& line : x["lines"].as_array()) {
    points += line.as_object().at("points").as_int64();
    if (std::string(line.as_object().at("detail").as_string()).find("teaching") != std::string::npos) shares = true;
  }
  EXPECT_EQ(points, p1->score);
  EXPECT_TRUE(shares) << p1->explanation;
  json::object report = json::parse(run->run.report).as_object();
  EXPECT_EQ(report["mentees"].as_int64(), 3);
  EXPECT_EQ(report["mentees_matched"].as_int64(), 3);

  auto published = matching_->publish(run->run.id);
  ASSERT_TRUE(published.is_ok()) << published.status().to_string();
  EXPECT_TRUE(published->published);
  EXPECT_EQ(published->run.state, RunState::kPublished);
  EXPECT_EQ(published->pairings.size(), 3u);
  EXPECT_EQ(active_pairings(cohort).size(), 3u);
  EXPECT_EQ(active_of(teach), 1);
  EXPECT_EQ(active_of(lead), 2);
  for (const auto& p : active_pairings(cohort)) {
    EXPECT_EQ(p.source, core::PairingSource::kAssigned);
    EXPECT_EQ(p.runid, run->run.id);
  }
  EXPECT_EQ(matching_->publish(run->run.id).status().reason(), "run_not_ready");
}

TEST_P(MatchingServiceTest, PublishingStopsAtConflictsListsThemAllAndChangesNothing) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"research"});
  const std::int64_t e3 = mentee(cohort, "e3", {"research"});
  const std::int64_t teach = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t research = mentor(cohort, "m2", 2, {"research"});
  const std::int64_t spare = mentor(cohort, "m3", 1, {"surgery"});
  auto run = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  ASSERT_EQ(run->proposals.size(), 3u);
  ASSERT_EQ(proposal_for(*run, e1)->mentorid, teach);

  // Since the run: the teaching mentor left, e3 was paired by hand, and the
  // research mentor now takes one mentee only.
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.enrolments.set_status(teach, core::EnrolmentStatus::kWithdrawn, now()).is_ok());
  });
  ASSERT_TRUE(pairings_->assign(cohort, e3, spare).is_ok());
  set_capacity(research, 1);

  auto outcome = matching_->publish(run->run.id);
  ASSERT_TRUE(outcome.is_ok()) << outcome.status().to_string();
  EXPECT_FALSE(outcome->published);
  EXPECT_EQ(outcome->run.state, RunState::kReady);
  std::map<std::int64_t, std::string> reasons;
  for (const auto& c : outcome->conflicts) reasons[c.menteeid] = c.reason;
  EXPECT_EQ(reasons[e1], "mentor_left");
  EXPECT_EQ(reasons[e3], "mentee_already_paired");
  EXPECT_EQ(reasons.count(e2), 0u) << "the research mentor still has room for e2";
  // Nothing changed: only the hand-made pairing exists.
  auto active = active_pairings(cohort);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].menteeid, e3);
  EXPECT_EQ(active_of(research), 0);
  (void)e2;
}

TEST_P(MatchingServiceTest, PublishingRefusesProposalsBeyondAShrunkCapacity) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"research"});
  const std::int64_t e2 = mentee(cohort, "e2", {"research"});
  const std::int64_t research = mentor(cohort, "m1", 2, {"research"});
  auto run = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(run.is_ok());
  ASSERT_EQ(run->proposals.size(), 2u);
  set_capacity(research, 1);
  auto outcome = matching_->publish(run->run.id);
  ASSERT_TRUE(outcome.is_ok());
  EXPECT_FALSE(outcome->published);
  ASSERT_EQ(outcome->conflicts.size(), 1u);
  EXPECT_EQ(outcome->conflicts[0].reason, "mentor_full");
  EXPECT_EQ(outcome->conflicts[0].menteeid, e2);
  EXPECT_TRUE(active_pairings(cohort).empty());
  (void)e1;
}

TEST_P(MatchingServiceTest, OnlyOneRunPerCohortAtATimeAndAnAbandonedRunIsTakenOver) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  std::int64_t stuck = 0;
  commit([&](core::Stores& s) {
    core::MatchingRunRecord r;
    r.cohortid = cohort;
    auto begun = s.matching_runs.begin(r, now());
    ASSERT_TRUE(begun.is_ok());
    stuck = begun->id;
  });
  auto refused = matching_->start_run(cohort, app::RunOptions{});
  EXPECT_EQ(refused.status().reason(), "matching_run_in_progress");
  EXPECT_EQ(refused.status().code(), core::Code::kConflict);
  // Another cohort is not held up.
  const std::int64_t other = make_cohort(core::MatchingModel::kAssigned);
  EXPECT_TRUE(matching_->start_run(other, app::RunOptions{}).is_ok());

  clock_.advance_ms((app::kStaleRunSeconds + 1) * 1000);
  auto taken = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(taken.is_ok()) << taken.status().to_string();
  auto old = matching_->get_run(stuck);
  ASSERT_TRUE(old.is_ok());
  EXPECT_EQ(old->run.state, RunState::kFailed);
}

TEST_P(MatchingServiceTest, ANewRunSupersedesUnpublishedRunsAndNeverTouchesPublishedPairings) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 2, {"teaching"});
  auto first = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(first.is_ok());
  ASSERT_TRUE(matching_->publish(first->run.id)->published);

  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  auto second = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(second.is_ok());
  ASSERT_EQ(second->proposals.size(), 1u) << "paired mentees are not matched again";
  EXPECT_EQ(second->proposals[0].menteeid, e2);
  auto third = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(third.is_ok());
  EXPECT_EQ(matching_->get_run(second->run.id)->run.state, RunState::kSuperseded);
  EXPECT_EQ(matching_->publish(second->run.id).status().reason(), "run_not_ready");
  auto discarded = matching_->discard(third->run.id);
  ASSERT_TRUE(discarded.is_ok()) << discarded.status().to_string();
  EXPECT_EQ(discarded->state, RunState::kDiscarded);
  auto active = active_pairings(cohort);
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].menteeid, e1);
  EXPECT_EQ(active[0].mentorid, m1);
  EXPECT_EQ(active_of(m1), 1);
}

TEST_P(MatchingServiceTest, PinsAndBansShapeTheNextRun) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t teach = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t other = mentor(cohort, "m2", 1, {"surgery"});
  auto first = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_EQ(proposal_for(*first, e1)->mentorid, teach);

  ASSERT_TRUE(matching_->set_rule(cohort, e1, teach, core::RuleKind::kBan).is_ok());
  auto banned = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(banned.is_ok()) << banned.status().to_string();
  ASSERT_NE(proposal_for(*banned, e1), nullptr);
  EXPECT_EQ(proposal_for(*banned, e1)->mentorid, other);

  ASSERT_TRUE(matching_->set_rule(cohort, e1, other, core::RuleKind::kPin).is_ok());
  EXPECT_EQ(matching_->set_rule(cohort, e1, teach, core::RuleKind::kPin).status().reason(), "mentee_already_pinned");
  auto pinned = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(pinned.is_ok());
  EXPECT_EQ(proposal_for(*pinned, e1)->source, "pinned");
  EXPECT_EQ(matching_->set_rule(cohort, teach, e1, core::RuleKind::kPin).status().reason(), "mentee_not_enrolled");
  ASSERT_TRUE(matching_->remove_rule(cohort, e1, other).is_ok());
  EXPECT_EQ(matching_->remove_rule(cohort, e1, other).reason(), "rule_not_found");
  auto published = matching_->publish(pinned->run.id);
  ASSERT_TRUE(published.is_ok() && published->published);
  EXPECT_EQ(published->pairings[0].source, core::PairingSource::kAdmin);
}

TEST_P(MatchingServiceTest, RequestsLapseAfterTheReplyWindowAndCannotThenBeAccepted) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  auto made = pairings_->request(cohort, e1, m1, "Could you help me with teaching?", false);
  ASSERT_TRUE(made.is_ok()) << made.status().to_string();
  ASSERT_TRUE(made->request.has_value());
  EXPECT_EQ(made->request->expires_at, now() + app::kDefaultReplyDays * kDaySeconds);

  clock_.advance_ms((app::kDefaultReplyDays * kDaySeconds) * 1000);
  auto listed = pairings_->requests(cohort, e1, 0, std::nullopt, core::Page{});
  ASSERT_TRUE(listed.is_ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].state, core::RequestState::kLapsed) << "lapsed on read";
  EXPECT_EQ(pairings_->accept(made->request->id).status().reason(), "request_expired");
  EXPECT_TRUE(active_pairings(cohort).empty());
  // The mentee may ask again once the old request has lapsed.
  EXPECT_TRUE(pairings_->request(cohort, e1, m1, "", false).is_ok());
  // A tick lapses requests in every cohort.
  clock_.advance_ms((app::kDefaultReplyDays * kDaySeconds + 1) * 1000);
  auto n = pairings_->lapse_expired();
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, 1);
}

TEST_P(MatchingServiceTest, RequestsAreCheckedAgainstTheCohortAndItsMembers) {
  const std::int64_t assigned = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t a1 = mentee(assigned, "a1", {"teaching"});
  const std::int64_t am = mentor(assigned, "am", 1, {"teaching"});
  EXPECT_EQ(pairings_->request(assigned, a1, am, "", false).status().reason(), "cohort_not_mentee_choice");
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  EXPECT_EQ(pairings_->request(cohort, m1, m1, "", false).status().reason(), "mentee_not_enrolled");
  EXPECT_EQ(pairings_->request(cohort, e1, e1, "", false).status().reason(), "mentor_not_enrolled");
  EXPECT_EQ(pairings_->request(cohort, e1, am, "", false).status().reason(), "mentor_not_enrolled")
      << "a mentor of another cohort";
  EXPECT_EQ(pairings_->request(cohort, e1, m1, std::string(2001, 'x'), false).status().reason(), "message_too_long");
  EXPECT_EQ(pairings_->request(424242, e1, m1, "", false).status().reason(), "cohort_not_found");
  ASSERT_TRUE(pairings_->request(cohort, e1, m1, "", false).is_ok());
  EXPECT_EQ(pairings_->request(cohort, e1, m1, "", false).status().reason(), "request_already_pending");
}

TEST_P(MatchingServiceTest, AFullMentorOffersAWaitingListAndAFreedPlaceGoesToTheFirstInLine) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kMenteeChoice);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  auto r1 = pairings_->request(cohort, e1, m1, "", false);
  ASSERT_TRUE(r1.is_ok());
  auto pairing = pairings_->accept(r1->request->id);
  ASSERT_TRUE(pairing.is_ok()) << pairing.status().to_string();
  EXPECT_EQ(pairing->source, core::PairingSource::kChoice);
  EXPECT_EQ(pairings_->request(cohort, e2, m1, "", false).status().reason(), "mentor_full");
  auto waiting = pairings_->request(cohort, e2, m1, "Happy to wait", true);
  ASSERT_TRUE(waiting.is_ok()) << waiting.status().to_string();
  ASSERT_TRUE(waiting->waiting.has_value());
  EXPECT_FALSE(waiting->request.has_value());

  // e1 ends the pairing as "not a good fit": the place goes to e2.
  auto ended = pairings_->end(pairing->id, core::EndReason::kNotAGoodFit, core::EndedBy::kMentee, "");
  ASSERT_TRUE(ended.is_ok()) << ended.status().to_string();
  EXPECT_EQ(active_of(m1), 0);
  auto offered = pairings_->requests(cohort, e2, m1, core::RequestState::kPending, core::Page{});
  ASSERT_TRUE(offered.is_ok());
  ASSERT_EQ(offered->size(), 1u);
  EXPECT_EQ((*offered)[0].message, "Happy to wait");
  // e1 can be rematched, but never with m1 again.
  EXPECT_EQ(pairings_->request(cohort, e1, m1, "", false).status().reason(), "pair_not_allowed");
  EXPECT_EQ(pairings_->end(pairing->id, core::EndReason::kCompleted, core::EndedBy::kAdmin, "").status().reason(),
            "pairing_not_active");
  EXPECT_EQ(pairings_->end(pairing->id, core::EndReason::kCompleted, core::EndedBy::kAdmin, std::string(2001, 'n'))
                .status()
                .reason(),
            "end_note_too_long");
}

TEST_P(MatchingServiceTest, ARunRematchesAMenteeButNeverWithANotAGoodFitMentor) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t best = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t other = mentor(cohort, "m2", 1, {"surgery"});
  auto pairing = pairings_->assign(cohort, e1, best);
  ASSERT_TRUE(pairing.is_ok()) << pairing.status().to_string();
  ASSERT_TRUE(pairings_->end(pairing->id, core::EndReason::kNotAGoodFit, core::EndedBy::kMentor, "").is_ok());
  auto run = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  ASSERT_NE(proposal_for(*run, e1), nullptr);
  EXPECT_EQ(proposal_for(*run, e1)->mentorid, other);
  EXPECT_EQ(pairings_->assign(cohort, e1, best).status().reason(), "pair_not_allowed");
}

TEST_P(MatchingServiceTest, HybridShortlistsChoicesThenAFallbackRunForTheRest) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kHybrid);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"research"});
  const std::int64_t e3 = mentee(cohort, "e3", {"leadership"});
  const std::vector<std::int64_t> mentors = {mentor(cohort, "m1", 1, {"teaching"}),
                                             mentor(cohort, "m2", 1, {"research"}),
                                             mentor(cohort, "m3", 2, {"leadership"})};
  EXPECT_EQ(pairings_->request(cohort, e1, e1, "", false).status().reason(), "mentor_not_enrolled");

  app::RunOptions o;
  o.model = core::RunModel::kHybrid;
  o.shortlist_size = 2;
  o.choice_days = 10;
  auto hybrid = matching_->start_run(cohort, o);
  ASSERT_TRUE(hybrid.is_ok()) << hybrid.status().to_string();
  EXPECT_EQ(hybrid->run.choice_deadline, now() + 10 * kDaySeconds);
  EXPECT_TRUE(hybrid->proposals.empty());
  std::map<std::int64_t, std::vector<std::int64_t>> lists;
  for (const auto& row : hybrid->shortlists) lists[row.menteeid].push_back(row.mentorid);
  ASSERT_EQ(lists.size(), 3u);
  for (const auto& [m, l] : lists) {
    EXPECT_GE(l.size(), 1u) << m;
    EXPECT_LE(l.size(), 2u) << m;
  }

  // e1 chooses the first on their list; a mentor off the list is refused.
  std::int64_t off_list = 0;
  for (std::int64_t m : mentors)
    if (std::find(lists[e1].begin(), lists[e1].end(), m) == lists[e1].end()) off_list = m;
  ASSERT_NE(off_list, 0);
  EXPECT_EQ(pairings_->request(cohort, e1, off_list, "", false).status().reason(), "choice_not_on_shortlist");
  auto chose = pairings_->request(cohort, e1, lists[e1][0], "", false);
  ASSERT_TRUE(chose.is_ok()) << chose.status().to_string();
  EXPECT_EQ(chose->request->source, core::RequestSource::kHybrid);
  auto paired = pairings_->accept(chose->request->id);
  ASSERT_TRUE(paired.is_ok()) << paired.status().to_string();
  EXPECT_EQ(paired->source, core::PairingSource::kHybrid);

  EXPECT_EQ(matching_->resolve_hybrid(hybrid->run.id).status().reason(), "choice_deadline_not_passed");
  clock_.advance_ms((10 * kDaySeconds + 1) * 1000);
  EXPECT_EQ(pairings_->request(cohort, e2, lists[e2][0], "", false).status().reason(), "choice_deadline_passed");
  auto fallback = matching_->resolve_hybrid(hybrid->run.id);
  ASSERT_TRUE(fallback.is_ok()) << fallback.status().to_string();
  EXPECT_EQ(fallback->run.model, core::RunModel::kFallback);
  EXPECT_EQ(fallback->run.parentid, hybrid->run.id);
  ASSERT_EQ(fallback->proposals.size(), 2u) << "e1 chose; e2 and e3 are assigned";
  EXPECT_EQ(proposal_for(*fallback, e1), nullptr);
  auto published = matching_->publish(fallback->run.id);
  ASSERT_TRUE(published.is_ok() && published->published);
  EXPECT_EQ(active_pairings(cohort).size(), 3u);
  for (const auto& p : published->pairings) EXPECT_EQ(p.source, core::PairingSource::kHybrid);
  EXPECT_EQ(matching_->resolve_hybrid(fallback->run.id).status().reason(), "run_not_hybrid");
  (void)e3;
}

TEST_P(MatchingServiceTest, RunOptionsAreValidatedBeforeAnythingIsStored) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  app::RunOptions o;
  o.weights = {{"topics", "enormous"}};
  EXPECT_EQ(matching_->start_run(cohort, o).status().reason(), "weight_invalid");
  o.weights = {{"height", "high"}};
  EXPECT_EQ(matching_->start_run(cohort, o).status().reason(), "criterion_unknown");
  o = app::RunOptions{};
  o.choice_days = 0;
  EXPECT_EQ(matching_->start_run(cohort, o).status().reason(), "choice_days_invalid");
  o = app::RunOptions{};
  o.shortlist_size = 11;
  EXPECT_EQ(matching_->start_run(cohort, o).status().reason(), "shortlist_size_invalid");
  o = app::RunOptions{};
  o.model = core::RunModel::kFallback;
  EXPECT_EQ(matching_->start_run(cohort, o).status().reason(), "run_model_invalid");
  EXPECT_EQ(matching_->start_run(424242, app::RunOptions{}).status().reason(), "cohort_not_found");
  auto runs = matching_->runs(cohort);
  ASSERT_TRUE(runs.is_ok());
  EXPECT_TRUE(runs->empty());
}

TEST_P(MatchingServiceTest, ARunTheEngineRefusesIsStoredAsFailedAndDoesNotBlockTheNext) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  mentor(cohort, "m2", 1, {"teaching"});
  auto pairing = pairings_->assign(cohort, e1, m1);
  ASSERT_TRUE(pairing.is_ok());
  ASSERT_TRUE(pairings_->end(pairing->id, core::EndReason::kNotAGoodFit, core::EndedBy::kAdmin, "").is_ok());
  // A pin may not override a "not a good fit" ending.
  ASSERT_TRUE(matching_->set_rule(cohort, e1, m1, core::RuleKind::kPin).is_ok());
  auto refused = matching_->start_run(cohort, app::RunOptions{});
  EXPECT_EQ(refused.status().reason(), "pin_conflicts_with_constraint");
  auto runs = matching_->runs(cohort);
  ASSERT_TRUE(runs.is_ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].state, RunState::kFailed);
  EXPECT_FALSE((*runs)[0].error.empty());
  ASSERT_TRUE(matching_->remove_rule(cohort, e1, m1).is_ok());
  auto next = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(next.is_ok()) << next.status().to_string();
  ASSERT_EQ(next->proposals.size(), 1u);
  EXPECT_NE(next->proposals[0].mentorid, m1);
}

TEST_P(MatchingServiceTest, RunProgressIsReportedThroughTheJobService) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  mentee(cohort, "e1", {"teaching"});
  mentor(cohort, "m1", 1, {"teaching"});
  std::int64_t staff = 0;
  commit([&](core::Stores& s) { staff = new_account(s, "staff"); });
  app::JobService jobs(*db_, clock_);
  matching_->set_jobs(&jobs);
  app::RunOptions o;
  o.requested_by = staff;
  auto run = matching_->start_run(cohort, o);
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  ASSERT_TRUE(run->jobid.has_value());
  auto job = jobs.get(*run->jobid);
  ASSERT_TRUE(job.is_ok()) << job.status().to_string();
  EXPECT_EQ(job->percent, 100);
  EXPECT_EQ(job->job.kind, "matching_run");
}

// Every pairing that starts or ends is announced to the host through the
// outbox, in the same transaction, naming people only by platform and subject.
TEST_P(MatchingServiceTest, PairingsThatStartOrEndAreSentToTheHostThroughTheOutbox) {
  auto events = [&](const std::string& type) {
    std::vector<json::object> out;
    commit([&](core::Stores& s) {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      ASSERT_TRUE(list.is_ok()) << list.status().to_string();
      for (const auto& e : *list) {
        if (e.event_type != type) continue;
        out.push_back(json::parse(e.payload).as_object());
      }
    });
    return out;
  };
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"research"});
  const std::int64_t m1 = mentor(cohort, "m1", 1, {"teaching"});
  const std::int64_t m2 = mentor(cohort, "m2", 1, {"research"});
  auto run = matching_->start_run(cohort, app::RunOptions{});
  ASSERT_TRUE(run.is_ok()) << run.status().to_string();
  auto published = matching_->publish(run->run.id);
  ASSERT_TRUE(published.is_ok() && published->published) << published.status().to_string();
  auto confirmed = events("mentoring.pairing_confirmed");
  ASSERT_EQ(confirmed.size(), 2u);
  for (auto& data : confirmed) {
    EXPECT_EQ(data["cohort_id"].as_int64(), cohort);
    EXPECT_EQ(data["source"].as_string(), "assigned");
    EXPECT_EQ(data["mentee"].as_object().at("platform").as_string(), "https://portal.example.nhs.uk");
    EXPECT_EQ(data["mentee"].as_object().size(), 2u) << "only platform and subject";
    EXPECT_FALSE(data.contains("end_reason"));
  }
  std::set<std::string> subjects;
  for (auto& data : confirmed) subjects.insert(std::string(data["mentor"].as_object().at("subject").as_string()));
  EXPECT_EQ(subjects, (std::set<std::string>{"m1", "m2"}));
  EXPECT_TRUE(events("mentoring.pairing_ended").empty());

  const core::Pairing first = published->pairings.front();
  auto ended = pairings_->end(first.id, core::EndReason::kCompleted, core::EndedBy::kMentee, "A private note");
  ASSERT_TRUE(ended.is_ok()) << ended.status().to_string();
  auto gone = events("mentoring.pairing_ended");
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0]["pairing_id"].as_int64(), first.id);
  EXPECT_EQ(gone[0]["end_reason"].as_string(), "completed");
  EXPECT_EQ(gone[0]["ended_by"].as_string(), "mentee");
  EXPECT_EQ(json::serialize(gone[0]).find("A private note"), std::string::npos) << "the note never leaves";
  // A refused ending sends nothing.
  EXPECT_FALSE(pairings_->end(first.id, core::EndReason::kCompleted, core::EndedBy::kAdmin, "").is_ok());
  EXPECT_EQ(events("mentoring.pairing_ended").size(), 1u);

  // An administrator's pairing is announced too.
  const std::int64_t freed_mentee = first.menteeid;
  const std::int64_t other_mentor = first.mentorid == m1 ? m2 : m1;
  set_capacity(other_mentor, 2);
  auto assigned = pairings_->assign(cohort, freed_mentee, other_mentor);
  ASSERT_TRUE(assigned.is_ok()) << assigned.status().to_string();
  confirmed = events("mentoring.pairing_confirmed");
  ASSERT_EQ(confirmed.size(), 3u);
  int by_admin = 0;
  for (auto& data : confirmed)
    if (data["source"].as_string() == "admin" && data["pairing_id"].as_int64() == assigned->id) ++by_admin;
  EXPECT_EQ(by_admin, 1);
  (void)e1;
  (void)e2;
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchingServiceTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring
