// Ranked mentor choices on /matching/choices (adapters/web/pages/matching_pages.cc)
// over a real SQLite database, real sessions and the real pairing service: a
// mentee ranks mentors from the directory or their hybrid shortlist and sends
// the list with one message; the request goes to the first choice and moves on
// when a mentor declines; the list is shown with each choice's state; a refused
// list shows the reason next to the select at fault and stores nothing; the
// mentee withdraws the list.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "app/jobs.h"
#include "app/matching_pairings.h"
#include "app/matching_runs.h"
#include "app/matching_worker.h"
#include "core/lti_capabilities.h"
#include "core/matching_choice_stores.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "tests/adapters/web/matching_pages_fixture.h"

namespace mentoring::web {
namespace {
namespace cap = core::capability;
using core::ChoiceListState;
using core::ChoiceState;
using core::Status;

constexpr std::int64_t kT0 = 1780000000;  // 2026-05-28
// Fewer than the mentors in the cohort, so a list can be too long.
constexpr int kMaxChoices = 2;

using testing::contains;
using testing::Form;
using testing::hidden;

class RankedChoicePagesTest : public testing::MatchingPagesFixture {
 protected:
  RankedChoicePagesTest() : MatchingPagesFixture(kT0) {}

  std::vector<testing::FixtureMentee> mentees() const override {
    return {{"trainee", "Dr Aisha Okafor", {"teaching", "surgery"}}, {"trainee2", "Dr Chen Li", {"teaching", "surgery"}}};
  }
  std::vector<testing::FixtureMentor> mentors() const override {
    return {{"mentor", "Dr Ben Hughes", "Paediatrics", {"teaching", "surgery"}},
            {"mentor2", "Dr Dana Evans", "Surgery", {"teaching", "surgery"}},
            {"mentor3", "Dr Farah Khan", "Psychiatry", {"teaching", "surgery"}}};
  }
  int max_choices() const override { return kMaxChoices; }

  // The mentee ranks `mentors` (fixture names, "" for a blank select) from the choices page.
  http::Response rank(const std::string& who, const std::vector<std::string>& mentors,
                      const std::string& message = {}) {
    Form f{{"action", "rank"}, {"message", message}};
    for (std::size_t i = 0; i < mentors.size(); ++i)
      f.push_back({"mentorid_" + std::to_string(i + 1), mentors[i].empty() ? std::string() : id(mentors[i])});
    return post(who, "/matching/choices", "/matching/choices", f);
  }


  std::optional<core::ChoiceList> list_of(const std::string& mentee) {
    auto got = pairings_->choices(cohort_, enrolment_[mentee]);
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    return got.is_ok() ? *got : std::nullopt;
  }
  std::vector<core::MenteeRequest> pending_of(const std::string& mentee) {
    auto got = pairings_->requests(cohort_, enrolment_[mentee], 0, core::RequestState::kPending, core::Page{});
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    return got.is_ok() ? *got : std::vector<core::MenteeRequest>{};
  }
  std::size_t all_requests() {
    auto got = pairings_->requests(cohort_, 0, 0, std::nullopt, core::Page{});
    EXPECT_TRUE(got.is_ok()) << got.status().to_string();
    return got.is_ok() ? got->size() : 0;
  }

  // The rows of the "Your ranked choices" table: {choice, mentor, status} each.
  static std::vector<std::vector<std::string>> choice_rows(const std::string& html) {
    std::vector<std::vector<std::string>> rows;
    const std::size_t table = html.find("id=\"my-choices\"");
    if (table == std::string::npos) return rows;
    const std::size_t body = html.find("<tbody", table);
    const std::size_t end = html.find("</tbody>", body);
    const std::string cell_open = "<td class=\"nhsuk-table__cell\">";
    for (std::size_t row = html.find("<tr", body); row != std::string::npos && row < end;
         row = html.find("<tr", row + 1)) {
      const std::size_t row_end = html.find("</tr>", row);
      std::vector<std::string> cells;
      for (std::size_t c = html.find(cell_open, row); c != std::string::npos && c < row_end;
           c = html.find(cell_open, c + 1)) {
        const std::size_t from = c + cell_open.size();
        cells.push_back(html.substr(from, html.find("</td>", from) - from));
      }
      rows.push_back(cells);
    }
    return rows;
  }
};

TEST_F(RankedChoicePagesTest, RankingTwoMentorsStoresTheListAndAsksTheFirst) {
  http::Response r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "id=\"rank-choices\"")) << r.body;
  EXPECT_TRUE(contains(r.body, "Rank the mentors you would like</h2>"));
  EXPECT_TRUE(contains(r.body, "<label class=\"nhsuk-label\" for=\"field-mentorid_1\">1st choice</label>"));
  EXPECT_TRUE(contains(r.body, "<label class=\"nhsuk-label\" for=\"field-mentorid_2\">2nd choice</label>"));
  EXPECT_FALSE(contains(r.body, "field-mentorid_3")) << "no more selects than the service's maximum";
  EXPECT_TRUE(contains(r.body, "Choose up to 2 of the mentors in your cohort, best first"));
  EXPECT_TRUE(contains(r.body, "<option value=\"" + id("mentor3") + "\">Dr Farah Khan</option>")) << r.body;
  expect_clean_page(r, "directory with the rank form");

  r = rank("trainee", {"mentor2", "mentor"}, "I would value help with surgery.");
  ASSERT_EQ(r.status, 303) << r.body;
  auto list = list_of("trainee");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->state, ChoiceListState::kActive);
  ASSERT_EQ(list->entries.size(), 2u);
  EXPECT_EQ(list->entries[0].mentorid, enrolment_["mentor2"]);
  EXPECT_EQ(list->entries[0].state, ChoiceState::kRequested);
  EXPECT_EQ(list->entries[1].mentorid, enrolment_["mentor"]);
  EXPECT_EQ(list->entries[1].state, ChoiceState::kWaiting);
  EXPECT_EQ(list->message, "I would value help with surgery.");
  auto pending = pending_of("trainee");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].mentorid, enrolment_["mentor2"]);
  EXPECT_EQ(pending[0].message, "I would value help with surgery.");

  r = get("trainee", std::string(r.header("Location")));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Your ranked choices have been saved")) << r.body;
  EXPECT_EQ(choice_rows(r.body), (std::vector<std::vector<std::string>>{
                                     {"1st choice", "Dr Dana Evans", "Request sent"},
                                     {"2nd choice", "Dr Ben Hughes", "Waiting: not asked yet"}}));
  EXPECT_TRUE(contains(r.body, "In progress: your request goes to one mentor at a time"));
  EXPECT_TRUE(contains(r.body, "Withdraw my choices"));
  // While the list is in progress neither form is offered, and the page says why.
  EXPECT_FALSE(contains(r.body, "id=\"rank-choices\""));
  EXPECT_FALSE(contains(r.body, "id=\"request-"));
  EXPECT_TRUE(contains(r.body, "Your ranked choices are in progress, so you cannot ask another mentor"));
  expect_clean_page(r, "list in progress");
  // The mentor asked first sees the request with its message.
  r = get("mentor2", "/matching/requests");
  EXPECT_TRUE(contains(r.body, "Dr Aisha Okafor"));
  EXPECT_TRUE(contains(r.body, "I would value help with surgery."));

  // A second list while one is in progress is refused and changes nothing.
  r = rank("trainee", {"mentor3"});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(contains(r.body, "nhsuk-error-summary"));
  EXPECT_EQ(list_of("trainee")->id, list->id);
  EXPECT_EQ(all_requests(), 1u);
}

TEST_F(RankedChoicePagesTest, TheListShowsEachStateAsTheRequestMovesDownIt) {
  ASSERT_EQ(rank("trainee", {"mentor2", "mentor"}).status, 303);
  const std::string first = std::to_string(pending_of("trainee").at(0).id);
  http::Response r = post("mentor2", "/matching/requests", "/matching/requests",
                          {{"action", "decline"}, {"requestid", first}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto pending = pending_of("trainee");
  ASSERT_EQ(pending.size(), 1u) << "the second choice is asked at once";
  EXPECT_EQ(pending[0].mentorid, enrolment_["mentor"]);

  r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(choice_rows(r.body), (std::vector<std::vector<std::string>>{
                                     {"1st choice", "Dr Dana Evans", "Declined"},
                                     {"2nd choice", "Dr Ben Hughes", "Request sent"}}));
  EXPECT_TRUE(contains(r.body, "In progress"));
  expect_clean_page(r, "list after a decline");

  r = post("mentor", "/matching/requests", "/matching/requests",
           {{"action", "accept"}, {"requestid", std::to_string(pending[0].id)}});
  ASSERT_EQ(r.status, 303) << r.body;
  r = get("trainee", "/matching/choices");
  EXPECT_EQ(choice_rows(r.body), (std::vector<std::vector<std::string>>{
                                     {"1st choice", "Dr Dana Evans", "Declined"},
                                     {"2nd choice", "Dr Ben Hughes", "Accepted"}}));
  EXPECT_TRUE(contains(r.body, "Accepted: a mentor on your list has agreed to mentor you."));
  EXPECT_FALSE(contains(r.body, "Withdraw my choices")) << "only a list in progress can be withdrawn";
  EXPECT_FALSE(contains(r.body, "id=\"rank-choices\""));
  expect_clean_page(r, "accepted list");

  // Every choice falls through for the other mentee: the administrators pair them.
  ASSERT_EQ(rank("trainee2", {"mentor3", "mentor2"}).status, 303);
  for (const char* who : {"mentor3", "mentor2"}) {
    pending = pending_of("trainee2");
    ASSERT_EQ(pending.size(), 1u) << who;
    ASSERT_EQ(pending[0].mentorid, enrolment_[who]);
    ASSERT_EQ(post(who, "/matching/requests", "/matching/requests",
                   {{"action", "decline"}, {"requestid", std::to_string(pending[0].id)}})
                  .status,
              303);
  }
  EXPECT_EQ(list_of("trainee2")->state, ChoiceListState::kExhausted);
  r = get("trainee2", "/matching/choices");
  EXPECT_EQ(choice_rows(r.body), (std::vector<std::vector<std::string>>{
                                     {"1st choice", "Dr Farah Khan", "Declined"},
                                     {"2nd choice", "Dr Dana Evans", "Declined"}}));
  EXPECT_TRUE(contains(r.body, "the scheme&apos;s administrators will pair you")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"rank-choices\"")) << "the mentee may rank again";
  expect_clean_page(r, "exhausted list");
}

TEST_F(RankedChoicePagesTest, ARefusedListShowsTheReasonAtTheSelectAndStoresNothing) {
  // The same mentor twice: the error is at the 2nd choice, which keeps its value.
  http::Response r = rank("trainee", {"mentor", "mentor"});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-mentorid_2\">You have already ranked Dr Ben Hughes.")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"field-mentorid_2-error\""));
  EXPECT_TRUE(contains(r.body, "aria-describedby=\"field-mentorid_2-error\""));
  EXPECT_TRUE(contains(r.body, "<option value=\"" + id("mentor") + "\" selected>Dr Ben Hughes</option>"));
  EXPECT_TRUE(contains(r.body, "id=\"rank-choices\"")) << "the form is drawn again to correct";
  expect_clean_page(r, "duplicate choice");
  EXPECT_FALSE(list_of("trainee").has_value());
  EXPECT_EQ(all_requests(), 0u);

  // More choices than the scheme allows (a form made by hand).
  r = rank("trainee", {"mentor", "mentor2", "mentor3"});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-mentorid_1\">Choose between 1 and 2 mentors")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"field-mentorid_1-error\""));
  expect_clean_page(r, "too many choices");
  // None at all.
  r = rank("trainee", {"", ""});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-mentorid_1\">Choose between 1 and 2 mentors"));
  EXPECT_FALSE(list_of("trainee").has_value());
  EXPECT_EQ(all_requests(), 0u);

  // A full mentor at the 2nd choice, after a blank 1st: the error is at the select chosen.
  ASSERT_TRUE(pairings_->assign(cohort_, enrolment_["trainee2"], enrolment_["mentor"]).is_ok());
  r = rank("trainee", {"", "mentor"});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-mentorid_2\">Dr Ben Hughes has no free place.")) << r.body;
  EXPECT_TRUE(contains(r.body, "Dr Ben Hughes (no free places)"));
  expect_clean_page(r, "mentor full");
  // A message that is too long is shown at the message.
  r = rank("trainee", {"mentor2"}, std::string(2001, 'x'));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-message\">Enter a message of at most 2000 characters.")) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"field-message-error\""));
  EXPECT_FALSE(list_of("trainee").has_value());
  EXPECT_EQ(all_requests(), 0u);
}

TEST_F(RankedChoicePagesTest, WithdrawingDropsTheListAndTheRankFormReturns) {
  ASSERT_EQ(rank("trainee", {"mentor", "mentor3"}).status, 303);
  ASSERT_EQ(pending_of("trainee").size(), 1u);
  http::Response r = post("trainee", "/matching/choices", "/matching/choices", {{"action", "withdraw_choices"}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto list = list_of("trainee");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->state, ChoiceListState::kWithdrawn);
  EXPECT_EQ(list->entries.at(0).state, ChoiceState::kWithdrawn);
  EXPECT_EQ(list->entries.at(1).state, ChoiceState::kWithdrawn);
  EXPECT_TRUE(pending_of("trainee").empty()) << "the request out to the first choice is withdrawn";

  r = get("trainee", std::string(r.header("Location")));
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Your ranked choices have been withdrawn."));
  EXPECT_EQ(choice_rows(r.body), (std::vector<std::vector<std::string>>{
                                     {"1st choice", "Dr Ben Hughes", "Withdrawn"},
                                     {"2nd choice", "Dr Farah Khan", "Withdrawn"}}));
  EXPECT_TRUE(contains(r.body, "Withdrawn: you withdrew these choices."));
  EXPECT_FALSE(contains(r.body, "Withdraw my choices"));
  EXPECT_TRUE(contains(r.body, "id=\"rank-choices\""));
  EXPECT_TRUE(contains(r.body, "id=\"request-" + id("mentor") + "\"")) << "asking one mentor is offered again";
  expect_clean_page(r, "withdrawn list");

  // Nothing left to withdraw.
  r = post("trainee", "/matching/choices", "/matching/choices", {{"action", "withdraw_choices"}});
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_TRUE(contains(r.body, "You have no ranked choices in progress to withdraw."));
  expect_clean_page(r, "nothing to withdraw");
}

TEST_F(RankedChoicePagesTest, ASingleRequestStillWorksAndHoldsRankingBack) {
  http::Response r = post("trainee", "/matching/choices", "/matching/choices",
                          {{"action", "request"}, {"mentorid", id("mentor")}});
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_FALSE(list_of("trainee").has_value()) << "a single request makes no list";
  r = get("trainee", "/matching/choices");
  EXPECT_FALSE(contains(r.body, "id=\"rank-choices\""));
  EXPECT_TRUE(contains(r.body, "You have a request waiting for an answer, so you cannot rank mentors."));
  expect_clean_page(r, "single request pending");
  r = rank("trainee", {"mentor2"});
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(contains(r.body, "You already have a request waiting for an answer."));
  EXPECT_FALSE(list_of("trainee").has_value());
  EXPECT_EQ(all_requests(), 1u);
}

TEST_F(RankedChoicePagesTest, AnExpiredFirstRequestMovesTheListOnBeforeAnySweep) {
  ASSERT_EQ(rank("trainee", {"mentor2", "mentor"}).status, 303);
  let_requests_expire();
  ASSERT_EQ(stored_requests("trainee").size(), 1u) << "no sweep has run";

  http::Response r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(choice_rows(r.body), (std::vector<std::vector<std::string>>{
                                     {"1st choice", "Dr Dana Evans", "No reply in time"},
                                     {"2nd choice", "Dr Ben Hughes", "Request sent"}}))
      << r.body;
  EXPECT_TRUE(contains(r.body, "In progress"));
  expect_clean_page(r, "list moved on past an expired request");
  auto mine = stored_requests("trainee");
  ASSERT_EQ(mine.size(), 2u);
  std::map<std::int64_t, core::RequestState> state_of;
  for (const auto& q : mine) state_of[q.mentorid] = q.state;
  EXPECT_EQ(state_of[enrolment_["mentor2"]], core::RequestState::kLapsed);
  EXPECT_EQ(state_of[enrolment_["mentor"]], core::RequestState::kPending);
  // The second choice has the request to answer.
  r = get("mentor", "/matching/requests");
  EXPECT_TRUE(contains(r.body, "Dr Aisha Okafor")) << r.body;
}

std::string mentor_who(int i) { return "mentor" + std::to_string(i); }
// Mentors "mentor1".."mentor<count>" called "Dr Mentor 01"... (numbers with
// `digits` digits, so that names sort as numbers), enrolled last first: the
// directory and the selects sort by name.
std::vector<testing::FixtureMentor> numbered_mentors(int count, std::size_t digits) {
  std::vector<testing::FixtureMentor> out;
  for (int i = count; i >= 1; --i) {
    std::string n = std::to_string(i);
    n.insert(0, digits - std::min(digits, n.size()), '0');
    out.push_back({mentor_who(i), "Dr Mentor " + n, "Surgery", {"surgery"}});
  }
  return out;
}

// A cohort with more mentors than one directory page shows.
class PagedDirectoryRankedChoicePagesTest : public RankedChoicePagesTest {
 protected:
  static constexpr int kMentors = 23;
  std::vector<testing::FixtureMentor> mentors() const override { return numbered_mentors(kMentors, 2); }
};

TEST_F(PagedDirectoryRankedChoicePagesTest, AMentorOnALaterDirectoryPageIsOfferedAndRankable) {
  http::Response r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "id=\"request-" + id(mentor_who(20)) + "\""));
  EXPECT_FALSE(contains(r.body, "id=\"request-" + id(mentor_who(kMentors)) + "\""))
      << "the last mentor is on the directory's second page";
  EXPECT_TRUE(contains(r.body, "<option value=\"" + id(mentor_who(kMentors)) + "\">Dr Mentor 23</option>")) << r.body;
  // Every mentor, in name order, in each select.
  const std::size_t select = r.body.find("name=\"mentorid_1\"");
  ASSERT_NE(select, std::string::npos);
  std::size_t at = select;
  for (int i = 1; i <= kMentors; ++i) {
    const std::size_t next = r.body.find("<option value=\"" + id(mentor_who(i)) + "\">", select);
    ASSERT_NE(next, std::string::npos) << i;
    EXPECT_GT(next, at) << "Dr Mentor " << i << " out of order";
    at = next;
  }
  expect_clean_page(r, "rank form over a paged directory");

  r = rank("trainee", {mentor_who(kMentors), mentor_who(1)});
  ASSERT_EQ(r.status, 303) << r.body;
  auto pending = stored_requests("trainee");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].mentorid, enrolment_[mentor_who(kMentors)]);
  EXPECT_EQ(pending[0].state, core::RequestState::kPending);
  auto list = list_of("trainee");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->entries.size(), 2u);
  EXPECT_EQ(list->entries[1].mentorid, enrolment_[mentor_who(1)]);
}

// A cohort too big to list every mentor in each select: choices are typed by name.
class LargeCohortRankedChoicePagesTest : public RankedChoicePagesTest {
 protected:
  static constexpr int kNumbered = 299;  // and two namesakes: 301 mentors
  std::vector<testing::FixtureMentor> mentors() const override {
    std::vector<testing::FixtureMentor> out = numbered_mentors(kNumbered, 3);
    out.push_back({"jones1", "Dr Sam Jones", "Paediatrics", {"teaching"}});
    out.push_back({"jones2", "Dr Sam Jones", "Psychiatry", {"teaching"}});
    return out;
  }
};

TEST_F(LargeCohortRankedChoicePagesTest, ChoicesAreTypedByNameAndANameSharedIsChosenFromItsMentors) {
  http::Response r = get("trainee", "/matching/choices");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "id=\"field-mentorid_1\" name=\"mentorid_1\" type=\"text\" value=\"\"")) << r.body;
  EXPECT_FALSE(contains(r.body, "<select class=\"nhsuk-select\" id=\"field-mentorid_1\""));
  EXPECT_TRUE(contains(r.body, "Your cohort has 301 mentors, too many to list here."));
  expect_clean_page(r, "rank form by name");

  // A name two mentors share: the choice becomes a select of just those two.
  r = post("trainee", "/matching/choices", "/matching/choices",
           {{"action", "rank"}, {"mentorid_1", "dr sam  jones"}, {"mentorid_2", "Dr Mentor 250"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-mentorid_1\">More than one mentor is called dr sam  jones.")) << r.body;
  EXPECT_TRUE(contains(r.body, "<option value=\"" + id("jones1") + "\">Dr Sam Jones (Paediatrics, North West"));
  EXPECT_TRUE(contains(r.body, "<option value=\"" + id("jones2") + "\">Dr Sam Jones (Psychiatry, North West"));
  EXPECT_TRUE(contains(r.body, "name=\"mentorid_2\" type=\"text\" value=\"Dr Mentor 250\"")) << "kept as typed";
  EXPECT_TRUE(stored_requests("trainee").empty());
  expect_clean_page(r, "namesakes to choose from");

  // A name no mentor has.
  r = post("trainee", "/matching/choices", "/matching/choices", {{"action", "rank"}, {"mentorid_1", "Dr Nobody"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "<a href=\"#field-mentorid_1\">No mentor in your cohort is called Dr Nobody.")) << r.body;
  EXPECT_TRUE(stored_requests("trainee").empty());

  r = post("trainee", "/matching/choices", "/matching/choices",
           {{"action", "rank"}, {"mentorid_1", id("jones2")}, {"mentorid_2", " dr mentor 250 "}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto list = list_of("trainee");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->entries.size(), 2u);
  EXPECT_EQ(list->entries[0].mentorid, enrolment_["jones2"]);
  EXPECT_EQ(list->entries[1].mentorid, enrolment_[mentor_who(250)]);
  auto pending = pending_of("trainee");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].mentorid, enrolment_["jones2"]);
}

class HybridRankedChoicePagesTest : public RankedChoicePagesTest {
 protected:
  core::MatchingModel cohort_model() const override { return core::MatchingModel::kHybrid; }
};

TEST_F(HybridRankedChoicePagesTest, AMenteeRanksMentorsFromTheirShortlist) {
  http::Response r = get("trainee", "/matching/choices");
  EXPECT_FALSE(contains(r.body, "id=\"rank-choices\"")) << "no shortlist yet";
  r = post("admin", "/staff/matching?cohort=" + std::to_string(cohort_), "/staff/matching",
           {{"cohortid", std::to_string(cohort_)}, {"action", "start"}, {"run_type", "hybrid"}});
  ASSERT_EQ(r.status, 303) << r.body;
  ASSERT_EQ(*worker_->run_queued(), 1);
  auto run = matching_->get_run((*matching_->runs(cohort_))[0].id);
  ASSERT_TRUE(run.is_ok());
  std::vector<std::int64_t> listed;
  for (const auto& row : run->shortlists)
    if (row.menteeid == enrolment_["trainee"]) listed.push_back(row.mentorid);
  ASSERT_GE(listed.size(), 2u);

  r = get("trainee", "/matching/choices");
  EXPECT_TRUE(contains(r.body, "Your suggested mentors"));
  EXPECT_TRUE(contains(r.body, "id=\"rank-choices\"")) << r.body;
  expect_clean_page(r, "shortlist with the rank form");
  r = post("trainee", "/matching/choices", "/matching/choices",
           {{"action", "rank"},
            {"mentorid_1", std::to_string(listed[1])},
            {"mentorid_2", std::to_string(listed[0])}});
  ASSERT_EQ(r.status, 303) << r.body;
  auto list = list_of("trainee");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->source, core::RequestSource::kHybrid);
  ASSERT_EQ(list->entries.size(), 2u);
  EXPECT_EQ(list->entries[0].mentorid, listed[1]);
  auto pending = pending_of("trainee");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].mentorid, listed[1]);
  EXPECT_EQ(pending[0].source, core::RequestSource::kHybrid);
}

}  // namespace
}  // namespace mentoring::web
