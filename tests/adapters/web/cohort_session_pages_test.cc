// The staff pages for a cohort's group sessions (cohort_session_pages.cc):
// the list of the midpoint group check-in and end-of-scheme meeting with the
// form to schedule one (checked field by field, each error next to its field,
// nothing scheduled while any is wrong), and the attendance page, which saves
// the whole list at once and says how many CPD entries and invitations to
// mentor the end meeting created. Only mentoring/scheme:manage with the
// form's CSRF token may use either.
#include <gtest/gtest.h>

#include <string>

#include "app/cohort_sessions.h"
#include "core/setup_stores.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {
using core::Status;

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

// As the templates escape text ({{value}}).
std::string html_escape(const std::string& in) {
  std::string out;
  for (char c : in) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// `hh:mm` UTC on `iso`.
core::UnixSeconds utc(const char* iso, int hour, int minute = 0) {
  return core::Date::parse(iso)->days_since_epoch() * 86400 + hour * 3600 + minute * 60;
}

class CohortSessionPagesTest : public testing::SignedInFixture {
 protected:
  void SetUp() override {
    SignedInFixture::SetUp();
    if (HasFatalFailure()) return;
    service_ = std::make_unique<app::CohortSessionService>(*db_, clock_);
    ctx_->services.cohort_sessions = service_.get();
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto mentee = s.enrolments.create(cohort_, accounts_["trainee"], core::Role::kMentee, testing::kFixtureT0);
      if (!mentee) return mentee.status();
      mentee_enrolment_ = mentee->id;
      auto mentor = s.enrolments.create(cohort_, accounts_["mentor"], core::Role::kMentor, testing::kFixtureT0);
      if (!mentor) return mentor.status();
      mentor_enrolment_ = mentor->id;
      // Another cohort's mentee, whom no form of this cohort may record.
      core::CohortInput ci;
      ci.schemeid = scheme_;
      ci.name = "February intake";
      ci.opens_on = *core::Date::parse("2026-11-01");
      ci.closes_on = *core::Date::parse("2027-02-01");
      ci.starts_on = *core::Date::parse("2027-02-02");
      ci.ends_on = *core::Date::parse("2028-02-01");
      auto other = s.schemes.create_cohort(ci, testing::kFixtureT0);
      if (!other) return other.status();
      auto elsewhere = s.enrolments.create(other->id, accounts_["other"], core::Role::kMentee, testing::kFixtureT0);
      if (!elsewhere) return elsewhere.status();
      other_enrolment_ = elsewhere->id;
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }
  void TearDown() override {
    ctx_->services.cohort_sessions = nullptr;
    service_.reset();
    SignedInFixture::TearDown();
  }

  std::string list_path() const { return "/staff/cohorts/" + std::to_string(cohort_) + "/sessions"; }
  static std::string attendance_path(std::int64_t id) {
    return "/staff/sessions/" + std::to_string(id) + "/attendance";
  }

  // Moves the clock to `t` and signs everyone in again (the sessions of the
  // fixture's day have timed out by then).
  void move_to(core::UnixSeconds t) {
    clock_.set_ms(t * 1000);
    tokens_["trainee"] = start("trainee", {std::string(core::capability::kMenteeParticipate)});
    tokens_["mentor"] = start("mentor", {std::string(core::capability::kMentorParticipate)});
    tokens_["admin"] = start("admin", {std::string(core::capability::kSchemeManage),
                                       std::string(core::capability::kPairingAssign)});
  }

  // A schedule form that passes every check, with `changes` laid over it.
  static Form session_fields(const Form& changes = {}) {
    Form f{{"kind", "end"},
           {"title", "End-of-scheme meeting"},
           {"date", "2027-07-01"},
           {"time", "13:00"},
           {"minutes", "90"},
           {"location", "Education centre, seminar room 2"}};
    for (const auto& [k, v] : changes)
      for (auto& [name, value] : f)
        if (name == k) value = v;
    return f;
  }

  std::int64_t schedule(core::SessionKind kind, core::UnixSeconds starts_at, int minutes = 90) {
    core::CohortSessionInput in;
    in.cohortid = cohort_;
    in.kind = kind;
    in.title = kind == core::SessionKind::kEnd ? "End-of-scheme meeting" : "Midpoint group check-in";
    in.starts_at = starts_at;
    in.minutes = minutes;
    in.location = "Education centre, seminar room 2";
    auto made = service_->schedule(in, core::Actor::service());
    EXPECT_TRUE(made.is_ok()) << made.status().to_string();
    return made.is_ok() ? made->id : 0;
  }

  std::vector<app::CohortSessionView> sessions() {
    auto list = service_->list(cohort_);
    EXPECT_TRUE(list.is_ok()) << list.status().to_string();
    return list.is_ok() ? *list : std::vector<app::CohortSessionView>{};
  }

  std::vector<core::SessionAttendance> attendance(std::int64_t sessionid) {
    for (const auto& v : sessions())
      if (v.session.id == sessionid) return v.attendance;
    return {};
  }

  int cpd_entries(std::int64_t accountid) {
    int n = -1;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto entries = s.training.list_cpd(accountid);
      if (!entries) return entries.status();
      n = static_cast<int>(entries->size());
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  // The attendance form of session `id` as the page drew it (its tokens and
  // the people it listed), with `ticked` enrolments ticked in their groups.
  Form attendance_form(std::int64_t id, const std::vector<std::int64_t>& ticked) {
    http::Response page = get("admin", attendance_path(id));
    EXPECT_EQ(page.status, 200) << page.body;
    Form f{{"csrf_token", testing::hidden_value(page.body, "csrf_token")},
           {"form_token", testing::hidden_value(page.body, "form_token")}};
    for (std::int64_t e : {mentee_enrolment_, mentor_enrolment_})
      if (contains(page.body, "name=\"listed\" value=\"" + std::to_string(e) + "\""))
        f.emplace_back("listed", std::to_string(e));
    for (std::int64_t e : ticked)
      f.emplace_back(e == mentor_enrolment_ ? "mentors" : "mentees", std::to_string(e));
    return f;
  }

  std::unique_ptr<app::CohortSessionService> service_;
  std::int64_t mentee_enrolment_ = 0, mentor_enrolment_ = 0, other_enrolment_ = 0;
};

TEST_F(CohortSessionPagesTest, TheListShowsEachSessionInUkTimeWithItsAttendanceAndTheParticipantsPageLinksToIt) {
  const std::int64_t midpoint = schedule(core::SessionKind::kMidpoint, utc("2027-02-10", 13), 60);
  const std::int64_t end = schedule(core::SessionKind::kEnd, utc("2027-07-01", 12), 90);  // 13:00 BST
  http::Response r = get("admin", list_path());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto first = r.body.find("id=\"session-" + std::to_string(midpoint) + "\"");
  const auto second = r.body.find("id=\"session-" + std::to_string(end) + "\"");
  ASSERT_NE(first, std::string::npos) << r.body;
  ASSERT_NE(second, std::string::npos) << r.body;
  EXPECT_LT(first, second) << "by start time";
  const std::string mid_row = r.body.substr(first, second - first);
  EXPECT_TRUE(contains(mid_row, "Midpoint group check-in")) << mid_row;
  EXPECT_TRUE(contains(mid_row, "2027-02-10 13:00")) << mid_row;
  EXPECT_TRUE(contains(mid_row, "60 minutes")) << mid_row;
  EXPECT_TRUE(contains(mid_row, "Education centre, seminar room 2")) << mid_row;
  EXPECT_TRUE(contains(mid_row, "Not recorded yet")) << mid_row;
  EXPECT_TRUE(contains(mid_row, "href=\"" + attendance_path(midpoint) + "\"")) << mid_row;
  const std::string end_row = r.body.substr(second, r.body.find("</tr>", second) - second);
  EXPECT_TRUE(contains(end_row, "End-of-scheme meeting")) << end_row;
  EXPECT_TRUE(contains(end_row, "2027-07-01 13:00")) << "shown in UK summer time: " << end_row;
  EXPECT_TRUE(contains(end_row, "90 minutes")) << end_row;
  // The schedule form, with its tokens.
  EXPECT_TRUE(contains(r.body, "id=\"schedule-session\""));
  EXPECT_TRUE(contains(r.body, "name=\"kind\" type=\"radio\" value=\"midpoint\""));
  EXPECT_FALSE(testing::hidden_value(r.body, "csrf_token").empty());
  EXPECT_FALSE(testing::hidden_value(r.body, "form_token").empty());
  EXPECT_TRUE(testing::inline_code_problems(r.body).empty());
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");

  // Attendance recorded for one person shows as a count.
  move_to(utc("2027-07-02", 9));
  ASSERT_TRUE(service_->record_attendance(midpoint, {{mentee_enrolment_, true}, {mentor_enrolment_, false}},
                                          core::Actor::service())
                  .is_ok());
  r = get("admin", list_path());
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(contains(r.body, "id=\"session-" + std::to_string(midpoint) + "-attendance\">1 attended<")) << r.body;

  // The cohort's staff page links to the list.
  http::Response participants =
      get("admin", "/staff/schemes/" + std::to_string(scheme_) + "/participants?cohort=" + std::to_string(cohort_));
  ASSERT_EQ(participants.status, 200);
  EXPECT_TRUE(contains(participants.body, "href=\"" + list_path() + "\"")) << participants.body;
}

TEST_F(CohortSessionPagesTest, AnEmptyCohortSaysSoAndScheduledSessionsAreStoredInUtcByTheSignedInStaffMember) {
  http::Response empty = get("admin", list_path());
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(contains(empty.body, "id=\"no-sessions\""));
  http::Response r = post("admin", list_path(), form_of("admin", list_path(), session_fields()));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), list_path() + "?saved=1");
  auto list = sessions();
  ASSERT_EQ(list.size(), 1u);
  const core::CohortSession& made = list[0].session;
  EXPECT_EQ(made.kind, core::SessionKind::kEnd);
  EXPECT_EQ(made.title, "End-of-scheme meeting");
  EXPECT_EQ(made.starts_at, utc("2027-07-01", 12)) << "13:00 in UK summer time";
  EXPECT_EQ(made.minutes, 90);
  EXPECT_EQ(made.location, "Education centre, seminar room 2");
  EXPECT_EQ(made.created_by.value_or(0), accounts_["admin"]);
  http::Response page = get("admin", list_path() + "?saved=1");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"saved\"")) << page.body;
  EXPECT_TRUE(contains(page.body, "The session has been scheduled."));
  // A winter time is stored as it is.
  r = post("admin", list_path(),
           form_of("admin", list_path(), session_fields({{"kind", "midpoint"}, {"date", "2027-02-10"}})));
  ASSERT_EQ(r.status, 303) << r.body;
  list = sessions();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].session.kind, core::SessionKind::kMidpoint);
  EXPECT_EQ(list[0].session.starts_at, utc("2027-02-10", 13));
}

TEST_F(CohortSessionPagesTest, EachBadFieldIsShownNextToItAndNothingIsScheduled) {
  struct Case {
    const char* field;
    std::string value;
    const char* anchor;
    std::string error;
  };
  const Case cases[] = {
      {"kind", "", "field-kind-1", "Choose whether this is the midpoint group check-in or the end-of-scheme meeting."},
      {"kind", "weekly", "field-kind-1", "Choose whether this is the midpoint group check-in"},
      {"title", "  ", "field-title", "Enter a title for the session."},
      {"title", std::string(201, 't'), "field-title", "The title must be at most 200 characters."},
      {"date", "01/07/2027", "field-date", "Enter a real date as year-month-day"},
      {"date", "2026-08-04", "field-date",
       "The session must start between the cohort's start (2026-08-05) and 30 days after its end (2027-09-03)."},
      {"date", "2027-09-04", "field-date", "30 days after its end (2027-09-03)"},
      {"time", "1pm", "field-time", "Enter the time as hours and minutes on the 24-hour clock"},
      {"time", "25:00", "field-time", "Enter the time as hours and minutes"},
      {"minutes", "ninety", "field-minutes", "Enter the length as a whole number of minutes, from 15 to 480."},
      {"minutes", "10", "field-minutes", "Enter the length as a whole number of minutes, from 15 to 480."},
      {"minutes", "481", "field-minutes", "from 15 to 480"},
      {"location", std::string(501, 'l'), "field-location", "The place or joining link must be at most 500 characters."},
  };
  for (const Case& c : cases) {
    http::Response r = post("admin", list_path(), form_of("admin", list_path(), session_fields({{c.field, c.value}})));
    EXPECT_EQ(r.status, 400) << c.field << "=" << c.value;
    EXPECT_TRUE(contains(r.body, "nhsuk-error-summary")) << c.field;
    EXPECT_TRUE(contains(r.body, "href=\"#" + std::string(c.anchor) + "\"")) << c.field << ": " << r.body;
    EXPECT_TRUE(contains(r.body, html_escape(c.error))) << c.field << "=" << c.value << ": " << r.body;
    // The error is drawn next to its field, and what was typed is kept.
    EXPECT_TRUE(contains(r.body, "id=\"field-" + std::string(c.field) + "-error\"")) << c.field;
    if (std::string(c.field) != "kind" && !c.value.empty() && c.value != "  ") {
      EXPECT_TRUE(contains(r.body, "value=\"" + html_escape(c.value) + "\"")) << c.field;
    }
  }
  // Several wrong fields are each named at once.
  http::Response r = post("admin", list_path(),
                          form_of("admin", list_path(), session_fields({{"title", ""}, {"minutes", "5"}, {"kind", ""}})));
  EXPECT_EQ(r.status, 400);
  for (const char* anchor : {"#field-kind-1", "#field-title", "#field-minutes"})
    EXPECT_TRUE(contains(r.body, std::string("href=\"") + anchor + "\"")) << anchor << ": " << r.body;
  EXPECT_TRUE(sessions().empty());
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
}

TEST_F(CohortSessionPagesTest, OnlySchemeManagersWithTheFormsTokenMayScheduleOrRecordAttendance) {
  EXPECT_EQ(get("trainee", list_path()).status, 403);
  EXPECT_EQ(get("mentor", list_path()).status, 403);
  const Form good = form_of("admin", list_path(), session_fields());
  EXPECT_EQ(post("trainee", list_path(), good).status, 403);
  EXPECT_EQ(post("mentor", list_path(), good).status, 403);
  Form forged = good;
  forged[0].second = "not-the-token";
  EXPECT_EQ(post("admin", list_path(), forged).status, 403);
  EXPECT_TRUE(sessions().empty());
  EXPECT_EQ(get("admin", "/staff/cohorts/999999/sessions").status, 404);
  EXPECT_EQ(get("admin", "/staff/cohorts/abc/sessions").status, 404);

  const std::int64_t id = schedule(core::SessionKind::kEnd, utc("2027-07-01", 12));
  move_to(utc("2027-07-02", 9));
  EXPECT_EQ(get("trainee", attendance_path(id)).status, 403);
  EXPECT_EQ(get("mentor", attendance_path(id)).status, 403);
  const Form both = attendance_form(id, {mentee_enrolment_, mentor_enrolment_});
  EXPECT_EQ(post("mentor", attendance_path(id), both).status, 403);
  Form forged_attendance = both;
  forged_attendance[0].second = "not-the-token";
  EXPECT_EQ(post("admin", attendance_path(id), forged_attendance).status, 403);
  EXPECT_TRUE(attendance(id).empty());
  EXPECT_EQ(cpd_entries(accounts_["mentor"]), 0);
  EXPECT_EQ(get("admin", "/staff/sessions/999999/attendance").status, 404);
  // Sent twice: the second changes nothing.
  ASSERT_EQ(post("admin", attendance_path(id), both).status, 303);
  EXPECT_EQ(post("admin", attendance_path(id), both).status, 409);
  EXPECT_EQ(cpd_entries(accounts_["mentor"]), 1);
}

TEST_F(CohortSessionPagesTest, AttendanceAtTheEndMeetingIsSavedAndTheConfirmationCountsTheCpdEntryAndInvitation) {
  const std::int64_t id = schedule(core::SessionKind::kEnd, utc("2027-07-01", 12), 90);
  move_to(utc("2027-07-02", 9));
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto done = s.enrolments.set_status(mentee_enrolment_, core::EnrolmentStatus::kCompleted,
                                                       utc("2027-07-02", 9));
                   return done ? Status::ok() : done.status();
                 }).is_ok());
  http::Response page = get("admin", attendance_path(id));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "Dr Aisha Okafor (Completed)")) << page.body;
  EXPECT_TRUE(contains(page.body, "Dr Chloe Evans (Active)"));
  EXPECT_FALSE(contains(page.body, "Dr Ben Hughes")) << "another cohort's mentee is not listed";
  EXPECT_TRUE(contains(page.body, "name=\"mentees\" type=\"checkbox\" value=\"" + std::to_string(mentee_enrolment_)));
  EXPECT_TRUE(contains(page.body, "name=\"mentors\" type=\"checkbox\" value=\"" + std::to_string(mentor_enrolment_)));
  EXPECT_TRUE(contains(page.body, "a CPD entry of 1.5 hours, and")) << page.body;
  EXPECT_EQ(testing::page_check_report(page.body, renderer_.asset_base()), "");

  http::Response r = post("admin", attendance_path(id), attendance_form(id, {mentee_enrolment_, mentor_enrolment_}));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), attendance_path(id) + "?saved=1&cpd=1&invitations=1");
  const auto rows = attendance(id);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& a : rows) {
    EXPECT_TRUE(a.attended);
    EXPECT_EQ(a.recorded_by.value_or(0), accounts_["admin"]);
  }
  EXPECT_EQ(cpd_entries(accounts_["mentor"]), 1);
  EXPECT_EQ(cpd_entries(accounts_["trainee"]), 0);
  auto invited = service_->mentor_invitations(accounts_["trainee"]);
  ASSERT_TRUE(invited.is_ok());
  EXPECT_EQ(invited->size(), 1u);

  http::Response done = get("admin", std::string(r.header("Location")));
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_TRUE(contains(done.body, "Attendance saved: 2 of the 2 people recorded attended.")) << done.body;
  EXPECT_TRUE(contains(done.body, "id=\"cpd-created\">1<")) << done.body;
  EXPECT_TRUE(contains(done.body, "id=\"invitations-created\">1<")) << done.body;
  // The boxes are drawn ticked from what is stored.
  EXPECT_TRUE(contains(done.body, "value=\"" + std::to_string(mentor_enrolment_) + "\" checked"));
  EXPECT_EQ(testing::page_check_report(done.body, renderer_.asset_base()), "");

  // Saved again (the mentor now unticked): nothing more is created, and the
  // CPD entry and the invitation are kept.
  r = post("admin", attendance_path(id), attendance_form(id, {mentee_enrolment_}));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), attendance_path(id) + "?saved=1&cpd=0&invitations=0");
  EXPECT_EQ(cpd_entries(accounts_["mentor"]), 1);
  for (const auto& a : attendance(id))
    EXPECT_EQ(a.attended, a.enrolmentid == mentee_enrolment_) << a.enrolmentid;
  done = get("admin", std::string(r.header("Location")));
  EXPECT_TRUE(contains(done.body, "id=\"cpd-created\">0<")) << done.body;
  EXPECT_TRUE(contains(done.body, "1 of the 2 people recorded attended."));
}

TEST_F(CohortSessionPagesTest, AttendanceIsAllOrNothingAndWaitsForTheSessionToStart) {
  const std::int64_t id = schedule(core::SessionKind::kMidpoint, utc("2027-02-10", 13));
  // Before it starts: no form, and a form sent anyway is refused.
  move_to(utc("2027-02-10", 12));
  http::Response early = get("admin", attendance_path(id));
  ASSERT_EQ(early.status, 200);
  EXPECT_TRUE(contains(early.body, "id=\"attendance-not-started\"")) << early.body;
  EXPECT_TRUE(contains(early.body, "2027-02-10 13:00"));
  EXPECT_FALSE(contains(early.body, "id=\"attendance-form\""));
  // (The tokens of the session's other form, as a page opened earlier would hold.)
  const Form f = form_of("admin", list_path(),
                         {{"listed", std::to_string(mentee_enrolment_)},
                          {"listed", std::to_string(mentor_enrolment_)},
                          {"mentees", std::to_string(mentee_enrolment_)}});
  http::Response refused = post("admin", attendance_path(id), f);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_TRUE(contains(refused.body, "Attendance can be recorded once the session has started.")) << refused.body;
  EXPECT_TRUE(attendance(id).empty());

  move_to(utc("2027-02-10", 15));
  // Another cohort's enrolment in the list: the whole list is refused.
  Form tampered = attendance_form(id, {mentee_enrolment_, mentor_enrolment_});
  tampered.emplace_back("listed", std::to_string(other_enrolment_));
  http::Response r = post("admin", attendance_path(id), tampered);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "nhsuk-error-summary"));
  EXPECT_TRUE(contains(r.body, "href=\"#field-mentees-1\""));
  EXPECT_TRUE(contains(r.body, html_escape("Someone on the list is no longer in this session's cohort."))) << r.body;
  EXPECT_TRUE(attendance(id).empty()) << "not even the good rows";
  // A box ticked for someone the form did not list.
  Form unlisted = attendance_form(id, {mentee_enrolment_});
  unlisted.emplace_back("mentees", std::to_string(other_enrolment_));
  r = post("admin", attendance_path(id), unlisted);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "The list of people on this page has changed")) << r.body;
  Form garbage = attendance_form(id, {});
  garbage.emplace_back("listed", "x1");
  EXPECT_EQ(post("admin", attendance_path(id), garbage).status, 400);
  EXPECT_TRUE(attendance(id).empty());

  // The midpoint records attendance only: no CPD, and no counts shown.
  r = post("admin", attendance_path(id), attendance_form(id, {mentor_enrolment_}));
  ASSERT_EQ(r.status, 303) << r.body;
  const auto rows = attendance(id);
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& a : rows) EXPECT_EQ(a.attended, a.enrolmentid == mentor_enrolment_);
  EXPECT_EQ(cpd_entries(accounts_["mentor"]), 0);
  http::Response done = get("admin", std::string(r.header("Location")));
  EXPECT_TRUE(contains(done.body, "id=\"attendance-saved\""));
  EXPECT_FALSE(contains(done.body, "id=\"cpd-created\""));
}

}  // namespace
}  // namespace mentoring::web
