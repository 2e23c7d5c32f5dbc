// Storage ports for evaluating a scheme: surveys and their responses,
// evaluation consent and target audience sizes, imported outcome records,
// and the read-only aggregate ports the evaluation report draws on.
//
// Outcome records are personal and sensitive (ARCP outcomes, exam results):
// OutcomeStore has no call that returns one person's records, only the
// records of a whole cohort for aggregation inside the report use case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/evaluation/disclosure.h"
#include "core/outcome.h"
#include "core/status.h"
#include "core/survey.h"

namespace mentoring::core {

class SurveyStore {
 public:
  virtual ~SurveyStore() = default;
  // Stores the questionnaire and its questions (ids and times ignored) and
  // returns them with ids. NotFound "scheme_not_found".
  virtual Result<Questionnaire> create_questionnaire(const Questionnaire& questionnaire, UnixSeconds now) = 0;
  virtual Result<std::optional<Questionnaire>> find_questionnaire(std::int64_t id) = 0;
  // Oldest first.
  virtual Result<std::vector<Questionnaire>> list_questionnaires(std::int64_t schemeid) = 0;

  // NotFound "questionnaire_not_found" or "cohort_not_found".
  virtual Result<SurveyRound> create_round(const SurveyRound& round, UnixSeconds now) = 0;
  virtual Result<std::optional<SurveyRound>> find_round(std::int64_t id) = 0;
  // Rounds of every cohort of the scheme, by opening date then id.
  virtual Result<std::vector<SurveyRound>> list_rounds(std::int64_t schemeid) = 0;

  virtual Result<std::optional<SurveyResponse>> find_response(std::int64_t roundid, std::int64_t accountid) = 0;
  // AlreadyExists "survey_response_exists" when the person has answered
  // the round; NotFound "survey_round_not_found" / "account_not_found".
  virtual Result<SurveyResponse> create_response(const SurveyResponse& response, UnixSeconds now) = 0;
  // Replaces the answers (and audience) of the person's response, keeping
  // its id and timecreated. NotFound "survey_response_not_found".
  virtual Result<SurveyResponse> update_response(const SurveyResponse& response, UnixSeconds now) = 0;
  // Every response of a round with its answers, by account id.
  virtual Result<std::vector<SurveyResponse>> list_responses(std::int64_t roundid) = 0;
  // Whether the account holds an enrolment (any status) in the cohort as
  // `role` ("mentee" or "mentor"): who may answer for those audiences.
  virtual Result<bool> is_enrolled(std::int64_t cohortid, std::int64_t accountid, const std::string& role) = 0;
};

struct EvaluationConsent {
  std::int64_t accountid = 0;
  bool given = false;
  Date recorded_on;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

class EvaluationStore {
 public:
  virtual ~EvaluationStore() = default;
  // Inserts or replaces the person's answer. NotFound "account_not_found".
  virtual Result<EvaluationConsent> save_consent(const EvaluationConsent& consent, UnixSeconds now) = 0;
  virtual Result<std::optional<EvaluationConsent>> find_consent(std::int64_t accountid) = 0;
  // How many people the cohort's target audience holds (for uptake).
  // NotFound "cohort_not_found".
  virtual Status save_audience_size(std::int64_t cohortid, std::int64_t size, UnixSeconds now) = 0;
  virtual Result<std::optional<std::int64_t>> find_audience_size(std::int64_t cohortid) = 0;
  // Removes everything evaluation keeps about a person: their survey
  // responses and answers, their consent and their outcome records. For
  // erasure; returns the number of rows removed.
  virtual Result<std::int64_t> erase_person(std::int64_t accountid) = 0;
};

class OutcomeStore {
 public:
  virtual ~OutcomeStore() = default;
  // The account with that e-mail address (compared ignoring case), if
  // exactly one has it.
  virtual Result<std::optional<std::int64_t>> find_account_by_email(const std::string& email) = 0;
  // NotFound "account_not_found" / "scheme_not_found".
  virtual Status add(const OutcomeRecord& record, UnixSeconds now) = 0;
  // The scheme's outcome records of everyone enrolled as a mentee in the
  // cohort (withdrawn included: they were offered the scheme). For
  // aggregation only; never hand these to a per-person view.
  virtual Result<std::vector<OutcomeRecord>> list_for_cohort(std::int64_t schemeid, std::int64_t cohortid) = 0;
  // Number of records stored for the scheme.
  virtual Result<std::int64_t> count(std::int64_t schemeid) = 0;
};

// ---------------------------------------------------------------------------
// Read-only aggregates owned by other parts of the plugin. Each returns
// nullopt when its data is not kept by this installation yet, and the report
// then shows the section as not available.

// Counts by demographic group, for equity of access. Only counts cross this
// port: never a person's characteristics.
struct DemographicBreakdown {
  std::string dimension;  // "sex", "ethnic_group", "disability", ...
  // numerator: enrolled mentees in the group; denominator: the group's size
  // in the target audience (or, when that is unknown, enrolled mentees, and
  // numerator the matched ones). `measure` says which.
  std::string measure;  // "uptake" or "matched"
  std::vector<evaluation::GroupCounts> groups;
};

class DemographicAggregates {
 public:
  virtual ~DemographicAggregates() = default;
  virtual Result<std::optional<std::vector<DemographicBreakdown>>> breakdowns(std::int64_t schemeid,
                                                                              std::int64_t cohortid) = 0;
};

// What the matching and meetings records can say about a cohort.
struct EngagementCounts {
  std::int64_t mentees_enrolled = 0;
  std::int64_t mentees_matched = 0;
  std::int64_t pairings_completed = 0;
  std::int64_t meetings_held = 0;
};

class EngagementAggregates {
 public:
  virtual ~EngagementAggregates() = default;
  virtual Result<std::optional<EngagementCounts>> counts(std::int64_t schemeid, std::int64_t cohortid) = 0;
};

// Implementations for installations whose stores do not provide the data.
class NullDemographicAggregates final : public DemographicAggregates {
 public:
  Result<std::optional<std::vector<DemographicBreakdown>>> breakdowns(std::int64_t, std::int64_t) override {
    return std::optional<std::vector<DemographicBreakdown>>();
  }
};

class NullEngagementAggregates final : public EngagementAggregates {
 public:
  Result<std::optional<EngagementCounts>> counts(std::int64_t, std::int64_t) override {
    return std::optional<EngagementCounts>();
  }
};

}  // namespace mentoring::core
