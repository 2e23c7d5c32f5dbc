// The concern pages (concern_pages.cc) and the feedback pages
// (feedback_pages.cc) over a real SQLite database and real sessions: a
// trainee raises a concern that only they and the point of contact can
// read, the point of contact acts on it, and the trainee answers a check-in
// and a survey and sees what they answered.
#include "app/checkins.h"
#include "app/concerns.h"
#include "app/survey.h"
#include "core/audit_stores.h"
#include "core/concern_stores.h"
#include "core/governance.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/aes_gcm.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web::testing {
namespace {

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

// Valid HTML with our page rules (tests/adapters/web/check_page.py).
#define EXPECT_GOOD_PAGE(res) EXPECT_EQ(testing::page_check_report((res).body, renderer_.asset_base()), "")

class ConcernFeedbackPagesTest : public SignedInFixture {
 protected:
  void SetUp() override {
    SignedInFixture::SetUp();
    if (HasFatalFailure()) return;
    // Concern text is sealed at rest; a fixed test key.
    cipher_ = std::move(storage::AesGcmCipher::from_config("1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 0)).value();
    concerns_ = std::make_unique<app::ConcernService>(*db_, clock_, *cipher_);
    checkins_ = std::make_unique<app::CheckinService>(*db_, clock_);
    surveys_ = std::make_unique<app::SurveyService>(*db_, clock_);
    ctx_->services.concerns = concerns_.get();
    ctx_->services.checkins = checkins_.get();
    ctx_->services.surveys = surveys_.get();
    // The trainee is a mentee, "other" their mentor, paired on 2026-05-28;
    // the administrator is the point of contact.
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      auto me = s.enrolments.create(cohort_, accounts_["trainee"], core::Role::kMentee, kFixtureT0);
      if (!me) return me.status();
      auto mo = s.enrolments.create(cohort_, accounts_["other"], core::Role::kMentor, kFixtureT0);
      if (!mo) return mo.status();
      auto place = s.pairings.sync_place(cohort_, mo->id, 1, kFixtureT0);
      if (!place) return place.status();
      auto p = s.pairings.create_active(core::PairingInput{cohort_, me->id, mo->id, core::PairingSource::kAssigned, std::nullopt}, kFixtureT0);
      if (!p) return p.status();
      pairing_ = p->id;
      core::GovernanceAssignment poc{0, scheme_, core::Responsibility::kDayToDayManagementAndPointOfContact,
                                     accounts_["admin"], "Director of PGME", core::ReportingCadence::kQuarterly,
                                     core::Date::from_unix(kFixtureT0).plus_days(30)};
      return s.governance.replace(scheme_, {poc}, kFixtureT0).status();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    tokens_["mentor"] = start("other", {std::string(core::capability::kMentorParticipate)});
  }
  void TearDown() override {
    concerns_.reset();
    checkins_.reset();
    surveys_.reset();
    SignedInFixture::TearDown();
  }

  std::int64_t confidential_reads() {
    std::int64_t n = 0;
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      core::AuditFilter f;
      f.entity_type = "concern";
      f.action = core::AuditAction::kConfidentialRead;
      auto c = s.audit.count(f);
      if (!c) return c.status();
      n = *c;
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return n;
  }

  std::unique_ptr<storage::AesGcmCipher> cipher_;
  std::unique_ptr<app::ConcernService> concerns_;
  std::unique_ptr<app::CheckinService> checkins_;
  std::unique_ptr<app::SurveyService> surveys_;
  std::int64_t pairing_ = 0;
};

TEST_F(ConcernFeedbackPagesTest, ATraineeRaisesAConcernOnlyThePointOfContactCanRead) {
  auto page = get("trainee", "/concerns");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(contains(page.body, "With Dr Ben Hughes, your mentor"));
  EXPECT_GOOD_PAGE(page);
  const std::string text = "We keep cancelling: my rota changed & nights clash.";
  auto sent = post("trainee", "/concerns",
                   form_of("trainee", "/concerns",
                           {{"pairingid", std::to_string(pairing_)}, {"category", "meetings"}, {"urgency", "soon"},
                            {"text", text}}));
  ASSERT_EQ(sent.status, 303) << sent.body;
  const std::string location(sent.header("Location"));
  ASSERT_TRUE(contains(location, "/concerns/")) << location;
  const std::string path = location.substr(0, location.find('?'));
  auto mine = get("trainee", location);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_TRUE(contains(mine.body, "my rota changed &amp; nights clash")) << "escaped";
  EXPECT_TRUE(contains(mine.body, "has been sent to the scheme"));
  EXPECT_GOOD_PAGE(mine);

  // The mentor it is about cannot open it; the point of contact can.
  const std::string id = path.substr(path.rfind('/') + 1);
  EXPECT_EQ(get("mentor", "/staff/concerns/" + id).status, 404);
  EXPECT_EQ(get("mentor", "/concerns/" + id).status, 404);
  auto queue = get("admin", "/staff/concerns");
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_TRUE(contains(queue.body, "Meeting each other"));
  EXPECT_FALSE(contains(queue.body, "rota changed")) << "the queue shows no text";
  EXPECT_GOOD_PAGE(queue);
  auto staff = get("admin", "/staff/concerns/" + id);
  ASSERT_EQ(staff.status, 200) << staff.body;
  EXPECT_TRUE(contains(staff.body, "rota changed"));
  EXPECT_GOOD_PAGE(staff);
  EXPECT_EQ(confidential_reads(), 2);  // the trainee's read and the point of contact's

  // An action without the note it needs is refused and changes nothing.
  auto bad = post("admin", "/staff/concerns/" + id, form_of("admin", "/staff/concerns/" + id, {{"action", "note"}}));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(contains(bad.body, "Write what was done."));
  EXPECT_GOOD_PAGE(bad);
  auto ack = post("admin", "/staff/concerns/" + id,
                  form_of("admin", "/staff/concerns/" + id, {{"action", "acknowledge"}, {"note", "Called today."}}));
  ASSERT_EQ(ack.status, 303) << ack.body;
  auto resolved = post("admin", "/staff/concerns/" + id,
                       form_of("admin", "/staff/concerns/" + id,
                               {{"action", "resolve"}, {"outcome", "rematch"}, {"note", "New mentor found."}}));
  ASSERT_EQ(resolved.status, 303) << resolved.body;
  auto after = get("trainee", path);
  EXPECT_TRUE(contains(after.body, "Pairing ended so the mentee can be matched again"));
  EXPECT_TRUE(contains(after.body, "New mentor found."));
  EXPECT_FALSE(contains(after.body, "id=\"withdraw\""));
}

TEST_F(ConcernFeedbackPagesTest, ABadConcernFormIsDrawnAgainWithItsErrors) {
  auto res = post("trainee", "/concerns",
                  form_of("trainee", "/concerns", {{"pairingid", "999"}, {"category", "x"}, {"text", " "}}));
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_TRUE(contains(res.body, "Choose the pairing the concern is about."));
  EXPECT_TRUE(contains(res.body, "Choose what the concern is about."));
  EXPECT_TRUE(contains(res.body, "Describe the concern so the point of contact can help."));
  EXPECT_GOOD_PAGE(res);
  EXPECT_TRUE(concerns_->mine(accounts_["trainee"])->empty());
  // Someone without a pairing is told why there is no form.
  auto other = get("admin", "/concerns");
  EXPECT_EQ(other.status, 403);
}

TEST_F(ConcernFeedbackPagesTest, ACheckinIsAnsweredInItsWindowAndShownBack) {
  auto page = get("trainee", "/feedback");
  ASSERT_EQ(page.status, 200) << page.body;
  // 2026-05-28 .. 2027-08-04: 433 days, midpoint 216 days on.
  EXPECT_TRUE(contains(page.body, "2026-12-30")) << page.body;
  EXPECT_TRUE(contains(page.body, "Opens on 2026-12-16"));
  EXPECT_GOOD_PAGE(page);
  const std::string path = "/feedback/checkins/" + std::to_string(pairing_) + "/midpoint";
  EXPECT_FALSE(contains(get("trainee", path).body, "id=\"save\""));
  clock_.set_ms((kFixtureT0 + 215 * 86400) * 1000);
  // Sessions do not last months: sign in again on the later day.
  tokens_["trainee"] = start("trainee", {std::string(core::capability::kMenteeParticipate)});
  tokens_["mentor"] = start("other", {std::string(core::capability::kMentorParticipate)});
  auto bad = post("trainee", path, form_of("trainee", path, {{"working", "yes"}, {"goals_progress", "9"}}));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "Choose how often you have met."));
  EXPECT_TRUE(contains(bad.body, "from 1 to 5"));
  EXPECT_GOOD_PAGE(bad);
  auto ok = post("trainee", path,
                 form_of("trainee", path,
                         {{"working", "partly"},
                          {"frequency", "less_often"},
                          {"goals_progress", "3"},
                          {"would_continue", "unsure"},
                          {"comments", "Nights make it hard."}}));
  ASSERT_EQ(ok.status, 303) << ok.body;
  auto back = get("trainee", "/feedback?saved=checkin");
  EXPECT_TRUE(contains(back.body, "Your check-in answers are saved."));
  EXPECT_TRUE(contains(back.body, "Less often than monthly"));
  EXPECT_TRUE(contains(back.body, "Nights make it hard."));
  EXPECT_GOOD_PAGE(back);
  // The form opens again with the stored answers to change them.
  auto again = get("trainee", path);
  EXPECT_TRUE(contains(again.body, "value=\"partly\" checked"));
  // The mentor's page does not show the mentee's answers.
  EXPECT_FALSE(contains(get("mentor", "/feedback").body, "Nights make it hard."));
}

TEST_F(ConcernFeedbackPagesTest, ASurveyIsFilledInAndShownBack) {
  auto q = surveys_->create_default_questionnaire(scheme_);
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  core::SurveyRound r;
  r.questionnaireid = q->id;
  r.cohortid = cohort_;
  r.phase = core::RoundPhase::kBaseline;
  r.audiences = {core::kAudienceMentees};
  r.opens_on = core::Date::from_unix(kFixtureT0);
  r.closes_on = r.opens_on.plus_days(14);
  auto round = surveys_->create_round(scheme_, r);
  ASSERT_TRUE(round.is_ok()) << round.status().to_string();
  auto page = get("trainee", "/feedback");
  EXPECT_TRUE(contains(page.body, q->name));
  EXPECT_FALSE(contains(get("mentor", "/feedback").body, q->name)) << "sent to mentees only";
  const std::string path = "/feedback/surveys/" + std::to_string(round->id);
  Form answers;
  for (const core::Question& question : q->questions) {
    if (question.kind == core::QuestionKind::kLikert && question.required)
      answers.push_back({"q_" + question.key, "4"});
  }
  ASSERT_FALSE(answers.empty());
  Form missing(answers.begin() + 1, answers.end());
  auto bad = post("trainee", path, form_of("trainee", path, missing));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_GOOD_PAGE(bad);
  EXPECT_GOOD_PAGE(get("trainee", path));
  auto ok = post("trainee", path, form_of("trainee", path, answers));
  ASSERT_EQ(ok.status, 303) << ok.body;
  auto mine = surveys_->my_response(round->id, accounts_["trainee"]);
  ASSERT_TRUE(mine.is_ok() && mine->has_value());
  EXPECT_EQ((*mine)->answers.size(), answers.size());
  auto back = get("trainee", "/feedback");
  EXPECT_TRUE(contains(back.body, "Your answers"));
  EXPECT_GOOD_PAGE(back);
}

}  // namespace
}  // namespace mentoring::web::testing
