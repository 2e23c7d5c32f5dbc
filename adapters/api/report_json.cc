// The evaluation report as JSON. Withheld counts carry no value at all, only
// the kind of suppression, so a client cannot print one by mistake.
#include "adapters/api/survey_codec.h"

namespace mentoring::api {
namespace json = boost::json;
namespace ev = core::evaluation;

namespace {

json::object count_json(const ev::PublishedCount& c) {
  json::object o{{"suppression", ev::to_string(c.suppression)}};
  o["value"] = c.value ? json::value(*c.value) : json::value(nullptr);
  return o;
}

json::object counts_json(const ev::PublishedCounts& t) {
  json::array cells;
  for (std::size_t i = 0; i < t.labels.size() && i < t.cells.size(); ++i) {
    json::object cell = count_json(t.cells[i]);
    cell["label"] = t.labels[i];
    cells.push_back(std::move(cell));
  }
  return {{"cells", std::move(cells)}, {"total", count_json(t.total)}};
}

json::object proportion_json(const ev::Proportion& p) {
  return {{"estimate", p.estimate}, {"ci_low", p.ci_low}, {"ci_high", p.ci_high}, {"confidence", p.confidence}};
}

json::object rate_json(const ev::PublishedRate& r) {
  json::object o{
      {"group", r.group}, {"numerator", count_json(r.numerator)}, {"denominator", count_json(r.denominator)}};
  o["rate"] = r.rate ? json::value(proportion_json(*r.rate)) : json::value(nullptr);
  return o;
}

json::object rates_json(const ev::PublishedRates& r) {
  json::array groups;
  for (const auto& g : r.groups) groups.push_back(rate_json(g));
  return {{"groups", std::move(groups)}, {"overall", rate_json(r.overall)}};
}

json::object descriptive_json(const ev::Descriptive& d) {
  return {{"n", d.n}, {"mean", d.mean}, {"sd", d.sd}, {"min", d.min}, {"max", d.max}};
}

json::object paired_json(const ev::PairedAnalysis& a) {
  json::object o{{"n", a.n},
                 {"mean_before", a.mean_before},
                 {"mean_after", a.mean_after},
                 {"mean_difference", a.mean_difference},
                 {"sd_difference", a.sd_difference},
                 {"t", a.t_statistic},
                 {"df", a.degrees_of_freedom},
                 {"p_value", a.p_value},
                 {"confidence", a.confidence},
                 {"ci_low", a.ci_low},
                 {"ci_high", a.ci_high},
                 {"cohens_dz", a.cohens_dz}};
  o["cohens_dav"] = a.cohens_dav ? json::value(*a.cohens_dav) : json::value(nullptr);
  return o;
}

json::object comparison_json(const ev::CohortComparison& c) {
  json::object o{{"current", descriptive_json(c.current)},
                 {"comparator", descriptive_json(c.comparator)},
                 {"mean_difference", c.mean_difference},
                 {"t", c.t_statistic},
                 {"df", c.degrees_of_freedom},
                 {"p_value", c.p_value},
                 {"confidence", c.confidence},
                 {"ci_low", c.ci_low},
                 {"ci_high", c.ci_high}};
  o["hedges_g"] = c.hedges_g ? json::value(*c.hedges_g) : json::value(nullptr);
  return o;
}

json::object outcomes_json(const app::OutcomeSection& s) {
  json::object o{{"cohortid", s.cohortid},
                 {"cohort", s.cohort_name},
                 {"arcp", counts_json(s.arcp)},
                 {"exams", rates_json(s.exams)},
                 {"fy1_preparedness", counts_json(s.preparedness)}};
  o["fy1_preparedness_summary"] =
      s.preparedness_summary ? json::value(descriptive_json(*s.preparedness_summary)) : json::value(nullptr);
  return o;
}

json::object cohort_json(const core::Cohort& c) {
  return {{"id", c.id}, {"name", c.name}, {"starts_on", c.starts_on.to_string()}, {"ends_on", c.ends_on.to_string()}};
}

}  // namespace

json::array checkins_json(const std::vector<app::PublishedCheckinTally>& tallies) {
  json::array out;
  for (const app::PublishedCheckinTally& t : tallies) {
    json::object o{{"phase", core::to_string(t.tally.phase)},
                   {"role", core::to_string(t.tally.role)},
                   {"withheld", t.withheld}};
    if (t.withheld) {
      o["responses"] = count_json(ev::PublishedCount{std::nullopt, ev::Suppression::kPrimary});
    } else {
      o["responses"] = count_json(ev::PublishedCount{t.tally.responses, ev::Suppression::kNone});
      if (t.tally.responses > 0) {
        o["working"] = counts_json(t.working);
        o["met"] = counts_json(t.met);
        o["would_continue"] = counts_json(t.would_continue);
        o["mean_goals_progress"] = t.tally.mean_goals_progress;
      } else {
        o["mean_goals_progress"] = nullptr;
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

json::object to_json(const app::EvaluationReport& r) {
  json::object out;
  out["scheme"] =
      json::object{{"id", r.scheme.id}, {"name", r.scheme.name}, {"phase", core::to_string(r.scheme.phase)}};
  out["cohort"] = cohort_json(r.cohort);
  out["comparator"] = r.comparator ? json::value(cohort_json(*r.comparator)) : json::value(nullptr);
  out["generated_on"] = r.generated_on.to_string();
  out["suppression_threshold"] = r.suppression_threshold;

  json::object uptake{{"mentees_enrolled", count_json(r.uptake.mentees_enrolled)},
                      {"mentors_enrolled", count_json(r.uptake.mentors_enrolled)}};
  uptake["audience_size"] = r.uptake.audience_size ? json::value(*r.uptake.audience_size) : json::value(nullptr);
  uptake["uptake"] = r.uptake.uptake ? json::value(proportion_json(*r.uptake.uptake)) : json::value(nullptr);
  out["uptake"] = std::move(uptake);

  json::array responses;
  for (const auto& rr : r.responses)
    responses.push_back(json::object{{"roundid", rr.roundid},
                                     {"phase", core::to_string(rr.phase)},
                                     {"opens_on", rr.opens_on.to_string()},
                                     {"closes_on", rr.closes_on.to_string()},
                                     {"respondents", counts_json(rr.respondents)}});
  out["responses"] = std::move(responses);

  json::array change;
  for (const auto& c : r.survey_change) {
    json::object o{{"audience", c.audience},
                   {"key", c.key},
                   {"text", c.text},
                   {"after_phase", core::to_string(c.after_phase)},
                   {"pairs", count_json(c.pairs)}};
    o["analysis"] = c.analysis ? json::value(paired_json(*c.analysis)) : json::value(nullptr);
    if (!c.withheld_reason.empty()) o["withheld_reason"] = c.withheld_reason;
    change.push_back(std::move(o));
  }
  out["survey_change"] = std::move(change);

  json::array comparison;
  for (const auto& c : r.comparison) {
    json::object o{{"audience", c.audience},
                   {"key", c.key},
                   {"text", c.text},
                   {"phase", core::to_string(c.phase)},
                   {"current_n", count_json(c.current_n)},
                   {"comparator_n", count_json(c.comparator_n)}};
    o["comparison"] = c.comparison ? json::value(comparison_json(*c.comparison)) : json::value(nullptr);
    if (!c.withheld_reason.empty()) o["withheld_reason"] = c.withheld_reason;
    comparison.push_back(std::move(o));
  }
  out["comparison"] = std::move(comparison);

  out["outcomes"] = outcomes_json(r.outcomes);
  out["comparator_outcomes"] =
      r.comparator_outcomes ? json::value(outcomes_json(*r.comparator_outcomes)) : json::value(nullptr);

  if (r.engagement) {
    out["engagement"] = json::object{{"matched", rates_json(r.engagement->matched)},
                                     {"pairings_completed", count_json(r.engagement->pairings_completed)},
                                     {"meetings_held", count_json(r.engagement->meetings_held)}};
  } else {
    out["engagement"] = nullptr;
  }
  json::array equity;
  for (const auto& e : r.equity)
    equity.push_back(json::object{{"dimension", e.dimension}, {"measure", e.measure}, {"rates", rates_json(e.rates)}});
  out["equity"] = std::move(equity);

  json::array objectives;
  for (const auto& l : r.objectives) {
    json::object o{{"id", l.objective.id},
                   {"what", l.objective.what},
                   {"metric", l.objective.metric},
                   {"unit", l.objective.unit},
                   {"baseline", l.objective.baseline},
                   {"target", l.objective.target},
                   {"deadline", l.objective.deadline.to_string()},
                   {"deadline_passed", l.deadline_passed},
                   {"state", core::to_string(l.progress.state)},
                   {"fraction", l.progress.fraction},
                   {"time_elapsed", l.progress.time_elapsed}};
    if (l.latest)
      o["latest"] = json::object{{"value", l.latest->value}, {"measured_on", l.latest->measured_on.to_string()}};
    else
      o["latest"] = nullptr;
    objectives.push_back(std::move(o));
  }
  out["objectives"] = std::move(objectives);

  json::array unassigned, overdue, unmet;
  for (auto u : r.readiness.unassigned) unassigned.push_back(json::value(core::to_string(u)));
  for (const auto& o : r.readiness.overdue)
    overdue.push_back(json::object{{"responsibility", core::to_string(o.responsibility)},
                                   {"due", o.due.to_string()},
                                   {"days_overdue", o.days_overdue}});
  for (const auto& f : r.readiness.unmet)
    unmet.push_back(json::object{{"reason", f.reason}, {"field", f.field}, {"message", f.message}});
  out["readiness"] = json::object{{"phase", core::to_string(r.readiness.phase)},
                                  {"unassigned", std::move(unassigned)},
                                  {"overdue_reports", std::move(overdue)},
                                  {"smart_objectives", r.readiness.smart_objectives},
                                  {"training_modules", r.readiness.training_modules},
                                  {"unmet", std::move(unmet)}};
  {
    const core::PerPairFigures& pp = r.readiness.per_pair;
    json::object& readiness = out["readiness"].as_object();
    readiness["active_pairs"] = pp.active_pairs;
    readiness["admin_hours_per_pair_per_month"] =
        pp.admin_hours_per_pair_per_month ? json::value(*pp.admin_hours_per_pair_per_month) : json::value(nullptr);
    readiness["annual_cost_pence_per_pair"] =
        pp.annual_cost_pence_per_pair ? json::value(*pp.annual_cost_pence_per_pair) : json::value(nullptr);
    readiness["funding_ends_on"] =
        r.readiness.funding_ends_on ? json::value(r.readiness.funding_ends_on->to_string()) : json::value(nullptr);
  }
  json::array notes;
  for (const auto& n : r.notes)
    notes.push_back(json::object{{"section", n.section}, {"reason", n.reason}, {"message", n.message}});
  out["notes"] = std::move(notes);
  return out;
}

}  // namespace mentoring::api
