// The signed-in pages and their framework (adapters/web/pages/) over a real
// SQLite database, real sessions and a fixed clock: who may see each page,
// the CSRF and one-time form checks, what each page shows, and field errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "adapters/http/router.h"
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/portal_policy.h"
#include "adapters/web/session.h"
#include "app/jobs.h"
#include "app/relationship.h"
#include "app/scheme_setup.h"
#include "app/setup_objectives.h"
#include "app/setup_profiles.h"
#include "core/lti_capabilities.h"
#include "storage/database.h"
#include "storage/setup_soci_stores.h"
#include "tests/adapters/web/page_test_fixture.h"

namespace mentoring::web {
namespace {
namespace cap = core::capability;
using core::Status;

constexpr std::int64_t kT0 = 1780000000;  // 2026-05-28

using testing::encode_form;
using testing::Form;
using testing::hidden;

class PagesTest : public testing::PageTestFixture {
 protected:
  PagesTest() : PageTestFixture(kT0) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(open_database("mentoring-pages"));
    setup_db_ = std::make_unique<storage::SociSetupDatabase>(*db_);
    Status st = db_->transact([&](core::Stores& s) -> Status {
      MENTORING_RETURN_IF_ERROR(add_accounts(s, {{"trainee", "Dr Aisha Okafor"},
                                                 {"mentor", "Dr Ben Hughes"},
                                                 {"admin", "Priya Patel"},
                                                 {"other", "Dr Other Trainee"}}));
      MENTORING_RETURN_IF_ERROR(add_scheme(s, core::MatchingModel::kHybrid));
      MENTORING_RETURN_IF_ERROR(s.enrolments.create(cohort_, accounts_["trainee"], core::Role::kMentee, kT0).status());
      MENTORING_RETURN_IF_ERROR(s.enrolments.create(cohort_, accounts_["mentor"], core::Role::kMentor, kT0).status());
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();

    profiles_ = std::make_unique<app::ProfileService>(*setup_db_, clock_);
    schemes_ = std::make_unique<app::SchemeSetup>(*db_, clock_);
    governance_ = std::make_unique<app::GovernanceService>(*setup_db_, clock_);
    jobs_ = std::make_unique<app::JobService>(*db_, clock_);
    relationships_ = std::make_unique<app::RelationshipService>(*db_, clock_);
    PageServices services;
    services.profiles = profiles_.get();
    services.schemes = schemes_.get();
    services.governance = governance_.get();
    services.jobs = jobs_.get();
    services.relationships = relationships_.get();
    add_pages(services);

    sign_in("trainee", {std::string(cap::kMenteeParticipate)});
    sign_in("other", {std::string(cap::kMenteeParticipate)});
    sign_in("mentor", {std::string(cap::kMentorParticipate)});
    sign_in("admin",
            {std::string(cap::kSchemeManage), std::string(cap::kPairingAssign), std::string(cap::kEvaluationView)});
  }

  Form mentee_form(const std::string& goals) {
    return form_from("trainee", "/profile/mentee",
                     {{"career_stage", "fy1"},
                      {"specialty", ""},
                      {"site", "Royal Infirmary"},
                      {"region", "North West"},
                      {"goals", goals},
                      {"hopes", ""},
                      {"transition_points", "first_post"},
                      {"transition_points", "examinations"},
                      {"topics", "Exams, wellbeing , exams"},
                      {"location_preference", "local"},
                      {"meeting_mode", "virtual"},
                      {"languages", "en, CY"},
                      {"availability", "Weekday evenings"}});
  }

  std::optional<core::MenteeProfile> stored_mentee() {
    auto p = profiles_->get_mentee(accounts_["trainee"]);
    if (!p) return std::nullopt;
    return *p;
  }

  std::unique_ptr<storage::SociSetupDatabase> setup_db_;
  std::unique_ptr<app::ProfileService> profiles_;
  std::unique_ptr<app::SchemeSetup> schemes_;
  std::unique_ptr<app::GovernanceService> governance_;
  std::unique_ptr<app::JobService> jobs_;
  std::unique_ptr<app::RelationshipService> relationships_;
};

std::vector<std::string> all_get_paths(std::int64_t scheme, std::int64_t job) {
  return {"/",
          "/profile/mentee",
          "/profile/mentor",
          "/matching/choices",
          "/relationship",
          "/feedback",
          "/staff",
          "/staff/schemes/" + std::to_string(scheme),
          "/staff/schemes/" + std::to_string(scheme) + "/participants",
          "/staff/matching",
          "/staff/reports",
          "/staff/audit",
          "/staff/jobs/" + std::to_string(job)};
}

TEST_F(PagesTest, WithoutASessionEveryPageIsA401SayingToLaunchAgain) {
  auto job = jobs_->create("matching_run", accounts_["admin"], 10);
  ASSERT_TRUE(job.is_ok());
  for (const std::string& path : all_get_paths(scheme_, job->id)) {
    http::Response r = get("", path);
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_NE(r.body.find("You are not signed in to Mentoring"), std::string::npos) << path;
    EXPECT_NE(r.body.find("open Mentoring again"), std::string::npos) << path;
    EXPECT_FALSE(r.header("Content-Security-Policy").empty()) << path;
  }
  http::Response r = get("", "/?handoff=x");
  r = router_.handle(testing::get("/", {{"Cookie", "mentoring_session=" + std::string(43, 'x')}}));
  EXPECT_EQ(r.status, 401);
}

TEST_F(PagesTest, EachPageAdmitsItsRolesAndRefusesTheOthersWith403) {
  auto job = jobs_->create("matching_run", accounts_["admin"], 10);
  ASSERT_TRUE(job.is_ok());
  const std::string s = std::to_string(scheme_);
  const std::map<std::string, std::set<std::string>> allowed = {
      {"/", {"trainee", "mentor", "admin"}},
      {"/profile/mentee", {"trainee"}},
      {"/profile/mentor", {"mentor"}},
      {"/matching/choices", {"trainee"}},
      {"/relationship", {"trainee", "mentor"}},
      {"/feedback", {"trainee", "mentor"}},
      {"/staff", {"admin"}},
      {"/staff/schemes/" + s, {"admin"}},
      {"/staff/schemes/" + s + "/participants", {"admin"}},
      {"/staff/matching", {"admin"}},
      {"/staff/reports", {"admin"}},
      {"/staff/audit", {"admin"}},
  };
  for (const auto& [path, roles] : allowed) {
    for (const char* who : {"trainee", "mentor", "admin"}) {
      http::Response r = get(who, path);
      const bool ok = roles.count(who) > 0;
      EXPECT_EQ(r.status, ok ? 200 : 403) << who << " " << path;
      if (ok) {
        EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "") << who << " " << path;
        EXPECT_EQ(testing::inline_code_problems(r.body), std::vector<std::string>{}) << path;
      } else {
        EXPECT_NE(r.body.find("You do not have permission to see this page"), std::string::npos) << path;
      }
      EXPECT_EQ(r.header("Cache-Control"), "no-store") << path;
    }
  }
}

TEST_F(PagesTest, TheForbiddenPageSaysWhichPermissionIsMissing) {
  http::Response r = get("trainee", "/staff/audit");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("people who can manage mentoring schemes"), std::string::npos) << r.body;
  r = get("admin", "/profile/mentee");
  EXPECT_NE(r.body.find("take part in mentoring as a mentee"), std::string::npos);
  r = get("trainee", "/staff");
  EXPECT_NE(r.body.find("manage mentoring schemes or assign mentors to mentees or see evaluation reports"),
            std::string::npos);
}

TEST_F(PagesTest, HomeShowsTheSchemeTheStatusAndTheNextStep) {
  http::Response r = get("trainee", "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"signed-in\">You are signed in as Dr Aisha Okafor."), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("id=\"role\">Mentee<"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"scheme\">FY1 North West<"), std::string::npos);
  EXPECT_NE(r.body.find("August intake: Mentee <strong class=\"nhsuk-tag nhsuk-tag--green\">Active</strong>"),
            std::string::npos);
  EXPECT_NE(r.body.find("Complete your mentee profile"), std::string::npos);
  EXPECT_EQ(r.body.find("nhsuk-header"), std::string::npos) << "no NHS header inside the portal";
  EXPECT_EQ(r.body.find("id=\"new-window\""), std::string::npos);

  // With a profile saved, the next step moves on.
  ASSERT_EQ(post("trainee", "/profile/mentee", mentee_form("Preparing for my first post as a doctor.")).status, 303);
  r = get("trainee", "/?saved=mentee_profile");
  EXPECT_NE(r.body.find("Your mentee profile has been saved."), std::string::npos);
  EXPECT_NE(r.body.find("You are enrolled."), std::string::npos);
  EXPECT_EQ(r.body.find("Complete your mentee profile"), std::string::npos);

  r = get("admin", "/");
  EXPECT_NE(r.body.find("id=\"role\">Scheme staff<"), std::string::npos);
  EXPECT_NE(r.body.find("You are not enrolled"), std::string::npos);
}

TEST_F(PagesTest, HomeOffersTheNewWindowLinkOfTheLaunchHandoff) {
  const std::string token(43, 'h');
  http::Response r = get("mentor", "/?handoff=" + token);
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("id=\"new-window\" href=\"/lti/handoff?token=" + token + "\" target=\"_blank\""),
            std::string::npos)
      << r.body;
  // Anything that is not a token is not echoed into a link.
  r = get("mentor", "/?handoff=%22%3E%3Cscript%3E");
  EXPECT_EQ(r.body.find("new-window"), std::string::npos);
}

TEST_F(PagesTest, AMenteeProfileIsSavedThroughTheProfileService) {
  http::Response r = post("trainee", "/profile/mentee", mentee_form("Preparing for my first post as a doctor."));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/?saved=mentee_profile");
  auto p = stored_mentee();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->career_stage, core::CareerStage::kFy1);
  EXPECT_EQ(p->site, "Royal Infirmary");
  EXPECT_EQ(p->topics, (std::vector<std::string>{"exams", "wellbeing"}));
  EXPECT_EQ(p->languages, (std::vector<std::string>{"en", "cy"}));
  EXPECT_EQ(p->transition_points, (std::vector<core::TransitionPoint>{core::TransitionPoint::kFirstPost,
                                                                      core::TransitionPoint::kExaminations}));
  EXPECT_EQ(p->location_preference, core::LocationPreference::kLocal);
  EXPECT_EQ(p->meeting_mode, core::MeetingMode::kVirtual);
  // The form shows what was saved.
  r = get("trainee", "/profile/mentee");
  EXPECT_NE(r.body.find("value=\"exams, wellbeing\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"first_post\" checked"), std::string::npos);
  EXPECT_NE(r.body.find("<option value=\"fy1\" selected>"), std::string::npos);
}

TEST_F(PagesTest, FieldErrorsAreShownNextToTheirFieldsAndInTheSummary) {
  Form f = mentee_form("Too short");
  for (auto& [k, v] : f)
    if (k == "career_stage") v = "registrar";
  http::Response r = post("trainee", "/profile/mentee", f);
  ASSERT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("<title>Error: Your mentee profile"), std::string::npos);
  EXPECT_NE(r.body.find("class=\"nhsuk-error-summary\""), std::string::npos);
  EXPECT_NE(r.body.find("<li><a href=\"#field-career_stage\">Select your career stage</a></li>"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("<li><a href=\"#field-goals\">What you want to work on must be at least 20 characters</a>"),
            std::string::npos);
  EXPECT_NE(r.body.find("id=\"field-goals-error\""), std::string::npos);
  EXPECT_NE(r.body.find("aria-describedby=\"field-goals-hint field-goals-error\""), std::string::npos);
  EXPECT_NE(r.body.find("nhsuk-form-group nhsuk-form-group--error"), std::string::npos);
  // What was typed is kept, and a fresh form token lets the corrected form be sent.
  EXPECT_NE(r.body.find(">Too short</textarea>"), std::string::npos);
  EXPECT_NE(hidden(r.body, "form_token"), hidden(encode_form(f), "form_token"));
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
  EXPECT_FALSE(stored_mentee().has_value());
}

TEST_F(PagesTest, AMentorProfileRefusesABadCapacityAndKeepsTheOtherErrors) {
  Form f = form_from("mentor", "/profile/mentor",
                   {{"career_stage", "consultant"}, {"capacity", "40"}, {"away_until", "31/03/2027"}, {"bio", ""}});
  http::Response r = post("mentor", "/profile/mentor", f);
  ASSERT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("id=\"field-capacity-error\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"field-away_until-error\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"field-bio-error\""), std::string::npos) << r.body;
  EXPECT_FALSE(profiles_->get_mentor(accounts_["mentor"]).is_ok());

  f = form_from("mentor", "/profile/mentor",
              {{"career_stage", "consultant"},
               {"capacity", "2"},
               {"away_until", ""},
               {"expertise_areas", "Portfolio, research"},
               {"bio", "Acute physician who enjoys teaching."}});
  r = post("mentor", "/profile/mentor", f);
  ASSERT_EQ(r.status, 303) << r.body;
  auto saved = profiles_->get_mentor(accounts_["mentor"]);
  ASSERT_TRUE(saved.is_ok());
  EXPECT_EQ(saved->capacity, 2);
  EXPECT_EQ(saved->expertise_areas, (std::vector<std::string>{"portfolio", "research"}));
}

TEST_F(PagesTest, AFormWithoutTheRightCsrfTokenChangesNothing) {
  Form good = mentee_form("Preparing for my first post as a doctor.");
  for (const std::string& bad : {std::string(), std::string(43, 'A'), std::string("x")}) {
    Form f = good;
    f[0].second = bad;
    http::Response r = post("trainee", "/profile/mentee", f);
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("The form expired"), std::string::npos);
  }
  // Another person's token does not do either.
  Form theirs = good;
  theirs[0].second = hidden(get("other", "/profile/mentee").body, "csrf_token");
  EXPECT_EQ(post("trainee", "/profile/mentee", theirs).status, 403);
  // Nor does the right token in the query string.
  Form no_field(good.begin() + 1, good.end());
  EXPECT_EQ(post("trainee", "/profile/mentee?csrf_token=" + good[0].second, no_field).status, 403);
  EXPECT_FALSE(stored_mentee().has_value());
  // The same form with its token is accepted.
  EXPECT_EQ(post("trainee", "/profile/mentee", good).status, 303);
}

TEST_F(PagesTest, AFormSentTwiceTakesEffectOnce) {
  Form first = mentee_form("Preparing for my first post as a doctor.");
  ASSERT_EQ(post("trainee", "/profile/mentee", first).status, 303);
  const core::UnixSeconds saved_at = stored_mentee()->timemodified;
  clock_.advance_ms(60000);
  Form again = first;
  for (auto& [k, v] : again)
    if (k == "goals") v = "A different aim, sent with the same form.";
  http::Response r = post("trainee", "/profile/mentee", again);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("This form was already sent"), std::string::npos);
  EXPECT_EQ(stored_mentee()->goals, "Preparing for my first post as a doctor.");
  EXPECT_EQ(stored_mentee()->timemodified, saved_at);
  // Without a form token there is no effect either.
  Form tokenless;
  for (const auto& kv : again)
    if (kv.first != "form_token") tokenless.push_back(kv);
  EXPECT_EQ(post("trainee", "/profile/mentee", tokenless).status, 400);
  EXPECT_EQ(stored_mentee()->goals, "Preparing for my first post as a doctor.");
}

TEST_F(PagesTest, SchemeSettingsAreEditedThroughSchemeSetup) {
  const std::string path = "/staff/schemes/" + std::to_string(scheme_);
  http::Response page = get("admin", path);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"FY1 North West\""), std::string::npos);
  EXPECT_NE(page.body.find("value=\"near_peer\" checked"), std::string::npos);
  // A pilot with nothing of its business-as-usual plan recorded cannot
  // leave its pilot from the settings either: the refusal says why and
  // nothing is saved.
  Form f = form_from("admin", path,
                     {{"name", "FY1 North West (2026)"},
                      {"type", "traditional"},
                      {"aims", "New aims."},
                      {"phase", "business_as_usual"}});
  http::Response r = post("admin", path, f);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("The scheme is not ready for business-as-usual"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Nothing was changed."), std::string::npos);
  EXPECT_EQ(schemes_->get(scheme_)->name, "FY1 North West");
  EXPECT_EQ(schemes_->get(scheme_)->phase, core::SchemePhase::kPilot);

  f = form_from("admin", path,
                {{"name", "FY1 North West (2026)"}, {"type", "traditional"}, {"aims", "New aims."}, {"phase", "pilot"}});
  r = post("admin", path, f);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), path + "?saved=1");
  auto s = schemes_->get(scheme_);
  EXPECT_EQ(s->name, "FY1 North West (2026)");
  EXPECT_EQ(s->type, core::SchemeType::kTraditional);
  EXPECT_EQ(s->phase, core::SchemePhase::kPilot);

  f = form_from("admin", path, {{"name", ""}, {"type", "sideways"}, {"aims", ""}, {"phase", "pilot"}});
  r = post("admin", path, f);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("id=\"field-name-error\""), std::string::npos);
  EXPECT_NE(r.body.find("Select the type of scheme"), std::string::npos);
  EXPECT_EQ(schemes_->get(scheme_)->name, "FY1 North West (2026)");
  EXPECT_EQ(get("admin", "/staff/schemes/999").status, 404);
  EXPECT_EQ(get("admin", "/staff/schemes/abc").status, 404);
}

TEST_F(PagesTest, TheDashboardShowsGovernanceGapsAndPeoplePerCohort) {
  http::Response r = get("admin", "/staff");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("nhsuk-warning-callout"), std::string::npos);
  EXPECT_NE(r.body.find("Nobody is responsible for funding and procurement."), std::string::npos);
  std::regex row(R"(August intake</td>\s*<td[^>]*>Hybrid</td>\s*<td[^>]*>1</td>\s*<td[^>]*>1</td>)");
  EXPECT_TRUE(std::regex_search(r.body, row)) << r.body;
}

TEST_F(PagesTest, ParticipantsArePagedWithTheirNames) {
  ASSERT_TRUE(
      db_->transact([&](core::Stores& s) -> Status {
           for (int i = 0; i < 28; ++i) {
             auto a = s.accounts.upsert(
                 {"https://portal.example.nhs.uk", "p" + std::to_string(i), "Dr Person " + std::to_string(i), ""}, kT0);
             if (!a) return a.status();
             MENTORING_RETURN_IF_ERROR(s.enrolments.create(cohort_, a->id, core::Role::kMentee, kT0).status());
           }
           return Status::ok();
         })
          .is_ok());
  const std::string base = "/staff/schemes/" + std::to_string(scheme_) + "/participants";
  http::Response one = get("admin", base);
  ASSERT_EQ(one.status, 200);
  EXPECT_NE(one.body.find("August intake: 30 people"), std::string::npos);
  EXPECT_NE(one.body.find("Dr Aisha Okafor"), std::string::npos);
  EXPECT_NE(one.body.find("Page 1 of 2"), std::string::npos);
  EXPECT_NE(one.body.find("page=2\" rel=\"next\""), std::string::npos);
  http::Response two = get("admin", base + "?cohort=" + std::to_string(cohort_) + "&page=2");
  ASSERT_EQ(two.status, 200);
  const auto rows = [](const std::string& html) {
    std::size_t n = 0;
    for (std::size_t at = html.find("<tr class=\"nhsuk-table__row\">"); at != std::string::npos;
         at = html.find("<tr class=\"nhsuk-table__row\">", at + 1))
      ++n;
    return n - 1;  // the header row
  };
  EXPECT_EQ(rows(one.body), 25u);
  EXPECT_EQ(rows(two.body), 5u);
  EXPECT_NE(two.body.find("rel=\"prev\""), std::string::npos);
  EXPECT_EQ(get("admin", base + "?page=0").status, 400);
  EXPECT_EQ(get("admin", base + "?cohort=9999").status, 404);
}

TEST_F(PagesTest, JobProgressIsShownToItsOwnerAndStaffOnly) {
  auto job = jobs_->create("roster_import", accounts_["trainee"], 40, "Reading the roster");
  ASSERT_TRUE(job.is_ok());
  clock_.advance_ms(10000);
  ASSERT_TRUE(jobs_->progress(job->id, 10, 40).is_ok());
  const std::string id = std::to_string(job->id);

  http::Response api = get("trainee", "/api/v1/jobs/" + id);
  ASSERT_EQ(api.status, 200) << api.body;
  auto v = boost::json::parse(api.body).as_object();
  EXPECT_EQ(v["value"].as_int64(), 10);
  EXPECT_EQ(v["max"].as_int64(), 40);
  EXPECT_EQ(v["percent"].as_int64(), 25);
  EXPECT_EQ(v["state"].as_string(), "running");
  EXPECT_EQ(v["done"].as_bool(), false);
  EXPECT_EQ(v["remaining_seconds"].as_int64(), 30);  // 10 in 10 s, 30 to go
  EXPECT_EQ(v["message"].as_string(), "Reading the roster");
  EXPECT_EQ(get("admin", "/api/v1/jobs/" + id).status, 200);
  EXPECT_EQ(get("other", "/api/v1/jobs/" + id).status, 404);
  EXPECT_EQ(get("mentor", "/api/v1/jobs/" + id).status, 404);
  EXPECT_EQ(get("", "/api/v1/jobs/" + id).status, 401);
  EXPECT_EQ(get("admin", "/api/v1/jobs/99999").status, 404);

  http::Response page = get("trainee", "/staff/jobs/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<progress class=\"app-progress\" id=\"job-progress\" value=\"10\" max=\"40\">"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("<label class=\"nhsuk-label\" for=\"job-progress\">"), std::string::npos);
  EXPECT_NE(page.body.find("data-progress-url=\"/api/v1/jobs/" + id + "\""), std::string::npos);
  EXPECT_NE(page.body.find("10 of 40 done (25%). About 30 seconds left."), std::string::npos);
  EXPECT_NE(page.body.find("id=\"refresh\""), std::string::npos);
  EXPECT_EQ(testing::page_check_report(page.body, renderer_.asset_base()), "");
  EXPECT_EQ(get("other", "/staff/jobs/" + id).status, 404);

  ASSERT_TRUE(jobs_->finish(job->id, "Imported 40 people").is_ok());
  page = get("trainee", "/staff/jobs/" + id);
  EXPECT_EQ(page.body.find("id=\"refresh\""), std::string::npos);
  EXPECT_NE(page.body.find("Imported 40 people"), std::string::npos);
  // A finished job is not polled (the script would reload the page for ever).
  EXPECT_EQ(page.body.find("data-progress-url"), std::string::npos);
}

TEST_F(PagesTest, ThePagesUseTheBasePathAndTheConfiguredHeader) {
  Renderer mounted(Strings::english(), RendererOptions{"/mentoring"});
  PageChrome chrome;
  chrome.show_nhs_header = true;
  PageContext ctx{mounted, policy_, *sessions_, *db_, clock_, chrome, {}};
  http::Router router;
  add_signed_in_pages(router, ctx);
  http::Response r = router.handle(testing::get("/", {{"Cookie", "mentoring_session=" + tokens_["trainee"]}}));
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("href=\"/mentoring/profile/mentee\""), std::string::npos);
  EXPECT_NE(r.body.find("nhsuk-header"), std::string::npos);
  EXPECT_EQ(r.body.find("href=\"/profile/"), std::string::npos);
  // A page whose use case is not wired answers 503 rather than crash.
  r = router.handle(testing::get("/profile/mentee", {{"Cookie", "mentoring_session=" + tokens_["trainee"]}}));
  EXPECT_EQ(r.status, 503);
}

// --- JobService --------------------------------------------------------------

TEST_F(PagesTest, JobServiceReportsProgressFinishesAndRefusesChangesAfterwards) {
  auto job = jobs_->create("matching_run", accounts_["admin"], 0);
  ASSERT_TRUE(job.is_ok());
  EXPECT_EQ(job->state, core::JobState::kQueued);
  EXPECT_EQ(jobs_->progress(job->id, 5, 4).status().reason(), "job_progress_invalid");
  auto p = jobs_->progress(job->id, 1, 4, "Scoring");
  ASSERT_TRUE(p.is_ok());
  EXPECT_EQ(p->state, core::JobState::kRunning);
  EXPECT_EQ(jobs_->progress(job->id, 2, 4)->message, "Scoring");  // an empty message keeps the last
  clock_.advance_ms(2000);
  auto f = jobs_->fail(job->id, "The cohort has no mentors");
  ASSERT_TRUE(f.is_ok());
  EXPECT_EQ(f->done, 2);
  EXPECT_EQ(*f->finished_ms, kT0 * 1000 + 2000);
  EXPECT_EQ(jobs_->progress(job->id, 3, 4).status().reason(), "job_finished");
  EXPECT_EQ(jobs_->finish(job->id).status().reason(), "job_finished");
  EXPECT_EQ(jobs_->get(job->id)->job.state, core::JobState::kFailed);
  EXPECT_EQ(jobs_->get(424242).status().reason(), "job_not_found");
  EXPECT_EQ(jobs_->create("Bad Kind", accounts_["admin"], 1).status().reason(), "job_kind_invalid");
  EXPECT_EQ(jobs_->create("matching_run", 999999, 1).status().reason(), "account_not_found");
}

TEST_F(PagesTest, JobServiceTakesReportsFromSeveralThreadsAtOnce) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(jobs_->create("matching_run", accounts_["admin"], 50)->id);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (std::int64_t id : ids)
    threads.emplace_back([&, id] {
      for (int done = 1; done <= 50; ++done)
        if (!jobs_->progress(id, done, 50).is_ok()) ++failures;
      if (!jobs_->finish(id).is_ok()) ++failures;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  for (std::int64_t id : ids) {
    auto v = jobs_->get(id);
    EXPECT_EQ(v->job.state, core::JobState::kSucceeded);
    EXPECT_EQ(v->job.done, 50);
    EXPECT_EQ(v->percent, 100);
  }
}

// --- the framework's parts ---------------------------------------------------

TEST(FormViewTest, AnErrorForAnUnknownFieldIsListedAndLinkedToTheFirstField) {
  FormView f(Strings::english());
  f.text("a", "page:field_site", "", "x");
  f.radios("b", "page:field_meeting_mode", "", {{"one", "One"}, {"two", "Two"}}, "two");
  f.set_error("b", "Pick one");
  f.set_error("b", "A second message is not shown");
  f.set_error("zzz", "Something else");
  ASSERT_TRUE(f.has_errors());
  auto errors = f.errors();
  ASSERT_TRUE(errors.is_list());
  const auto& list = errors.list_value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].get("anchor")->string_value(), "field-b-1");
  EXPECT_EQ(list[1].get("anchor")->string_value(), "field-a");
}

TEST(FormViewTest, CommaListsAreSplitAndTrimmed) {
  EXPECT_EQ(split_commas(" a, b ,,c "), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_commas(""), std::vector<std::string>{});
  EXPECT_EQ(join_commas({"a", "b"}), "a, b");
}

TEST_F(PagesTest, TheFramePolicyFollowsTheRegisteredPortalsAfterTheCacheTime) {
  PortalPolicyCache cache(*db_, clock_, SecurityPolicy{{"https://static.example.ac.uk"}}, 10);
  EXPECT_EQ(cache.current().portal_origins,
            (std::vector<std::string>{"https://static.example.ac.uk", "https://portal.example.nhs.uk"}));
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   return s.lti
                       .upsert_platform({"https://Moodle.Example.ac.uk:443", "c2", "https://login.example.ac.uk/auth",
                                         "", "https://login.example.ac.uk/jwks", ""},
                                        {"d"}, kT0)
                       .status();
                 })
                  .is_ok());
  EXPECT_EQ(cache.current().portal_origins.size(), 2u) << "cached";
  clock_.advance_ms(10000);
  EXPECT_EQ(cache.current().portal_origins,
            (std::vector<std::string>{"https://static.example.ac.uk", "https://portal.example.nhs.uk",
                                      "https://moodle.example.ac.uk", "https://login.example.ac.uk"}));
  const std::string csp = cache.current().content_security_policy();
  EXPECT_NE(csp.find("frame-ancestors 'self' https://static.example.ac.uk https://portal.example.nhs.uk "
                     "https://moodle.example.ac.uk https://login.example.ac.uk"),
            std::string::npos)
      << csp;
}

}  // namespace
}  // namespace mentoring::web
