#include "app/survey.h"

#include <algorithm>

#include "app/setup_unit_of_work.h"
#include "app/unit_of_work.h"
#include "app/webhook_events.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Result<core::Questionnaire> SurveyService::create_questionnaire(const core::Questionnaire& input) {
  MENTORING_RETURN_IF_ERROR(core::validate(input));
  return in_transaction<core::Questionnaire>(db_, [&](core::Stores& s) -> Result<core::Questionnaire> {
    auto scheme = require_scheme(s, input.schemeid);
    if (!scheme) return scheme.status();
    return s.surveys.create_questionnaire(input, clock_.now());
  });
}

Result<core::Questionnaire> SurveyService::create_default_questionnaire(std::int64_t schemeid) {
  return create_questionnaire(core::default_questionnaire(schemeid));
}

Result<std::vector<core::Questionnaire>> SurveyService::list_questionnaires(std::int64_t schemeid) {
  return in_transaction<std::vector<core::Questionnaire>>(
      db_, [&](core::Stores& s) -> Result<std::vector<core::Questionnaire>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return s.surveys.list_questionnaires(schemeid);
      });
}

Result<core::SurveyRound> SurveyService::create_round(std::int64_t schemeid, const core::SurveyRound& input) {
  MENTORING_RETURN_IF_ERROR(core::validate(input));
  return in_transaction<core::SurveyRound>(db_, [&](core::Stores& s) -> Result<core::SurveyRound> {
    auto qn = s.surveys.find_questionnaire(input.questionnaireid);
    if (!qn) return qn.status();
    if (!qn->has_value() || (*qn)->schemeid != schemeid)
      return Status::not_found("questionnaire_not_found", "The scheme has no questionnaire with that id.");
    auto cohort = s.schemes.find_cohort(input.cohortid);
    if (!cohort) return cohort.status();
    if (!cohort->has_value()) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    if ((*cohort)->schemeid != schemeid)
      return Status::invalid("survey_cohort_other_scheme", "The cohort belongs to another scheme.", "cohortid");
    const core::UnixSeconds now = clock_.now();
    auto round = s.surveys.create_round(input, now);
    if (!round) return round.status();
    // Each person the round is sent to hears of it once, with the round.
    auto announced = append_survey_due_events(s, *round, schemeid, now);
    if (!announced) return announced.status();
    return round;
  });
}

Result<std::vector<core::SurveyRound>> SurveyService::list_rounds(std::int64_t schemeid) {
  return in_transaction<std::vector<core::SurveyRound>>(db_,
                                                        [&](core::Stores& s) -> Result<std::vector<core::SurveyRound>> {
                                                          auto scheme = require_scheme(s, schemeid);
                                                          if (!scheme) return scheme.status();
                                                          return s.surveys.list_rounds(schemeid);
                                                        });
}

Result<core::SurveyResponse> SurveyService::submit(std::int64_t roundid, std::int64_t accountid,
                                                   const std::string& audience, std::vector<core::Answer> answers) {
  return save(roundid, accountid, audience, std::move(answers), false);
}

Result<core::SurveyResponse> SurveyService::change(std::int64_t roundid, std::int64_t accountid,
                                                   const std::string& audience, std::vector<core::Answer> answers) {
  return save(roundid, accountid, audience, std::move(answers), true);
}

Result<core::SurveyResponse> SurveyService::save(std::int64_t roundid, std::int64_t accountid,
                                                 const std::string& audience, std::vector<core::Answer> answers,
                                                 bool replace) {
  return in_transaction<core::SurveyResponse>(db_, [&](core::Stores& s) -> Result<core::SurveyResponse> {
    const core::UnixSeconds now = clock_.now();
    auto round = s.surveys.find_round(roundid);
    if (!round) return round.status();
    if (!round->has_value())
      return Status::not_found("survey_round_not_found", "There is no survey round with that id.");
    const core::SurveyRound& r = **round;
    MENTORING_RETURN_IF_ERROR(core::check_round_open(r, core::Date::from_unix(now)));
    if (std::find(r.audiences.begin(), r.audiences.end(), audience) == r.audiences.end())
      return Status::invalid("survey_audience_not_invited", "The round was not sent to that audience.", "audience");
    MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
    if (audience == core::kAudienceMentees || audience == core::kAudienceMentors) {
      auto enrolled =
          s.surveys.is_enrolled(r.cohortid, accountid, audience == core::kAudienceMentees ? "mentee" : "mentor");
      if (!enrolled) return enrolled.status();
      if (!*enrolled)
        return Status::permission_denied(
            "survey_not_in_audience",
            "The person is not enrolled in the round's cohort as one of its " + audience + ".");
    }
    auto qn = s.surveys.find_questionnaire(r.questionnaireid);
    if (!qn) return qn.status();
    if (!qn->has_value())
      return Status::not_found("questionnaire_not_found", "There is no questionnaire with that id.");
    auto checked = core::validate_answers(**qn, std::move(answers));
    if (!checked) return checked.status();
    core::SurveyResponse response;
    response.roundid = roundid;
    response.accountid = accountid;
    response.audience = audience;
    response.answers = std::move(checked).value();
    return replace ? s.surveys.update_response(response, now) : s.surveys.create_response(response, now);
  });
}

Result<std::optional<core::SurveyResponse>> SurveyService::my_response(std::int64_t roundid,
                                                                      std::int64_t accountid) {
  return in_transaction<std::optional<core::SurveyResponse>>(
      db_, [&](core::Stores& s) -> Result<std::optional<core::SurveyResponse>> {
        auto round = s.surveys.find_round(roundid);
        if (!round) return round.status();
        if (!*round) return Status::not_found("survey_round_not_found", "There is no survey round with that id.");
        return s.surveys.find_response(roundid, accountid);
      });
}

}  // namespace mentoring::app
