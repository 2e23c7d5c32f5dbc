// Midpoint and end check-ins through the API and app::CheckinService: due
// dates from the pairing's start and the cohort's end, the answering window,
// one response per person and phase (changeable), overdue lists and tallies
// withheld below ten responses.
#include "tests/adapters/api/concern_checkin_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

json::object answers(int progress = 4, const char* working = "yes") {
  return json::object{{"working", working},
                      {"frequency", "monthly"},
                      {"goals_progress", progress},
                      {"would_continue", "yes"},
                      {"comments", "Useful sessions."}};
}

class CheckinApi : public ConcernApiTest {
 protected:
  std::string put_path(const char* phase) const {
    return "/api/v1/pairings/" + std::to_string(pairing_) + "/checkins/" + phase;
  }
};

TEST_F(CheckinApi, DueDatesComeFromThePairingStartAndTheCohortEnd) {
  auto res = call("GET", "/api/v1/checkins", mentee_);
  ASSERT_EQ(res.status, 200) << res.body;
  auto items = body_of(res).at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  auto mid = items[0].as_object();
  EXPECT_EQ(mid.at("phase").as_string(), "midpoint");
  EXPECT_EQ(mid.at("due_on").as_string(), "2027-02-03");  // 182 of 364 days
  EXPECT_EQ(mid.at("opens_on").as_string(), "2027-01-20");
  EXPECT_FALSE(mid.at("open").as_bool());  // today is 2026-10-01
  EXPECT_TRUE(mid.at("response").is_null());
  EXPECT_EQ(items[1].as_object().at("due_on").as_string(), "2027-08-04");
  EXPECT_EQ(items[1].as_object().at("role").as_string(), "mentee");
  EXPECT_TRUE(body_of(call("GET", "/api/v1/checkins", outsider_)).at("items").as_array().empty());
}

TEST_F(CheckinApi, AnswersAreTakenOnlyWhileTheWindowIsOpenAndCanBeChanged) {
  auto res = call("PUT", put_path("midpoint"), mentee_, answers());
  EXPECT_EQ(res.status, 409) << res.body;
  EXPECT_EQ(reason_of(res), "checkin_not_open");
  clock_.set_ms(unix_ms_of("2027-01-25"));
  res = call("PUT", put_path("midpoint"), mentee_, answers(7));
  EXPECT_EQ(reason_of(res), "checkin_goals_progress_invalid");
  res = call("PUT", put_path("baseline"), mentee_, answers());
  EXPECT_EQ(res.status, 404);
  res = call("PUT", put_path("midpoint"), outsider_, answers());
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(reason_of(res), "checkin_not_in_pairing");
  json::object extra = answers();
  extra["rating"] = 5;
  EXPECT_EQ(call("PUT", put_path("midpoint"), mentee_, extra).status, 400);
  write([&](core::Stores& s) { EXPECT_TRUE(s.checkins.list_by_cohort(cohort_)->empty()); });

  res = call("PUT", put_path("midpoint"), mentee_, answers(4));
  ASSERT_EQ(res.status, 200) << res.body;
  const std::int64_t id = body_of(res).at("id").as_int64();
  clock_.set_ms(unix_ms_of("2027-02-20"));
  res = call("PUT", put_path("midpoint"), mentee_, answers(2, "partly"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res).at("id").as_int64(), id);  // one response, changed
  auto mine = body_of(call("GET", "/api/v1/checkins", mentee_)).at("items").as_array();
  auto mid = mine[0].as_object();
  EXPECT_EQ(mid.at("response").as_object().at("answers").as_object().at("working").as_string(), "partly");
  EXPECT_EQ(mid.at("response").as_object().at("answers").as_object().at("goals_progress").as_int64(), 2);
  clock_.set_ms(unix_ms_of("2027-03-04"));  // 28 days after the due date have passed
  res = call("PUT", put_path("midpoint"), mentee_, answers(5));
  EXPECT_EQ(reason_of(res), "checkin_closed");

  auto audit = audit_of("checkin");
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].summary, "check-in changed");  // newest first
  EXPECT_EQ(audit[1].summary, "check-in answered");
}

TEST_F(CheckinApi, StaffSeeWhoIsOverdue) {
  clock_.set_ms(unix_ms_of("2027-02-01"));
  ASSERT_EQ(call("PUT", put_path("midpoint"), mentor_, answers()).status, 200);
  const std::string path = "/api/v1/cohorts/" + std::to_string(cohort_) + "/checkins/overdue";
  EXPECT_TRUE(body_of(call("GET", path, 0)).at("items").as_array().empty());  // not due yet
  clock_.set_ms(unix_ms_of("2027-02-10"));
  auto items = body_of(call("GET", path, 0)).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  auto o = items[0].as_object();
  EXPECT_EQ(o.at("accountid").as_int64(), mentee_);
  EXPECT_EQ(o.at("phase").as_string(), "midpoint");
  EXPECT_EQ(o.at("days_overdue").as_int64(), 7);
  auto mine = body_of(call("GET", "/api/v1/checkins", mentee_)).at("items").as_array();
  EXPECT_TRUE(mine[0].as_object().at("overdue").as_bool());
  EXPECT_EQ(call("GET", "/api/v1/cohorts/999/checkins/overdue", 0).status, 404);
}

TEST_F(CheckinApi, TalliesUnderTenResponsesAreWithheld) {
  clock_.set_ms(unix_ms_of("2027-02-01"));
  ASSERT_EQ(call("PUT", put_path("midpoint"), mentee_, answers(3, "no")).status, 200);
  auto items = body_of(call("GET", "/api/v1/cohorts/" + std::to_string(cohort_) + "/checkins/summary", 0))
                   .at("items")
                   .as_array();
  ASSERT_EQ(items.size(), 4u);
  auto mentees = items[0].as_object();
  EXPECT_EQ(mentees.at("phase").as_string(), "midpoint");
  EXPECT_TRUE(mentees.at("withheld").as_bool());
  EXPECT_FALSE(mentees.contains("responses"));
  EXPECT_FALSE(mentees.contains("working"));
  EXPECT_EQ(items[0].as_object().size(), 3u);  // phase, role, withheld: nothing else
  // No responses at all is published as zero.
  EXPECT_FALSE(items[1].as_object().at("withheld").as_bool());
  EXPECT_EQ(items[1].as_object().at("responses").as_int64(), 0);
}

TEST_F(CheckinApi, SmallCountsInsideAPublishedTallyAreWithheldToo) {
  // Twelve mentees answer the midpoint: nine "yes", three "no" (all three
  // had not met). The tally is published; the three are not, nor is any cell
  // that would give them away by subtraction.
  std::vector<std::pair<std::int64_t, std::int64_t>> pairs;  // (account, pairing)
  const core::UnixSeconds start = unix_ms_of("2026-08-05") / 1000;
  write([&](core::Stores& s) {
    auto mentor_account = account(s, "big-mentor");
    auto mentor = s.enrolments.create(cohort_, mentor_account, core::Role::kMentor, 1);
    ASSERT_TRUE(mentor.is_ok());
    ASSERT_TRUE(s.pairings.sync_place(cohort_, mentor->id, 20, 1).is_ok());
    for (int i = 0; i < 11; ++i) {
      const std::int64_t a = account(s, "m" + std::to_string(i));
      auto e = s.enrolments.create(cohort_, a, core::Role::kMentee, 1);
      ASSERT_TRUE(e.is_ok());
      auto p = s.pairings.create_active(core::PairingInput{cohort_, e->id, mentor->id}, start);
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      pairs.push_back({a, p->id});
    }
  });
  pairs.push_back({mentee_, pairing_});
  clock_.set_ms(unix_ms_of("2027-02-01"));
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    json::object a = answers(4, i < 9 ? "yes" : "no");
    if (i >= 9) a["frequency"] = "not_met";
    auto res = call("PUT", "/api/v1/pairings/" + std::to_string(pairs[i].second) + "/checkins/midpoint",
                    pairs[i].first, a);
    ASSERT_EQ(res.status, 200) << res.body;
  }
  auto items = body_of(call("GET", "/api/v1/cohorts/" + std::to_string(cohort_) + "/checkins/summary", 0))
                   .at("items")
                   .as_array();
  auto mentees = items[0].as_object();
  ASSERT_FALSE(mentees.at("withheld").as_bool());
  EXPECT_EQ(mentees.at("responses").as_int64(), 12);
  const auto& working = mentees.at("working").as_object();
  EXPECT_TRUE(working.at("no").is_null());
  // 12 - 9 would give the three away, so "yes" is withheld too; zero is shown.
  EXPECT_TRUE(working.at("yes").is_null());
  EXPECT_EQ(working.at("partly").as_int64(), 0);
  const auto& met = mentees.at("met").as_object();
  EXPECT_TRUE(met.at("not_met").is_null());
  EXPECT_TRUE(met.at("met").is_null());
  EXPECT_DOUBLE_EQ(mentees.at("mean_goals_progress").as_double(), 4.0);
}

}  // namespace
}  // namespace mentoring::testing
