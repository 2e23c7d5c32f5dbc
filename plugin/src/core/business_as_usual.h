// The move from pilot to business-as-usual (the toolkit's "Transition to
// business-as-usual"), as rules over a scheme's stored plan: checking the
// plan, the facts the readiness check reads from it, and the plan's figures
// per pair (administrative time and cost), which the evaluation report
// shows beside its readiness section. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/business_as_usual_stores.h"
#include "core/governance.h"
#include "core/mentor_training.h"

namespace mentoring::core {

inline constexpr std::size_t kMaxBauShortText = 200;
inline constexpr std::size_t kMaxBauPlanText = 4000;
inline constexpr std::size_t kMaxPhaseNoteLength = 2000;
inline constexpr double kMaxAdminHoursPerMonth = 1000;
inline constexpr std::int64_t kMaxAnnualCostPence = 100000000000;  // a billion pounds

// invalid_argument naming the field: "bau_text_too_long" (sponsor and
// funding source over 200 bytes, plans over 4000), "bau_admin_hours_invalid"
// (negative, over 1000 or not a number), "bau_cost_invalid" (negative or
// over the maximum), "bau_funding_review_after_end" (a review planned after
// the funding has ended).
Status validate(const BusinessAsUsualPlan& plan);

// The readiness facts: the plan's own answers with the scheme's governance
// register, mentor training and number of SMART objectives.
BusinessAsUsualFacts readiness_facts(const BusinessAsUsualPlan& plan, std::vector<GovernanceAssignment> governance,
                                     std::vector<TrainingModule> mentor_training, std::size_t smart_objectives);

// The plan's figures per active pair: nullopt when the plan gives no figure
// or there is no active pair.
struct PerPairFigures {
  std::int64_t active_pairs = 0;
  std::optional<double> admin_hours_per_pair_per_month;
  std::optional<std::int64_t> annual_cost_pence_per_pair;  // rounded to the nearest penny
};
PerPairFigures per_pair_figures(const BusinessAsUsualPlan& plan, std::int64_t active_pairs);

}  // namespace mentoring::core
