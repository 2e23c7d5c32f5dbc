// JSON for the evaluation routes: questionnaires, rounds, responses, consent,
// outcome import summaries and the evaluation report. Readers are strict
// (unknown fields refused, every error naming its field), as in setup_codec.h.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "app/checkins.h"
#include "app/evaluation_report.h"
#include "app/outcome_import.h"
#include "core/evaluation_stores.h"
#include "core/survey.h"

namespace mentoring::api {

boost::json::object to_json(const core::Questionnaire& q);
boost::json::object to_json(const core::SurveyRound& r);
boost::json::object to_json(const core::SurveyResponse& r);
boost::json::object to_json(const core::EvaluationConsent& c);
boost::json::object to_json(const app::OutcomeImportSummary& s);
boost::json::object to_json(const app::EvaluationReport& r);
// The report's "checkins": one object per check-in (phase) and role, with
// "withheld" true and no figures for a tally of 1 to 9 responses; otherwise
// "responses", "working", "met" and "would_continue" (cells and total, each
// withheld cell with a null value and its suppression, as elsewhere in the
// report) and "mean_goals_progress" (null with no responses).
boost::json::array checkins_json(const std::vector<app::PublishedCheckinTally>& tallies);

// {"default": true} for core::default_questionnaire, or {"name", "questions"}.
// Returns nullopt for the default.
core::Result<std::optional<core::Questionnaire>> questionnaire_from_json(std::int64_t schemeid,
                                                                         const boost::json::object& o);
core::Result<core::SurveyRound> round_from_json(const boost::json::object& o);

struct ResponseInput {
  std::int64_t accountid = 0;
  std::string audience;
  std::vector<core::Answer> answers;
};
// {"accountid", "audience", "answers": {"<key>": number | "text" | ["option", ...] | null}}
core::Result<ResponseInput> response_from_json(const boost::json::object& o);

}  // namespace mentoring::api
