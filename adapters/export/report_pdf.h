// The evaluation report (app/evaluation_report.h) as an A4 PDF for boards
// and funders: a tagged PDF (headings, paragraphs and tables with header
// cells) whose text is real text, so it can be searched, read aloud and
// extracted. Withheld counts print as "withheld", never as a number.
#pragma once

#include <cstdint>
#include <vector>

#include "app/evaluation_report.h"
#include "core/status.h"

namespace mentoring::exports {

// Internal "report_render_failed" when cairo reports an error.
core::Result<std::vector<std::uint8_t>> render_report_pdf(const app::EvaluationReport& report);

}  // namespace mentoring::exports
