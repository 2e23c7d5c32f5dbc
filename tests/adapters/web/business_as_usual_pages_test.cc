// The business-as-usual page for scheme staff: the readiness check with what
// is missing, the plan form (checked field by field, nothing saved when a
// field is wrong, guarded by the CSRF token and the scheme-manage
// capability) and the dated phase history.
#include <gtest/gtest.h>

#include <string>

#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {
using core::Status;

// As the templates escape text ({{value}}): & < > " and '.
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

class BusinessAsUsualPagesTest : public testing::SignedInFixture {
 protected:
  std::string path() const { return "/staff/schemes/" + std::to_string(scheme_) + "/business-as-usual"; }

  Form good_plan() const {
    return {{"senior_sponsor", "Dr Rhona Baird, Postgraduate Dean"},
            {"funding_source", "NHS England WT&E budget"},
            {"funding_ends_on", "2027-03-31"},
            {"funding_review_on", "2027-01-15"},
            {"admin_hours_per_month", "16"},
            {"annual_cost", "\u00a312,500.50"},
            {"mentor_recruitment_plan", "Invite every FY2 who completed the scheme."},
            {"promotion_plan", "Induction talks in August and February."}};
  }
  static Form with(Form f, const std::string& name, const std::string& value) {
    for (auto& [k, v] : f)
      if (k == name) v = value;
    return f;
  }
  core::BusinessAsUsualPlan stored() {
    auto p = bau_->plan(scheme_);
    EXPECT_TRUE(p.is_ok()) << p.status().to_string();
    return p.is_ok() ? *p : core::BusinessAsUsualPlan{};
  }
};

TEST_F(BusinessAsUsualPagesTest, AFreshPilotListsEveryMissingFactorAndHasNoHistory) {
  http::Response r = get("admin", path());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("id=\"bau-phase\">Pilot<"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("id=\"bau-unmet\""), std::string::npos);
  EXPECT_EQ(r.body.find("id=\"bau-ready\""), std::string::npos);
  auto readiness = bau_->readiness(scheme_);
  ASSERT_TRUE(readiness.is_ok());
  ASSERT_FALSE(readiness->unmet.empty());
  for (const core::Finding& f : readiness->unmet)
    EXPECT_NE(r.body.find(html_escape(f.message)), std::string::npos) << f.message << "\n" << r.body;
  EXPECT_NE(r.body.find("id=\"bau-no-history\""), std::string::npos);
  EXPECT_NE(r.body.find("name=\"senior_sponsor\""), std::string::npos);
  EXPECT_TRUE(testing::inline_code_problems(r.body).empty());
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
  // The dashboard links to it.
  http::Response dashboard = get("admin", "/staff");
  ASSERT_EQ(dashboard.status, 200);
  EXPECT_NE(dashboard.body.find("href=\"" + path() + "\""), std::string::npos) << dashboard.body;
}

TEST_F(BusinessAsUsualPagesTest, AValidPlanIsSavedInPenceAndTheCheckNoLongerAsksForIt) {
  const std::size_t unmet_before = bau_->readiness(scheme_)->unmet.size();
  http::Response r = post("admin", path(), [&] {
    Form f = form_of("admin", path(), {});
    for (const auto& field : good_plan()) f.push_back(field);
    return f;
  }());
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), path() + "?saved=1");
  const core::BusinessAsUsualPlan p = stored();
  EXPECT_EQ(p.senior_sponsor, "Dr Rhona Baird, Postgraduate Dean");
  EXPECT_EQ(p.funding_source, "NHS England WT&E budget");
  ASSERT_TRUE(p.funding_ends_on.has_value());
  EXPECT_EQ(p.funding_ends_on->to_string(), "2027-03-31");
  EXPECT_DOUBLE_EQ(p.admin_hours_per_month, 16.0);
  EXPECT_EQ(p.annual_cost_pence, 1250050);
  EXPECT_EQ(p.promotion_plan, "Induction talks in August and February.");
  EXPECT_LT(bau_->readiness(scheme_)->unmet.size(), unmet_before);

  http::Response page = get("admin", path() + "?saved=1");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("The plan has been saved."), std::string::npos);
  EXPECT_NE(page.body.find("value=\"12500.50\""), std::string::npos) << "the cost is shown back in pounds";
  EXPECT_NE(page.body.find("value=\"16.0\""), std::string::npos);
  EXPECT_NE(page.body.find("id=\"last-saved\""), std::string::npos);
}

TEST_F(BusinessAsUsualPagesTest, EachBadFieldIsNamedAndNothingIsSaved) {
  struct Case {
    const char* field;
    const char* value;
    const char* error;
  };
  const Case cases[] = {
      {"admin_hours_per_month", "lots", "Enter the hours as a number, for example 12.5"},
      {"admin_hours_per_month", "1001", "The administrative time must be from 0 to 1000 hours a month."},
      {"annual_cost", "-5", "Enter the cost in pounds, for example 12,500 or 12500.50"},
      {"annual_cost", "12.505", "Enter the cost in pounds, for example 12,500 or 12500.50"},
      {"funding_ends_on", "31/03/2027", "Enter a real date as YYYY-MM-DD"},
      {"funding_review_on", "2027-05-01", "Plan the funding review for before the current funding ends."},
      {"senior_sponsor", std::string(201, 'x').c_str(), "must be at most 200 bytes"},
  };
  const std::string long_sponsor(201, 'x');
  for (const Case& c : cases) {
    const std::string value = std::string(c.field) == "senior_sponsor" ? long_sponsor : c.value;
    Form f = form_of("admin", path(), {});
    for (const auto& field : with(good_plan(), c.field, value)) f.push_back(field);
    http::Response r = post("admin", path(), f);
    EXPECT_EQ(r.status, 400) << c.field << " " << value;
    EXPECT_NE(r.body.find(html_escape(c.error)), std::string::npos) << c.field << ": " << r.body;
    EXPECT_NE(r.body.find("nhsuk-error-summary"), std::string::npos) << c.field;
    EXPECT_NE(r.body.find("href=\"#field-" + std::string(c.field)), std::string::npos) << c.field;
  }
  EXPECT_EQ(stored().senior_sponsor, "");
  EXPECT_EQ(stored().timemodified, 0);
}

TEST_F(BusinessAsUsualPagesTest, OnlySchemeManagersWithTheFormsTokenMayChangeThePlan) {
  EXPECT_EQ(get("trainee", path()).status, 403);
  EXPECT_EQ(get("mentor", path()).status, 403);
  Form good = form_of("admin", path(), {});
  for (const auto& field : good_plan()) good.push_back(field);
  // The trainee posts the admin's form: refused for the capability.
  EXPECT_EQ(post("trainee", path(), good).status, 403);
  // The admin without the CSRF token: refused.
  Form forged = good;
  forged[0].second = "not-the-token";
  EXPECT_EQ(post("admin", path(), forged).status, 403);
  EXPECT_EQ(stored().senior_sponsor, "");
  EXPECT_EQ(get("admin", "/staff/schemes/999999/business-as-usual").status, 404);
  EXPECT_EQ(get("admin", "/staff/schemes/abc/business-as-usual").status, 404);
}

TEST_F(BusinessAsUsualPagesTest, APilotThatIsNotReadyStaysAPilotAndThePageSaysWhy) {
  const std::string first_missing = bau_->readiness(scheme_)->unmet.front().message;
  http::Response r = post("admin", path() + "/phase",
                          form_of("admin", path(), {{"phase", "business_as_usual"}, {"note", "Board approved."}}));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("nhsuk-error-summary"), std::string::npos);
  EXPECT_NE(r.body.find(html_escape(first_missing)), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("href=\"#field-note\""), std::string::npos);
  auto scheme = schemes_->get(scheme_);
  ASSERT_TRUE(scheme.is_ok());
  EXPECT_EQ(scheme->phase, core::SchemePhase::kPilot);
  EXPECT_TRUE(bau_->history(scheme_)->empty());
  // A bad phase or an overlong note is refused before anything is tried.
  EXPECT_EQ(post("admin", path() + "/phase", form_of("admin", path(), {{"phase", "finished"}})).status, 400);
  EXPECT_EQ(post("admin", path() + "/phase",
                 form_of("admin", path(), {{"phase", "business_as_usual"}, {"note", std::string(2001, 'n')}}))
                .status,
            400);
  EXPECT_EQ(post("trainee", path() + "/phase", form_of("admin", path(), {{"phase", "business_as_usual"}})).status,
            403);
  EXPECT_TRUE(bau_->history(scheme_)->empty());
}

TEST_F(BusinessAsUsualPagesTest, ReturningToPilotIsRecordedInTheHistoryWithWhoAndTheNote) {
  ASSERT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                   auto current = s.schemes.find(scheme_);
                   if (!current) return current.status();
                   core::SchemeInput in{(*current)->name, (*current)->type, (*current)->aims,
                                        core::SchemePhase::kBusinessAsUsual};
                   auto u = s.schemes.update(scheme_, in, testing::kFixtureT0);
                   return u ? Status::ok() : u.status();
                 }).is_ok());
  http::Response page = get("admin", path());
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Return the scheme to pilot"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"bau-no-history\""), std::string::npos);
  http::Response moved = post("admin", path() + "/phase",
                              form_of("admin", path(), {{"phase", "pilot"}, {"note", "Funding paused for a year."}}));
  ASSERT_EQ(moved.status, 303) << moved.body;
  EXPECT_EQ(moved.header("Location"), path() + "?moved=1");
  EXPECT_EQ(schemes_->get(scheme_)->phase, core::SchemePhase::kPilot);
  http::Response r = get("admin", path() + "?moved=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("The scheme&apos;s phase has been changed."), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("Move the scheme to business-as-usual"), std::string::npos);
  const auto table = r.body.find("id=\"bau-history\"");
  ASSERT_NE(table, std::string::npos) << r.body;
  const std::string rows = r.body.substr(table);
  EXPECT_NE(rows.find("Business-as-usual"), std::string::npos);
  EXPECT_NE(rows.find("Priya Patel"), std::string::npos);
  EXPECT_NE(rows.find("Funding paused for a year."), std::string::npos);
  EXPECT_NE(rows.find(core::Date::from_unix(testing::kFixtureT0).to_string()), std::string::npos);
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
}

}  // namespace
}  // namespace mentoring::web
