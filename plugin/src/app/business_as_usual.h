// The move from pilot to business-as-usual (the toolkit's "Transition to
// business-as-usual"): the scheme's plan for it, the readiness check over
// the plan and the scheme's own records, and the phase change itself, which
// to business-as-usual needs every factor met. Each call is one
// transaction; every change is audited.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/audit.h"
#include "core/business_as_usual.h"
#include "core/clock.h"
#include "core/objective.h"
#include "core/stores.h"

namespace mentoring::app {

struct BusinessAsUsualReadiness {
  std::int64_t schemeid = 0;
  core::SchemePhase phase = core::SchemePhase::kPilot;
  core::BusinessAsUsualPlan plan;
  // Every unmet factor (core::business_as_usual_readiness); empty = ready.
  std::vector<core::Finding> unmet;
  bool ready() const { return unmet.empty(); }
  core::PerPairFigures per_pair;
};

class BusinessAsUsualService {
 public:
  BusinessAsUsualService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // NotFound "scheme_not_found".
  core::Result<core::BusinessAsUsualPlan> plan(std::int64_t schemeid);
  // Validates (core::validate) and stores the plan, audited as `actor`.
  core::Result<core::BusinessAsUsualPlan> save_plan(const core::BusinessAsUsualPlan& plan, const core::Actor& actor);
  // The check as of today, with the plan's figures per active pair.
  core::Result<BusinessAsUsualReadiness> readiness(std::int64_t schemeid);
  // Moves the scheme to `to`, recording the change with `note` (at most
  // 2000 bytes, "phase_note_too_long") and auditing it. Errors:
  // failed_precondition "scheme_phase_unchanged" (already there) and
  // "scheme_not_ready_for_business_as_usual" (pilot to business-as-usual
  // with a factor unmet; the message names the first, readiness() lists
  // them all). Going back to pilot is always allowed.
  core::Result<core::PhaseChange> change_phase(std::int64_t schemeid, core::SchemePhase to, const std::string& note,
                                               const core::Actor& actor);
  // The scheme's phase changes, oldest first.
  core::Result<std::vector<core::PhaseChange>> history(std::int64_t schemeid);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

// The readiness of scheme `scheme` in the caller's transaction (also used
// by the evaluation report).
core::Result<BusinessAsUsualReadiness> readiness_in(core::Stores& s, const core::Scheme& scheme, core::Date today);

// The checks and record of a phase change, in the caller's transaction,
// for every way a scheme's phase is changed (change_phase, and the scheme
// settings through app::SchemeSetup::update): the errors of change_phase;
// on success the change is recorded and audited. The caller writes the
// scheme's new phase.
core::Result<core::PhaseChange> record_phase_change_in(core::Stores& s, const core::Scheme& scheme,
                                                       core::SchemePhase to, const std::string& note,
                                                       const core::Actor& actor, core::UnixSeconds now);

}  // namespace mentoring::app
