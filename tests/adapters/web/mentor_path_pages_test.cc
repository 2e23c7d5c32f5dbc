// Becoming a mentor and a mentor's CPD (mentor_path_pages.cc): the scheme's
// mentor rules and required training with the person's status, the CPD log
// with totals by appraisal year, and the certificate built from them.
#include <gtest/gtest.h>

#include "core/setup_stores.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {

class MentorPathPagesTest : public testing::SignedInFixture {
 protected:
  void required_training() {
    core::TrainingModule skills;
    skills.code = "mentoring_skills";
    skills.title = "Mentoring skills";
    skills.required = true;
    skills.valid_for_months = 24;
    core::TrainingModule agreement;
    agreement.code = "agreements";
    agreement.title = "Mentoring agreements and boundaries";
    agreement.required = true;
    ASSERT_TRUE(training_->replace_modules(scheme_, {skills, agreement}).is_ok());
  }
};

TEST_F(MentorPathPagesTest, ATraineeSeesWhoMayMentorAndTheTrainingTheyNeed) {
  required_training();
  http::Response home = get("trainee", "/");
  EXPECT_NE(home.body.find("href=\"/mentor/become\" id=\"become-mentor\""), std::string::npos);
  http::Response r = get("trainee", "/mentor/become");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("You could mentor"), std::string::npos);
  EXPECT_NE(r.body.find("Mentoring skills"), std::string::npos);
  EXPECT_NE(r.body.find("Valid for 24 months"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"training-not-ready\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"become-mentor-contact\""), std::string::npos);
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
}

TEST_F(MentorPathPagesTest, AMentorWithCurrentTrainingIsToldTheyCanBeMatched) {
  required_training();
  for (const char* code : {"mentoring_skills", "agreements"}) {
    core::TrainingRecord rec;
    rec.accountid = accounts_["mentor"];
    rec.module_code = code;
    rec.completed_on = *core::Date::parse("2026-01-10");
    ASSERT_TRUE(training_->add_record(scheme_, rec).is_ok());
  }
  http::Response r = get("mentor", "/mentor/become");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("id=\"training-ready\""), std::string::npos);
  EXPECT_NE(r.body.find("Done and in date"), std::string::npos);
}

TEST_F(MentorPathPagesTest, TheCpdPageListsTheLogAndTheCertificateStatesItsHours) {
  for (auto [date, hours] : {std::pair{"2026-04-02", 1.25}, std::pair{"2026-05-20", 2.0}, std::pair{"2026-03-01", 1.0}}) {
    core::CpdEntry e;
    e.accountid = accounts_["mentor"];
    e.date = *core::Date::parse(date);
    e.hours = hours;
    e.activity = "Mentoring meeting";
    ASSERT_TRUE(training_->add_cpd(e).is_ok());
  }
  http::Response r = get("mentor", "/profile/mentor/cpd");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("2026-04-01 to 2027-03-31"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("3.25 hours"), std::string::npos);
  EXPECT_NE(r.body.find("2025-04-01 to 2026-03-31"), std::string::npos);
  // Newest entry first.
  EXPECT_LT(r.body.find("2026-05-20"), r.body.find("2026-04-02"));
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
  EXPECT_EQ(get("trainee", "/profile/mentor/cpd").status, 403);

  http::Response pdf = get("mentor", "/profile/mentor/cpd/certificate.pdf?from=2026-04-01&to=2026-05-28");
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  ASSERT_EQ(printed_.size(), 1u);
  EXPECT_EQ(printed_[0].mentor_name, "Dr Chloe Evans");
  EXPECT_EQ(printed_[0].scheme_name, "FY1 North West");
  EXPECT_DOUBLE_EQ(printed_[0].hours, 3.25);
  EXPECT_EQ(printed_[0].sessions, 2);
  EXPECT_EQ(printed_[0].certificate_id, "CPD-" + std::to_string(accounts_["mentor"]) + "-20260528");
  // A period with nothing logged goes back to the page; a bad date is a 400.
  EXPECT_EQ(get("mentor", "/profile/mentor/cpd/certificate.pdf?from=2020-01-01&to=2020-02-01").status, 303);
  EXPECT_EQ(get("mentor", "/profile/mentor/cpd/certificate.pdf?from=yesterday").status, 400);
}

}  // namespace
}  // namespace mentoring::web
