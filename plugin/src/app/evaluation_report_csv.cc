#include "app/evaluation_report_csv.h"

#include <cstdio>
#include <vector>

#include "core/csv.h"

namespace mentoring::app {
namespace ev = core::evaluation;

namespace {

// Enough digits to reproduce the figure, without trailing noise.
std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

class Sheet {
 public:
  Sheet() {
    rows_.push_back({"section", "cohort", "group", "item", "measure", "value", "suppression", "ci_low", "ci_high"});
  }
  void add(const std::string& section, const std::string& cohort, const std::string& group, const std::string& item,
           const std::string& measure, const std::string& value, const std::string& suppression = "none",
           const std::string& lo = "", const std::string& hi = "") {
    rows_.push_back({section, cohort, group, item, measure, value, suppression, lo, hi});
  }
  void count(const std::string& section, const std::string& cohort, const std::string& group, const std::string& item,
             const std::string& measure, const ev::PublishedCount& c) {
    add(section, cohort, group, item, measure, c.value ? std::to_string(*c.value) : "", ev::to_string(c.suppression));
  }
  void counts(const std::string& section, const std::string& cohort, const std::string& group,
              const ev::PublishedCounts& t, const std::string& measure) {
    for (std::size_t i = 0; i < t.labels.size() && i < t.cells.size(); ++i)
      count(section, cohort, group, t.labels[i], measure, t.cells[i]);
    count(section, cohort, group, "total", measure, t.total);
  }
  void rate(const std::string& section, const std::string& cohort, const std::string& group, const std::string& item,
            const ev::PublishedRate& r) {
    count(section, cohort, group, item, "numerator", r.numerator);
    count(section, cohort, group, item, "denominator", r.denominator);
    if (r.rate)
      add(section, cohort, group, item, "rate", number(r.rate->estimate), "none", number(r.rate->ci_low),
          number(r.rate->ci_high));
    else
      add(section, cohort, group, item, "rate", "", "withheld");
  }
  std::string text() const { return core::write_csv(rows_, core::CsvWriteOptions{true, true}); }

 private:
  std::vector<std::vector<std::string>> rows_;
};

void outcomes(Sheet& s, const OutcomeSection& o) {
  s.counts("outcomes_arcp", o.cohort_name, "", o.arcp, "people");
  for (const auto& g : o.exams.groups) s.rate("outcomes_exams", o.cohort_name, g.group, "passed", g);
  s.counts("outcomes_fy1_preparedness", o.cohort_name, "", o.preparedness, "people");
  if (o.preparedness_summary)
    s.add("outcomes_fy1_preparedness", o.cohort_name, "", "rating", "mean", number(o.preparedness_summary->mean));
}

void checkins(Sheet& s, const std::string& cohort, const std::vector<PublishedCheckinTally>& tallies) {
  for (const PublishedCheckinTally& t : tallies) {
    const std::string section = std::string("checkins_") + core::to_string(t.tally.phase);
    const std::string group = core::to_string(t.tally.role);
    if (t.withheld) {
      s.add(section, cohort, group, "responses", "people", "", ev::to_string(ev::Suppression::kPrimary));
      continue;
    }
    s.add(section, cohort, group, "responses", "people", std::to_string(t.tally.responses));
    if (t.tally.responses == 0) continue;
    s.counts(section, cohort, group, t.working, "working");
    s.counts(section, cohort, group, t.met, "met");
    s.counts(section, cohort, group, t.would_continue, "would_continue");
    s.add(section, cohort, group, "goals_progress", "mean", number(t.tally.mean_goals_progress));
  }
}

}  // namespace

std::string report_csv(const EvaluationReport& r, const std::vector<PublishedCheckinTally>& tallies) {
  Sheet s;
  const std::string& cohort = r.cohort.name;
  s.count("uptake", cohort, "mentees", "enrolled", "people", r.uptake.mentees_enrolled);
  s.count("uptake", cohort, "mentors", "enrolled", "people", r.uptake.mentors_enrolled);
  if (r.uptake.audience_size)
    s.add("uptake", cohort, "mentees", "target_audience", "people", std::to_string(*r.uptake.audience_size));
  if (r.uptake.uptake)
    s.add("uptake", cohort, "mentees", "uptake", "rate", number(r.uptake.uptake->estimate), "none",
          number(r.uptake.uptake->ci_low), number(r.uptake.uptake->ci_high));
  for (const auto& rr : r.responses)
    s.counts("responses", cohort, core::to_string(rr.phase), rr.respondents, "respondents");
  for (const auto& c : r.survey_change) {
    s.count("survey_change", cohort, c.audience, c.key, "pairs", c.pairs);
    if (c.analysis) {
      s.add("survey_change", cohort, c.audience, c.key, "mean_before", number(c.analysis->mean_before));
      s.add("survey_change", cohort, c.audience, c.key, "mean_after", number(c.analysis->mean_after));
      s.add("survey_change", cohort, c.audience, c.key, "mean_difference", number(c.analysis->mean_difference), "none",
            number(c.analysis->ci_low), number(c.analysis->ci_high));
      s.add("survey_change", cohort, c.audience, c.key, "cohens_dz", number(c.analysis->cohens_dz));
      s.add("survey_change", cohort, c.audience, c.key, "p_value", number(c.analysis->p_value));
    } else {
      s.add("survey_change", cohort, c.audience, c.key, "mean_difference", "", c.withheld_reason);
    }
  }
  for (const auto& c : r.comparison) {
    const std::string comparator = r.comparator ? r.comparator->name : "";
    s.count("comparison", cohort, c.audience, c.key, "n", c.current_n);
    s.count("comparison", comparator, c.audience, c.key, "n", c.comparator_n);
    if (c.comparison) {
      s.add("comparison", cohort, c.audience, c.key, "mean", number(c.comparison->current.mean));
      s.add("comparison", comparator, c.audience, c.key, "mean", number(c.comparison->comparator.mean));
      s.add("comparison", cohort, c.audience, c.key, "mean_difference", number(c.comparison->mean_difference), "none",
            number(c.comparison->ci_low), number(c.comparison->ci_high));
      if (c.comparison->hedges_g)
        s.add("comparison", cohort, c.audience, c.key, "hedges_g", number(*c.comparison->hedges_g));
    } else {
      s.add("comparison", cohort, c.audience, c.key, "mean_difference", "", c.withheld_reason);
    }
  }
  outcomes(s, r.outcomes);
  if (r.comparator_outcomes) outcomes(s, *r.comparator_outcomes);
  if (r.engagement) {
    s.rate("engagement", cohort, "mentees", "matched", r.engagement->matched.overall);
    s.count("engagement", cohort, "pairings", "completed", "pairings", r.engagement->pairings_completed);
    s.count("engagement", cohort, "meetings", "held", "meetings", r.engagement->meetings_held);
  }
  for (const auto& e : r.equity) {
    for (const auto& g : e.rates.groups) s.rate("equity_" + e.dimension, cohort, g.group, e.measure, g);
    s.rate("equity_" + e.dimension, cohort, "all", e.measure, e.rates.overall);
  }
  for (const auto& l : r.objectives) {
    s.add("objectives", "", l.objective.what, l.objective.metric, "target", number(l.objective.target));
    if (l.latest) s.add("objectives", "", l.objective.what, l.objective.metric, "latest", number(l.latest->value));
    s.add("objectives", "", l.objective.what, l.objective.metric, "state", core::to_string(l.progress.state));
    s.add("objectives", "", l.objective.what, l.objective.metric, "deadline", l.objective.deadline.to_string());
  }
  s.add("readiness", "", "", "unassigned_responsibilities", "count", std::to_string(r.readiness.unassigned.size()));
  s.add("readiness", "", "", "overdue_reports", "count", std::to_string(r.readiness.overdue.size()));
  for (const auto& f : r.readiness.unmet) s.add("readiness", "", "", f.reason, "unmet", f.message);
  checkins(s, cohort, tallies);
  for (const auto& n : r.notes) s.add("notes", cohort, n.section, n.reason, "note", n.message);
  return s.text();
}

}  // namespace mentoring::app
