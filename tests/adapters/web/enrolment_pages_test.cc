// Joining the mentoring scheme from the pages (enrolment_pages.cc): the
// eligibility answer and its reason, the two consents, the optional
// monitoring questions stored encrypted, the confirmation and withdrawing.
#include <gtest/gtest.h>

#include "core/audit_stores.h"
#include "core/evaluation_stores.h"
#include "core/setup_stores.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {
using core::Status;

class EnrolmentPagesTest : public testing::SignedInFixture {
 protected:
  // A mentee profile for the trainee at `stage`.
  void give_profile(core::CareerStage stage) {
    core::MenteeProfile p;
    p.accountid = accounts_["trainee"];
    p.career_stage = stage;
    p.region = "North West";
    p.goals = "Settle into my first post.";
    ASSERT_TRUE(profiles_->save_mentee(p).is_ok());
  }
  // The scheme admits FY1 doctors only.
  void fy1_only() {
    auto rules = eligibility_->get(scheme_);
    ASSERT_TRUE(rules.is_ok()) << rules.status().to_string();
    core::SchemeEligibility r = *rules;
    r.audience.career_stages = {core::CareerStage::kFy1};
    ASSERT_TRUE(eligibility_->save(r).is_ok());
  }
  std::int64_t mentees_enrolled(core::EnrolmentStatus status = core::EnrolmentStatus::kActive) {
    std::int64_t n = 0;
    EXPECT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                     auto page = s.enrolments.list_by_cohort(cohort_, core::Role::kMentee, {100, 0});
                     if (!page) return page.status();
                     for (const auto& e : *page) n += e.status == status;
                     return Status::ok();
                   }).is_ok());
    return n;
  }
  std::optional<core::EvaluationConsent> consent() {
    std::optional<core::EvaluationConsent> out;
    EXPECT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                     auto c = s.evaluation.find_consent(accounts_["trainee"]);
                     if (!c) return c.status();
                     out = *c;
                     return Status::ok();
                   }).is_ok());
    return out;
  }
  Form join(const Form& fields) { return form_of("trainee", "/enrol", fields); }
};

TEST_F(EnrolmentPagesTest, HomeLinksToJoiningAndTheJoinPageSaysWhoTheSchemeIsFor) {
  http::Response home = get("trainee", "/");
  ASSERT_EQ(home.status, 200);
  EXPECT_NE(home.body.find("href=\"/enrol\" id=\"join-scheme\""), std::string::npos);
  http::Response r = get("trainee", "/enrol");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("You can join"), std::string::npos);
  EXPECT_NE(r.body.find("open to every trainee"), std::string::npos);
  EXPECT_NE(r.body.find("August intake"), std::string::npos);
  EXPECT_NE(r.body.find("name=\"take_part\""), std::string::npos);
  EXPECT_NE(r.body.find("name=\"evaluation_consent\""), std::string::npos);
  // Staff without the mentee capability are refused.
  EXPECT_EQ(get("admin", "/enrol").status, 403);
}

TEST_F(EnrolmentPagesTest, AnIneligibleTraineeIsToldWhichRuleAndCannotJoin) {
  fy1_only();
  give_profile(core::CareerStage::kFy2);
  http::Response r = get("trainee", "/enrol");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("You cannot join this scheme yet"), std::string::npos);
  // The core's sentence names the rule and the person's answer.
  EXPECT_NE(r.body.find("FY1"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("FY2"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("id=\"join\""), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/profile/mentee\" id=\"profile-link\""), std::string::npos);
  // Sending the form anyway (with tokens from another form) changes nothing.
  http::Response sent = post("trainee", "/enrol",
                             form_of("trainee", "/profile/mentee",
                                     {{"cohortid", std::to_string(cohort_)}, {"take_part", "yes"}}));
  EXPECT_EQ(sent.status, 400) << sent.body;
  EXPECT_NE(sent.body.find("FY1"), std::string::npos);
  EXPECT_EQ(mentees_enrolled(), 0);
  EXPECT_FALSE(consent().has_value());
}

TEST_F(EnrolmentPagesTest, WithoutAProfileARestrictedSchemeAsksForOne) {
  fy1_only();
  http::Response r = get("trainee", "/enrol");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("complete your mentee profile"), std::string::npos) << r.body;
}

TEST_F(EnrolmentPagesTest, JoiningNeedsTheConsentToTakePart) {
  http::Response r = post("trainee", "/enrol", join({{"cohortid", std::to_string(cohort_)},
                                                     {"evaluation_consent", "yes"}}));
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("nhsuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find("Confirm that you agree to take part"), std::string::npos);
  EXPECT_EQ(mentees_enrolled(), 0);
  EXPECT_FALSE(consent().has_value());
}

TEST_F(EnrolmentPagesTest, AnEligibleTraineeJoinsAnswersTheOptionalQuestionsAndIsConfirmed) {
  fy1_only();
  give_profile(core::CareerStage::kFy1);
  http::Response page = get("trainee", "/enrol");
  EXPECT_NE(page.body.find("show you are one of them"), std::string::npos);
  http::Response r = post("trainee", "/enrol", join({{"cohortid", std::to_string(cohort_)},
                                                     {"take_part", "yes"},
                                                     {"evaluation_consent", "yes"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/enrol/about-you");
  EXPECT_EQ(mentees_enrolled(), 1);
  ASSERT_TRUE(consent().has_value());
  EXPECT_TRUE(consent()->given);

  http::Response q = get("trainee", "/enrol/about-you");
  ASSERT_EQ(q.status, 200) << q.body;
  EXPECT_NE(q.body.find("Prefer not to say"), std::string::npos);
  r = post("trainee", "/enrol/about-you",
           form_of("trainee", "/enrol/about-you", {{"age_band", "25_to_29"}, {"ethnicity", "prefer_not_to_say"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/enrol/done");
  // Stored sealed: the row holds no answer in clear, and opens to the answers.
  EXPECT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto rec = s.demographics.find(accounts_["trainee"]);
                   if (!rec) return rec.status();
                   EXPECT_TRUE(rec->has_value());
                   if (rec->has_value()) {
                     EXPECT_EQ((*rec)->sealed.ciphertext.find("25_to_29"), std::string::npos);
                     EXPECT_EQ((*rec)->sealed.key_version, 1);
                   }
                   return Status::ok();
                 }).is_ok());
  auto answers = demographics_->read(accounts_["trainee"], core::Actor::account(accounts_["trainee"]));
  ASSERT_TRUE(answers.is_ok()) << answers.status().to_string();
  EXPECT_EQ(answers->answers, (core::DemographicAnswers{{"age_band", "25_to_29"}, {"ethnicity", "prefer_not_to_say"}}));

  http::Response done = get("trainee", "/enrol/done");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("You have joined the mentoring scheme"), std::string::npos);
  EXPECT_NE(done.body.find("August intake"), std::string::npos);
  EXPECT_NE(done.body.find("You agreed to your data being used"), std::string::npos);
  // Joining again is not offered; the page says how they take part.
  http::Response again = get("trainee", "/enrol");
  EXPECT_NE(again.body.find("You are taking part in August intake"), std::string::npos);
  EXPECT_EQ(again.body.find("id=\"join\""), std::string::npos);
}

TEST_F(EnrolmentPagesTest, AnAnswerThatIsNotOfferedIsRefusedAndNothingIsStored) {
  ASSERT_EQ(post("trainee", "/enrol", join({{"cohortid", std::to_string(cohort_)}, {"take_part", "yes"}})).status, 303);
  http::Response r =
      post("trainee", "/enrol/about-you", form_of("trainee", "/enrol/about-you", {{"ethnicity", "martian"}}));
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("Choose one of the answers given"), std::string::npos);
  auto stored = demographics_->read(accounts_["trainee"], core::Actor::account(accounts_["trainee"]));
  EXPECT_EQ(stored.status().reason(), "demographics_not_found");
}

TEST_F(EnrolmentPagesTest, DecliningEvaluationIsRecordedAsAnAnswer) {
  ASSERT_EQ(post("trainee", "/enrol", join({{"cohortid", std::to_string(cohort_)}, {"take_part", "yes"}})).status, 303);
  ASSERT_TRUE(consent().has_value());
  EXPECT_FALSE(consent()->given);
}

TEST_F(EnrolmentPagesTest, WithdrawingEndsTheEnrolmentAndMayRemoveTheAnswers) {
  ASSERT_EQ(post("trainee", "/enrol", join({{"cohortid", std::to_string(cohort_)}, {"take_part", "yes"}})).status, 303);
  ASSERT_EQ(post("trainee", "/enrol/about-you", form_of("trainee", "/enrol/about-you", {{"sex", "female"}})).status,
            303);
  http::Response page = get("trainee", "/enrol/withdraw");
  ASSERT_EQ(page.status, 200) << page.body;
  http::Response r = post("trainee", "/enrol/withdraw", form_of("trainee", "/enrol/withdraw", {{"remove_answers", "yes"}}));
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/?saved=withdrawn");
  EXPECT_EQ(mentees_enrolled(), 0);
  EXPECT_EQ(mentees_enrolled(core::EnrolmentStatus::kWithdrawn), 1);
  EXPECT_EQ(demographics_->read(accounts_["trainee"], core::Actor::account(accounts_["trainee"])).status().reason(),
            "demographics_not_found");
  EXPECT_NE(get("trainee", "/?saved=withdrawn").body.find("You have left the mentoring scheme."), std::string::npos);
  // The page now says they are not taking part; withdrawing again says there
  // is nothing to leave.
  EXPECT_NE(get("trainee", "/enrol/withdraw").body.find("id=\"not-enrolled\""), std::string::npos);
  r = post("trainee", "/enrol/withdraw", form_of("trainee", "/profile/mentee", {}));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("nothing to leave"), std::string::npos);
}

TEST_F(EnrolmentPagesTest, EveryEnrolmentPagePassesThePageChecks) {
  ASSERT_EQ(post("trainee", "/enrol", join({{"cohortid", std::to_string(cohort_)}, {"take_part", "yes"}})).status, 303);
  for (const char* path : {"/enrol", "/enrol/about-you", "/enrol/done", "/enrol/withdraw"}) {
    http::Response r = get("trainee", path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_TRUE(testing::inline_code_problems(r.body).empty()) << path;
    EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "") << path;
  }
}

}  // namespace
}  // namespace mentoring::web
