// Governance: who is responsible for what, who they report to and when
// (toolkit, "Governance and evaluation"), and whether a pilot is ready to
// become business-as-usual ("Transition to business-as-usual").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/mentor_training.h"
#include "core/objective.h"
#include "core/status.h"

namespace mentoring::core {

// The responsibilities the toolkit asks a scheme to assign.
enum class Responsibility {
  kSetUpAndInitialDelivery,             // set up and initial delivery; business case
  kFundingAndProcurement,               // acquiring funding; procurement (e.g. software)
  kConfidentialData,                    // managing confidential data
  kRecruitment,                         // recruiting mentors and mentees
  kTraining,                            // training mentors and mentees
  kDayToDayManagementAndPointOfContact, // day-to-day management; point of contact for concerns
  kEvaluationAndImprovement,            // evaluation and continuous improvement
};
inline constexpr std::array<Responsibility, 7> kAllResponsibilities = {
    Responsibility::kSetUpAndInitialDelivery,
    Responsibility::kFundingAndProcurement,
    Responsibility::kConfidentialData,
    Responsibility::kRecruitment,
    Responsibility::kTraining,
    Responsibility::kDayToDayManagementAndPointOfContact,
    Responsibility::kEvaluationAndImprovement,
};
// "set_up_and_initial_delivery", "funding_and_procurement", "confidential_data",
// "recruitment", "training", "day_to_day_management_and_point_of_contact",
// "evaluation_and_improvement".
const char* to_string(Responsibility v);
std::optional<Responsibility> parse_responsibility(std::string_view s);
// String key for the web layer: "governance:responsibility_<to_string>".
std::string display_key(Responsibility v);
// English name used in messages: "set-up and initial delivery".
const char* describe(Responsibility v);

enum class ReportingCadence { kMonthly, kQuarterly, kTermly, kAnnually };
const char* to_string(ReportingCadence v);  // "monthly", "quarterly", "termly", "annually"
std::optional<ReportingCadence> parse_reporting_cadence(std::string_view s);
// 1, 3, 4 (three terms a year) and 12.
int cadence_months(ReportingCadence v);

struct GovernanceAssignment {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  Responsibility responsibility = Responsibility::kSetUpAndInitialDelivery;
  std::int64_t accountid = 0;
  std::string reports_to;  // "Director of Postgraduate Medical Education"
  ReportingCadence cadence = ReportingCadence::kQuarterly;
  Date next_report_due;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

inline constexpr std::size_t kMaxReportsToLength = 200;

// Reasons: governance_scheme_required, governance_account_required,
// governance_reports_to_required, governance_reports_to_invalid,
// governance_report_due_in_past, governance_report_due_too_far.
// The next report must be due between today and one reporting period ahead.
Status validate(const GovernanceAssignment& assignment, Date today);

// The due date after a report made on `reported_on`: next_report_due moved on
// by whole reporting periods until it is after `reported_on`.
Date next_report_due_after(const GovernanceAssignment& assignment, Date reported_on);

struct OverdueReport {
  Responsibility responsibility = Responsibility::kSetUpAndInitialDelivery;
  std::int64_t accountid = 0;
  Date due;
  std::int64_t days_overdue = 0;
  std::string message;  // "The quarterly report on funding and procurement was due on 2026-03-31."
};

struct GovernanceGaps {
  std::vector<Responsibility> unassigned;  // in kAllResponsibilities order
  std::vector<OverdueReport> overdue;      // in assignment order
  bool empty() const { return unassigned.empty() && overdue.empty(); }
};

// Responsibilities nobody holds, and reports whose due date is before `today`.
// Assignments with accountid <= 0 count as unassigned.
GovernanceGaps governance_gaps(const std::vector<GovernanceAssignment>& assignments, Date today);

// What is known about a pilot scheme when staff ask to make it
// business-as-usual. Each member answers one of the toolkit's factors.
struct BusinessAsUsualFacts {
  // "Organisational and senior leader buy-in": who sponsors the scheme.
  std::string senior_sponsor;
  // "Your BAU plan relies on organisational rather than individual
  // responsibility ... Make sure it has governance."
  std::vector<GovernanceAssignment> governance;
  // "Plan for funding and administrative time".
  std::string funding_source;             // "HEE NW education funding"
  std::optional<Date> funding_ends_on;    // when the current funding stops
  std::optional<Date> funding_review_on;  // when long-term funding will be sought
  double admin_hours_per_month = 0;       // the administrative time the scheme needs
  // "Plan for ongoing recruitment and training of mentors".
  std::string mentor_recruitment_plan;
  std::vector<TrainingModule> mentor_training;
  // "Plan for ongoing evaluation": the number of valid SMART objectives.
  std::size_t smart_objectives = 0;
  // "Plan for regular, ongoing promotion of mentoring to potential mentees".
  std::string promotion_plan;
};

// Every unmet factor, each with a stable reason, the fact it is about and a
// sentence saying what to do. Empty = ready to move to business-as-usual.
// Reasons: bau_no_senior_sponsor, bau_governance_unassigned,
// bau_governance_reports_overdue, bau_relies_on_one_person,
// bau_no_funding_source, bau_no_funding_end_date, bau_funding_ended,
// bau_no_funding_review, bau_funding_review_too_late, bau_no_admin_time,
// bau_no_mentor_recruitment_plan, bau_no_required_mentor_training,
// bau_no_refresher_training, bau_no_smart_objectives, bau_no_promotion_plan.
std::vector<Finding> business_as_usual_readiness(const BusinessAsUsualFacts& facts, Date today);

// The same check as a single Status for the phase change command:
// failed_precondition "scheme_not_ready_for_business_as_usual" naming the
// first unmet factor, or OK.
Status check_business_as_usual_transition(const BusinessAsUsualFacts& facts, Date today);

}  // namespace mentoring::core
