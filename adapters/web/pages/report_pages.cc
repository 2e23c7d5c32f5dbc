// The evaluation report for staff (app/evaluation_report.h): /staff/reports
// picks a cohort of the scheme (and, optionally, an earlier cohort as the
// comparator) and shows uptake, survey change with its 95% confidence
// interval and effect size, engagement, equity of access, progress against
// the SMART objectives, business-as-usual readiness and the check-in tallies,
// each chart with its data table beside it. Small numbers arrive already
// withheld from the report service. The CSV and PDF downloads are audited
// as exports.
#include <cmath>
#include <cstdio>

#include "adapters/web/pages/money.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/audit.h"
#include "app/checkins.h"
#include "app/evaluation_report.h"
#include "app/evaluation_report_csv.h"
#include "core/evaluation/chart.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
namespace ev = core::evaluation;
using core::Result;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

std::string fixed(double v, int places = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

std::string percent(double v) { return fixed(v * 100.0, 1) + "%"; }


std::string count_text(const Strings& s, const ev::PublishedCount& c) {
  return c.value ? std::to_string(*c.value) : s.text("report:withheld");
}

std::string rate_text(const Strings& s, const ev::PublishedRate& r) {
  if (!r.rate) return s.text("report:withheld");
  return percent(r.rate->estimate) + " (" + std::to_string(r.rate->successes) + "/" + std::to_string(r.rate->trials) +
         "; 95% CI " + percent(r.rate->ci_low) + "–" + percent(r.rate->ci_high) + ")";
}

struct Chosen {
  std::optional<core::Scheme> scheme;
  std::vector<core::Cohort> cohorts;
  std::optional<std::int64_t> cohort;
  std::optional<std::int64_t> compare;
};

// The scheme of the session and the cohorts the query names; invalid
// report_cohort_invalid for an id that is not a number.
Result<Chosen> choose(const PageContext& ctx, const SignedIn& who, const http::Request& req) {
  Chosen c;
  auto scheme = session_scheme(ctx, who);
  if (!scheme) return scheme.status();
  c.scheme = *scheme;
  if (!c.scheme) return c;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto cohorts = s.schemes.list_cohorts(c.scheme->id);
    if (!cohorts) return cohorts.status();
    c.cohorts = std::move(*cohorts);
    return Status::ok();
  });
  if (!st) return st;
  for (const char* name : {"cohort", "compare"}) {
    const std::string_view v = req.query_param(name);
    if (v.empty()) continue;
    auto id = parse_id(v);
    if (!id) return Status::invalid("report_cohort_invalid", "Choose a cohort from the list.", name);
    (std::string_view(name) == "cohort" ? c.cohort : c.compare) = *id;
  }
  if (!c.cohort && !c.cohorts.empty()) c.cohort = c.cohorts.back().id;
  return c;
}

std::string query_of(const Chosen& c) {
  std::string q = "?cohort=" + std::to_string(c.cohort.value_or(0));
  if (c.compare) q += "&compare=" + std::to_string(*c.compare);
  return q;
}

km::data fact(const Strings& s, const char* key, std::string value) {
  km::data f;
  f.set("key", s.text(key));
  f.set("value", std::move(value));
  return f;
}

km::data report_data(const PageContext& ctx, const app::EvaluationReport& r,
                     const std::vector<app::PublishedCheckinTally>& tallies) {
  const Strings& s = ctx.renderer.strings();
  km::data d;
  km::data uptake{km::data::type::list};
  uptake.push_back(fact(s, "report:mentees_enrolled", count_text(s, r.uptake.mentees_enrolled)));
  uptake.push_back(fact(s, "report:mentors_enrolled", count_text(s, r.uptake.mentors_enrolled)));
  uptake.push_back(fact(s, "report:audience_size",
                        r.uptake.audience_size ? std::to_string(*r.uptake.audience_size) : s.text("report:not_recorded")));
  if (r.uptake.uptake)
    uptake.push_back(fact(s, "report:uptake_rate",
                          percent(r.uptake.uptake->estimate) + " (95% CI " + percent(r.uptake.uptake->ci_low) + "–" +
                              percent(r.uptake.uptake->ci_high) + ")"));
  if (r.engagement) {
    uptake.push_back(fact(s, "report:match_rate", rate_text(s, r.engagement->matched.overall)));
    uptake.push_back(fact(s, "report:pairings_completed", count_text(s, r.engagement->pairings_completed)));
    uptake.push_back(fact(s, "report:meetings_held", count_text(s, r.engagement->meetings_held)));
  }
  d.set("uptake", uptake);

  // Survey change: a chart and the table of the same figures.
  ev::IntervalChart chart;
  chart.id = "survey-change";
  chart.title = s.text("report:change_chart_title");
  chart.description = s.text("report:change_chart_description");
  km::data changes{km::data::type::list};
  for (const app::QuestionChange& q : r.survey_change) {
    km::data row;
    row.set("question", q.text);
    row.set("audience", q.audience);
    row.set("pairs", count_text(s, q.pairs));
    if (q.analysis) {
      row.set("before", fixed(q.analysis->mean_before));
      row.set("after", fixed(q.analysis->mean_after));
      row.set("change", fixed(q.analysis->mean_difference));
      row.set("ci", fixed(q.analysis->ci_low) + " to " + fixed(q.analysis->ci_high));
      row.set("effect", fixed(q.analysis->cohens_dz));
      row.set("p", q.analysis->p_value < 0.001 ? std::string("< 0.001") : fixed(q.analysis->p_value, 3));
      chart.rows.push_back({q.text + " (" + q.audience + ")", q.analysis->mean_difference, q.analysis->ci_low,
                            q.analysis->ci_high});
    } else {
      row.set("withheld", flag(true));
      chart.rows.push_back({q.text + " (" + q.audience + ")", std::nullopt, 0, 0});
    }
    changes.push_back(row);
  }
  d.set("changes", changes);
  d.set("has_changes", flag(!r.survey_change.empty()));
  if (!chart.rows.empty()) d.set("change_chart", ev::render_interval_chart(chart).svg);

  km::data comparison{km::data::type::list};
  for (const app::QuestionComparison& q : r.comparison) {
    km::data row;
    row.set("question", q.text);
    row.set("audience", q.audience);
    row.set("current_n", count_text(s, q.current_n));
    row.set("comparator_n", count_text(s, q.comparator_n));
    row.set("result", q.comparison ? fixed(q.comparison->mean_difference) + " (95% CI " +
                                         fixed(q.comparison->ci_low) + " to " + fixed(q.comparison->ci_high) + ")"
                                   : s.text("report:withheld"));
    comparison.push_back(row);
  }
  d.set("comparison", comparison);
  d.set("has_comparison", flag(!r.comparison.empty()));
  if (r.comparator) d.set("comparator_name", r.comparator->name);

  km::data equity{km::data::type::list};
  for (const app::EquityBreakdown& e : r.equity) {
    for (const ev::PublishedRate& g : e.rates.groups) {
      km::data row;
      row.set("dimension", e.dimension);
      row.set("measure", e.measure);
      row.set("group", g.group);
      row.set("rate", rate_text(s, g));
      equity.push_back(row);
    }
  }
  d.set("equity", equity);
  d.set("has_equity", flag(!r.equity.empty()));

  km::data objectives{km::data::type::list};
  for (const app::ObjectiveLine& o : r.objectives) {
    km::data row;
    row.set("title", o.objective.what);
    row.set("deadline", o.objective.deadline.to_string());
    row.set("target", fixed(o.objective.target, 1) + " " + o.objective.unit);
    row.set("latest", o.latest ? fixed(o.latest->value, 1) + " " + o.objective.unit : s.text("report:not_recorded"));
    row.set("progress", percent(o.progress.fraction));
    row.set("passed", flag(o.deadline_passed));
    objectives.push_back(row);
  }
  d.set("objectives", objectives);
  d.set("has_objectives", flag(!r.objectives.empty()));

  km::data unmet{km::data::type::list};
  for (const core::Finding& f : r.readiness.unmet) {
    km::data row;
    row.set("text", f.message);
    unmet.push_back(row);
  }
  d.set("unmet", unmet);
  d.set("ready", flag(r.readiness.unmet.empty()));
  // What running the scheme takes, per active pair, from its plan.
  const core::PerPairFigures& pp = r.readiness.per_pair;
  d.set("active_pairs", std::to_string(pp.active_pairs));
  d.set("admin_per_pair", pp.admin_hours_per_pair_per_month
                              ? fixed(*pp.admin_hours_per_pair_per_month, 1)
                              : s.text("report:not_recorded"));
  d.set("cost_per_pair", pp.annual_cost_pence_per_pair ? pounds_shown(*pp.annual_cost_pence_per_pair)
                                                       : s.text("report:not_recorded"));
  d.set("funding_ends_on", r.readiness.funding_ends_on ? r.readiness.funding_ends_on->to_string()
                                                       : s.text("report:not_recorded"));

  km::data notes{km::data::type::list};
  for (const app::ReportNote& n : r.notes) {
    km::data row;
    row.set("section", n.section);
    row.set("text", n.message);
    notes.push_back(row);
  }
  d.set("notes", notes);
  d.set("has_notes", flag(!r.notes.empty()));

  km::data checkins{km::data::type::list};
  for (const app::PublishedCheckinTally& t : tallies) {
    km::data row;
    row.set("phase", s.text(std::string("feedback:phase_") + core::to_string(t.tally.phase)));
    row.set("role", s.text(std::string("report:role_") + core::to_string(t.tally.role)));
    row.set("withheld", flag(t.withheld));
    row.set("responses", std::to_string(t.tally.responses));
    row.set("working_yes", !t.working.cells.empty() && t.working.cells[0].value
                               ? std::to_string(*t.working.cells[0].value)
                               : s.text("report:withheld"));
    row.set("not_met", std::to_string(t.tally.not_met));
    row.set("would_continue", std::to_string(t.tally.would_continue_yes));
    row.set("progress", t.tally.responses > 0 ? fixed(t.tally.mean_goals_progress, 1) : std::string("–"));
    checkins.push_back(row);
  }
  d.set("checkin_tallies", checkins);
  d.set("has_checkin_tallies", flag(!tallies.empty()));
  d.set("threshold", std::to_string(r.suppression_threshold));
  d.set("generated_on", r.generated_on.to_string());
  d.set("cohort_name", r.cohort.name);
  return d;
}

// The report for a download, with its audit entry written first: a refused
// audit means no file.
Result<app::EvaluationReport> report_for_export(const PageContext& ctx, const SignedIn& who, const Chosen& c,
                                                const char* summary) {
  auto r = ctx.services.reports->report(c.scheme->id, *c.cohort, c.compare);
  if (!r) return r.status();
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    return app::audit(s, core::Actor::account(who.account.id), core::AuditAction::kExport, "evaluation_report",
                      *c.cohort, summary, ctx.clock.now());
  });
  if (!st) return st;
  return r;
}

}  // namespace

http::Response staff_reports(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req, {cap::kEvaluationView});
  if (!a) return std::move(a.refusal);
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, *a.signed_in, s.text("page:staff_reports_title"), "/staff/reports");
  auto c = choose(ctx, *a.signed_in, req);
  if (!c) return failure_page(ctx, c.status());
  data.set("has_scheme", flag(c->scheme.has_value()));
  data.set("action", href(ctx, "/staff/reports"));
  km::data cohorts{km::data::type::list}, compare{km::data::type::list};
  km::data none;
  none.set("value", "");
  none.set("label", s.text("report:no_comparator"));
  none.set("selected", flag(!c->compare));
  compare.push_back(none);
  for (const core::Cohort& k : c->cohorts) {
    km::data o;
    o.set("value", std::to_string(k.id));
    o.set("label", k.name);
    o.set("selected", flag(c->cohort == k.id));
    cohorts.push_back(o);
    km::data p;
    p.set("value", std::to_string(k.id));
    p.set("label", k.name);
    p.set("selected", flag(c->compare == k.id));
    compare.push_back(p);
  }
  data.set("cohorts", cohorts);
  data.set("compare_options", compare);
  data.set("has_cohorts", flag(!c->cohorts.empty()));
  if (c->scheme && c->cohort && ctx.services.reports) {
    auto r = ctx.services.reports->report(c->scheme->id, *c->cohort, c->compare);
    if (!r) {
      if (r.status().code() != core::Code::kInvalidArgument && r.status().code() != core::Code::kNotFound)
        return failure_page(ctx, r.status());
      data.set("report_error", r.status().message());
    } else {
      std::vector<app::PublishedCheckinTally> tallies;
      if (ctx.services.checkins) {
        auto t = ctx.services.checkins->tallies(*c->cohort);
        if (!t) return failure_page(ctx, t.status());
        tallies = std::move(*t);
      }
      data.set("report", report_data(ctx, *r, tallies));
      data.set("csv_href", href(ctx, "/staff/reports/download/csv" + query_of(*c)));
      data.set("pdf_href", href(ctx, "/staff/reports/download/pdf" + query_of(*c)));
      data.set("has_pdf", flag(static_cast<bool>(ctx.services.render_report_pdf)));
    }
  }
  return render_page(ctx, 200, "staff_reports", data);
}

http::Response staff_report_download(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req, {cap::kEvaluationView});
  if (!a) return std::move(a.refusal);
  if (!ctx.services.reports)
    return failure_page(ctx, Status::unavailable("service_unavailable", "Reports are not available."));
  const std::string_view format = p.get("format");
  if (format != "csv" && format != "pdf")
    return failure_page(ctx, Status::not_found("report_format_not_found", "Reports download as CSV or PDF."));
  auto c = choose(ctx, *a.signed_in, req);
  if (!c) return failure_page(ctx, c.status());
  if (!c->scheme || !c->cohort)
    return failure_page(ctx, Status::not_found("cohort_not_found", "There is no cohort to report on."));
  if (format == "pdf" && !ctx.services.render_report_pdf)
    return failure_page(ctx, Status::unavailable("report_pdf_unavailable", "PDF reports are not available here."));
  auto r = report_for_export(ctx, *a.signed_in, *c, format == "csv" ? "report downloaded as CSV"
                                                                    : "report downloaded as PDF");
  if (!r) return failure_page(ctx, r.status());
  // The same check-in tallies as the page shows beside the report.
  std::vector<app::PublishedCheckinTally> tallies;
  if (ctx.services.checkins) {
    auto t = ctx.services.checkins->tallies(*c->cohort);
    if (!t) return failure_page(ctx, t.status());
    tallies = std::move(*t);
  }
  http::Response res;
  res.status = 200;
  const std::string name = "evaluation-report-cohort-" + std::to_string(*c->cohort);
  if (format == "csv") {
    res.body = app::report_csv(*r, tallies);
    res.set_header("Content-Type", "text/csv; charset=utf-8");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
  } else {
    auto pdf = ctx.services.render_report_pdf(*r, tallies);
    if (!pdf) return failure_page(ctx, pdf.status());
    res.body.assign(pdf->begin(), pdf->end());
    res.set_header("Content-Type", "application/pdf");
    res.set_header("Content-Disposition", "attachment; filename=\"" + name + ".pdf\"");
  }
  res.set_header("Cache-Control", "no-store");
  apply_security_headers(res, ctx.policy);
  return res;
}

}  // namespace mentoring::web::pages
