#include "core/governance.h"

#include <set>

#include "core/text.h"

namespace mentoring::core {

const char* to_string(Responsibility v) {
  switch (v) {
    case Responsibility::kSetUpAndInitialDelivery: return "set_up_and_initial_delivery";
    case Responsibility::kFundingAndProcurement: return "funding_and_procurement";
    case Responsibility::kConfidentialData: return "confidential_data";
    case Responsibility::kRecruitment: return "recruitment";
    case Responsibility::kTraining: return "training";
    case Responsibility::kDayToDayManagementAndPointOfContact: return "day_to_day_management_and_point_of_contact";
    case Responsibility::kEvaluationAndImprovement: return "evaluation_and_improvement";
  }
  return "set_up_and_initial_delivery";
}

std::optional<Responsibility> parse_responsibility(std::string_view s) {
  for (auto v : kAllResponsibilities)
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::string display_key(Responsibility v) { return std::string("governance:responsibility_") + to_string(v); }

const char* describe(Responsibility v) {
  switch (v) {
    case Responsibility::kSetUpAndInitialDelivery: return "set-up and initial delivery";
    case Responsibility::kFundingAndProcurement: return "funding and procurement";
    case Responsibility::kConfidentialData: return "confidential data";
    case Responsibility::kRecruitment: return "recruiting mentors and mentees";
    case Responsibility::kTraining: return "training mentors and mentees";
    case Responsibility::kDayToDayManagementAndPointOfContact:
      return "day-to-day management and point of contact";
    case Responsibility::kEvaluationAndImprovement: return "evaluation and improvement";
  }
  return "";
}

const char* to_string(ReportingCadence v) {
  switch (v) {
    case ReportingCadence::kMonthly: return "monthly";
    case ReportingCadence::kQuarterly: return "quarterly";
    case ReportingCadence::kTermly: return "termly";
    case ReportingCadence::kAnnually: return "annually";
  }
  return "quarterly";
}

std::optional<ReportingCadence> parse_reporting_cadence(std::string_view s) {
  for (auto v : {ReportingCadence::kMonthly, ReportingCadence::kQuarterly, ReportingCadence::kTermly,
                 ReportingCadence::kAnnually})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

int cadence_months(ReportingCadence v) {
  switch (v) {
    case ReportingCadence::kMonthly: return 1;
    case ReportingCadence::kQuarterly: return 3;
    case ReportingCadence::kTermly: return 4;
    case ReportingCadence::kAnnually: return 12;
  }
  return 3;
}

Status validate(const GovernanceAssignment& a, Date today) {
  if (a.schemeid <= 0)
    return Status::invalid("governance_scheme_required", "Choose the scheme this responsibility belongs to.",
                           "schemeid");
  if (a.accountid <= 0)
    return Status::invalid("governance_account_required", "Choose the person who holds this responsibility.",
                           "accountid");
  if (trim(a.reports_to).empty())
    return Status::invalid("governance_reports_to_required", "Say who this person reports to.", "reports_to");
  if (a.reports_to.size() > kMaxReportsToLength || !is_valid_utf8_text(a.reports_to))
    return Status::invalid("governance_reports_to_invalid",
                           "Who they report to must be one line of at most 200 characters.", "reports_to");
  if (a.next_report_due < today)
    return Status::invalid("governance_report_due_in_past", "The next report must be due today or later.",
                           "next_report_due");
  if (a.next_report_due > add_months(today, cadence_months(a.cadence)))
    return Status::invalid("governance_report_due_too_far",
                           std::string("A ") + to_string(a.cadence) +
                               " report should next be due within one reporting period from today.",
                           "next_report_due");
  return Status::ok();
}

Date next_report_due_after(const GovernanceAssignment& a, Date reported_on) {
  // Step from the original due date so a quarterly cycle stays on its days
  // (31 March, 30 June ...) rather than drifting with month-end clamping.
  const int step = cadence_months(a.cadence);
  Date due = a.next_report_due;
  for (int k = 1; due <= reported_on; ++k) due = add_months(a.next_report_due, k * step);
  return due;
}

GovernanceGaps governance_gaps(const std::vector<GovernanceAssignment>& assignments, Date today) {
  GovernanceGaps gaps;
  std::set<Responsibility> held;
  for (const auto& a : assignments)
    if (a.accountid > 0) held.insert(a.responsibility);
  for (auto r : kAllResponsibilities)
    if (!held.contains(r)) gaps.unassigned.push_back(r);
  for (const auto& a : assignments) {
    if (a.accountid <= 0 || a.next_report_due >= today) continue;
    OverdueReport o;
    o.responsibility = a.responsibility;
    o.accountid = a.accountid;
    o.due = a.next_report_due;
    o.days_overdue = today.days_since_epoch() - a.next_report_due.days_since_epoch();
    std::string cadence = to_string(a.cadence);
    o.message = "The " + cadence + " report on " + describe(a.responsibility) + " to " + trim(a.reports_to) +
                " was due on " + a.next_report_due.to_string() + ".";
    gaps.overdue.push_back(std::move(o));
  }
  return gaps;
}

std::vector<Finding> business_as_usual_readiness(const BusinessAsUsualFacts& f, Date today) {
  std::vector<Finding> unmet;
  auto add = [&](const char* reason, const char* field, std::string message) {
    unmet.push_back({reason, field, std::move(message)});
  };

  if (trim(f.senior_sponsor).empty())
    add("bau_no_senior_sponsor", "senior_sponsor",
        "Record the senior leader who sponsors the scheme, so it has organisational buy-in.");

  const GovernanceGaps gaps = governance_gaps(f.governance, today);
  if (!gaps.unassigned.empty()) {
    std::string list;
    for (std::size_t i = 0; i < gaps.unassigned.size(); ++i) {
      if (i > 0) list += i + 1 == gaps.unassigned.size() ? " and " : ", ";
      list += describe(gaps.unassigned[i]);
    }
    add("bau_governance_unassigned", "governance", "Assign someone to be responsible for " + list + ".");
  }
  if (!gaps.overdue.empty())
    add("bau_governance_reports_overdue", "governance",
        "Bring governance reporting up to date: " + std::to_string(gaps.overdue.size()) +
            (gaps.overdue.size() == 1 ? " report is" : " reports are") + " overdue.");
  {
    std::set<std::int64_t> people;
    for (const auto& a : f.governance)
      if (a.accountid > 0) people.insert(a.accountid);
    // The toolkit warns that reliance on a key individual hinders the move to
    // business-as-usual: the scheme must outlast any one person.
    if (gaps.unassigned.empty() && people.size() == 1)
      add("bau_relies_on_one_person", "governance",
          "Share the responsibilities among more than one person, so the scheme does not depend on one individual.");
  }

  if (trim(f.funding_source).empty())
    add("bau_no_funding_source", "funding_source", "Record where the scheme's funding comes from.");
  if (!f.funding_ends_on) {
    add("bau_no_funding_end_date", "funding_ends_on", "Record when the current funding ends.");
  } else if (*f.funding_ends_on <= today) {
    add("bau_funding_ended", "funding_ends_on",
        "The recorded funding ended on " + f.funding_ends_on->to_string() + "; record the funding that follows it.");
  }
  if (!f.funding_review_on) {
    add("bau_no_funding_review", "funding_review_on", "Plan when you will seek commitment for long-term funding.");
  } else if (f.funding_ends_on && *f.funding_review_on >= *f.funding_ends_on) {
    add("bau_funding_review_too_late", "funding_review_on",
        "Seek long-term funding before the current funding ends on " + f.funding_ends_on->to_string() + ".");
  }
  if (!(f.admin_hours_per_month > 0))
    add("bau_no_admin_time", "admin_hours_per_month",
        "Record the administrative time the scheme needs each month.");

  if (trim(f.mentor_recruitment_plan).empty())
    add("bau_no_mentor_recruitment_plan", "mentor_recruitment_plan",
        "Describe how new mentors will be recruited each year.");
  bool any_required = false;
  bool any_refreshed = false;
  for (const auto& m : f.mentor_training) {
    if (!m.required) continue;
    any_required = true;
    if (m.valid_for_months > 0) any_refreshed = true;
  }
  if (!any_required) {
    add("bau_no_required_mentor_training", "mentor_training",
        "Mark at least one training module as required before mentors are matched.");
  } else if (!any_refreshed) {
    add("bau_no_refresher_training", "mentor_training",
        "Set how often mentors must refresh their required training.");
  }

  if (f.smart_objectives == 0)
    add("bau_no_smart_objectives", "objectives",
        "Add at least one SMART objective so the scheme can be evaluated and its worth shown.");
  if (trim(f.promotion_plan).empty())
    add("bau_no_promotion_plan", "promotion_plan",
        "Describe how mentoring will be promoted to new mentees, for example at induction.");
  return unmet;
}

Status check_business_as_usual_transition(const BusinessAsUsualFacts& facts, Date today) {
  const auto unmet = business_as_usual_readiness(facts, today);
  if (unmet.empty()) return Status::ok();
  return Status(Code::kFailedPrecondition, "scheme_not_ready_for_business_as_usual",
                "The scheme is not ready for business-as-usual: " + unmet.front().message, unmet.front().field);
}

}  // namespace mentoring::core
