// Mentor recruitment by application (mentor_application_pages.cc): a
// trainee applies to mentor and follows the application on their own page;
// staff with mentoring/scheme:manage approve (enrolling the mentor) or
// decline with a reason the applicant sees; an approval the scheme's rules
// refuse stays pending with the reason in words. Bad answers are drawn
// again next to their fields, and forms without the right capability, with
// a bad CSRF token or sent twice change nothing.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <algorithm>

#include "app/mentor_recruitment.h"
#include "core/setup_stores.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

#define EXPECT_GOOD_PAGE(res) EXPECT_EQ(testing::page_check_report((res).body, renderer_.asset_base()), "")

class MentorApplicationPagesTest : public testing::SignedInFixture {
 protected:
  void SetUp() override {
    SignedInFixture::SetUp();
    if (HasFatalFailure()) return;
    recruitment_ = std::make_unique<app::MentorRecruitmentService>(*db_, clock_);
    ctx_->services.mentor_recruitment = recruitment_.get();
  }
  void TearDown() override {
    ctx_->services.mentor_recruitment = nullptr;
    recruitment_.reset();
    SignedInFixture::TearDown();
  }

  // Answers that pass every check, with `changes` laid over them (a value of
  // "<none>" leaves the field out, as an unticked box or unchosen radio is).
  Form answers(const Form& changes = {}) const {
    Form f{{"cohortid", std::to_string(cohort_)},
           {"motivation", "I was mentored as an FY1 and want to give that back."},
           {"expertise_areas", "Exams, less than full time training"},
           {"capacity", "2"},
           {"availability", "Weekday evenings, remote"},
           {"declaration", "yes"}};
    for (const auto& [k, v] : changes) {
      auto it = std::find_if(f.begin(), f.end(), [&](const auto& p) { return p.first == k; });
      if (it == f.end()) {
        f.emplace_back(k, v);
      } else if (v == "<none>") {
        f.erase(it);
      } else {
        it->second = v;
      }
    }
    return f;
  }

  // `who` applies through the page with good answers; the new application's id.
  std::int64_t apply_as(const std::string& who) {
    http::Response r = post(who, "/mentor/apply", form_of(who, "/mentor/apply", answers()));
    EXPECT_EQ(r.status, 303) << r.body;
    auto mine = recruitment_->mine(accounts_[who]);
    EXPECT_TRUE(mine.is_ok()) << mine.status().to_string();
    return mine.is_ok() && !mine->empty() ? mine->front().id : 0;
  }

  // The part of a staff page drawn for application `id` (its card).
  static std::string card_of(const std::string& html, std::int64_t id) {
    const std::string start = "id=\"application-" + std::to_string(id) + "\"";
    auto b = html.find(start);
    if (b == std::string::npos) return {};
    auto e = html.find("class=\"nhsuk-card\"", b + start.size());
    return html.substr(b, e == std::string::npos ? std::string::npos : e - b);
  }

  // The approve or decline form of application `id` as staff see it, with `fields`.
  Form staff_form(std::int64_t id, const Form& fields = {}) {
    http::Response page = get("admin", "/staff/mentor-applications");
    EXPECT_EQ(page.status, 200) << page.body;
    const std::string card = card_of(page.body, id);
    EXPECT_FALSE(card.empty()) << "no card for application " << id;
    Form f{{"csrf_token", testing::hidden_value(card, "csrf_token")},
           {"form_token", testing::hidden_value(card, "form_token")}};
    for (const auto& c : fields) f.push_back(c);
    return f;
  }
  std::string decide_path(std::int64_t id, const std::string& decision) const {
    return "/staff/mentor-applications/" + std::to_string(id) + "/" + decision;
  }

  std::int64_t count(const std::string& table, const std::string& where = "1 = 1") {
    std::int64_t n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM mentoring_" + table + " WHERE " + where, soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }
  std::int64_t active_mentor_enrolments(const std::string& who) {
    return count("enrolments", "role = 'mentor' AND status = 'active' AND cohortid = " + std::to_string(cohort_) +
                                   " AND accountid = " + std::to_string(accounts_[who]));
  }
  core::MentorApplication application(std::int64_t id) {
    auto a = recruitment_->get(id);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? *a : core::MentorApplication{};
  }

  // The scheme lets only ST3 doctors and above mentor: someone with no mentor
  // profile cannot be enrolled as a mentor.
  void mentors_from_st3() {
    auto rules = eligibility_->get(scheme_);
    ASSERT_TRUE(rules.is_ok()) << rules.status().to_string();
    core::SchemeEligibility r = *rules;
    r.mentors.minimum_stage = core::CareerStage::kSt3;
    ASSERT_TRUE(eligibility_->save(r).is_ok());
  }

  std::unique_ptr<app::MentorRecruitmentService> recruitment_;
};

TEST_F(MentorApplicationPagesTest, ATraineeAppliesAndSeesTheApplicationWaitingForADecision) {
  http::Response page = get("trainee", "/mentor/apply");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_GOOD_PAGE(page);
  EXPECT_TRUE(contains(page.body, "<h1>Apply to mentor</h1>"));
  EXPECT_TRUE(contains(page.body, "Tell the organisers of FY1 North West"));
  // Every field has its label; the only open cohort is chosen already.
  for (const char* id : {"field-motivation", "field-expertise_areas", "field-capacity", "field-availability"}) {
    EXPECT_TRUE(contains(page.body, std::string("<label class=\"nhsuk-label\" for=\"") + id + "\">")) << id;
    EXPECT_TRUE(contains(page.body, std::string("id=\"") + id + "\"")) << id;
  }
  EXPECT_TRUE(contains(page.body,
                       "<legend class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">Which cohort "
                       "would you like to mentor in?</legend>"));
  EXPECT_TRUE(contains(page.body, "value=\"" + std::to_string(cohort_) + "\" checked"));
  EXPECT_TRUE(contains(page.body, "for=\"field-declaration-1\">I confirm that I am in good standing"));
  EXPECT_TRUE(contains(page.body, "id=\"apply\">Send my application</button>"));

  http::Response sent = post("trainee", "/mentor/apply", form_of("trainee", "/mentor/apply", answers()));
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.header("Location"), "/mentor/applications?saved=applied");

  auto mine = recruitment_->mine(accounts_["trainee"]);
  ASSERT_TRUE(mine.is_ok()) << mine.status().to_string();
  ASSERT_EQ(mine->size(), 1u);
  const core::MentorApplication& a = mine->front();
  EXPECT_EQ(a.status, core::ApplicationStatus::kPending);
  EXPECT_EQ(a.cohortid, cohort_);
  EXPECT_EQ(a.schemeid, scheme_);
  EXPECT_EQ(a.answers.motivation, "I was mentored as an FY1 and want to give that back.");
  EXPECT_EQ(a.answers.expertise_areas, (std::vector<std::string>{"exams", "less than full time training"}));
  EXPECT_EQ(a.answers.capacity, 2);
  EXPECT_EQ(a.answers.availability, "Weekday evenings, remote");
  EXPECT_TRUE(a.answers.declaration);
  EXPECT_EQ(count("enrolments", "role = 'mentor'"), 0);

  http::Response list = get("trainee", "/mentor/applications?saved=applied");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GOOD_PAGE(list);
  EXPECT_TRUE(contains(list.body, "Your application has been sent."));
  const std::string row = list.body.substr(list.body.find("id=\"application-" + std::to_string(a.id) + "\""));
  EXPECT_TRUE(contains(row, "August intake"));
  EXPECT_TRUE(contains(row, "2026-05-28"));
  EXPECT_TRUE(contains(row, "<strong class=\"nhsuk-tag nhsuk-tag--yellow\">Waiting for a decision</strong>"));
  EXPECT_TRUE(contains(row, "staff to decide.")) << row;

  // With an application waiting, the apply page says so and has no form.
  http::Response again = get("trainee", "/mentor/apply");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_GOOD_PAGE(again);
  EXPECT_TRUE(contains(again.body, "id=\"mentor-apply-pending\""));
  EXPECT_FALSE(contains(again.body, "id=\"apply\""));
}

TEST_F(MentorApplicationPagesTest, BadAnswersAreDrawnAgainNextToTheirFieldsAndNothingIsStored) {
  struct Case {
    Form changes;
    const char* field;   // the id of the field the error belongs to
    const char* anchor;  // where the summary links
    const char* message;
  };
  const std::vector<Case> cases = {
      {{{"motivation", "  "}},
       "field-motivation",
       "field-motivation",
       "Say why you would like to mentor in this scheme."},
      {{{"motivation", "To help."}}, "field-motivation", "field-motivation", "at least 20 characters"},
      {{{"expertise_areas", " , "}},
       "field-expertise_areas",
       "field-expertise_areas",
       "Name at least one area you could help mentees with"},
      {{{"capacity", "11"}}, "field-capacity", "field-capacity", "a number from 1 to 10"},
      {{{"capacity", "0"}}, "field-capacity", "field-capacity", "a number from 1 to 10"},
      {{{"capacity", "two"}}, "field-capacity", "field-capacity", "a number from 1 to 10"},
      {{{"availability", ""}}, "field-availability", "field-availability", "Say when you could meet a mentee"},
      {{{"declaration", "<none>"}},
       "field-declaration",
       "field-declaration-1",
       "Confirm that you are in good standing with your regulator and employer."},
      {{{"cohortid", "<none>"}},
       "field-cohortid",
       "field-cohortid-1",
       "Choose the cohort you would like to mentor in."},
      {{{"cohortid", "999999"}}, "field-cohortid", "field-cohortid-1", "Choose a cohort of this scheme."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field + std::string(" ") + c.message);
    http::Response r = post("trainee", "/mentor/apply", form_of("trainee", "/mentor/apply", answers(c.changes)));
    ASSERT_EQ(r.status, 400) << r.body;
    EXPECT_GOOD_PAGE(r);
    // In the summary, linked to the field ...
    const auto summary = r.body.find("nhsuk-error-summary__list");
    ASSERT_NE(summary, std::string::npos);
    EXPECT_TRUE(contains(r.body.substr(summary, r.body.find("</ul>", summary) - summary),
                         std::string("<a href=\"#") + c.anchor + "\">"));
    // ... and next to the field, which points at it.
    const std::string error_id = std::string(c.field) + "-error";
    const auto next_to = r.body.find("id=\"" + error_id + "\"");
    ASSERT_NE(next_to, std::string::npos) << r.body;
    EXPECT_TRUE(contains(r.body.substr(next_to, 400), c.message));
    EXPECT_TRUE(contains(r.body, "aria-describedby=\"" + std::string(c.field) + "-hint " + error_id + "\""));
    // The other answers are kept.
    if (std::string(c.field) != "field-motivation") {
      EXPECT_TRUE(contains(r.body, "I was mentored as an FY1 and want to give that back."));
    }
    EXPECT_TRUE(contains(r.body, "id=\"apply\""));
    // A cohort is checked again only when one was sent.
    const bool cohort_sent = !contains(c.field, "cohortid");
    EXPECT_EQ(contains(r.body, "value=\"" + std::to_string(cohort_) + "\" checked"), cohort_sent);
  }
  EXPECT_EQ(count("mentor_applications"), 0);
  EXPECT_EQ(count("audit_log", "entity_type = 'mentor_application'"), 0);

  // Several problems at once are all shown.
  http::Response many = post("trainee", "/mentor/apply",
                             form_of("trainee", "/mentor/apply",
                                     answers({{"motivation", ""}, {"capacity", "12"}, {"declaration", "<none>"}})));
  ASSERT_EQ(many.status, 400) << many.body;
  for (const char* id : {"field-motivation-error", "field-capacity-error", "field-declaration-error"})
    EXPECT_TRUE(contains(many.body, std::string("id=\"") + id + "\"")) << id;
  EXPECT_EQ(count("mentor_applications"), 0);

  // The corrected form, sent from the page drawn with errors, goes through.
  Form corrected{{"csrf_token", testing::hidden_value(many.body, "csrf_token")},
                 {"form_token", testing::hidden_value(many.body, "form_token")}};
  for (const auto& f : answers()) corrected.push_back(f);
  EXPECT_EQ(post("trainee", "/mentor/apply", corrected).status, 303);
  EXPECT_EQ(count("mentor_applications", "status = 'pending'"), 1);
}

TEST_F(MentorApplicationPagesTest, StaffApproveOneWhichEnrolsTheMentorAndDeclineAnotherWithAReason) {
  const std::int64_t aisha = apply_as("trainee");
  const std::int64_t ben = apply_as("other");
  ASSERT_GT(aisha, 0);
  ASSERT_GT(ben, 0);

  http::Response list = get("admin", "/staff/mentor-applications");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_GOOD_PAGE(list);
  EXPECT_TRUE(contains(list.body, "Waiting for a decision (2)"));
  const std::string card = card_of(list.body, aisha);
  EXPECT_TRUE(contains(card, "Dr Aisha Okafor"));
  EXPECT_TRUE(contains(card, "August intake"));
  EXPECT_TRUE(contains(card, "I was mentored as an FY1 and want to give that back."));
  EXPECT_TRUE(contains(card, "exams, less than full time training"));
  EXPECT_TRUE(contains(card, "Weekday evenings, remote"));
  EXPECT_TRUE(contains(card, "id=\"approve-" + std::to_string(aisha) + "\""));
  EXPECT_TRUE(contains(card, "<label class=\"nhsuk-label\" for=\"reason-" + std::to_string(aisha) + "\">"));
  EXPECT_TRUE(contains(card_of(list.body, ben), "Dr Ben Hughes"));

  // Approve Aisha: she becomes a mentor in the cohort.
  http::Response approved = post("admin", decide_path(aisha, "approve"), staff_form(aisha));
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(approved.header("Location"), "/staff/mentor-applications?saved=approved");
  core::MentorApplication a = application(aisha);
  EXPECT_EQ(a.status, core::ApplicationStatus::kApproved);
  EXPECT_EQ(a.decided_by, accounts_["admin"]);
  ASSERT_TRUE(a.enrolmentid.has_value());
  EXPECT_EQ(active_mentor_enrolments("trainee"), 1);
  EXPECT_EQ(count("enrolments", "role = 'mentor' AND status = 'active' AND id = " + std::to_string(*a.enrolmentid)), 1);

  http::Response after = get("admin", "/staff/mentor-applications?saved=approved");
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_GOOD_PAGE(after);
  EXPECT_TRUE(contains(after.body, "The application was approved and the person added as a mentor."));
  EXPECT_TRUE(contains(after.body, "Waiting for a decision (1)"));
  EXPECT_TRUE(card_of(after.body, aisha).empty());

  // Declining needs a reason: drawn again with the error next to the field.
  http::Response no_reason = post("admin", decide_path(ben, "decline"), staff_form(ben, {{"reason", "   "}}));
  ASSERT_EQ(no_reason.status, 400) << no_reason.body;
  EXPECT_GOOD_PAGE(no_reason);
  const std::string reason_id = "reason-" + std::to_string(ben);
  EXPECT_TRUE(
      contains(no_reason.body, "<a href=\"#" + reason_id + "\">Give the applicant a reason for declining.</a>"));
  const std::string ben_card = card_of(no_reason.body, ben);
  EXPECT_TRUE(contains(ben_card, "id=\"" + reason_id + "-error\""));
  EXPECT_TRUE(contains(ben_card, "aria-describedby=\"" + reason_id + "-hint " + reason_id + "-error\""));
  EXPECT_TRUE(contains(ben_card, "nhsuk-form-group--error"));
  EXPECT_EQ(application(ben).status, core::ApplicationStatus::kPending);

  http::Response declined =
      post("admin", decide_path(ben, "decline"), staff_form(ben, {{"reason", "This cohort has enough mentors."}}));
  ASSERT_EQ(declined.status, 303) << declined.body;
  EXPECT_EQ(declined.header("Location"), "/staff/mentor-applications?saved=declined");
  core::MentorApplication b = application(ben);
  EXPECT_EQ(b.status, core::ApplicationStatus::kDeclined);
  EXPECT_EQ(b.decision_reason, "This cohort has enough mentors.");
  EXPECT_EQ(active_mentor_enrolments("other"), 0);

  // Every application, decided ones with their status in words.
  http::Response all = get("admin", "/staff/mentor-applications?status=all");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_GOOD_PAGE(all);
  EXPECT_TRUE(contains(card_of(all.body, aisha), ">Approved</strong>"));
  EXPECT_TRUE(contains(card_of(all.body, ben), ">Declined</strong>"));
  EXPECT_TRUE(contains(card_of(all.body, ben), "This cohort has enough mentors."));
  EXPECT_FALSE(contains(card_of(all.body, ben), "id=\"decline-"));

  // Each applicant sees the decision on their own page.
  http::Response hers = get("trainee", "/mentor/applications");
  ASSERT_EQ(hers.status, 200) << hers.body;
  EXPECT_GOOD_PAGE(hers);
  EXPECT_TRUE(contains(hers.body, "<strong class=\"nhsuk-tag nhsuk-tag--green\">Approved</strong>"));
  EXPECT_TRUE(contains(hers.body, "Decided on 2026-05-28"));
  EXPECT_TRUE(contains(hers.body, "You are now a mentor in this cohort."));
  http::Response his = get("other", "/mentor/applications");
  ASSERT_EQ(his.status, 200) << his.body;
  EXPECT_GOOD_PAGE(his);
  EXPECT_TRUE(contains(his.body, "<strong class=\"nhsuk-tag nhsuk-tag--red\">Declined</strong>"));
  EXPECT_TRUE(contains(his.body, "Reason given: This cohort has enough mentors."));

  // A mentor now, Aisha is offered no cohort to apply to.
  http::Response closed = get("trainee", "/mentor/apply");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_GOOD_PAGE(closed);
  EXPECT_TRUE(contains(closed.body, "id=\"mentor-apply-closed\""));
  EXPECT_FALSE(contains(closed.body, "id=\"apply\""));
}

TEST_F(MentorApplicationPagesTest, AnApprovalTheRulesRefuseStaysPendingAndStaffSeeWhyInWords) {
  ASSERT_NO_FATAL_FAILURE(mentors_from_st3());
  const std::int64_t id = apply_as("trainee");  // no mentor profile
  ASSERT_GT(id, 0);
  http::Response refused = post("admin", decide_path(id, "approve"), staff_form(id));
  ASSERT_EQ(refused.status, 303) << refused.body;
  EXPECT_EQ(refused.header("Location"), "/staff/mentor-applications?saved=refused");
  core::MentorApplication a = application(id);
  EXPECT_EQ(a.status, core::ApplicationStatus::kPending);
  EXPECT_EQ(a.approval_error_reason, "mentor_profile_required");
  EXPECT_EQ(active_mentor_enrolments("trainee"), 0);

  http::Response page = get("admin", "/staff/mentor-applications?saved=refused");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_GOOD_PAGE(page);
  EXPECT_TRUE(contains(page.body, "The person could not be added as a mentor."));
  const std::string card = card_of(page.body, id);
  const auto warning = card.find("id=\"approval-error-" + std::to_string(id) + "\"");
  ASSERT_NE(warning, std::string::npos) << card;
  const std::string callout = card.substr(warning, card.find("</div>", warning) - warning);
  // Worded for staff, not for the applicant.
  EXPECT_TRUE(contains(callout, "Could not be added as a mentor"));
  EXPECT_TRUE(contains(callout, "The applicant has not filled in a mentor profile")) << callout;
  EXPECT_FALSE(contains(callout, "your mentor profile"));
  EXPECT_FALSE(contains(callout, "mentor_profile_required"));
  // Still pending: it can be approved or declined.
  EXPECT_TRUE(contains(card, "id=\"approve-" + std::to_string(id) + "\""));
  // The applicant sees what holds it up, worded for them.
  http::Response mine = get("trainee", "/mentor/applications");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_GOOD_PAGE(mine);
  const auto held = mine.body.find("id=\"approval-error-" + std::to_string(id) + "\"");
  ASSERT_NE(held, std::string::npos) << mine.body;
  EXPECT_TRUE(contains(mine.body.substr(held, 300), "complete your mentor profile"));

  // Once the rule is lifted the same application can be approved.
  auto rules = eligibility_->get(scheme_);
  ASSERT_TRUE(rules.is_ok());
  core::SchemeEligibility r = *rules;
  r.mentors.minimum_stage.reset();
  ASSERT_TRUE(eligibility_->save(r).is_ok());
  http::Response approved = post("admin", decide_path(id, "approve"), staff_form(id));
  ASSERT_EQ(approved.status, 303) << approved.body;
  EXPECT_EQ(approved.header("Location"), "/staff/mentor-applications?saved=approved");
  EXPECT_EQ(application(id).status, core::ApplicationStatus::kApproved);
  EXPECT_EQ(active_mentor_enrolments("trainee"), 1);
}

TEST_F(MentorApplicationPagesTest, ATraineeWithoutTheStaffCapabilityIsRefused) {
  const std::int64_t id = apply_as("other");
  ASSERT_GT(id, 0);
  http::Response page = get("trainee", "/staff/mentor-applications");
  EXPECT_EQ(page.status, 403) << page.body;
  EXPECT_GOOD_PAGE(page);
  EXPECT_FALSE(contains(page.body, "Dr Ben Hughes"));
  // Their own session's tokens do not let them decide either.
  Form own = form_of("trainee", "/mentor/apply", {});
  http::Response approve = post("trainee", decide_path(id, "approve"), own);
  EXPECT_EQ(approve.status, 403) << approve.body;
  EXPECT_GOOD_PAGE(approve);
  Form decline = own;
  decline.emplace_back("reason", "No.");
  EXPECT_EQ(post("trainee", decide_path(id, "decline"), decline).status, 403);
  Form settings = own;
  settings.emplace_back("approval_required", "no");
  EXPECT_EQ(post("trainee", "/staff/mentor-applications/settings", settings).status, 403);
  EXPECT_EQ(application(id).status, core::ApplicationStatus::kPending);
  EXPECT_EQ(count("enrolments", "role = 'mentor'"), 0);
  auto s = recruitment_->settings(scheme_);
  ASSERT_TRUE(s.is_ok());
  EXPECT_TRUE(s->approval_required);
  // Not signed in at all.
  EXPECT_EQ(get("", "/mentor/apply").status, 401);
  EXPECT_EQ(get("", "/staff/mentor-applications").status, 401);
}

TEST_F(MentorApplicationPagesTest, AFormWithABadCsrfTokenChangesNothing) {
  Form apply = form_of("trainee", "/mentor/apply", answers());
  apply[0].second = "not-the-token";
  http::Response r = post("trainee", "/mentor/apply", apply);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_GOOD_PAGE(r);
  Form none = form_of("trainee", "/mentor/apply", answers());
  none.erase(none.begin());
  EXPECT_EQ(post("trainee", "/mentor/apply", none).status, 403);
  EXPECT_EQ(count("mentor_applications"), 0);

  const std::int64_t id = apply_as("trainee");
  ASSERT_GT(id, 0);
  // Another person's CSRF token is no better.
  Form approve = staff_form(id);
  approve[0].second = testing::hidden_value(get("other", "/mentor/apply").body, "csrf_token");
  ASSERT_FALSE(approve[0].second.empty());
  EXPECT_EQ(post("admin", decide_path(id, "approve"), approve).status, 403);
  Form decline = staff_form(id, {{"reason", "This cohort has enough mentors."}});
  decline[0].second = "forged";
  EXPECT_EQ(post("admin", decide_path(id, "decline"), decline).status, 403);
  Form settings = form_of("admin", "/staff/mentor-applications", {{"approval_required", "no"}});
  settings[0].second = "forged";
  EXPECT_EQ(post("admin", "/staff/mentor-applications/settings", settings).status, 403);
  EXPECT_EQ(application(id).status, core::ApplicationStatus::kPending);
  EXPECT_EQ(active_mentor_enrolments("trainee"), 0);
  EXPECT_TRUE(recruitment_->settings(scheme_)->approval_required);
  EXPECT_EQ(count("audit_log", "entity_type = 'mentor_application' AND action = 'update'"), 0);
}

TEST_F(MentorApplicationPagesTest, AFormSentTwiceTakesEffectOnce) {
  Form apply = form_of("trainee", "/mentor/apply", answers());
  Form second_tab = form_of("trainee", "/mentor/apply", answers());
  ASSERT_EQ(post("trainee", "/mentor/apply", apply).status, 303);
  http::Response again = post("trainee", "/mentor/apply", apply);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_GOOD_PAGE(again);
  EXPECT_EQ(count("mentor_applications"), 1);
  auto mine = recruitment_->mine(accounts_["trainee"]);
  ASSERT_TRUE(mine.is_ok());
  ASSERT_EQ(mine->size(), 1u);
  const std::int64_t id = mine->front().id;

  // The same answers sent from a second tab are refused: one is waiting already.
  ASSERT_NE(second_tab[1].second, apply[1].second);
  http::Response pending_already = post("trainee", "/mentor/apply", second_tab);
  EXPECT_EQ(pending_already.status, 400) << pending_already.body;
  EXPECT_GOOD_PAGE(pending_already);
  EXPECT_TRUE(contains(pending_already.body,
                       "<a href=\"#mentor-apply-pending\">You have already applied to mentor "
                       "in this cohort"));
  EXPECT_TRUE(contains(pending_already.body, "id=\"mentor-apply-pending\""));
  EXPECT_EQ(count("mentor_applications"), 1);

  Form approve = staff_form(id);
  ASSERT_EQ(post("admin", decide_path(id, "approve"), approve).status, 303);
  EXPECT_EQ(post("admin", decide_path(id, "approve"), approve).status, 409);
  EXPECT_EQ(active_mentor_enrolments("trainee"), 1);
  EXPECT_EQ(count("audit_log", "entity_type = 'mentor_application' AND summary = 'mentor application approved'"), 1);

  const std::int64_t other = apply_as("other");
  Form decline = staff_form(other, {{"reason", "This cohort has enough mentors."}});
  ASSERT_EQ(post("admin", decide_path(other, "decline"), decline).status, 303);
  EXPECT_EQ(post("admin", decide_path(other, "decline"), decline).status, 409);
  EXPECT_EQ(count("audit_log", "entity_type = 'mentor_application' AND summary = 'mentor application declined'"), 1);
}

TEST_F(MentorApplicationPagesTest, WithApprovalOffApplyingEnrolsAtOnce) {
  http::Response saved = post("admin", "/staff/mentor-applications/settings",
                              form_of("admin", "/staff/mentor-applications", {{"approval_required", "no"}}));
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(saved.header("Location"), "/staff/mentor-applications?saved=settings");
  EXPECT_FALSE(recruitment_->settings(scheme_)->approval_required);
  http::Response staff = get("admin", "/staff/mentor-applications?saved=settings");
  EXPECT_GOOD_PAGE(staff);
  EXPECT_TRUE(contains(staff.body,
                       "id=\"approval_required-no\" name=\"approval_required\" type=\"radio\" value=\"no\" "
                       "checked"));
  // A choice that is neither is drawn again with the error, nothing saved.
  http::Response neither = post("admin", "/staff/mentor-applications/settings",
                                form_of("admin", "/staff/mentor-applications", {{"approval_required", "maybe"}}));
  ASSERT_EQ(neither.status, 400) << neither.body;
  EXPECT_GOOD_PAGE(neither);
  EXPECT_TRUE(contains(neither.body,
                       "<a href=\"#approval_required-yes\">Choose whether mentor applications need "
                       "approval.</a>"));
  EXPECT_TRUE(contains(neither.body, "id=\"approval_required-error\""));
  EXPECT_TRUE(contains(neither.body, "aria-describedby=\"approval_required-hint approval_required-error\""));
  EXPECT_FALSE(recruitment_->settings(scheme_)->approval_required);

  http::Response page = get("trainee", "/mentor/apply");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_GOOD_PAGE(page);
  EXPECT_TRUE(contains(page.body, "id=\"apply\">Join as a mentor</button>"));
  http::Response sent = post("trainee", "/mentor/apply", form_of("trainee", "/mentor/apply", answers()));
  ASSERT_EQ(sent.status, 303) << sent.body;
  EXPECT_EQ(sent.header("Location"), "/mentor/applications?saved=enrolled");
  EXPECT_EQ(active_mentor_enrolments("trainee"), 1);
  http::Response mine = get("trainee", "/mentor/applications?saved=enrolled");
  EXPECT_GOOD_PAGE(mine);
  EXPECT_TRUE(contains(mine.body, "You are now a mentor in the cohort you chose."));
  EXPECT_TRUE(contains(mine.body, ">Approved</strong>"));

  // The scheme's mentor rules still apply: refused next to the cohort, nothing written.
  ASSERT_NO_FATAL_FAILURE(mentors_from_st3());
  http::Response refused = post("other", "/mentor/apply", form_of("other", "/mentor/apply", answers()));
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_GOOD_PAGE(refused);
  EXPECT_TRUE(contains(refused.body, "id=\"field-cohortid-error\""));
  EXPECT_TRUE(contains(refused.body, "complete your mentor profile"));
  EXPECT_EQ(count("mentor_applications", "accountid = " + std::to_string(accounts_["other"])), 0);
  EXPECT_EQ(active_mentor_enrolments("other"), 0);
}

TEST_F(MentorApplicationPagesTest, ADecisionOnAnApplicationAlreadyDecidedChangesNothingAndSaysSo) {
  const std::int64_t id = apply_as("trainee");
  ASSERT_GT(id, 0);
  // Two pages open: the application is approved from one ...
  Form stale_approve = staff_form(id);
  Form stale_decline = staff_form(id, {{"reason", "This cohort has enough mentors."}});
  ASSERT_EQ(post("admin", decide_path(id, "approve"), staff_form(id)).status, 303);
  ASSERT_EQ(active_mentor_enrolments("trainee"), 1);
  // ... then approved or declined again from the other.
  for (const auto& [decision, form] : {std::pair{"approve", stale_approve}, std::pair{"decline", stale_decline}}) {
    SCOPED_TRACE(decision);
    http::Response r = post("admin", decide_path(id, decision), form);
    ASSERT_EQ(r.status, 303) << r.body;
    EXPECT_EQ(r.header("Location"), "/staff/mentor-applications?status=all&saved=decided");
  }
  // An empty reason for it is not drawn against a form that is no longer there.
  http::Response empty =
      post("admin", decide_path(id, "decline"), form_of("admin", "/staff/mentor-applications", {{"reason", ""}}));
  EXPECT_EQ(empty.status, 303) << empty.body;
  core::MentorApplication a = application(id);
  EXPECT_EQ(a.status, core::ApplicationStatus::kApproved);
  EXPECT_EQ(a.decision_reason, "");
  EXPECT_EQ(active_mentor_enrolments("trainee"), 1);
  EXPECT_EQ(count("audit_log", "entity_type = 'mentor_application' AND action = 'update'"), 1);

  http::Response page = get("admin", "/staff/mentor-applications?status=all&saved=decided");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_GOOD_PAGE(page);
  EXPECT_TRUE(contains(page.body, "That application had already been decided, so nothing was changed."));
  EXPECT_TRUE(contains(card_of(page.body, id), ">Approved</strong>"));

  // No such application.
  EXPECT_EQ(post("admin", decide_path(id + 100, "approve"), form_of("admin", "/staff/mentor-applications", {})).status,
            404);
  EXPECT_EQ(
      post("admin", decide_path(id + 100, "decline"), form_of("admin", "/staff/mentor-applications", {{"reason", ""}}))
          .status,
      404);
  EXPECT_EQ(post("admin", decide_path(id, "reopen"), form_of("admin", "/staff/mentor-applications", {})).status, 404);
}

}  // namespace
}  // namespace mentoring::web
