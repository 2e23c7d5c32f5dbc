// The evaluation report PDF, read back with poppler's pdftotext and pdfinfo,
// which parse it independently of cairo: the text is real text in reading
// order, withheld counts print as "withheld", the document is tagged, and
// long reports flow onto further pages.
#include "adapters/export/report_pdf.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace mentoring::exports {
namespace {
namespace ev = core::evaluation;

core::Date d(const char* s) { return *core::Date::parse(s); }

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

ev::PublishedCount shown(std::int64_t v) { return ev::PublishedCount{v, ev::Suppression::kNone}; }
ev::PublishedCount withheld() { return ev::PublishedCount{std::nullopt, ev::Suppression::kPrimary}; }

app::EvaluationReport sample(int objectives) {
  app::EvaluationReport r;
  r.scheme.id = 4;
  r.scheme.name = "FY1 mentoring <North West>";
  r.cohort.id = 9;
  r.cohort.name = "August 2026";
  r.cohort.starts_on = d("2026-08-05");
  r.cohort.ends_on = d("2027-08-04");
  r.generated_on = d("2027-08-10");
  r.uptake.mentees_enrolled = shown(25);
  r.uptake.mentors_enrolled = withheld();
  r.uptake.audience_size = 100;
  r.uptake.uptake = ev::Proportion{25, 100, 0.25, 0.95, 0.176, 0.343};
  app::RoundResponses rr;
  rr.phase = core::RoundPhase::kBaseline;
  rr.opens_on = d("2026-08-01");
  rr.respondents = ev::PublishedCounts{{"mentees", "mentors"}, {shown(12), withheld()}, withheld()};
  r.responses.push_back(rr);
  app::QuestionChange c;
  c.audience = "mentees";
  c.key = "confidence";
  c.text = "How confident do you feel in your current role?";
  c.pairs = shown(12);
  ev::PairedAnalysis a;
  a.n = 12;
  a.mean_before = 2.5;
  a.mean_after = 3.0;
  a.mean_difference = 0.5;
  a.ci_low = 0.17;
  a.ci_high = 0.83;
  a.cohens_dz = 0.96;
  c.analysis = a;
  r.survey_change.push_back(c);
  c.audience = "mentors";
  c.pairs = withheld();
  c.analysis.reset();
  c.withheld_reason = "too_few_people";
  r.survey_change.push_back(c);
  r.outcomes.cohort_name = "August 2026";
  r.outcomes.arcp = ev::PublishedCounts{{"1", "2", "5"}, {shown(12), withheld(), withheld()}, shown(25)};
  r.outcomes.preparedness = ev::PublishedCounts{{"1", "2"}, {shown(0), shown(0)}, shown(0)};
  for (int i = 0; i < objectives; ++i) {
    app::ObjectiveLine l;
    l.objective.what = "Objective number " + std::to_string(i + 1) + " about preparedness for practice";
    l.objective.unit = "%";
    l.objective.baseline = 40;
    l.objective.target = 60;
    l.objective.deadline = d("2027-07-31");
    l.progress.state = core::ObjectiveState::kOnTrack;
    r.objectives.push_back(l);
  }
  r.notes.push_back(
      app::ReportNote{"engagement", "not_yet_available", "Matching and meeting figures are not yet available."});
  return r;
}

std::string write_pdf(const std::vector<std::uint8_t>& pdf, const std::string& name) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
  return path;
}

TEST(ReportPdfTest, TextTablesAndWithheldCountsAreReadableByPdftotext) {
  auto pdf = render_report_pdf(sample(1), {});
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const std::string path = write_pdf(*pdf, "report.pdf");
  const std::string text = squash(run("pdftotext -enc UTF-8 '" + path + "' -"));
  EXPECT_NE(text.find("Evaluation report: FY1 mentoring <North West>"), std::string::npos) << text;
  EXPECT_NE(text.find("Cohort: August 2026 (5 August 2026 to 4 August 2027)"), std::string::npos) << text;
  EXPECT_NE(text.find("counts from 1 to 9 are withheld"), std::string::npos);
  EXPECT_NE(text.find("Mentees enrolled 25"), std::string::npos) << text;
  EXPECT_NE(text.find("Mentors enrolled withheld"), std::string::npos) << text;
  EXPECT_NE(text.find("Uptake (95% CI) 25.0% (17.6% to 34.3%)"), std::string::npos) << text;
  // Table rows keep their cells on one line in the physical layout.
  const std::string layout = squash(run("pdftotext -layout -enc UTF-8 '" + path + "' -"));
  EXPECT_NE(layout.find("mentees How confident do you feel in 12 2.50 3.00 0.50 (0.17 to 0.83) 0.96"),
            std::string::npos)
      << layout;
  EXPECT_NE(layout.find("mentors How confident do you feel in withheld withheld"), std::string::npos) << layout;
  EXPECT_NE(text.find("Outcome 5 withheld"), std::string::npos) << text;
  EXPECT_NE(text.find("All with an ARCP outcome 25"), std::string::npos) << text;
  EXPECT_NE(text.find("Matching and meeting figures are not yet available."), std::string::npos);
  // Reading order follows the report's sections.
  EXPECT_LT(text.find("Uptake"), text.find("Change from baseline"));
  EXPECT_LT(text.find("Change from baseline"), text.find("SMART objectives"));

  const std::string info = run("pdfinfo '" + path + "'");
  EXPECT_NE(squash(info).find("Tagged: yes"), std::string::npos) << info;
  EXPECT_NE(info.find("Evaluation report: FY1 mentoring <North West>, August 2026"), std::string::npos) << info;
}

TEST(ReportPdfTest, LongReportsFlowOntoFurtherPages) {
  auto short_pdf = render_report_pdf(sample(1), {});
  auto long_pdf = render_report_pdf(sample(80), {});
  ASSERT_TRUE(short_pdf.is_ok() && long_pdf.is_ok());
  const std::string info = run("pdfinfo '" + write_pdf(*long_pdf, "long.pdf") + "'");
  const auto at = info.find("Pages:");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(std::stoi(info.substr(at + 6)), 3) << info;
  const std::string text = squash(run("pdftotext -enc UTF-8 '" + write_pdf(*long_pdf, "long.pdf") + "' -"));
  EXPECT_NE(text.find("Objective number 80 about preparedness"), std::string::npos);
  EXPECT_NE(text.find("Objective number 1 about preparedness"), std::string::npos);
}

// Hand-made tallies as app::CheckinService::tallies gives them: midpoint
// mentees published (12 responses, with two cells withheld by primary and
// secondary suppression), midpoint mentors withheld whole (1 to 9 responses),
// no end check-in answered yet.
std::vector<app::PublishedCheckinTally> checkin_tallies() {
  std::vector<app::PublishedCheckinTally> out;
  app::PublishedCheckinTally mentees;
  mentees.tally.phase = core::CheckinPhase::kMidpoint;
  mentees.tally.role = core::Role::kMentee;
  mentees.tally.responses = 12;
  mentees.tally.working_yes = 10;
  mentees.tally.working_no = 2;
  mentees.tally.not_met = 2;
  mentees.tally.would_continue_yes = 12;
  mentees.tally.mean_goals_progress = 3.5;
  mentees.working =
      ev::PublishedCounts{{"yes", "partly", "no"},
                          {ev::PublishedCount{std::nullopt, ev::Suppression::kSecondary}, shown(0), withheld()},
                          shown(12)};
  mentees.met = ev::PublishedCounts{
      {"not_met", "met"}, {withheld(), ev::PublishedCount{std::nullopt, ev::Suppression::kSecondary}}, shown(12)};
  mentees.would_continue = ev::PublishedCounts{{"yes", "no_or_unsure"}, {shown(12), shown(0)}, shown(12)};
  out.push_back(mentees);
  app::PublishedCheckinTally mentors;
  mentors.tally.phase = core::CheckinPhase::kMidpoint;
  mentors.tally.role = core::Role::kMentor;
  mentors.withheld = true;
  out.push_back(mentors);
  for (core::Role role : {core::Role::kMentee, core::Role::kMentor}) {
    app::PublishedCheckinTally end;
    end.tally.phase = core::CheckinPhase::kEnd;
    end.tally.role = role;
    out.push_back(end);
  }
  return out;
}

TEST(ReportPdfTest, CheckinTalliesPrintAsThePageShowsThem) {
  auto pdf = render_report_pdf(sample(1), checkin_tallies());
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const std::string path = write_pdf(*pdf, "checkins.pdf");
  const std::string text = squash(run("pdftotext -enc UTF-8 '" + path + "' -"));
  EXPECT_NE(text.find("Midpoint and end check-ins"), std::string::npos) << text;
  EXPECT_LT(text.find("Readiness for business-as-usual"), text.find("Midpoint and end check-ins"));
  const std::string layout = squash(run("pdftotext -layout -enc UTF-8 '" + path + "' -"));
  // Responses, working yes / partly / no, not met, would continue, goals progress.
  EXPECT_NE(layout.find("Midpoint Mentees 12 withheld 0 withheld withheld 12 3.5"), std::string::npos) << layout;
  EXPECT_NE(layout.find("Midpoint Mentors withheld"), std::string::npos) << layout;
  EXPECT_NE(layout.find("End Mentees 0"), std::string::npos) << layout;
  EXPECT_NE(layout.find("End Mentors 0"), std::string::npos) << layout;
  // The withheld counts (10 working, 2 not working or not met) are not printed.
  const std::string table = layout.substr(layout.find("Midpoint and end check-ins"));
  EXPECT_EQ(table.find(" 10 "), std::string::npos) << table;
  EXPECT_EQ(table.find(" 2 "), std::string::npos) << table;
}

TEST(ReportPdfTest, NoCheckinTalliesSaySo) {
  auto pdf = render_report_pdf(sample(1), {});
  ASSERT_TRUE(pdf.is_ok());
  const std::string text = squash(run("pdftotext -enc UTF-8 '" + write_pdf(*pdf, "nocheckins.pdf") + "' -"));
  EXPECT_NE(text.find("No check-in has been answered in this cohort."), std::string::npos) << text;
}

}  // namespace
}  // namespace mentoring::exports
