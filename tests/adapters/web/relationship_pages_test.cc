// The relationship pages (adapters/web/pages/relationship_pages.cc) over a
// real SQLite database, real sessions and a fixed clock: the agreement both
// must accept before booking, booking in UK time with its refusals, the
// calendar file, recording with a note only its author sees, goals and
// protected time, and that nobody outside the pair can open any of it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>

#include "adapters/http/router.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/session.h"
#include "app/relationship.h"
#include "core/lti_capabilities.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/database.h"
#include "tests/adapters/web/page_test_fixture.h"

namespace mentoring::web {
namespace {
namespace cap = core::capability;
namespace rel = core::relationship;
using core::Status;

// 2026-06-01 10:00:00 UTC, a Monday in British Summer Time.
constexpr std::int64_t kT0 = 1780308000;

using testing::contains;
using testing::Form;
using testing::hidden;

class RelationshipPagesTest : public testing::PageTestFixture {
 protected:
  RelationshipPagesTest() : PageTestFixture(kT0) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(open_database("mentoring-rel-pages"));
    Status st = db_->transact([&](core::Stores& s) -> Status {
      MENTORING_RETURN_IF_ERROR(add_accounts(s, {{"mentee", "Dr Aisha Okafor", "mentee@example.nhs.uk"},
                                                 {"mentor", "Dr Ben Hughes", "mentor@example.nhs.uk"},
                                                 {"other", "Dr Other Trainee", "other@example.nhs.uk"},
                                                 {"admin", "Priya Patel", "admin@example.nhs.uk"}}));
      MENTORING_RETURN_IF_ERROR(add_scheme(s, core::MatchingModel::kAssigned));
      auto mentee = s.enrolments.create(cohort_, accounts_["mentee"], core::Role::kMentee, kT0);
      if (!mentee) return mentee.status();
      auto mentor = s.enrolments.create(cohort_, accounts_["mentor"], core::Role::kMentor, kT0);
      if (!mentor) return mentor.status();
      MENTORING_RETURN_IF_ERROR(s.enrolments.create(cohort_, accounts_["other"], core::Role::kMentee, kT0).status());
      MENTORING_RETURN_IF_ERROR(s.pairings.sync_place(cohort_, mentor->id, 2, kT0).status());
      auto pairing =
          s.pairings.create_active({cohort_, mentee->id, mentor->id, core::PairingSource::kAdmin, std::nullopt}, kT0);
      if (!pairing) return pairing.status();
      pairing_ = pairing->id;
      core::AgreementTemplate t;
      t.schemeid = scheme_;
      t.version = 1;
      t.boundaries = "We meet in working hours.";
      t.ground_rules = "We tell each other if we need to rearrange.";
      return s.agreements.save_template(t, kT0).status();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();

    relationships_ = std::make_unique<app::RelationshipService>(*db_, clock_);
    PageServices services;
    services.relationships = relationships_.get();
    add_pages(services);
    sign_in("mentee", {std::string(cap::kMenteeParticipate)});
    sign_in("mentor", {std::string(cap::kMentorParticipate)});
    sign_in("other", {std::string(cap::kMenteeParticipate)});
    sign_in("admin", {std::string(cap::kSchemeManage)});
  }

  std::string pairing_path(const std::string& rest) {
    return "/relationship/pairings/" + std::to_string(pairing_) + rest;
  }

  void accept(const std::string& who) {
    http::Response r = post(who, pairing_path("/agreement"), form_from(who, "/relationship", {{"version", "1"}}));
    ASSERT_EQ(r.status, 303) << r.body;
  }

  http::Response book(const std::string& who, const std::string& date, const std::string& time,
                      const std::string& minutes = "60") {
    return post(who, pairing_path("/meetings/new"),
                form_from(who, pairing_path("/meetings/new"),
                          {{"date", date},
                           {"time", time},
                           {"minutes", minutes},
                           {"mode", "video"},
                           {"link", "https://meet.example.nhs.uk/r/1"},
                           {"place", ""},
                           {"topics", "Settling in"}}));
  }

  app::RelationshipView view(const std::string& who) {
    auto v = relationships_->view(accounts_[who], pairing_);
    EXPECT_TRUE(v.is_ok()) << v.status().to_string();
    return v ? *v : app::RelationshipView{};
  }

  void expect_clean(const http::Response& r, const std::string& what) {
    EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "") << what;
    EXPECT_EQ(testing::inline_code_problems(r.body), std::vector<std::string>{}) << what;
  }

  std::unique_ptr<app::RelationshipService> relationships_;
  std::int64_t pairing_ = 0;
};

TEST_F(RelationshipPagesTest, ParticipantsOnlyAndAPersonWithoutAPairingIsToldWhy) {
  EXPECT_EQ(get("admin", "/relationship").status, 403);
  EXPECT_EQ(router_.handle(testing::get("/relationship")).status, 401);
  http::Response r = get("other", "/relationship");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "id=\"no-pairing\""));
  expect_clean(r, "no pairing");
  // Another pair's pages do not exist for them.
  EXPECT_EQ(get("other", "/relationship?pairing=" + std::to_string(pairing_)).status, 404);
  EXPECT_EQ(get("other", pairing_path("/meetings/new")).status, 404);
  EXPECT_EQ(get("other", pairing_path("/protected-time")).status, 404);
}

TEST_F(RelationshipPagesTest, BookingWaitsUntilBothHaveAcceptedTheAgreement) {
  http::Response r = get("mentee", "/relationship");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "Dr Ben Hughes"));
  EXPECT_TRUE(contains(r.body, "Not accepted yet"));
  EXPECT_TRUE(contains(r.body, "We meet in working hours."));
  EXPECT_TRUE(contains(r.body, "id=\"accept-agreement\""));
  EXPECT_FALSE(contains(r.body, "id=\"book-meeting\""));
  expect_clean(r, "overview before acceptance");
  // Booking by hand is refused with the reason, and nothing is stored.
  http::Response early = book("mentee", "2026-06-10", "09:00");
  EXPECT_EQ(early.status, 409);
  EXPECT_TRUE(contains(early.body, "both accepted the agreement")) << early.body;
  EXPECT_TRUE(view("mentee").meetings.empty());

  accept("mentee");
  r = get("mentee", "/relationship");
  EXPECT_TRUE(contains(r.body, "Accepted by the mentee; waiting for the mentor"));
  EXPECT_FALSE(contains(r.body, "id=\"accept-agreement\""));
  EXPECT_EQ(book("mentee", "2026-06-10", "09:00").status, 409);
  // Accepting an out-of-date version is refused.
  http::Response stale =
      post("mentor", pairing_path("/agreement"), form_from("mentor", "/relationship", {{"version", "2"}}));
  EXPECT_EQ(stale.status, 409);
  EXPECT_TRUE(contains(stale.body, "agreement has changed"));
  accept("mentor");
  r = get("mentor", "/relationship");
  EXPECT_TRUE(contains(r.body, "Accepted by both of you"));
  EXPECT_TRUE(contains(r.body, "id=\"book-meeting\""));
  EXPECT_EQ(view("mentor").agreement_status, core::AgreementStatus::kAccepted);
}

TEST_F(RelationshipPagesTest, AMeetingIsBookedInUkTimeAndDownloadsAsACalendarInvitation) {
  accept("mentee");
  accept("mentor");
  http::Response r = book("mentee", "2026-06-10", "09:00", "45");
  ASSERT_EQ(r.status, 303) << r.body;
  const std::string location(r.header("Location"));
  ASSERT_TRUE(contains(location, "/relationship/meetings/"));
  auto v = view("mentee");
  ASSERT_EQ(v.meetings.size(), 1u);
  const rel::Meeting m = v.meetings[0];
  // 09:00 BST is 08:00 UTC.
  EXPECT_EQ(m.starts_at, core::Date::parse("2026-06-10")->days_since_epoch() * 86400 + 8 * 3600);
  EXPECT_EQ(m.minutes, 45);
  EXPECT_EQ(m.booked_by, accounts_["mentee"]);

  http::Response page = get("mentor", "/relationship/meetings/" + std::to_string(m.id));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "2026-06-10 09:00"));
  EXPECT_TRUE(contains(page.body, "href=\"https://meet.example.nhs.uk/r/1\""));
  EXPECT_TRUE(contains(page.body, "id=\"cancel-meeting\""));
  EXPECT_FALSE(contains(page.body, "id=\"record-meeting\""));  // not started yet
  expect_clean(page, "meeting page");

  http::Response ics = get("mentor", "/relationship/meetings/" + std::to_string(m.id) + "/calendar.ics");
  ASSERT_EQ(ics.status, 200) << ics.body;
  EXPECT_EQ(ics.header("Content-Type"), "text/calendar; charset=UTF-8; method=REQUEST");
  EXPECT_TRUE(contains(std::string(ics.header("Content-Disposition")), "attachment"));
  EXPECT_TRUE(contains(ics.body, "DTSTART;TZID=Europe/London:20260610T090000\r\n")) << ics.body;
  EXPECT_TRUE(contains(ics.body, "DTEND;TZID=Europe/London:20260610T094500\r\n"));
  EXPECT_TRUE(contains(ics.body, "mailto:mentee@example.nhs.uk"));
  EXPECT_TRUE(contains(ics.body, "mailto:mentor@example.nhs.uk"));
  EXPECT_TRUE(contains(ics.body, "METHOD:REQUEST"));
  // Outside the pair the meeting does not exist.
  EXPECT_EQ(get("other", "/relationship/meetings/" + std::to_string(m.id)).status, 404);
  EXPECT_EQ(get("other", "/relationship/meetings/" + std::to_string(m.id) + "/calendar.ics").status, 404);

  // Cancelling makes the download a cancellation with a higher sequence.
  http::Response cancelled = post("mentor", "/relationship/meetings/" + std::to_string(m.id) + "/cancel",
                                  form_from("mentor", "/relationship/meetings/" + std::to_string(m.id), {}));
  ASSERT_EQ(cancelled.status, 303) << cancelled.body;
  ics = get("mentee", "/relationship/meetings/" + std::to_string(m.id) + "/calendar.ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.header("Content-Type"), "text/calendar; charset=UTF-8; method=CANCEL");
  EXPECT_TRUE(contains(ics.body, "SEQUENCE:1\r\n"));
  EXPECT_TRUE(contains(ics.body, "STATUS:CANCELLED")) << ics.body;
}

TEST_F(RelationshipPagesTest, BadBookingsGetAClearAnswerAndChangeNothing) {
  accept("mentee");
  accept("mentor");
  struct Case {
    std::string date, time, minutes, expect;
  };
  for (const Case& c : std::vector<Case>{
           {"2026-05-31", "09:00", "60", "already passed"},
           {"2027-12-01", "09:00", "60", "up to 400 days ahead"},
           {"2026-06-31", "09:00", "60", "Enter a real date"},
           {"2026-06-10", "9am", "60", "24-hour clock"},
           {"2026-06-10", "09:00", "10", "between 15 and 240"},
           {"2027-03-28", "01:30", "60", "clocks go forward"},
       }) {
    http::Response r = book("mentee", c.date, c.time, c.minutes);
    EXPECT_EQ(r.status, 400) << c.date << " " << c.time;
    EXPECT_TRUE(contains(r.body, c.expect)) << c.expect << "\n" << r.body;
    EXPECT_TRUE(contains(r.body, "nhsuk-error-summary"));
  }
  EXPECT_TRUE(view("mentee").meetings.empty());
  // A GMT date converts with no offset.
  ASSERT_EQ(book("mentee", "2026-12-10", "09:00").status, 303);
  ASSERT_EQ(view("mentee").meetings.size(), 1u);
  EXPECT_EQ(view("mentee").meetings[0].starts_at, core::Date::parse("2026-12-10")->days_since_epoch() * 86400 + 9 * 3600);
  // Overlapping the booked meeting, for either person, is refused.
  http::Response overlap = book("mentor", "2026-12-10", "09:30");
  EXPECT_EQ(overlap.status, 409);
  EXPECT_TRUE(contains(overlap.body, "The other person already has a mentoring meeting booked at that time."));
  EXPECT_EQ(book("mentee", "2026-12-10", "10:00").status, 303);  // back to back is fine
  EXPECT_EQ(view("mentee").meetings.size(), 2u);
  // Without the right CSRF token nothing is booked.
  Form f = form_from("mentee", pairing_path("/meetings/new"),
                     {{"date", "2026-12-11"}, {"time", "09:00"}, {"minutes", "60"}, {"mode", "phone"}});
  f[0].second = std::string(43, 'A');
  EXPECT_EQ(post("mentee", pairing_path("/meetings/new"), f).status, 403);
  EXPECT_EQ(view("mentee").meetings.size(), 2u);
}

TEST_F(RelationshipPagesTest, ARecordedMeetingShowsItsActionsToBothAndTheNoteOnlyToItsAuthor) {
  accept("mentee");
  accept("mentor");
  ASSERT_EQ(book("mentor", "2026-06-10", "09:00").status, 303);
  const std::int64_t id = view("mentor").meetings.at(0).id;
  const std::string path = "/relationship/meetings/" + std::to_string(id);
  clock_.set_ms((kT0 + 10 * 86400) * 1000);
  // Sessions lapse over ten days; both launch again.
  tokens_["mentee"] = start("mentee", {std::string(cap::kMenteeParticipate)});
  tokens_["mentor"] = start("mentor", {std::string(cap::kMentorParticipate)});
  http::Response page = get("mentee", path);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"record-meeting\""));
  expect_clean(page, "record form");
  http::Response r = post("mentee", path + "/record",
                          form_from("mentee", path,
                                    {{"outcome", "held"},
                                     {"agreed_actions", "Aisha drafts her reflection by Friday."},
                                     {"private_note", "Worried about night shifts."}}));
  ASSERT_EQ(r.status, 303) << r.body;
  http::Response mine = get("mentee", path);
  EXPECT_TRUE(contains(mine.body, "Aisha drafts her reflection by Friday."));
  EXPECT_TRUE(contains(mine.body, "Worried about night shifts."));
  http::Response theirs = get("mentor", path);
  EXPECT_TRUE(contains(theirs.body, "Aisha drafts her reflection by Friday."));
  EXPECT_FALSE(contains(theirs.body, "Worried about night shifts."));
  EXPECT_FALSE(contains(theirs.body, "id=\"record-meeting\""));
  // The mentor keeps a note of their own, unseen by the mentee.
  ASSERT_EQ(post("mentor", path + "/note", form_from("mentor", path, {{"own_note", "Signpost to the rota lead."}})).status,
            303);
  EXPECT_TRUE(contains(get("mentor", path).body, "Signpost to the rota lead."));
  EXPECT_FALSE(contains(get("mentee", path).body, "Signpost to the rota lead."));
  // Recording again is refused.
  http::Response again = post("mentor", path + "/record", form_from("mentor", path, {{"outcome", "missed"}}));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(view("mentor").meetings.at(0).state, rel::MeetingState::kHeld);
  EXPECT_TRUE(contains(get("mentee", "/relationship").body, "Meetings held: 1"));
}

TEST_F(RelationshipPagesTest, GoalsAreTheMenteesAndBothAddProgress) {
  const std::string add = pairing_path("/goals/new");
  EXPECT_EQ(get("mentor", add).status, 403);
  http::Response bad = post("mentee", add,
                            form_from("mentee", add,
                                      {{"title", "Pass MRCP Part 1"},
                                       {"specific", "Sit the January paper."},
                                       {"measurable", ""},
                                       {"target_on", "2027-01-31"}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "how you will know"));
  EXPECT_TRUE(view("mentee").goals.empty());
  http::Response r = post("mentee", add,
                          form_from("mentee", add,
                                    {{"title", "Pass MRCP Part 1"},
                                     {"specific", "Sit the January paper."},
                                     {"measurable", "A pass letter."},
                                     {"achievable", ""},
                                     {"relevant", "Needed for core training."},
                                     {"target_on", "2027-01-31"},
                                     {"review_on", "2026-10-01"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  auto goals = view("mentor").goals;
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_EQ(goals[0].accountid, accounts_["mentee"]);
  const std::string goal = "/relationship/goals/" + std::to_string(goals[0].id);
  http::Response page = get("mentor", goal);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Needed for core training."));
  EXPECT_FALSE(contains(page.body, "id=\"save-status\""));  // the mentor cannot change it
  expect_clean(page, "goal page");
  ASSERT_EQ(post("mentor", goal + "/notes", form_from("mentor", goal, {{"note", "Booked a study day."}})).status, 303);
  ASSERT_EQ(post("mentee", goal + "/status", form_from("mentee", goal, {{"status", "achieved"}})).status, 303);
  EXPECT_EQ(post("mentor", goal + "/status", form_from("mentor", goal, {{"status", "dropped"}})).status, 403);
  page = get("mentee", goal);
  EXPECT_TRUE(contains(page.body, "Booked a study day."));
  EXPECT_EQ(view("mentee").goals.at(0).status, rel::GoalStatus::kAchieved);
  EXPECT_EQ(get("other", goal).status, 404);
}

TEST_F(RelationshipPagesTest, ProtectedTimeIsLoggedByEachAndTotalled) {
  const std::string path = pairing_path("/protected-time");
  http::Response page = get("mentee", path);
  ASSERT_EQ(page.status, 200);
  expect_clean(page, "protected time");
  ASSERT_EQ(post("mentee", path, form_from("mentee", path, {{"used_on", "2026-06-01"}, {"minutes", "60"}})).status, 303);
  ASSERT_EQ(post("mentor", path, form_from("mentor", path, {{"used_on", "2026-05-30"}, {"minutes", "45"}})).status, 303);
  http::Response future = post("mentee", path, form_from("mentee", path, {{"used_on", "2026-06-02"}, {"minutes", "30"}}));
  EXPECT_EQ(future.status, 400);
  EXPECT_TRUE(contains(future.body, "once it has been used"));
  EXPECT_EQ(post("mentee", path, form_from("mentee", path, {{"used_on", "2026-06-01"}, {"minutes", "600"}})).status,
            400);
  auto v = view("mentor");
  EXPECT_EQ(v.totals.mentee_minutes, 60);
  EXPECT_EQ(v.totals.mentor_minutes, 45);
  http::Response overview = get("mentor", "/relationship");
  EXPECT_TRUE(contains(overview.body, "105 minutes"));
  expect_clean(overview, "overview");
}

}  // namespace
}  // namespace mentoring::web
