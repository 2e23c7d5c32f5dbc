// The matching pages (adapters/web/pages/matching_pages.cc) over a real SQLite
// database, real sessions and the real matching services: staff start a run
// and follow it to its proposals, pin, ban, publish (or see the conflicts),
// pair a mentee by hand; a mentee asks a mentor from the directory and the
// mentor accepts within their places; who may see and do what.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "adapters/http/router.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/session.h"
#include "app/jobs.h"
#include "app/matching_pairings.h"
#include "app/matching_runs.h"
#include "app/matching_worker.h"
#include "core/lti_capabilities.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/database.h"
#include "tests/adapters/web/matching_pages_fixture.h"

namespace mentoring::web {
namespace {
namespace cap = core::capability;
using core::Status;

constexpr std::int64_t kT0 = 1780000000;  // 2026-05-28

using testing::contains;
using testing::Form;
using testing::hidden;

class MatchingPagesTest : public testing::MatchingPagesFixture {
 protected:
  MatchingPagesTest() : MatchingPagesFixture(kT0) {}

  std::vector<testing::FixtureMentee> mentees() const override {
    return {{"trainee", "Dr Aisha Okafor", {"teaching", "recruitment"}}, {"trainee2", "Dr Chen Li", {"surgery"}}};
  }
  std::vector<testing::FixtureMentor> mentors() const override {
    return {{"mentor", "Dr Ben Hughes", "Paediatrics", {"teaching"}},
            {"mentor2", "Dr Dana Evans", "Surgery", {"surgery"}}};
  }

  std::string staff_page() const { return "/staff/matching?cohort=" + std::to_string(cohort_); }
  Form staff_form(const std::string& action, Form more = {}) const {
    Form f{{"cohortid", std::to_string(cohort_)}, {"action", action}};
    f.insert(f.end(), more.begin(), more.end());
    return f;
  }

  std::vector<core::Pairing> active_pairings() {
    auto list = pairings_->pairings(cohort_, core::PairingState::kActive, core::Page{});
    EXPECT_TRUE(list.is_ok());
    return list.is_ok() ? *list : std::vector<core::Pairing>{};
  }
};

TEST_F(MatchingPagesTest, StaffStartARunWatchItsProgressAndReviewExplainedProposals) {
  http::Response r = get("admin", "/staff/matching");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "FY1 North West: August intake")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"start-run\""));
  expect_clean_page(r, "staff matching, no run");

  r = post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "assigned_optimal"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  const std::string location(r.header("Location"));
  EXPECT_TRUE(contains(location, "done=started")) << location;
  auto runs = matching_->runs(cohort_);
  ASSERT_EQ(runs->size(), 1u);
  const core::MatchingRunRecord run = (*runs)[0];
  ASSERT_TRUE(run.jobid.has_value());
  EXPECT_EQ(run.state, core::RunState::kRunning);

  // While queued: the state, a progress bar polling the job, nothing to review.
  r = get("admin", location);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "The run has started.")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"run-progress\""));
  EXPECT_TRUE(contains(r.body, "data-progress-url=\"/api/v1/jobs/" + std::to_string(*run.jobid) + "\""));
  EXPECT_TRUE(contains(r.body, "data-module=\"app-progress\""));
  EXPECT_TRUE(contains(r.body, "Waiting to start."));
  EXPECT_FALSE(contains(r.body, "id=\"proposals\""));
  EXPECT_FALSE(contains(r.body, "id=\"publish\""));
  expect_clean_page(r, "staff matching, running");

  ASSERT_EQ(*worker_->run_queued(), 1);
  r = get("admin", location);
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Ready for review"));
  EXPECT_TRUE(contains(r.body, "Finished."));
  EXPECT_FALSE(contains(r.body, "data-module=\"app-progress\"")) << "a finished run is not polled";
  EXPECT_TRUE(contains(r.body, "id=\"proposals\""));
  // Dr Okafor (teaching) is proposed to Dr Hughes (teaching), with why.
  const std::size_t row = r.body.find("<td class=\"nhsuk-table__cell\">Dr Aisha Okafor</td>");
  ASSERT_NE(row, std::string::npos) << r.body;
  const std::string rest = r.body.substr(row, 2000);
  EXPECT_TRUE(contains(rest, "Dr Ben Hughes")) << rest;
  EXPECT_TRUE(contains(rest, "Shared topics and goals")) << rest;
  EXPECT_TRUE(contains(rest, "points.")) << rest;
  EXPECT_TRUE(contains(r.body, "2 of 2 (100% of the most possible)")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"publish\""));
  expect_clean_page(r, "staff matching, ready");
}

TEST_F(MatchingPagesTest, PublishingMakesPairingsAndAConflictListsItAndChangesNothing) {
  ASSERT_EQ(post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "assigned_optimal"}})).status,
            303);
  ASSERT_EQ(*worker_->run_queued(), 1);
  const std::int64_t runid = (*matching_->runs(cohort_))[0].id;
  const std::string page = staff_page() + "&run=" + std::to_string(runid);
  // Dr Chen Li is paired by other means after the run: the publish must stop.
  ASSERT_TRUE(pairings_->assign(cohort_, enrolment_["trainee2"], enrolment_["mentor2"]).is_ok());
  http::Response r = post("admin", page, "/staff/matching", staff_form("publish", {{"runid", std::to_string(runid)}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(contains(r.body, "Nothing was published: these pairs can no longer be made"));
  EXPECT_TRUE(contains(r.body, "The mentee has been paired since the run.")) << r.body;
  expect_clean_page(r, "publish conflicts");
  EXPECT_EQ(active_pairings().size(), 1u) << "nothing was published";
  EXPECT_EQ(matching_->get_run(runid)->run.state, core::RunState::kReady);

  // Discard it, run again and publish.
  r = post("admin", page, "/staff/matching", staff_form("discard", {{"runid", std::to_string(runid)}}));
  ASSERT_EQ(r.status, 303) << r.body;
  ASSERT_EQ(post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "assigned_stable"}})).status,
            303);
  ASSERT_EQ(*worker_->run_queued(), 1);
  const std::int64_t again = (*matching_->runs(cohort_))[0].id;
  r = post("admin", staff_page(), "/staff/matching", staff_form("publish", {{"runid", std::to_string(again)}}));
  ASSERT_EQ(r.status, 303) << r.body;
  r = get("admin", std::string(r.header("Location")));
  EXPECT_TRUE(contains(r.body, "The pairs have been published."));
  EXPECT_TRUE(contains(r.body, "Published"));
  auto active = active_pairings();
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[1].menteeid, enrolment_["trainee"]);
  EXPECT_EQ(active[1].mentorid, enrolment_["mentor"]);
  // Publishing twice is refused, with the page drawn again.
  r = post("admin", staff_page(), "/staff/matching", staff_form("publish", {{"runid", std::to_string(again)}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(contains(r.body, "Only a run that is ready for review can be published or discarded."));
}

TEST_F(MatchingPagesTest, PinsAndBansAreListedAndRemovedAndAnUnmatchedMenteeIsPairedByHand) {
  http::Response r = post("admin", staff_page(), "/staff/matching",
                          staff_form("ban", {{"menteeid", id("trainee")}, {"mentorid", id("mentor")}}));
  ASSERT_EQ(r.status, 303) << r.body;
  r = get("admin", std::string(r.header("Location")));
  EXPECT_TRUE(contains(r.body, "The pair is banned for the next run."));
  EXPECT_TRUE(contains(r.body, "Banned: never paired"));
  auto rules = matching_->rules(cohort_);
  ASSERT_EQ(rules->size(), 1u);
  EXPECT_EQ((*rules)[0].kind, core::RuleKind::kBan);
  // A ban keeps the pair out of the next run.
  ASSERT_EQ(post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "assigned_optimal"}})).status,
            303);
  ASSERT_EQ(*worker_->run_queued(), 1);
  auto banned_run = matching_->get_run((*matching_->runs(cohort_))[0].id);
  ASSERT_TRUE(banned_run.is_ok());
  for (const auto& p : banned_run->proposals)
    EXPECT_FALSE(p.menteeid == enrolment_["trainee"] && p.mentorid == enrolment_["mentor"]);
  r = post("admin", staff_page(), "/staff/matching",
           staff_form("unrule", {{"menteeid", id("trainee")}, {"mentorid", id("mentor")}}));
  ASSERT_EQ(r.status, 303);
  EXPECT_TRUE(matching_->rules(cohort_)->empty());

  // Both mentees are unmatched; one is paired by hand with a mentor who has a place.
  r = get("admin", staff_page());
  EXPECT_TRUE(contains(r.body, "id=\"unmatched\""));
  EXPECT_TRUE(contains(r.body, "Dr Ben Hughes (1 free)")) << r.body;
  r = post("admin", staff_page(), "/staff/matching",
           staff_form("assign", {{"menteeid", id("trainee2")}, {"mentorid", id("mentor")}}));
  ASSERT_EQ(r.status, 303) << r.body;
  auto active = active_pairings();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].source, core::PairingSource::kAdmin);
  // The mentor is now full: a second hand pairing is refused and changes nothing.
  r = post("admin", staff_page(), "/staff/matching",
           staff_form("assign", {{"menteeid", id("trainee")}, {"mentorid", id("mentor")}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(active_pairings().size(), 1u);
  expect_clean_page(r, "assign refused");
}

TEST_F(MatchingPagesTest, AMenteeAsksAMentorFromTheDirectoryAndTheMentorAcceptsWithinTheirPlaces) {
  http::Response r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Mentee choice"));
  EXPECT_TRUE(contains(r.body, "Dr Ben Hughes"));
  EXPECT_TRUE(contains(r.body, "Dr Dana Evans"));
  expect_clean_page(r, "directory");
  r = get("trainee", "/matching/choices?text=surgery");
  EXPECT_TRUE(contains(r.body, "id=\"request-" + id("mentor2") + "\""));
  EXPECT_FALSE(contains(r.body, "id=\"request-" + id("mentor") + "\"")) << "search narrows the directory";
  EXPECT_TRUE(contains(r.body, "<option value=\"" + id("mentor") + "\">Dr Ben Hughes</option>"))
      << "but the rank form still offers every mentor";

  r = post("trainee", "/matching/choices", "/matching/choices",
           {{"action", "request"}, {"mentorid", id("mentor")}, {"message", "I would value help with teaching."}});
  ASSERT_EQ(r.status, 303) << r.body;
  r = get("trainee", std::string(r.header("Location")));
  EXPECT_TRUE(contains(r.body, "Your request has been sent."));
  EXPECT_TRUE(contains(r.body, "Waiting for an answer"));
  EXPECT_FALSE(contains(r.body, "id=\"request-")) << "one pending request at a time";
  // The second mentee asks the same mentor, who has one place.
  r = post("trainee2", "/matching/choices", "/matching/choices", {{"action", "request"}, {"mentorid", id("mentor")}});
  ASSERT_EQ(r.status, 303) << r.body;

  r = get("mentor", "/matching/requests");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Dr Aisha Okafor"));
  EXPECT_TRUE(contains(r.body, "I would value help with teaching."));
  EXPECT_TRUE(contains(r.body, "0 of 1 taken"));
  expect_clean_page(r, "mentor requests");
  auto pending = pairings_->requests(cohort_, 0, enrolment_["mentor"], core::RequestState::kPending, core::Page{});
  ASSERT_EQ(pending->size(), 2u);
  std::map<std::int64_t, std::int64_t> request_of;
  for (const auto& q : *pending) request_of[q.menteeid] = q.id;

  // Another mentor cannot answer a request made to Dr Hughes.
  r = post("mentor2", "/matching/requests", "/matching/requests",
           {{"action", "accept"}, {"requestid", std::to_string(request_of[enrolment_["trainee"]])}});
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(active_pairings().empty());

  r = post("mentor", "/matching/requests", "/matching/requests",
           {{"action", "accept"}, {"requestid", std::to_string(request_of[enrolment_["trainee"]])}});
  ASSERT_EQ(r.status, 303) << r.body;
  // The place is taken: accepting the second request is refused and changes nothing.
  r = post("mentor", "/matching/requests", "/matching/requests",
           {{"action", "accept"}, {"requestid", std::to_string(request_of[enrolment_["trainee2"]])}});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(contains(r.body, "All your places are taken")) << r.body;
  auto active = active_pairings();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].menteeid, enrolment_["trainee"]);
  r = post("mentor", "/matching/requests", "/matching/requests",
           {{"action", "decline"}, {"requestid", std::to_string(request_of[enrolment_["trainee2"]])}});
  ASSERT_EQ(r.status, 303) << r.body;

  r = get("trainee", "/matching/choices");
  EXPECT_TRUE(contains(r.body, "Your mentor"));
  EXPECT_TRUE(contains(r.body, "Accepted"));
  r = get("trainee2", "/matching/choices");
  EXPECT_TRUE(contains(r.body, "Declined"));
  // A full mentor can still be asked to keep a place: the waiting list.
  r = post("trainee2", "/matching/choices", "/matching/choices",
           {{"action", "request"}, {"mentorid", id("mentor")}, {"wait_if_full", "1"}});
  ASSERT_EQ(r.status, 303) << r.body;
  r = get("trainee2", std::string(r.header("Location")));
  EXPECT_TRUE(contains(r.body, "You are on their waiting list."));
  EXPECT_TRUE(contains(r.body, "id=\"my-waiting\""));
  r = get("mentor", "/matching/requests");
  EXPECT_TRUE(contains(r.body, "id=\"my-waiting-list\""));
  EXPECT_TRUE(contains(r.body, "Dr Chen Li"));
  r = get("admin", staff_page());
  EXPECT_TRUE(contains(r.body, "id=\"waiting\""));
}

TEST_F(MatchingPagesTest, AnExpiredRequestShowsLapsedAndTheMenteeMayAskAgainBeforeAnySweep) {
  http::Response r = post("trainee", "/matching/choices", "/matching/choices",
                          {{"action", "request"}, {"mentorid", id("mentor")}});
  ASSERT_EQ(r.status, 303) << r.body;
  r = post("trainee2", "/matching/choices", "/matching/choices", {{"action", "request"}, {"mentorid", id("mentor")}});
  ASSERT_EQ(r.status, 303) << r.body;
  let_requests_expire();
  ASSERT_EQ(stored_requests("trainee").at(0).state, core::RequestState::kPending) << "no sweep has run";

  // The mentee's page lapses the expired request before it reads.
  r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "No answer in time")) << r.body;
  EXPECT_FALSE(contains(r.body, "Waiting for an answer"));
  EXPECT_FALSE(contains(r.body, "You have a request waiting for an answer"));
  EXPECT_TRUE(contains(r.body, "id=\"request-")) << "the mentee may ask a mentor again";
  EXPECT_EQ(stored_requests("trainee").at(0).state, core::RequestState::kLapsed);
  expect_clean_page(r, "lapsed request");

  // The mentor's page does the same for requests made to them.
  r = get("mentor", "/matching/requests");
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(contains(r.body, "Dr Chen Li"));
  for (const auto& q : stored_requests("mentor", true)) EXPECT_EQ(q.state, core::RequestState::kLapsed) << q.id;

  r = post("trainee", "/matching/choices", "/matching/choices", {{"action", "request"}, {"mentorid", id("mentor2")}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto mine = stored_requests("trainee");
  ASSERT_EQ(mine.size(), 2u);
  const auto fresh = std::find_if(mine.begin(), mine.end(), [&](const auto& q) {
    return q.state == core::RequestState::kPending;
  });
  ASSERT_NE(fresh, mine.end());
  EXPECT_EQ(fresh->mentorid, enrolment_["mentor2"]);
  r = get("trainee", "/matching/choices");
  EXPECT_TRUE(contains(r.body, "Waiting for an answer"));
  EXPECT_TRUE(contains(r.body, "No answer in time"));
}

TEST_F(MatchingPagesTest, EachMatchingPageAdmitsOnlyItsRole) {
  const std::map<std::string, std::set<std::string>> allowed = {
      {"/staff/matching", {"admin"}}, {"/matching/choices", {"trainee"}}, {"/matching/requests", {"mentor"}}};
  for (const auto& [path, roles] : allowed) {
    for (const char* who : {"trainee", "mentor", "admin"}) {
      http::Response r = get(who, path);
      EXPECT_EQ(r.status, roles.count(who) ? 200 : 403) << who << " " << path;
    }
  }
  // A form from someone without the capability changes nothing.
  http::Response r = post("trainee", "/matching/choices", "/staff/matching",
                          staff_form("assign", {{"menteeid", id("trainee")}, {"mentorid", id("mentor")}}));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(active_pairings().empty());
  // A form without its CSRF token changes nothing either.
  http::Request req = testing::get("/staff/matching", {{"Cookie", "mentoring_session=" + tokens_["admin"]},
                                                       {"Content-Type", "application/x-www-form-urlencoded"}});
  req.method = "POST";
  req.body = "cohortid=" + std::to_string(cohort_) + "&action=start&run_type=assigned_optimal";
  EXPECT_EQ(router_.handle(req).status, 403);
  EXPECT_TRUE(matching_->runs(cohort_)->empty());
}

TEST_F(MatchingPagesTest, WithoutTheServicesPagesStillShowAndFormsAnswer503) {
  make_context(false);
  for (const auto& [who, path] : std::vector<std::pair<std::string, std::string>>{
           {"admin", "/staff/matching"}, {"trainee", "/matching/choices"}, {"mentor", "/matching/requests"}}) {
    http::Response r = get(who, path);
    EXPECT_EQ(r.status, 200) << path;
  }
  http::Response r = post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "hybrid"}}));
  EXPECT_EQ(r.status, 503);
  r = post("trainee", "/matching/choices", "/matching/choices", {{"action", "request"}, {"mentorid", id("mentor")}});
  EXPECT_EQ(r.status, 503);
  EXPECT_TRUE(matching_->runs(cohort_)->empty());
}

TEST_F(MatchingPagesTest, BadFormsAreRefusedWithAReasonAndChangeNothing) {
  http::Response r = post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "random"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "Choose how to match."));
  expect_clean_page(r, "bad run type");
  r = post("admin", staff_page(), "/staff/matching", staff_form("pin", {{"menteeid", "abc"}}));
  EXPECT_EQ(r.status, 400);
  Form other_cohort{{"cohortid", "999999"}, {"action", "start"}, {"run_type", "hybrid"}};
  r = post("admin", staff_page(), "/staff/matching", other_cohort);
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(matching_->runs(cohort_)->empty());
  EXPECT_TRUE(matching_->rules(cohort_)->empty());
  r = get("admin", "/staff/matching?cohort=" + std::to_string(cohort_) + "&run=424242");
  EXPECT_EQ(r.status, 404);
  r = post("trainee", "/matching/choices", "/matching/choices",
           {{"action", "request"}, {"mentorid", id("mentor")}, {"message", std::string(2001, 'x')}});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(pairings_->requests(cohort_, 0, 0, std::nullopt, core::Page{})->empty());
}

class HybridMatchingPagesTest : public MatchingPagesTest {
 protected:
  core::MatchingModel cohort_model() const override { return core::MatchingModel::kHybrid; }
};

TEST_F(HybridMatchingPagesTest, AMenteeChoosesFromTheShortlistAHybridRunMade) {
  http::Response r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Your shortlist of suggested mentors is not ready yet.")) << r.body;
  EXPECT_FALSE(contains(r.body, "id=\"mentors\""));

  r = post("admin", staff_page(), "/staff/matching", staff_form("start", {{"run_type", "hybrid"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  ASSERT_EQ(*worker_->run_queued(), 1);
  r = get("admin", std::string(r.header("Location")));
  EXPECT_TRUE(contains(r.body, "id=\"shortlists\"")) << r.body;
  EXPECT_TRUE(contains(r.body, "strong option"));
  expect_clean_page(r, "hybrid run");

  r = get("trainee", "/matching/choices");
  EXPECT_TRUE(contains(r.body, "Your suggested mentors"));
  EXPECT_TRUE(contains(r.body, "Choice deadline"));
  EXPECT_TRUE(contains(r.body, "Strong match")) << r.body;
  expect_clean_page(r, "shortlist");
  // The shortlist holds both mentors; the mentee asks the first.
  r = post("trainee", "/matching/choices", "/matching/choices", {{"action", "request"}, {"mentorid", id("mentor")}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto mine = pairings_->requests(cohort_, enrolment_["trainee"], 0, std::nullopt, core::Page{});
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].source, core::RequestSource::kHybrid);
}

}  // namespace
}  // namespace mentoring::web
