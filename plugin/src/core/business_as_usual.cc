#include "core/business_as_usual.h"

#include <cmath>

namespace mentoring::core {
namespace {

Status too_long(const char* field, std::size_t limit) {
  return Status::invalid("bau_text_too_long",
                         std::string("The field '") + field + "' must be at most " + std::to_string(limit) + " bytes.",
                         field);
}

}  // namespace

Status validate(const BusinessAsUsualPlan& plan) {
  if (plan.senior_sponsor.size() > kMaxBauShortText) return too_long("senior_sponsor", kMaxBauShortText);
  if (plan.funding_source.size() > kMaxBauShortText) return too_long("funding_source", kMaxBauShortText);
  if (plan.mentor_recruitment_plan.size() > kMaxBauPlanText)
    return too_long("mentor_recruitment_plan", kMaxBauPlanText);
  if (plan.promotion_plan.size() > kMaxBauPlanText) return too_long("promotion_plan", kMaxBauPlanText);
  if (!std::isfinite(plan.admin_hours_per_month) || plan.admin_hours_per_month < 0 ||
      plan.admin_hours_per_month > kMaxAdminHoursPerMonth)
    return Status::invalid("bau_admin_hours_invalid",
                           "The administrative time must be from 0 to 1000 hours a month.", "admin_hours_per_month");
  if (plan.annual_cost_pence < 0 || plan.annual_cost_pence > kMaxAnnualCostPence)
    return Status::invalid("bau_cost_invalid", "The annual cost must be from 0 to 1,000,000,000 pounds.",
                           "annual_cost_pence");
  if (plan.funding_ends_on && plan.funding_review_on && *plan.funding_review_on > *plan.funding_ends_on)
    return Status::invalid("bau_funding_review_after_end",
                           "Plan the funding review for before the current funding ends.", "funding_review_on");
  return Status::ok();
}

BusinessAsUsualFacts readiness_facts(const BusinessAsUsualPlan& plan, std::vector<GovernanceAssignment> governance,
                                     std::vector<TrainingModule> mentor_training, std::size_t smart_objectives) {
  BusinessAsUsualFacts f;
  f.senior_sponsor = plan.senior_sponsor;
  f.governance = std::move(governance);
  f.funding_source = plan.funding_source;
  f.funding_ends_on = plan.funding_ends_on;
  f.funding_review_on = plan.funding_review_on;
  f.admin_hours_per_month = plan.admin_hours_per_month;
  f.mentor_recruitment_plan = plan.mentor_recruitment_plan;
  f.mentor_training = std::move(mentor_training);
  f.smart_objectives = smart_objectives;
  f.promotion_plan = plan.promotion_plan;
  return f;
}

PerPairFigures per_pair_figures(const BusinessAsUsualPlan& plan, std::int64_t active_pairs) {
  PerPairFigures out;
  out.active_pairs = active_pairs;
  if (active_pairs <= 0) return out;
  if (plan.admin_hours_per_month > 0)
    out.admin_hours_per_pair_per_month = plan.admin_hours_per_month / static_cast<double>(active_pairs);
  if (plan.annual_cost_pence > 0)
    out.annual_cost_pence_per_pair = static_cast<std::int64_t>(
        std::llround(static_cast<double>(plan.annual_cost_pence) / static_cast<double>(active_pairs)));
  return out;
}

}  // namespace mentoring::core
