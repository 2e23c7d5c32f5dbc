// The SOCI implementations of the evaluation store ports
// (core/evaluation_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
#pragma once

#include "core/evaluation_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociSurveyStore final : public core::SurveyStore {
 public:
  explicit SociSurveyStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Questionnaire> create_questionnaire(const core::Questionnaire& questionnaire,
                                                         core::UnixSeconds now) override;
  core::Result<std::optional<core::Questionnaire>> find_questionnaire(std::int64_t id) override;
  core::Result<std::vector<core::Questionnaire>> list_questionnaires(std::int64_t schemeid) override;
  core::Result<core::SurveyRound> create_round(const core::SurveyRound& round, core::UnixSeconds now) override;
  core::Result<std::optional<core::SurveyRound>> find_round(std::int64_t id) override;
  core::Result<std::vector<core::SurveyRound>> list_rounds(std::int64_t schemeid) override;
  core::Result<std::optional<core::SurveyResponse>> find_response(std::int64_t roundid,
                                                                  std::int64_t accountid) override;
  core::Result<core::SurveyResponse> create_response(const core::SurveyResponse& response,
                                                     core::UnixSeconds now) override;
  core::Result<core::SurveyResponse> update_response(const core::SurveyResponse& response,
                                                     core::UnixSeconds now) override;
  core::Result<std::vector<core::SurveyResponse>> list_responses(std::int64_t roundid) override;
  core::Result<bool> is_enrolled(std::int64_t cohortid, std::int64_t accountid, const std::string& role) override;

 private:
  core::Result<std::vector<core::Question>> questions(std::int64_t questionnaireid);
  core::Result<std::vector<core::SurveyRound>> rounds_where(const std::string& where, std::int64_t id);
  core::Result<std::vector<core::SurveyResponse>> responses_where(const std::string& where, std::int64_t a,
                                                                  std::int64_t b);
  void insert_answers(std::int64_t responseid, const std::vector<core::Answer>& answers, core::UnixSeconds now);
  TxContext& tx_;
};

class SociEvaluationStore final : public core::EvaluationStore {
 public:
  explicit SociEvaluationStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::EvaluationConsent> save_consent(const core::EvaluationConsent& consent,
                                                     core::UnixSeconds now) override;
  core::Result<std::optional<core::EvaluationConsent>> find_consent(std::int64_t accountid) override;
  core::Status save_audience_size(std::int64_t cohortid, std::int64_t size, core::UnixSeconds now) override;
  core::Result<std::optional<std::int64_t>> find_audience_size(std::int64_t cohortid) override;
  core::Result<std::int64_t> erase_person(std::int64_t accountid) override;

 private:
  TxContext& tx_;
};

class SociOutcomeStore final : public core::OutcomeStore {
 public:
  explicit SociOutcomeStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<std::int64_t>> find_account_by_email(const std::string& email) override;
  core::Status add(const core::OutcomeRecord& record, core::UnixSeconds now) override;
  core::Result<std::vector<core::OutcomeRecord>> list_for_cohort(std::int64_t schemeid, std::int64_t cohortid) override;
  core::Result<std::int64_t> count(std::int64_t schemeid) override;

 private:
  TxContext& tx_;
};

// The three evaluation stores on one TxContext.
struct SociEvaluationStores {
  explicit SociEvaluationStores(TxContext& tx) : surveys(tx), evaluation(tx), outcomes(tx) {}
  SociSurveyStore surveys;
  SociEvaluationStore evaluation;
  SociOutcomeStore outcomes;
};

}  // namespace mentoring::storage
