// Storage port for the move from pilot to business-as-usual (the toolkit's
// "Transition to business-as-usual"): each scheme's plan for it (sponsor,
// funding, administrative time and cost, recruitment and promotion), and the
// dated history of its phase changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/scheme.h"
#include "core/stores.h"

namespace mentoring::core {

// What staff record about keeping a scheme going. Every field may be empty
// while the plan is being written; the readiness check says what is missing.
struct BusinessAsUsualPlan {
  std::int64_t schemeid = 0;
  std::string senior_sponsor;   // who sponsors the scheme, at most 200 bytes
  std::string funding_source;   // "HEE NW education funding", at most 200 bytes
  std::optional<Date> funding_ends_on;
  std::optional<Date> funding_review_on;
  double admin_hours_per_month = 0;  // 0..1000
  std::int64_t annual_cost_pence = 0;  // what the scheme costs a year, 0..10^11
  std::string mentor_recruitment_plan;  // at most 4000 bytes
  std::string promotion_plan;           // at most 4000 bytes
  UnixSeconds timemodified = 0;         // 0 when never stored
};

// One change of a scheme's phase: who, when, from what to what, and why.
struct PhaseChange {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  SchemePhase from = SchemePhase::kPilot;
  SchemePhase to = SchemePhase::kPilot;
  std::optional<std::int64_t> changed_by;  // the staff account; none for a service call
  std::string note;                        // at most 2000 bytes
  UnixSeconds changed_at = 0;
};

class BusinessAsUsualStore {
 public:
  virtual ~BusinessAsUsualStore() = default;
  // The scheme's plan; an empty one (timemodified 0) when none is stored.
  virtual Result<BusinessAsUsualPlan> plan(std::int64_t schemeid) = 0;
  // Inserts or replaces the scheme's plan (validated by the caller). NotFound
  // "scheme_not_found".
  virtual Result<BusinessAsUsualPlan> save_plan(const BusinessAsUsualPlan& plan, UnixSeconds now) = 0;
  // Appends a phase change (id and changed_at are set from the store and
  // `now`). NotFound "scheme_not_found".
  virtual Result<PhaseChange> record_phase_change(const PhaseChange& change, UnixSeconds now) = 0;
  // The scheme's phase changes, oldest first.
  virtual Result<std::vector<PhaseChange>> phase_changes(std::int64_t schemeid) = 0;
};

}  // namespace mentoring::core
