// The evaluation part of the JSON API under /api/v1: survey questionnaires,
// rounds and responses; evaluation consent and outcome imports; and the
// evaluation report as JSON, CSV and PDF. Same bearer-token authentication
// and error shape as api.h; see docs/api.md and docs/evaluation.md.
//
// Outcome records are never returned by any route: they leave the plugin
// only as suppressed counts in a report.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "adapters/http/router.h"
#include "app/checkins.h"
#include "app/evaluation_report.h"
#include "app/outcome_import.h"
#include "app/survey.h"

namespace mentoring::api {

// Renders a report with the cohort's check-in tallies as a PDF
// (adapters/export/report_pdf.h); injected so the API does not depend on
// cairo.
using ReportPdfRenderer = std::function<core::Result<std::vector<std::uint8_t>>(
    const app::EvaluationReport&, const std::vector<app::PublishedCheckinTally>&)>;

struct EvaluationApiContext {
  app::SurveyService& surveys;
  app::OutcomeService& outcomes;
  app::EvaluationReportService& reports;
  // Empty: GET .../report.pdf answers 503 "report_pdf_unavailable".
  ReportPdfRenderer render_pdf;
  // Bearer token for host back-end calls; empty disables these routes.
  std::string service_token;
  // The cohort's midpoint and end check-in tallies, suppressed as on the
  // report page (app::CheckinService::tallies), go into the JSON, CSV and
  // PDF report; null leaves them out.
  app::CheckinService* checkins = nullptr;
};

// Adds the survey, outcome and report routes. `ctx` must outlive the router.
void add_survey_routes(http::Router& router, const EvaluationApiContext& ctx);
void add_outcome_routes(http::Router& router, const EvaluationApiContext& ctx);
void add_report_routes(http::Router& router, const EvaluationApiContext& ctx);

}  // namespace mentoring::api
