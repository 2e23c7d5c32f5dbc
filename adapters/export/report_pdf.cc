#include "adapters/export/report_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "adapters/export/certificate.h"

namespace mentoring::exports {
namespace {

using core::Result;
using core::Status;
namespace ev = core::evaluation;

constexpr double kPageWidth = 595.28;
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kCellPadding = 3.0;

constexpr double kBlue[3] = {0.0, 0.369, 0.722};
constexpr double kInk[3] = {0.129, 0.169, 0.196};
constexpr double kRule[3] = {0.682, 0.718, 0.741};

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
struct LayoutDeleter {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
struct FontDeleter {
  void operator()(PangoFontDescription* f) const { pango_font_description_free(f); }
};

cairo_status_t append_to_vector(void* closure, const unsigned char* data, unsigned int length) {
  auto* out = static_cast<std::vector<std::uint8_t>*>(closure);
  out->insert(out->end(), data, data + length);
  return CAIRO_STATUS_SUCCESS;
}

std::string fixed(double v, int places = 2) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", places, v);
  return buf;
}

std::string percent(double v) { return fixed(100 * v, 1) + "%"; }

std::string count_text(const ev::PublishedCount& c) { return c.value ? std::to_string(*c.value) : "withheld"; }

std::string phase_name(core::RoundPhase p) {
  switch (p) {
    case core::RoundPhase::kBaseline:
      return "Baseline";
    case core::RoundPhase::kMidpoint:
      return "Midpoint";
    case core::RoundPhase::kEnd:
      return "End";
  }
  return "";
}

// Lays out text top to bottom over as many pages as it needs, wrapping
// every block in a structure tag so reading order and roles survive.
class Writer {
 public:
  explicit Writer(cairo_t* cr) : cr_(cr) {}

  void heading(const char* tag, const std::string& text) {
    const double size = tag[1] == '1' ? 20 : 14;
    need(size * 3);
    y_ += tag[1] == '1' ? 0 : 10;
    block(tag, text, std::string("Sans Bold ") + std::to_string(static_cast<int>(size)), kBlue, kMargin, kContentWidth);
    y_ += 6;
  }

  void paragraph(const std::string& text) {
    block("P", text, "Sans 10", kInk, kMargin, kContentWidth);
    y_ += 5;
  }

  // A table with one header row; `widths` are fractions of the content width.
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
             const std::vector<double>& widths) {
    cairo_tag_begin(cr_, "Table", nullptr);
    row(header, widths, true);
    for (const auto& r : rows) row(r, widths, false);
    cairo_tag_end(cr_, "Table");
    y_ += 8;
  }

  void finish() { cairo_show_page(cr_); }

 private:
  std::unique_ptr<PangoLayout, LayoutDeleter> layout(const std::string& text, const std::string& font, double width) {
    std::unique_ptr<PangoLayout, LayoutDeleter> l(pango_cairo_create_layout(cr_));
    // Pango assumes 96 dpi; the PDF's unit is the point.
    pango_cairo_context_set_resolution(pango_layout_get_context(l.get()), 72.0);
    pango_layout_context_changed(l.get());
    std::unique_ptr<PangoFontDescription, FontDeleter> desc(pango_font_description_from_string(font.c_str()));
    pango_layout_set_font_description(l.get(), desc.get());
    pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
    // Plain text, never markup: question text and names come from people.
    pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
    return l;
  }

  static double height_of(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void need(double height) {
    if (y_ + height <= kPageHeight - kMargin) return;
    cairo_show_page(cr_);
    y_ = kMargin;
  }

  void block(const char* tag, const std::string& text, const std::string& font, const double* colour, double x,
             double width) {
    auto l = layout(text, font, width);
    need(height_of(l.get()));
    cairo_tag_begin(cr_, tag, nullptr);
    cairo_set_source_rgb(cr_, colour[0], colour[1], colour[2]);
    cairo_move_to(cr_, x, y_);
    pango_cairo_show_layout(cr_, l.get());
    cairo_tag_end(cr_, tag);
    y_ += height_of(l.get());
  }

  void row(const std::vector<std::string>& cells, const std::vector<double>& widths, bool header) {
    const std::string font = header ? "Sans Bold 9" : "Sans 9";
    std::vector<std::unique_ptr<PangoLayout, LayoutDeleter>> layouts;
    double h = 0;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      layouts.push_back(layout(cells[i], font, widths[i] * kContentWidth - 2 * kCellPadding));
      h = std::max(h, height_of(layouts.back().get()));
    }
    h += 2 * kCellPadding;
    need(h);
    cairo_tag_begin(cr_, "TR", nullptr);
    double x = kMargin;
    for (std::size_t i = 0; i < layouts.size(); ++i) {
      const char* tag = header ? "TH" : "TD";
      cairo_tag_begin(cr_, tag, nullptr);
      cairo_set_source_rgb(cr_, kInk[0], kInk[1], kInk[2]);
      cairo_move_to(cr_, x + kCellPadding, y_ + kCellPadding);
      pango_cairo_show_layout(cr_, layouts[i].get());
      cairo_tag_end(cr_, tag);
      x += widths[i] * kContentWidth;
    }
    cairo_tag_end(cr_, "TR");
    // The rule under each row is decoration, outside the tagged content.
    cairo_set_source_rgb(cr_, kRule[0], kRule[1], kRule[2]);
    cairo_set_line_width(cr_, header ? 1.0 : 0.4);
    cairo_move_to(cr_, kMargin, y_ + h);
    cairo_line_to(cr_, kMargin + kContentWidth, y_ + h);
    cairo_stroke(cr_);
    y_ += h;
  }

  cairo_t* cr_;
  double y_ = kMargin;
};

void outcome_tables(Writer& w, const app::OutcomeSection& o) {
  std::vector<std::vector<std::string>> arcp;
  for (std::size_t i = 0; i < o.arcp.labels.size(); ++i)
    arcp.push_back({"Outcome " + o.arcp.labels[i], count_text(o.arcp.cells[i])});
  arcp.push_back({"All with an ARCP outcome", count_text(o.arcp.total)});
  w.paragraph("ARCP outcomes of " + o.cohort_name + " (latest outcome per person):");
  w.table({"ARCP outcome", "People"}, arcp, {0.6, 0.4});
  if (!o.exams.groups.empty()) {
    std::vector<std::vector<std::string>> exams;
    for (const auto& g : o.exams.groups)
      exams.push_back(
          {g.group, count_text(g.denominator), count_text(g.numerator),
           g.rate ? percent(g.rate->estimate) + " (" + percent(g.rate->ci_low) + " to " + percent(g.rate->ci_high) + ")"
                  : "withheld"});
    w.paragraph("Exam results of " + o.cohort_name + ":");
    w.table({"Exam", "Sat", "Passed", "Pass rate (95% CI)"}, exams, {0.35, 0.15, 0.15, 0.35});
  }
  std::vector<std::vector<std::string>> prep;
  for (std::size_t i = 0; i < o.preparedness.labels.size(); ++i)
    prep.push_back({"Rating " + o.preparedness.labels[i], count_text(o.preparedness.cells[i])});
  prep.push_back({"All rated", count_text(o.preparedness.total)});
  w.paragraph("FY1 preparedness ratings of " + o.cohort_name + ":");
  w.table({"Rating (1 to 5)", "People"}, prep, {0.6, 0.4});
  if (o.preparedness_summary)
    w.paragraph("Mean FY1 preparedness rating: " + fixed(o.preparedness_summary->mean) + " (SD " +
                fixed(o.preparedness_summary->sd) + ").");
}

std::string checkin_phase_name(core::CheckinPhase p) { return p == core::CheckinPhase::kMidpoint ? "Midpoint" : "End"; }

std::string role_name(core::Role r) { return r == core::Role::kMentee ? "Mentees" : "Mentors"; }

// The cell of `table` labelled `label`, as it may be shown.
std::string cell_text(const ev::PublishedCounts& table, const std::string& label) {
  for (std::size_t i = 0; i < table.labels.size() && i < table.cells.size(); ++i)
    if (table.labels[i] == label) return count_text(table.cells[i]);
  return "withheld";
}

void checkin_table(Writer& w, const std::vector<app::PublishedCheckinTally>& tallies) {
  w.heading("H2", "Midpoint and end check-ins");
  if (tallies.empty()) {
    w.paragraph("No check-in has been answered in this cohort.");
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const app::PublishedCheckinTally& t : tallies) {
    const std::string phase = checkin_phase_name(t.tally.phase);
    const std::string role = role_name(t.tally.role);
    if (t.withheld) {
      rows.push_back({phase, role, "withheld", "", "", "", "", "", ""});
    } else if (t.tally.responses == 0) {
      rows.push_back({phase, role, "0", "", "", "", "", "", ""});
    } else {
      rows.push_back({phase, role, std::to_string(t.tally.responses), cell_text(t.working, "yes"),
                      cell_text(t.working, "partly"), cell_text(t.working, "no"), cell_text(t.met, "not_met"),
                      cell_text(t.would_continue, "yes"), fixed(t.tally.mean_goals_progress, 1)});
    }
  }
  w.paragraph(
      "Answers of mentees and mentors to the midpoint and end check-ins: whether the relationship is "
      "working, whether the pair has not met, whether they would continue, and mean goals progress "
      "(1 none to 5 fully met).");
  w.table(
      {"Check-in", "Role", "Responses", "Working: yes", "Partly", "No", "Not met", "Would continue", "Goals progress"},
      rows, {0.11, 0.1, 0.12, 0.12, 0.11, 0.11, 0.11, 0.12, 0.1});
}

void write(Writer& w, const app::EvaluationReport& r, const std::vector<app::PublishedCheckinTally>& checkins) {
  w.heading("H1", "Evaluation report: " + r.scheme.name);
  std::string intro = "Cohort: " + r.cohort.name + " (" + format_long_date(r.cohort.starts_on) + " to " +
                      format_long_date(r.cohort.ends_on) + ").";
  if (r.comparator) intro += " Compared with the previous cohort: " + r.comparator->name + ".";
  w.paragraph(intro);
  w.paragraph("Generated on " + format_long_date(r.generated_on) + ". To protect individuals, counts from 1 to " +
              std::to_string(r.suppression_threshold - 1) +
              " are withheld, with further counts withheld where they would let a withheld count be worked out, "
              "and no statistics are given for fewer than " +
              std::to_string(r.suppression_threshold) + " people.");

  w.heading("H2", "Uptake");
  std::vector<std::vector<std::string>> uptake = {{"Mentees enrolled", count_text(r.uptake.mentees_enrolled)},
                                                  {"Mentors enrolled", count_text(r.uptake.mentors_enrolled)}};
  uptake.push_back(
      {"Target audience", r.uptake.audience_size ? std::to_string(*r.uptake.audience_size) : "not recorded"});
  uptake.push_back({"Uptake (95% CI)", r.uptake.uptake ? percent(r.uptake.uptake->estimate) + " (" +
                                                             percent(r.uptake.uptake->ci_low) + " to " +
                                                             percent(r.uptake.uptake->ci_high) + ")"
                                                       : "not available"});
  w.table({"Measure", "Value"}, uptake, {0.6, 0.4});

  w.heading("H2", "Survey responses");
  std::vector<std::vector<std::string>> responses;
  for (const auto& rr : r.responses) {
    for (std::size_t i = 0; i < rr.respondents.labels.size(); ++i)
      responses.push_back({phase_name(rr.phase) + " (" + rr.opens_on.to_string() + ")", rr.respondents.labels[i],
                           count_text(rr.respondents.cells[i])});
    responses.push_back(
        {phase_name(rr.phase) + " (" + rr.opens_on.to_string() + ")", "all", count_text(rr.respondents.total)});
  }
  if (responses.empty())
    w.paragraph("No survey round has been sent to this cohort.");
  else
    w.table({"Round", "Audience", "Respondents"}, responses, {0.4, 0.35, 0.25});

  w.heading("H2", "Change from baseline");
  std::vector<std::vector<std::string>> change;
  for (const auto& c : r.survey_change) {
    if (c.analysis)
      change.push_back({c.audience, c.text, count_text(c.pairs), fixed(c.analysis->mean_before),
                        fixed(c.analysis->mean_after),
                        fixed(c.analysis->mean_difference) + " (" + fixed(c.analysis->ci_low) + " to " +
                            fixed(c.analysis->ci_high) + ")",
                        fixed(c.analysis->cohens_dz)});
    else
      change.push_back({c.audience, c.text, count_text(c.pairs), "", "", "withheld", ""});
  }
  if (change.empty())
    w.paragraph("There are no paired baseline and later responses to compare.");
  else
    w.table({"Audience", "Question", "Pairs", "Before", "After", "Change (95% CI)", "Effect size (dz)"}, change,
            {0.11, 0.29, 0.1, 0.08, 0.08, 0.2, 0.14});

  if (r.comparator) {
    w.heading("H2", "Comparison with " + r.comparator->name);
    std::vector<std::vector<std::string>> cmp;
    for (const auto& c : r.comparison) {
      if (c.comparison)
        cmp.push_back({c.audience, c.text, count_text(c.current_n), count_text(c.comparator_n),
                       fixed(c.comparison->current.mean), fixed(c.comparison->comparator.mean),
                       fixed(c.comparison->mean_difference) + " (" + fixed(c.comparison->ci_low) + " to " +
                           fixed(c.comparison->ci_high) + ")",
                       c.comparison->hedges_g ? fixed(*c.comparison->hedges_g) : ""});
      else
        cmp.push_back(
            {c.audience, c.text, count_text(c.current_n), count_text(c.comparator_n), "", "", "withheld", ""});
    }
    if (cmp.empty())
      w.paragraph("There are no survey rounds of the same phase to compare.");
    else
      w.table({"Audience", "Question", "n (this)", "n (previous)", "Mean (this)", "Mean (previous)",
               "Difference (95% CI)", "Hedges g"},
              cmp, {0.1, 0.22, 0.1, 0.1, 0.09, 0.09, 0.2, 0.1});
  }

  w.heading("H2", "Outcomes");
  outcome_tables(w, r.outcomes);
  if (r.comparator_outcomes) outcome_tables(w, *r.comparator_outcomes);

  w.heading("H2", "Matching and meetings");
  if (r.engagement) {
    const auto& m = r.engagement->matched.overall;
    w.table({"Measure", "Value"},
            {{"Mentees matched", count_text(m.numerator)},
             {"Match rate (95% CI)", m.rate ? percent(m.rate->estimate) + " (" + percent(m.rate->ci_low) + " to " +
                                                  percent(m.rate->ci_high) + ")"
                                            : "withheld"},
             {"Pairings completed", count_text(r.engagement->pairings_completed)},
             {"Meetings held", count_text(r.engagement->meetings_held)}},
            {0.6, 0.4});
  } else {
    w.paragraph("Matching and meeting figures are not yet available.");
  }

  w.heading("H2", "Equity of access");
  if (r.equity.empty()) w.paragraph("Figures by demographic group are not yet available.");
  for (const auto& e : r.equity) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : e.rates.groups)
      rows.push_back({g.group, count_text(g.numerator), count_text(g.denominator),
                      g.rate ? percent(g.rate->estimate) : "withheld"});
    w.paragraph(e.dimension + " (" + e.measure + "):");
    w.table({"Group", "Numerator", "Denominator", "Rate"}, rows, {0.4, 0.2, 0.2, 0.2});
  }

  w.heading("H2", "SMART objectives");
  std::vector<std::vector<std::string>> objectives;
  for (const auto& l : r.objectives)
    objectives.push_back({l.objective.what, fixed(l.objective.baseline) + " " + l.objective.unit,
                          fixed(l.objective.target) + " " + l.objective.unit,
                          l.latest ? fixed(l.latest->value) + " " + l.objective.unit : "none yet",
                          format_long_date(l.objective.deadline), core::to_string(l.progress.state)});
  if (objectives.empty())
    w.paragraph("The scheme has no SMART objectives.");
  else
    w.table({"Objective", "Baseline", "Target", "Latest", "Deadline", "State"}, objectives,
            {0.34, 0.12, 0.12, 0.12, 0.16, 0.14});

  w.heading("H2", "Readiness for business-as-usual");
  w.paragraph("Governance: " + std::to_string(r.readiness.unassigned.size()) + " unassigned responsibilities, " +
              std::to_string(r.readiness.overdue.size()) + " overdue reports; " +
              std::to_string(r.readiness.smart_objectives) + " SMART objectives; " +
              std::to_string(r.readiness.training_modules) + " mentor training modules.");
  {
    const core::PerPairFigures& pp = r.readiness.per_pair;
    char hours[32] = "not recorded";
    if (pp.admin_hours_per_pair_per_month)
      std::snprintf(hours, sizeof hours, "%.1f hours", *pp.admin_hours_per_pair_per_month);
    std::string cost = "not recorded";
    if (pp.annual_cost_pence_per_pair) {
      char buf[48];
      std::snprintf(buf, sizeof buf, "\u00a3%lld.%02lld", static_cast<long long>(*pp.annual_cost_pence_per_pair / 100),
                    static_cast<long long>(*pp.annual_cost_pence_per_pair % 100));
      cost = buf;
    }
    w.paragraph("Active pairs: " + std::to_string(pp.active_pairs) + "; administrative time a month per pair: " +
                hours + "; cost a year per pair: " + cost + "; current funding ends: " +
                (r.readiness.funding_ends_on ? r.readiness.funding_ends_on->to_string() : "not recorded") + ".");
  }
  for (const auto& f : r.readiness.unmet) w.paragraph("Not yet met: " + f.message);
  if (r.readiness.unmet.empty()) w.paragraph("Every factor for business-as-usual is met.");

  checkin_table(w, checkins);

  if (!r.notes.empty()) {
    w.heading("H2", "Notes");
    for (const auto& n : r.notes) w.paragraph(n.message);
  }
}

}  // namespace

Result<std::vector<std::uint8_t>> render_report_pdf(const app::EvaluationReport& r,
                                                    const std::vector<app::PublishedCheckinTally>& checkins) {
  std::vector<std::uint8_t> pdf;
  std::unique_ptr<cairo_surface_t, SurfaceDeleter> surface(
      cairo_pdf_surface_create_for_stream(append_to_vector, &pdf, kPageWidth, kPageHeight));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Status::internal("report_render_failed", "The PDF surface could not be created.");
  const std::string title = "Evaluation report: " + r.scheme.name + ", " + r.cohort.name;
  // The generation day, not the time of rendering: the same report gives the same document information.
  const std::string when = r.generated_on.to_string() + "T00:00:00Z";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_SUBJECT, "Mentoring scheme evaluation");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Mentoring plugin");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, when.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_MOD_DATE, when.c_str());
  std::unique_ptr<cairo_t, ContextDeleter> context(cairo_create(surface.get()));
  cairo_t* cr = context.get();
  Writer w(cr);
  cairo_tag_begin(cr, "Document", nullptr);
  write(w, r, checkins);
  cairo_tag_end(cr, "Document");
  w.finish();
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
    return Status::internal("report_render_failed", "The report could not be drawn.");
  context.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    return Status::internal("report_render_failed", "The report PDF could not be written.");
  surface.reset();
  return pdf;
}

}  // namespace mentoring::exports
