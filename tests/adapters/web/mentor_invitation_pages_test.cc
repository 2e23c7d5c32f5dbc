// Accepting the invitation to mentor on /mentor/become (mentor_path_pages.cc):
// a mentee invited at the end-of-scheme meeting sees one button, and one
// click makes them a mentor; on their next request the mentor pages let
// them in (the session's capabilities include mentoring as soon as they
// have an active mentor enrolment in the scheme). A second click says they
// are a mentor already; someone not invited, a form without its CSRF token
// or someone who is neither mentee nor mentor is refused and nothing
// changes.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "app/cohort_sessions.h"
#include "app/mentor_recruitment.h"
#include "core/cohort_session.h"
#include "core/setup_stores.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

core::UnixSeconds noon(const char* iso) { return core::Date::parse(iso)->days_since_epoch() * 86400 + 43200; }

class MentorInvitationPagesTest : public testing::SignedInFixture {
 protected:
  void SetUp() override {
    SignedInFixture::SetUp();
    if (HasFatalFailure()) return;
    recruitment_ = std::make_unique<app::MentorRecruitmentService>(*db_, clock_);
    cohort_sessions_ = std::make_unique<app::CohortSessionService>(*db_, clock_);
    ctx_->services.mentor_recruitment = recruitment_.get();
    ctx_->services.cohort_sessions = cohort_sessions_.get();
    // Last year's cohort, which the trainee completed; its end-of-scheme
    // meeting invites them to mentor.
    std::int64_t enrolment = 0, other_enrolment = 0;
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      core::CohortInput ci;
      ci.schemeid = scheme_;
      ci.name = "August 2024 intake";
      ci.opens_on = *core::Date::parse("2024-05-01");
      ci.closes_on = *core::Date::parse("2024-08-01");
      ci.starts_on = *core::Date::parse("2024-08-01");
      ci.ends_on = *core::Date::parse("2025-07-31");
      auto c = s.schemes.create_cohort(ci, testing::kFixtureT0);
      if (!c) return c.status();
      finished_ = c->id;
      auto e = s.enrolments.create(finished_, accounts_["trainee"], core::Role::kMentee, testing::kFixtureT0);
      if (!e) return e.status();
      enrolment = e->id;
      auto done = s.enrolments.set_status(e->id, core::EnrolmentStatus::kCompleted, testing::kFixtureT0);
      if (!done) return done.status();
      // "other" attended too but did not complete: not invited.
      auto o = s.enrolments.create(finished_, accounts_["other"], core::Role::kMentee, testing::kFixtureT0);
      if (!o) return o.status();
      other_enrolment = o->id;
      core::MenteeProfile p;
      p.accountid = accounts_["trainee"];
      p.career_stage = core::CareerStage::kFy2;
      p.specialty = "Paediatrics";
      p.region = "North West";
      p.goals = "Getting through the first year of nights and rotas.";
      p.topics = {"rotas"};
      p.languages = {"en"};
      auto saved = s.profiles.save_mentee(p, testing::kFixtureT0);
      if (!saved) return saved.status();
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    core::CohortSessionInput in;
    in.cohortid = finished_;
    in.kind = core::SessionKind::kEnd;
    in.title = "End-of-scheme meeting";
    in.starts_at = noon("2025-07-20");
    in.minutes = 60;
    auto session = cohort_sessions_->schedule(in, core::Actor::account(accounts_["admin"]));
    ASSERT_TRUE(session.is_ok()) << session.status().to_string();
    auto marked = cohort_sessions_->record_attendance(session->id, {{enrolment, true}, {other_enrolment, true}},
                                                      core::Actor::account(accounts_["admin"]));
    ASSERT_TRUE(marked.is_ok()) << marked.status().to_string();
  }
  void TearDown() override {
    ctx_->services.mentor_recruitment = nullptr;
    ctx_->services.cohort_sessions = nullptr;
    recruitment_.reset();
    cohort_sessions_.reset();
    SignedInFixture::TearDown();
  }

  void required_training() {
    core::TrainingModule skills;
    skills.code = "mentoring_skills";
    skills.title = "Mentoring skills";
    skills.required = true;
    ASSERT_TRUE(training_->replace_modules(scheme_, {skills}).is_ok());
  }

  // The acceptance form as /mentor/become drew it for `who`.
  Form accept_form(const std::string& who) {
    http::Response page = get(who, "/mentor/become");
    EXPECT_EQ(page.status, 200) << page.body;
    return Form{{"csrf_token", testing::hidden_value(page.body, "csrf_token")},
                {"declaration", testing::hidden_value(page.body, "declaration")}};
  }

  int count_rows(const std::string& table, const std::string& where = "1 = 1") {
    int n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + table + " WHERE " + where, soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }
  std::string csrf_of(const std::string& who) {
    std::string token;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT csrf_token FROM mentoring_sessions WHERE accountid = :a", soci::use(accounts_[who]),
          soci::into(token);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return token;
  }
  std::string footprint() {
    return std::to_string(count_rows("mentoring_mentor_profiles")) + "/" +
           std::to_string(count_rows("mentoring_enrolments", "role = 'mentor'")) + "/" +
           std::to_string(count_rows("mentoring_mentor_applications")) + "/" +
           std::to_string(count_rows("mentoring_audit_log"));
  }

  std::unique_ptr<app::MentorRecruitmentService> recruitment_;
  std::unique_ptr<app::CohortSessionService> cohort_sessions_;
  std::int64_t finished_ = 0;
};

TEST_F(MentorInvitationPagesTest, AnInvitedMenteeBecomesAMentorWithOneButtonAndThenPassesTheMentorPages) {
  required_training();
  EXPECT_EQ(get("trainee", "/profile/mentor").status, 403);
  http::Response page = get("trainee", "/mentor/become");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "id=\"mentor-invitation\""));
  EXPECT_TRUE(contains(page.body, "<form method=\"post\" action=\"/mentor/become\" novalidate id=\"mentor-invitation-accept\">"));
  EXPECT_TRUE(contains(page.body, "id=\"accept-mentor-invitation\">Accept the invitation and become a mentor</button>"));
  EXPECT_TRUE(contains(page.body, "you confirm that you are in good standing"));
  // One way in: no application form to fill.
  EXPECT_FALSE(contains(page.body, "id=\"apply-to-mentor\""));
  EXPECT_EQ(testing::page_check_report(page.body, renderer_.asset_base()), "");

  http::Response accepted = post("trainee", "/mentor/become", accept_form("trainee"));
  ASSERT_EQ(accepted.status, 303) << accepted.body;
  EXPECT_EQ(accepted.header("Location"), "/mentor/become?invitation=accepted");

  http::Response after = get("trainee", "/mentor/become?invitation=accepted");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_TRUE(contains(after.body, "id=\"mentor-invitation-accepted\""));
  EXPECT_TRUE(contains(after.body, "You accepted the invitation and are now a mentor in FY1 North West."));
  EXPECT_TRUE(contains(after.body, "Mentees you can take at a time: 1."));
  EXPECT_TRUE(contains(after.body, "href=\"/profile/mentor\" id=\"accepted-profile-link\""));
  EXPECT_TRUE(contains(after.body, "id=\"accepted-training-missing\""));
  EXPECT_FALSE(contains(after.body, "id=\"accept-mentor-invitation\""));
  EXPECT_EQ(testing::page_check_report(after.body, renderer_.asset_base()), "");

  // Their session now takes them as a mentor: the mentor pages let them in.
  http::Response profile = get("trainee", "/profile/mentor");
  EXPECT_EQ(profile.status, 200) << profile.body;
  EXPECT_EQ(get("trainee", "/profile/mentor/cpd").status, 200);
  auto mine = recruitment_->mine(accounts_["trainee"]);
  ASSERT_TRUE(mine.is_ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->front().status, core::ApplicationStatus::kApproved);
  EXPECT_EQ(mine->front().cohortid, cohort_);
  EXPECT_EQ(mine->front().decided_by, std::optional<std::int64_t>(accounts_["admin"]));
  auto mentor = profiles_->get_mentor(accounts_["trainee"]);
  ASSERT_TRUE(mentor.is_ok()) << mentor.status().to_string();
  EXPECT_EQ(mentor->capacity, 1);
  EXPECT_EQ(mentor->specialty, "Paediatrics");
  EXPECT_EQ(mentor->career_stage, core::CareerStage::kFy2);
  EXPECT_TRUE(contains(mentor->bio, "FY1 North West"));
}

TEST_F(MentorInvitationPagesTest, ASecondClickChangesNothingAndSaysTheyAreAlreadyAMentor) {
  const Form form = accept_form("trainee");
  ASSERT_EQ(post("trainee", "/mentor/become", form).status, 303);
  const std::string before = footprint();
  http::Response again = post("trainee", "/mentor/become", form);
  ASSERT_EQ(again.status, 303) << again.body;
  EXPECT_EQ(again.header("Location"), "/mentor/become?invitation=already");
  EXPECT_EQ(footprint(), before);
  http::Response shown = get("trainee", "/mentor/become?invitation=already");
  ASSERT_EQ(shown.status, 200);
  EXPECT_TRUE(contains(shown.body, "id=\"mentor-invitation-already\""));
  EXPECT_TRUE(contains(shown.body, "You are already a mentor in FY1 North West, so nothing has changed."));
  EXPECT_FALSE(contains(shown.body, "id=\"accept-mentor-invitation\""));
}

TEST_F(MentorInvitationPagesTest, SomeoneNotInvitedIsRefusedWithA403PageAndNothingChanges) {
  http::Response page = get("other", "/mentor/become");
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(contains(page.body, "id=\"accept-mentor-invitation\""));
  const std::string before = footprint();
  // No form is drawn for them; a form made up with their session's own
  // CSRF token is still refused.
  http::Response r = post("other", "/mentor/become", {{"csrf_token", csrf_of("other")}, {"declaration", "yes"}});
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(contains(r.body, "id=\"mentor-invitation-refused\""));
  EXPECT_TRUE(contains(r.body, "You have not been invited to mentor in this scheme"));
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
  EXPECT_EQ(footprint(), before);
  EXPECT_EQ(get("other", "/profile/mentor").status, 403);
}

TEST_F(MentorInvitationPagesTest, AFormWithoutItsTokenOrDeclarationOrFromStaffChangesNothing) {
  const std::string before = footprint();
  EXPECT_EQ(post("trainee", "/mentor/become", {{"csrf_token", "wrong"}, {"declaration", "yes"}}).status, 403);
  Form undeclared = accept_form("trainee");
  undeclared.pop_back();
  http::Response r = post("trainee", "/mentor/become", undeclared);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(contains(r.body, "Confirm that you are in good standing"));
  // Staff without a mentee or mentor capability cannot use the form.
  http::Response staff = get("admin", "/mentor/become");
  EXPECT_EQ(staff.status, 403);
  EXPECT_EQ(post("admin", "/mentor/become", {{"csrf_token", "x"}, {"declaration", "yes"}}).status, 403);
  EXPECT_EQ(footprint(), before);
  EXPECT_EQ(get("trainee", "/profile/mentor").status, 403);
}

}  // namespace
}  // namespace mentoring::web
