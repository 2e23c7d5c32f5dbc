// The evaluation report CSV carries the cohort's check-in tallies as the
// report page shows them (app::CheckinService::tallies): for a hand-made
// cohort of twelve mentees and one mentor answering the midpoint check-in,
// every row is compared with figures worked out by hand, including which
// cells primary and secondary suppression withhold.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "app/checkins.h"
#include "app/evaluation_report_csv.h"
#include "concern_checkin_fixture.h"

namespace mentoring::testing {
namespace {

using ReportCheckinsCsv = ConcernApiTest;

core::CheckinAnswers answer(core::CheckinWorking working, core::CheckinFrequency frequency, int progress,
                            core::WouldContinue would_continue) {
  core::CheckinAnswers a;
  a.working = working;
  a.frequency = frequency;
  a.goals_progress = progress;
  a.would_continue = would_continue;
  return a;
}

// The CSV's data rows, without the byte order mark and line ends.
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

std::size_t rows_starting(const std::set<std::string>& lines, const std::string& prefix) {
  std::size_t n = 0;
  for (const auto& l : lines) n += l.rfind(prefix, 0) == 0 ? 1 : 0;
  return n;
}

TEST_F(ReportCheckinsCsv, TalliesAppearWithTheFiguresWorkedOutByHand) {
  // Eleven more mentees, each paired with a second mentor, beside the
  // fixture's pair: twelve mentees in all.
  std::vector<std::pair<std::int64_t, std::int64_t>> mentees = {{mentee_, pairing_}};  // (account, pairing)
  const core::UnixSeconds start = unix_ms_of("2026-08-05") / 1000;
  write([&](core::Stores& s) {
    auto mentor = s.enrolments.create(cohort_, account(s, "second-mentor"), core::Role::kMentor, 1);
    ASSERT_TRUE(mentor.is_ok());
    ASSERT_TRUE(s.pairings.sync_place(cohort_, mentor->id, 20, 1).is_ok());
    for (int i = 0; i < 11; ++i) {
      const std::int64_t a = account(s, "mentee" + std::to_string(i));
      auto e = s.enrolments.create(cohort_, a, core::Role::kMentee, 1);
      ASSERT_TRUE(e.is_ok());
      auto p = s.pairings.create_active(core::PairingInput{cohort_, e->id, mentor->id}, start);
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      mentees.push_back({a, p->id});
    }
  });
  clock_.set_ms(unix_ms_of("2027-02-01"));  // the midpoint window is open
  // Ten mentees: working, meeting monthly, progress 4, would continue.
  // Two: not working, have not met, progress 1, would still continue.
  for (std::size_t i = 0; i < mentees.size(); ++i) {
    const bool well = i < 10;
    auto saved = checkins_->save(mentees[i].first, mentees[i].second, core::CheckinPhase::kMidpoint,
                                 answer(well ? core::CheckinWorking::kYes : core::CheckinWorking::kNo,
                                        well ? core::CheckinFrequency::kMonthly : core::CheckinFrequency::kNotMet,
                                        well ? 4 : 1, core::WouldContinue::kYes));
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
  }
  // One mentor answers: a tally of one, withheld whole.
  auto mentor_saved = checkins_->save(
      mentor_, pairing_, core::CheckinPhase::kMidpoint,
      answer(core::CheckinWorking::kPartly, core::CheckinFrequency::kMonthly, 3, core::WouldContinue::kUnsure));
  ASSERT_TRUE(mentor_saved.is_ok()) << mentor_saved.status().to_string();

  auto tallies = checkins_->tallies(cohort_);
  ASSERT_TRUE(tallies.is_ok()) << tallies.status().to_string();
  app::EvaluationReport report;
  report.cohort.id = cohort_;
  report.cohort.name = "August 2026";
  const std::string csv = app::report_csv(report, *tallies);
  const auto lines = lines_of(csv);
  const std::string mentee = "checkins_midpoint,August 2026,mentee,";
  // Working: yes 10, partly 0, no 2 of 12. The 2 is under 10 (primary);
  // with the total published, 12 - 0 - yes would give it back, so the
  // smallest other non-zero cell, yes, is withheld too (secondary).
  for (const std::string& row : {
           mentee + "responses,people,12,none,,",
           mentee + "yes,working,,secondary,,",
           mentee + "partly,working,0,none,,",
           mentee + "no,working,,primary,,",
           mentee + "total,working,12,none,,",
           // Not met 2 (primary), met 10 (secondary: 12 - 10 = 2).
           mentee + "not_met,met,,primary,,",
           mentee + "met,met,,secondary,,",
           mentee + "total,met,12,none,,",
           // Every mentee would continue: 12 and 0 are both safe to show.
           mentee + "yes,would_continue,12,none,,",
           mentee + "no_or_unsure,would_continue,0,none,,",
           mentee + "total,would_continue,12,none,,",
           // (10 x 4 + 2 x 1) / 12 = 42 / 12 = 3.5.
           mentee + "goals_progress,mean,3.5,none,,",
           // One mentor: nothing but a withheld count, with no value.
           std::string("checkins_midpoint,August 2026,mentor,responses,people,,primary,,"),
           // Nobody has answered the end check-in yet: zero is published.
           std::string("checkins_end,August 2026,mentee,responses,people,0,none,,"),
           std::string("checkins_end,August 2026,mentor,responses,people,0,none,,"),
       })
    EXPECT_EQ(lines.count(row), 1u) << row << "\n" << csv;
  EXPECT_EQ(rows_starting(lines, mentee), 12u) << csv;
  EXPECT_EQ(rows_starting(lines, "checkins_midpoint,August 2026,mentor,"), 1u) << csv;
  EXPECT_EQ(rows_starting(lines, "checkins_end,"), 2u) << csv;
  // The withheld values appear nowhere in the check-in rows.
  for (const auto& l : lines) {
    if (l.rfind("checkins_", 0) != 0) continue;
    EXPECT_EQ(l.find(",2,"), std::string::npos) << l;
    EXPECT_EQ(l.find(",10,"), std::string::npos) << l;
    EXPECT_EQ(l.find(",1,"), std::string::npos) << l;
  }
}

TEST_F(ReportCheckinsCsv, WithoutTalliesTheCsvHasNoCheckinRows) {
  app::EvaluationReport report;
  report.cohort.name = "August 2026";
  EXPECT_EQ(app::report_csv(report).find("checkins_"), std::string::npos);
}

}  // namespace
}  // namespace mentoring::testing
