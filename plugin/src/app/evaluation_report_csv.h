// The evaluation report as CSV for spreadsheets: one figure per row, in
// "long" form (section, cohort, group, item, measure, value, suppression,
// ci_low, ci_high), so every table of the report fits one sheet and can be
// pivoted. Withheld counts have an empty value and their suppression kind.
// Every field goes through core::csv_escape_field, so text from staff or
// participants (question text, exam names) cannot run as a formula.
#pragma once

#include <string>

#include "app/evaluation_report.h"

namespace mentoring::app {

std::string report_csv(const EvaluationReport& report);

}  // namespace mentoring::app
