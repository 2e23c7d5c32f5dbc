// The API's evaluation report (JSON, CSV and PDF) carries the cohort's
// midpoint and end check-in tallies exactly as the report page does
// (app::CheckinService::tallies): twelve mentees and one mentor answer the
// midpoint check-in through the real check-in service, and every figure is
// compared with values worked out by hand, withheld cells included. The PDF
// is rendered by the real renderer and read back with poppler's pdftotext.
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "adapters/export/report_pdf.h"
#include "app/checkins.h"
#include "core/checkin_stores.h"
#include "core/matching_stores.h"
#include "tests/adapters/api/survey_api_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::EvaluationApiTest;

// 2027-02-01T12:00:00Z: the midpoint window of pairings started on
// 2026-08-05 in a cohort ending 2027-08-04 is open.
constexpr std::int64_t kMidpointMs = 1801483200000;

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

std::string squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::set<std::string> lines_of(const std::string& csv) {
  std::set<std::string> out;
  std::istringstream in(csv);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.insert(line);
  }
  return out;
}

core::CheckinAnswers answer(core::CheckinWorking working, core::CheckinFrequency frequency, int progress,
                            core::WouldContinue would_continue) {
  core::CheckinAnswers a;
  a.working = working;
  a.frequency = frequency;
  a.goals_progress = progress;
  a.would_continue = would_continue;
  return a;
}

class ReportApiCheckinsTest : public EvaluationApiTest {
 protected:
  void SetUp() override {
    EvaluationApiTest::SetUp();
    if (HasFatalFailure()) return;
    checkins_ = std::make_unique<app::CheckinService>(*db_, clock_);
    ctx_->checkins = checkins_.get();
    ctx_->render_pdf = exports::render_report_pdf;
  }
  void TearDown() override {
    EvaluationApiTest::TearDown();
    checkins_.reset();
  }

  std::int64_t account(core::Stores& s, const std::string& subject) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, 1);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }

  // Twelve mentees paired with one mentor from 2026-08-05. Ten say the
  // relationship works, meet monthly, progress 4, would continue; two say it
  // does not, have not met, progress 1, would still continue. The mentor
  // answers too: a tally of one.
  void answer_midpoint() {
    std::vector<std::pair<std::int64_t, std::int64_t>> mentees;  // (account, pairing)
    std::int64_t mentor = 0, first_pairing = 0;
    const core::UnixSeconds start = core::Date::parse("2026-08-05")->days_since_epoch() * 86400 + 43200;
    write([&](core::Stores& s) {
      mentor = account(s, "mentor");
      auto mo = s.enrolments.create(cohort_, mentor, core::Role::kMentor, 1);
      ASSERT_TRUE(mo.is_ok()) << mo.status().to_string();
      ASSERT_TRUE(s.pairings.sync_place(cohort_, mo->id, 20, 1).is_ok());
      for (int i = 0; i < 12; ++i) {
        const std::int64_t a = account(s, "mentee" + std::to_string(i));
        auto e = s.enrolments.create(cohort_, a, core::Role::kMentee, 1);
        ASSERT_TRUE(e.is_ok()) << e.status().to_string();
        auto p = s.pairings.create_active(core::PairingInput{cohort_, e->id, mo->id}, start);
        ASSERT_TRUE(p.is_ok()) << p.status().to_string();
        if (i == 0) first_pairing = p->id;
        mentees.push_back({a, p->id});
      }
    });
    clock_.set_ms(kMidpointMs);
    for (std::size_t i = 0; i < mentees.size(); ++i) {
      const bool well = i < 10;
      auto saved = checkins_->save(mentees[i].first, mentees[i].second, core::CheckinPhase::kMidpoint,
                                   answer(well ? core::CheckinWorking::kYes : core::CheckinWorking::kNo,
                                          well ? core::CheckinFrequency::kMonthly : core::CheckinFrequency::kNotMet,
                                          well ? 4 : 1, core::WouldContinue::kYes));
      ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
    }
    auto saved = checkins_->save(
        mentor, first_pairing, core::CheckinPhase::kMidpoint,
        answer(core::CheckinWorking::kPartly, core::CheckinFrequency::kMonthly, 3, core::WouldContinue::kUnsure));
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  }

  std::string report_path(const std::string& ext) {
    return scheme_path("/report" + ext + "?cohort=" + std::to_string(cohort_));
  }

  std::unique_ptr<app::CheckinService> checkins_;
};

TEST_F(ReportApiCheckinsTest, CsvCarriesTheTalliesWithTheirSuppression) {
  answer_midpoint();
  http::Response res = call("GET", report_path(".csv"));
  ASSERT_EQ(res.status, 200) << res.body;
  const auto lines = lines_of(res.body);
  const std::string mentee = "checkins_midpoint,August 2026,mentee,";
  for (const std::string& row : {
           mentee + "responses,people,12,none,,",
           // Working: yes 10, partly 0, no 2. The 2 is primary; yes is
           // withheld too, or 12 - 0 - 10 would give the 2 back.
           mentee + "yes,working,,secondary,,",
           mentee + "partly,working,0,none,,",
           mentee + "no,working,,primary,,",
           mentee + "total,working,12,none,,",
           mentee + "not_met,met,,primary,,",
           mentee + "met,met,,secondary,,",
           mentee + "total,met,12,none,,",
           mentee + "yes,would_continue,12,none,,",
           mentee + "no_or_unsure,would_continue,0,none,,",
           mentee + "total,would_continue,12,none,,",
           // (10 x 4 + 2 x 1) / 12 = 3.5.
           mentee + "goals_progress,mean,3.5,none,,",
           std::string("checkins_midpoint,August 2026,mentor,responses,people,,primary,,"),
           std::string("checkins_end,August 2026,mentee,responses,people,0,none,,"),
           std::string("checkins_end,August 2026,mentor,responses,people,0,none,,"),
       })
    EXPECT_EQ(lines.count(row), 1u) << row << "\n" << res.body;
  for (const auto& l : lines) {
    if (l.rfind("checkins_", 0) != 0) continue;
    EXPECT_EQ(l.find(",10,"), std::string::npos) << l;
    EXPECT_EQ(l.find(",2,"), std::string::npos) << l;
    EXPECT_EQ(l.find(",1,"), std::string::npos) << l;
  }
}

TEST_F(ReportApiCheckinsTest, PdfCarriesTheTalliesAsTheReportPageDoes) {
  answer_midpoint();
  http::Response res = call("GET", report_path(".pdf"));
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 200);
  EXPECT_EQ(res.header("Content-Type"), "application/pdf");
  const std::string path = ::testing::TempDir() + "api-report-checkins.pdf";
  {
    std::ofstream f(path, std::ios::binary);
    f << res.body;
  }
  const std::string text = squash(run("pdftotext -enc UTF-8 '" + path + "' -"));
  EXPECT_NE(text.find("Midpoint and end check-ins"), std::string::npos) << text;
  EXPECT_EQ(text.find("No check-in has been answered in this cohort."), std::string::npos) << text;
  const std::string layout = squash(run("pdftotext -layout -enc UTF-8 '" + path + "' -"));
  // Responses, working yes / partly / no, not met, would continue, goals progress.
  EXPECT_NE(layout.find("Midpoint Mentees 12 withheld 0 withheld withheld 12 3.5"), std::string::npos) << layout;
  EXPECT_NE(layout.find("Midpoint Mentors withheld"), std::string::npos) << layout;
  EXPECT_NE(layout.find("End Mentees 0"), std::string::npos) << layout;
  EXPECT_NE(layout.find("End Mentors 0"), std::string::npos) << layout;
  const std::string table = layout.substr(layout.find("Midpoint and end check-ins"));
  EXPECT_EQ(table.find(" 10 "), std::string::npos) << table;
  EXPECT_EQ(table.find(" 2 "), std::string::npos) << table;
  std::remove(path.c_str());
}

TEST_F(ReportApiCheckinsTest, JsonCarriesTheTalliesWithWithheldCellsWithoutValues) {
  answer_midpoint();
  http::Response res = call("GET", report_path(""));
  ASSERT_EQ(res.status, 200) << res.body;
  json::object r = body_of(res);
  ASSERT_TRUE(r.contains("checkins")) << res.body;
  const json::array& items = r["checkins"].as_array();
  ASSERT_EQ(items.size(), 4u) << res.body;
  const json::object& mentees = items[0].as_object();
  EXPECT_EQ(mentees.at("phase").as_string(), "midpoint");
  EXPECT_EQ(mentees.at("role").as_string(), "mentee");
  EXPECT_FALSE(mentees.at("withheld").as_bool());
  EXPECT_EQ(mentees.at("responses").as_object().at("value").as_int64(), 12);
  const json::array& working = mentees.at("working").as_object().at("cells").as_array();
  ASSERT_EQ(working.size(), 3u);
  EXPECT_EQ(working[0].as_object().at("label").as_string(), "yes");
  EXPECT_TRUE(working[0].as_object().at("value").is_null());
  EXPECT_EQ(working[0].as_object().at("suppression").as_string(), "secondary");
  EXPECT_EQ(working[1].as_object().at("value").as_int64(), 0);
  EXPECT_TRUE(working[2].as_object().at("value").is_null());
  EXPECT_EQ(working[2].as_object().at("suppression").as_string(), "primary");
  EXPECT_EQ(mentees.at("working").as_object().at("total").as_object().at("value").as_int64(), 12);
  const json::array& met = mentees.at("met").as_object().at("cells").as_array();
  EXPECT_TRUE(met[0].as_object().at("value").is_null());
  EXPECT_TRUE(met[1].as_object().at("value").is_null());
  const json::array& cont = mentees.at("would_continue").as_object().at("cells").as_array();
  EXPECT_EQ(cont[0].as_object().at("value").as_int64(), 12);
  EXPECT_EQ(cont[1].as_object().at("value").as_int64(), 0);
  EXPECT_DOUBLE_EQ(mentees.at("mean_goals_progress").as_double(), 3.5);
  // The lone mentor's tally is withheld whole: no figure at all.
  const json::object& mentor = items[1].as_object();
  EXPECT_EQ(mentor.at("role").as_string(), "mentor");
  EXPECT_TRUE(mentor.at("withheld").as_bool());
  EXPECT_TRUE(mentor.at("responses").as_object().at("value").is_null());
  EXPECT_FALSE(mentor.contains("working"));
  EXPECT_FALSE(mentor.contains("mean_goals_progress"));
  // Nobody has answered the end check-in: zero is published.
  EXPECT_EQ(items[2].as_object().at("phase").as_string(), "end");
  EXPECT_EQ(items[2].as_object().at("responses").as_object().at("value").as_int64(), 0);
  EXPECT_TRUE(items[2].as_object().at("mean_goals_progress").is_null());
}

TEST_F(ReportApiCheckinsTest, WithoutACheckinServiceTheReportHasNoTallies) {
  answer_midpoint();
  ctx_->checkins = nullptr;
  http::Response res = call("GET", report_path(""));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(body_of(res).contains("checkins"));
  http::Response csv = call("GET", report_path(".csv"));
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find("checkins_"), std::string::npos);
}

}  // namespace
}  // namespace mentoring
