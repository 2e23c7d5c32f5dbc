// The evaluation report page and its downloads (report_pages.cc) and the
// audit log page (audit_pages.cc) over a real SQLite database: the report
// for the session's scheme, CSV and PDF downloads each audited as an
// export, and the audit log searched, filtered and paged.
#include "app/audit.h"
#include "app/checkins.h"
#include "app/evaluation_report.h"
#include "core/audit_stores.h"
#include "core/evaluation_stores.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web::testing {
namespace {

bool contains(const std::string& h, const std::string& n) { return h.find(n) != std::string::npos; }

class ReportAuditPagesTest : public SignedInFixture {
 protected:
  void SetUp() override {
    SignedInFixture::SetUp();
    if (HasFatalFailure()) return;
    reports_ = std::make_unique<app::EvaluationReportService>(*db_, clock_, demographics_agg_, engagement_);
    checkins_ = std::make_unique<app::CheckinService>(*db_, clock_);
    audit_ = std::make_unique<app::AuditService>(*db_);
    ctx_->services.reports = reports_.get();
    ctx_->services.checkins = checkins_.get();
    ctx_->services.audit = audit_.get();
    ctx_->services.render_report_pdf =
        [this](const app::EvaluationReport& r,
               const std::vector<app::PublishedCheckinTally>& tallies) -> core::Result<std::vector<std::uint8_t>> {
      ++pdfs_;
      pdf_tallies_ = tallies.size();
      const std::string fake = "%PDF-1.4 " + r.cohort.name;
      return std::vector<std::uint8_t>(fake.begin(), fake.end());
    };
    tokens_["lead"] =
        start("admin", {std::string(core::capability::kEvaluationView), std::string(core::capability::kSchemeManage)});
  }

  std::vector<core::AuditEntry> exports() {
    std::vector<core::AuditEntry> out;
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      core::AuditFilter f;
      f.action = core::AuditAction::kExport;
      auto l = s.audit.list(f, core::Page{});
      if (!l) return l.status();
      out = *l;
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return out;
  }

  core::NullDemographicAggregates demographics_agg_;
  core::NullEngagementAggregates engagement_;
  std::unique_ptr<app::EvaluationReportService> reports_;
  std::unique_ptr<app::CheckinService> checkins_;
  std::unique_ptr<app::AuditService> audit_;
  int pdfs_ = 0;
  std::size_t pdf_tallies_ = 0;
};

TEST_F(ReportAuditPagesTest, TheReportShowsTheCohortWithSmallCountsWithheld) {
  EXPECT_EQ(get("trainee", "/staff/reports").status, 403);
  core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
    for (const char* who : {"trainee", "other"})
      MENTORING_RETURN_IF_ERROR(s.enrolments.create(cohort_, accounts_[who], core::Role::kMentee, kFixtureT0).status());
    return core::Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  auto page = get("lead", "/staff/reports");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(testing::page_check_report(page.body, renderer_.asset_base()), "");
  EXPECT_TRUE(contains(page.body, "Evaluation report: August intake"));
  EXPECT_TRUE(contains(page.body, "Withheld (too few people)")) << "two mentees: the count is withheld";
  EXPECT_TRUE(contains(page.body, "Midpoint and end check-ins"));
  EXPECT_TRUE(contains(page.body, "id=\"download-csv\""));
  // Readiness for business-as-usual: the plan's figures per active pair,
  // and the factors a scheme with no stored plan has not met.
  EXPECT_TRUE(contains(page.body, "Cost a year per active pair"));
  EXPECT_TRUE(contains(page.body, "id=\"bau-cost-per-pair\">Not recorded"))
      << "no plan is stored, so there is no cost to divide";
  EXPECT_TRUE(contains(page.body, "Record the senior leader who sponsors the scheme")) << "the sponsor is one of the unmet factors";
  auto bad = get("lead", "/staff/reports?cohort=abc");
  EXPECT_EQ(bad.status, 400);
  auto other = get("lead", "/staff/reports?cohort=" + std::to_string(cohort_ + 40));
  EXPECT_EQ(other.status, 200);
  EXPECT_TRUE(contains(other.body, "The report cannot be shown"));
}

TEST_F(ReportAuditPagesTest, DownloadsAreAuditedAsExports) {
  const std::string q = "?cohort=" + std::to_string(cohort_);
  auto csv = get("lead", "/staff/reports/download/csv" + q);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_TRUE(contains(std::string(csv.header("Content-Disposition")), "attachment"));
  // The check-in tallies the page shows go into both downloads (none answered yet).
  EXPECT_TRUE(contains(csv.body, "checkins_midpoint,August intake,mentee,responses,people,0,none")) << csv.body;
  EXPECT_TRUE(contains(csv.body, "checkins_end,August intake,mentor,responses,people,0,none")) << csv.body;
  auto pdf = get("lead", "/staff/reports/download/pdf" + q);
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf.body, "%PDF-1.4 August intake");
  EXPECT_EQ(pdfs_, 1);
  EXPECT_EQ(pdf_tallies_, 4u);  // midpoint and end, mentees and mentors
  EXPECT_EQ(get("lead", "/staff/reports/download/xlsx" + q).status, 404);
  EXPECT_EQ(get("trainee", "/staff/reports/download/csv" + q).status, 403);
  auto entries = exports();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].summary, "report downloaded as PDF");
  EXPECT_EQ(entries[1].summary, "report downloaded as CSV");
  EXPECT_EQ(entries[1].entity_type, "evaluation_report");
  EXPECT_EQ(entries[1].entityid, cohort_);
  EXPECT_EQ(entries[1].actor, core::Actor::account(accounts_["admin"]));
  // Without a renderer the PDF is refused and nothing is logged.
  ctx_->services.render_report_pdf = nullptr;
  EXPECT_EQ(get("lead", "/staff/reports/download/pdf" + q).status, 503);
  EXPECT_EQ(exports().size(), 2u);
}

TEST_F(ReportAuditPagesTest, TheAuditLogIsFilteredAndPaged) {
  core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
    for (int i = 0; i < 60; ++i)
      MENTORING_RETURN_IF_ERROR(app::audit(s, core::Actor::account(accounts_["admin"]), core::AuditAction::kUpdate,
                                           "objective", 7, "objective saved", kFixtureT0 + i));
    return app::audit(s, core::Actor::service(), core::AuditAction::kConfidentialRead, "concern", 3, "concern viewed",
                      kFixtureT0 + 100);
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(get("trainee", "/staff/audit").status, 403);
  auto first = get("admin", "/staff/audit");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(testing::page_check_report(first.body, renderer_.asset_base()), "");
  EXPECT_TRUE(contains(first.body, "61 entries; page 1 of 2."));
  EXPECT_TRUE(contains(first.body, "concern viewed"));  // newest first
  EXPECT_TRUE(contains(first.body, "id=\"next-page\""));
  EXPECT_FALSE(contains(first.body, "id=\"prev-page\""));
  auto second = get("admin", "/staff/audit?page=2");
  EXPECT_TRUE(contains(second.body, "page 2 of 2"));
  EXPECT_TRUE(contains(second.body, "id=\"prev-page\""));
  auto filtered = get("admin", "/staff/audit?entity_type=concern&action=confidential_read");
  ASSERT_EQ(filtered.status, 200);
  EXPECT_TRUE(contains(filtered.body, "1 entries; page 1 of 1."));
  EXPECT_FALSE(contains(filtered.body, "objective saved"));
  auto by_actor = get("admin", "/staff/audit?actor=service");
  EXPECT_TRUE(contains(by_actor.body, "1 entries"));
  auto dated = get("admin", "/staff/audit?from=2026-05-28&until=2026-05-28");
  EXPECT_TRUE(contains(dated.body, "61 entries"));
  auto bad = get("admin", "/staff/audit?from=28/05/2026");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "Enter dates as YYYY-MM-DD."));
  EXPECT_EQ(testing::page_check_report(bad.body, renderer_.asset_base()), "");
  EXPECT_EQ(get("admin", "/staff/audit?entityid=5").status, 400);  // an id needs its type
}

}  // namespace
}  // namespace mentoring::web::testing
