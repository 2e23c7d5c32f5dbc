// Use cases for evaluation surveys (core/survey.h): questionnaires per
// scheme, rounds per cohort, and one response per person per round that the
// person may change until the round closes. Each call is one transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/evaluation_stores.h"
#include "core/stores.h"
#include "core/survey.h"

namespace mentoring::app {

class SurveyService {
 public:
  SurveyService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Validates (core::validate) and stores; input.id and times are ignored.
  // NotFound "scheme_not_found".
  core::Result<core::Questionnaire> create_questionnaire(const core::Questionnaire& input);
  // Stores core::default_questionnaire for the scheme.
  core::Result<core::Questionnaire> create_default_questionnaire(std::int64_t schemeid);
  core::Result<std::vector<core::Questionnaire>> list_questionnaires(std::int64_t schemeid);

  // The questionnaire and the cohort must belong to scheme `schemeid`
  // (NotFound "questionnaire_not_found"; invalid
  // "survey_cohort_other_scheme"). NotFound "cohort_not_found".
  core::Result<core::SurveyRound> create_round(std::int64_t schemeid, const core::SurveyRound& input);
  core::Result<std::vector<core::SurveyRound>> list_rounds(std::int64_t schemeid);

  // Records a person's answers to a round (create) or replaces them
  // (change). Checks, in order: the round exists (survey_round_not_found),
  // it is open today (survey_round_not_open, survey_round_closed), the
  // audience is one the round was sent to (survey_audience_not_invited),
  // the account exists, a mentee or mentor is enrolled in the round's cohort
  // in that role (survey_not_in_audience), and the answers
  // (core::validate_answers). Create: AlreadyExists survey_response_exists;
  // change: NotFound survey_response_not_found.
  core::Result<core::SurveyResponse> submit(std::int64_t roundid, std::int64_t accountid, const std::string& audience,
                                            std::vector<core::Answer> answers);
  core::Result<core::SurveyResponse> change(std::int64_t roundid, std::int64_t accountid, const std::string& audience,
                                            std::vector<core::Answer> answers);
  // The person's own response to a round, if they have answered it.
  // NotFound "survey_round_not_found".
  core::Result<std::optional<core::SurveyResponse>> my_response(std::int64_t roundid, std::int64_t accountid);

 private:
  core::Result<core::SurveyResponse> save(std::int64_t roundid, std::int64_t accountid, const std::string& audience,
                                          std::vector<core::Answer> answers, bool replace);
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
