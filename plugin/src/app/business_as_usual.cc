#include "app/business_as_usual.h"

#include "app/audit.h"
#include "app/setup_unit_of_work.h"
#include "app/unit_of_work.h"
#include "core/business_as_usual_stores.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

// Active pairings across the scheme's cohorts.
Result<std::int64_t> active_pairs(core::Stores& s, std::int64_t schemeid) {
  auto cohorts = s.schemes.list_cohorts(schemeid);
  if (!cohorts) return cohorts.status();
  std::int64_t n = 0;
  for (const core::Cohort& c : *cohorts) {
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.pairings.list_by_cohort(c.id, core::PairingState::kActive, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      n += static_cast<std::int64_t>(page->size());
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
  }
  return n;
}

}  // namespace

Result<BusinessAsUsualReadiness> readiness_in(core::Stores& s, const core::Scheme& scheme, core::Date today) {
  BusinessAsUsualReadiness out;
  out.schemeid = scheme.id;
  out.phase = scheme.phase;
  auto plan = s.business_as_usual.plan(scheme.id);
  if (!plan) return plan.status();
  out.plan = *plan;
  auto governance = s.governance.list(scheme.id);
  if (!governance) return governance.status();
  auto modules = s.training.list_modules(scheme.id);
  if (!modules) return modules.status();
  auto objectives = s.objectives.list_by_scheme(scheme.id);
  if (!objectives) return objectives.status();
  out.unmet = core::business_as_usual_readiness(
      core::readiness_facts(*plan, std::move(governance).value(), std::move(modules).value(), objectives->size()),
      today);
  auto pairs = active_pairs(s, scheme.id);
  if (!pairs) return pairs.status();
  out.per_pair = core::per_pair_figures(*plan, *pairs);
  return out;
}

Result<core::BusinessAsUsualPlan> BusinessAsUsualService::plan(std::int64_t schemeid) {
  return in_transaction<core::BusinessAsUsualPlan>(db_, [&](core::Stores& s) -> Result<core::BusinessAsUsualPlan> {
    auto scheme = require_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    return s.business_as_usual.plan(schemeid);
  });
}

Result<core::BusinessAsUsualPlan> BusinessAsUsualService::save_plan(const core::BusinessAsUsualPlan& plan,
                                                                    const core::Actor& actor) {
  MENTORING_RETURN_IF_ERROR(core::validate(plan));
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::BusinessAsUsualPlan>(db_, [&](core::Stores& s) -> Result<core::BusinessAsUsualPlan> {
    auto scheme = require_scheme(s, plan.schemeid);
    if (!scheme) return scheme.status();
    auto saved = s.business_as_usual.save_plan(plan, now);
    if (!saved) return saved.status();
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "business_as_usual_plan", plan.schemeid,
                                    "business-as-usual plan saved", now));
    return saved;
  });
}

Result<BusinessAsUsualReadiness> BusinessAsUsualService::readiness(std::int64_t schemeid) {
  const core::Date today = core::Date::from_unix(clock_.now());
  return in_transaction<BusinessAsUsualReadiness>(db_, [&](core::Stores& s) -> Result<BusinessAsUsualReadiness> {
    auto scheme = require_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    return readiness_in(s, *scheme, today);
  });
}

Result<core::PhaseChange> record_phase_change_in(core::Stores& s, const core::Scheme& scheme, core::SchemePhase to,
                                                 const std::string& note, const core::Actor& actor,
                                                 core::UnixSeconds now) {
  if (note.size() > core::kMaxPhaseNoteLength)
    return Status::invalid("phase_note_too_long", "The note must be at most 2000 bytes.", "note");
  if (scheme.phase == to)
    return Status::failed_precondition("scheme_phase_unchanged",
                                       std::string("The scheme is already in the ") + core::to_string(to) + " phase.");
  if (to == core::SchemePhase::kBusinessAsUsual) {
    auto ready = readiness_in(s, scheme, core::Date::from_unix(now));
    if (!ready) return ready.status();
    if (!ready->ready())
      return Status(core::Code::kFailedPrecondition, "scheme_not_ready_for_business_as_usual",
                    "The scheme is not ready for business-as-usual: " + ready->unmet.front().message,
                    ready->unmet.front().field);
  }
  core::PhaseChange change;
  change.schemeid = scheme.id;
  change.from = scheme.phase;
  change.to = to;
  change.changed_by = actor.accountid;
  change.note = note;
  auto recorded = s.business_as_usual.record_phase_change(change, now);
  if (!recorded) return recorded.status();
  MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "scheme", scheme.id,
                                  std::string("scheme phase changed from ") + core::to_string(scheme.phase) + " to " +
                                      core::to_string(to),
                                  now));
  return recorded;
}

Result<core::PhaseChange> BusinessAsUsualService::change_phase(std::int64_t schemeid, core::SchemePhase to,
                                                               const std::string& note, const core::Actor& actor) {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::PhaseChange>(db_, [&](core::Stores& s) -> Result<core::PhaseChange> {
    auto scheme = require_scheme(s, schemeid);
    if (!scheme) return scheme.status();
    auto change = record_phase_change_in(s, *scheme, to, note, actor, now);
    if (!change) return change.status();
    auto updated = s.schemes.update(schemeid, core::SchemeInput{scheme->name, scheme->type, scheme->aims, to}, now);
    if (!updated) return updated.status();
    return change;
  });
}

Result<std::vector<core::PhaseChange>> BusinessAsUsualService::history(std::int64_t schemeid) {
  return in_transaction<std::vector<core::PhaseChange>>(
      db_, [&](core::Stores& s) -> Result<std::vector<core::PhaseChange>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return s.business_as_usual.phase_changes(schemeid);
      });
}

}  // namespace mentoring::app
