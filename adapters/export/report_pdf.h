// The evaluation report (app/evaluation_report.h) as an A4 PDF for boards
// and funders: a tagged PDF (headings, paragraphs and tables with header
// cells) whose text is real text, so it can be searched, read aloud and
// extracted. Withheld counts print as "withheld", never as a number.
//
// The cohort's midpoint and end check-in tallies (app/checkins.h) follow
// the readiness section as one table, figures as the report page shows
// them: a tally of 1 to 9 responses prints as withheld whole, and within a
// published tally each withheld cell prints as "withheld".
#pragma once

#include <cstdint>
#include <vector>

#include "app/checkins.h"
#include "app/evaluation_report.h"
#include "core/status.h"

namespace mentoring::exports {

// Internal "report_render_failed" when cairo reports an error.
core::Result<std::vector<std::uint8_t>> render_report_pdf(const app::EvaluationReport& report,
                                                          const std::vector<app::PublishedCheckinTally>& checkins);

}  // namespace mentoring::exports
