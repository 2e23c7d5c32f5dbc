// The evaluation report of one cohort of a scheme (toolkit, "How can you
// evaluate your scheme?"): uptake against the target audience, survey change
// before and after for the same people, comparison with a previous cohort
// (the toolkit's preferred comparator), outcome measures, equity of access,
// progress against each SMART objective, and readiness for
// business-as-usual.
//
// Disclosure control is applied here, once, before the report leaves the
// use case: every count about people from 1 to threshold - 1 is withheld
// with secondary suppression (core/evaluation/disclosure.h), and statistics
// (means, changes, intervals) about fewer than `threshold` people are not
// computed at all. Each cohort's tables are computed the same way whatever
// else the report contains, so two reports (a cohort on its own, and the
// same cohort as another's comparator) publish exactly the same cells for it
// and cannot be differenced against each other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/business_as_usual.h"
#include "core/clock.h"
#include "core/evaluation/disclosure.h"
#include "core/evaluation/statistics.h"
#include "core/evaluation_stores.h"
#include "core/governance.h"
#include "core/objective.h"
#include "core/scheme.h"
#include "core/setup_stores.h"
#include "core/stores.h"

namespace mentoring::app {

// A section the report could not fill: "not_yet_available" (the data is not
// kept by this installation yet), "no_data" (nothing recorded), or
// "too_few_people" (withheld for disclosure control).
struct ReportNote {
  std::string section;  // "engagement", "equity", "survey_change", ...
  std::string reason;
  std::string message;
};

struct UptakeSection {
  core::evaluation::PublishedCount mentees_enrolled;
  core::evaluation::PublishedCount mentors_enrolled;
  // The target audience's size when staff recorded it, with the uptake rate
  // (enrolled / audience) when both counts can be published.
  std::optional<std::int64_t> audience_size;
  std::optional<core::evaluation::Proportion> uptake;
};

// Respondents of one round by audience.
struct RoundResponses {
  std::int64_t roundid = 0;
  core::RoundPhase phase = core::RoundPhase::kBaseline;
  core::Date opens_on;
  core::Date closes_on;
  core::evaluation::PublishedCounts respondents;  // labels: audiences; total: all respondents
};

// Before/after change of one numeric question among one audience, paired by
// person between the cohort's baseline round and its latest later round of
// the same questionnaire.
struct QuestionChange {
  std::string audience;
  std::string key;
  std::string text;
  core::RoundPhase after_phase = core::RoundPhase::kEnd;
  core::evaluation::PublishedCount pairs;
  // Present when there are at least `threshold` pairs and the analysis
  // exists (it does not when every change is identical).
  std::optional<core::evaluation::PairedAnalysis> analysis;
  std::string withheld_reason;  // "" | "too_few_people" | evaluation_* reason
};

// The cohort's latest round compared with the comparator cohort's latest
// round of the same phase, per audience and question key.
struct QuestionComparison {
  std::string audience;
  std::string key;
  std::string text;
  core::RoundPhase phase = core::RoundPhase::kEnd;
  core::evaluation::PublishedCount current_n;
  core::evaluation::PublishedCount comparator_n;
  std::optional<core::evaluation::CohortComparison> comparison;
  std::string withheld_reason;
};

// Outcome measures of one cohort's mentees. Each table is a one-way table
// with its total, suppressed on its own.
struct OutcomeSection {
  std::int64_t cohortid = 0;
  std::string cohort_name;
  core::evaluation::PublishedCounts arcp;          // labels: ARCP outcome codes
  core::evaluation::PublishedRates exams;          // groups: exam names; numerator passed, denominator sat
  core::evaluation::PublishedCounts preparedness;  // labels: ratings "1".."5"
  // Mean FY1 preparedness rating when at least `threshold` people gave one.
  std::optional<core::evaluation::Descriptive> preparedness_summary;
};

struct EquityBreakdown {
  std::string dimension;
  std::string measure;  // "uptake" or "matched"
  core::evaluation::PublishedRates rates;
};

struct EngagementSection {
  core::evaluation::PublishedRates matched;  // matched / enrolled mentees
  core::evaluation::PublishedCount pairings_completed;
  core::evaluation::PublishedCount meetings_held;
};

struct ObjectiveLine {
  core::Objective objective;
  std::optional<core::ObjectiveMeasurement> latest;
  core::ObjectiveProgress progress;
  bool deadline_passed = false;
};

struct ReadinessSection {
  core::SchemePhase phase = core::SchemePhase::kPilot;
  std::vector<core::Responsibility> unassigned;
  std::vector<core::OverdueReport> overdue;
  std::size_t smart_objectives = 0;
  std::size_t training_modules = 0;
  // Every unmet business-as-usual factor (app/business_as_usual.h): the
  // scheme's own records (governance, mentor training, SMART objectives)
  // and its stored plan (sponsor, funding, administrative time, recruitment
  // and promotion).
  std::vector<core::Finding> unmet;
  // The plan's administrative time and cost per active pair.
  core::PerPairFigures per_pair;
  std::optional<core::Date> funding_ends_on;
};

struct EvaluationReport {
  core::Scheme scheme;
  core::Cohort cohort;
  std::optional<core::Cohort> comparator;
  core::Date generated_on;
  std::int64_t suppression_threshold = 10;
  UptakeSection uptake;
  std::vector<RoundResponses> responses;
  std::vector<QuestionChange> survey_change;
  std::vector<QuestionComparison> comparison;
  OutcomeSection outcomes;
  std::optional<OutcomeSection> comparator_outcomes;
  std::optional<EngagementSection> engagement;
  std::vector<EquityBreakdown> equity;
  std::vector<ObjectiveLine> objectives;
  ReadinessSection readiness;
  std::vector<ReportNote> notes;
};

struct ReportOptions {
  // Counts from 1 to threshold - 1 are withheld. Default 10; at least 10 is
  // enforced so a request cannot loosen the rule.
  std::int64_t suppression_threshold = 10;
};

class EvaluationReportService {
 public:
  // `demographics` and `engagement` must outlive the service; pass the
  // core::Null* implementations when the data is not kept.
  EvaluationReportService(core::Database& db, const core::Clock& clock, core::DemographicAggregates& demographics,
                          core::EngagementAggregates& engagement, ReportOptions options = {})
      : db_(db), clock_(clock), demographics_(demographics), engagement_(engagement), options_(options) {}

  // The report for `cohortid` of `schemeid`, compared with `comparator`
  // (another cohort of the same scheme) when given. NotFound
  // "scheme_not_found", "cohort_not_found"; invalid
  // "report_cohort_other_scheme" (field "cohort" or "compare"),
  // "report_compare_same_cohort".
  core::Result<EvaluationReport> report(std::int64_t schemeid, std::int64_t cohortid,
                                        std::optional<std::int64_t> comparator);

  // Records how many people the cohort's target audience holds, for
  // uptake. Invalid "audience_size_invalid" unless 0..10,000,000.
  core::Status set_audience_size(std::int64_t cohortid, std::int64_t size);

 private:
  core::Database& db_;
  const core::Clock& clock_;
  core::DemographicAggregates& demographics_;
  core::EngagementAggregates& engagement_;
  ReportOptions options_;
};

}  // namespace mentoring::app
