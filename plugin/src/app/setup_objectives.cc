#include "app/setup_objectives.h"

#include <cmath>

#include "app/audit.h"
#include "app/setup_unit_of_work.h"
#include "core/audit_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Result<core::Scheme> require_scheme(core::Stores& s, std::int64_t id) {
  auto scheme = s.schemes.find(id);
  if (!scheme) return scheme.status();
  if (!scheme->has_value()) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
  return **scheme;
}

Status require_account(core::Stores& s, std::int64_t id) {
  auto account = s.accounts.find(id);
  if (!account) return account.status();
  if (!account->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
  return Status::ok();
}

namespace {

Status objective_not_found() {
  return Status::not_found("objective_not_found", "There is no objective with that id.");
}

// Validates `input` against its scheme's aims and returns what to store.
Result<SavedObjective> checked(core::Stores& s, const core::ObjectiveInput& input, core::Date today) {
  auto scheme = require_scheme(s, input.schemeid);
  if (!scheme) return scheme.status();
  auto warnings = core::validate(input, core::split_aims(scheme->aims), today);
  if (!warnings) return warnings.status();
  MENTORING_RETURN_IF_ERROR(require_account(s, input.ownerid));
  return SavedObjective{core::make_objective(input, today), std::move(warnings).value()};
}

}  // namespace

Result<SavedObjective> ObjectiveService::create(const core::ObjectiveInput& input, const core::Actor& actor) {
  return in_setup_transaction<SavedObjective>(db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<SavedObjective> {
    const core::UnixSeconds now = clock_.now();
    auto saved = checked(s, input, core::Date::from_unix(now));
    if (!saved) return saved.status();
    auto stored = setup.objectives.create(saved->objective, now);
    if (!stored) return stored.status();
    saved->objective = std::move(stored).value();
    MENTORING_RETURN_IF_ERROR(
        audit(s, actor, core::AuditAction::kCreate, "objective", saved->objective.id, "objective created", now));
    return saved;
  });
}

Result<SavedObjective> ObjectiveService::update(std::int64_t id, core::ObjectiveInput input, const core::Actor& actor) {
  return in_setup_transaction<SavedObjective>(db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<SavedObjective> {
    auto existing = setup.objectives.find(id);
    if (!existing) return existing.status();
    if (!existing->has_value()) return objective_not_found();
    input.schemeid = (*existing)->schemeid;
    // An objective keeps the day its baseline was measured unless the
    // caller says otherwise: otherwise every edit would restart its clock.
    if (!input.baseline_on) input.baseline_on = (*existing)->baseline_on;
    const core::UnixSeconds now = clock_.now();
    auto saved = checked(s, input, core::Date::from_unix(now));
    if (!saved) return saved.status();
    saved->objective.id = id;
    auto stored = setup.objectives.update(saved->objective, now);
    if (!stored) return stored.status();
    saved->objective = std::move(stored).value();
    MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "objective", id, "objective updated", now));
    return saved;
  });
}

Result<std::vector<core::Objective>> ObjectiveService::list(std::int64_t schemeid) {
  return in_setup_transaction<std::vector<core::Objective>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::Objective>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return setup.objectives.list_by_scheme(schemeid);
      });
}

Result<core::ObjectiveMeasurement> ObjectiveService::record(std::int64_t objectiveid, core::Date measured_on,
                                                            double value, const core::Actor& actor) {
  return in_setup_transaction<core::ObjectiveMeasurement>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::ObjectiveMeasurement> {
        auto objective = setup.objectives.find(objectiveid);
        if (!objective) return objective.status();
        if (!objective->has_value()) return objective_not_found();
        const core::UnixSeconds now = clock_.now();
        if (!std::isfinite(value))
          return Status::invalid("objective_value_invalid", "The measured value must be a finite number.", "value");
        if (measured_on > core::Date::from_unix(now))
          return Status::invalid("objective_measurement_in_future", "A measurement cannot be dated in the future.",
                                 "measured_on");
        if (measured_on < (*objective)->baseline_on)
          return Status::invalid("objective_measurement_before_baseline",
                                 "A measurement cannot be dated before the objective's baseline was measured (" +
                                     (*objective)->baseline_on.to_string() + ").",
                                 "measured_on");
        auto stored = setup.objectives.add_measurement(objectiveid, measured_on, value, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kCreate, "objective_measurement", stored->id,
                                        "objective measurement recorded", now));
        return stored;
      });
}

Result<std::vector<ObjectiveReport>> ObjectiveService::progress(std::int64_t schemeid, std::optional<core::Date> on) {
  return in_setup_transaction<std::vector<ObjectiveReport>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<ObjectiveReport>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        const core::Date day = on.value_or(core::Date::from_unix(clock_.now()));
        auto objectives = setup.objectives.list_by_scheme(schemeid);
        if (!objectives) return objectives.status();
        std::vector<ObjectiveReport> out;
        for (auto& o : *objectives) {
          auto latest = setup.objectives.latest_measurement(o.id);
          if (!latest) return latest.status();
          std::optional<double> value;
          if (latest->has_value()) value = (*latest)->value;
          ObjectiveReport report{o, *latest, core::progress(o, value, day)};
          out.push_back(std::move(report));
        }
        return out;
      });
}

Result<std::vector<core::GovernanceAssignment>> GovernanceService::list(std::int64_t schemeid) {
  return in_setup_transaction<std::vector<core::GovernanceAssignment>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::GovernanceAssignment>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return setup.governance.list(schemeid);
      });
}

Result<std::vector<core::GovernanceAssignment>> GovernanceService::replace(
    std::int64_t schemeid, std::vector<core::GovernanceAssignment> assignments, const core::Actor& actor) {
  return in_setup_transaction<std::vector<core::GovernanceAssignment>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::GovernanceAssignment>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        const core::UnixSeconds now = clock_.now();
        const core::Date today = core::Date::from_unix(now);
        for (auto& a : assignments) {
          a.schemeid = schemeid;
          MENTORING_RETURN_IF_ERROR(core::validate(a, today));
          MENTORING_RETURN_IF_ERROR(require_account(s, a.accountid));
        }
        auto stored = setup.governance.replace(schemeid, assignments, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kUpdate, "governance", schemeid, "governance register replaced", now));
        return stored;
      });
}

Result<core::GovernanceGaps> GovernanceService::gaps(std::int64_t schemeid, std::optional<core::Date> on) {
  return in_setup_transaction<core::GovernanceGaps>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::GovernanceGaps> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        auto assignments = setup.governance.list(schemeid);
        if (!assignments) return assignments.status();
        return core::governance_gaps(*assignments, on.value_or(core::Date::from_unix(clock_.now())));
      });
}

}  // namespace mentoring::app
