// The evaluation report as CSV for spreadsheets: one figure per row, in
// "long" form (section, cohort, group, item, measure, value, suppression,
// ci_low, ci_high), so every table of the report fits one sheet and can be
// pivoted. Withheld counts have an empty value and their suppression kind.
// Every field goes through core::csv_escape_field, so text from staff or
// participants (question text, exam names) cannot run as a formula.
//
// The cohort's midpoint and end check-in tallies (app/checkins.h), as the
// report page shows them, follow in sections "checkins_midpoint" and
// "checkins_end" (group "mentee" or "mentor"): a tally of 1 to 9 responses
// is one row of withheld responses; a published tally gives its responses,
// its three tables of answers (each cell as CheckinService::tallies
// suppressed it) and the mean goals progress.
#pragma once

#include <string>
#include <vector>

#include "app/checkins.h"
#include "app/evaluation_report.h"

namespace mentoring::app {

std::string report_csv(const EvaluationReport& report, const std::vector<PublishedCheckinTally>& checkins = {});

}  // namespace mentoring::app
