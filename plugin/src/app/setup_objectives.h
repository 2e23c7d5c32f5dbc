// Use cases for a scheme's SMART objectives (toolkit, "Organisation aims and
// objectives") and its governance register ("Governance and evaluation").
// Each call is one transaction; the rules are core/objective.h and
// core/governance.h.
#pragma once

#include <optional>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/governance.h"
#include "core/objective.h"
#include "core/setup_stores.h"

namespace mentoring::app {

// A stored objective and the soft warnings about it (possibly none) that
// staff should confirm: the target may not be achievable, or the deadline is
// close.
struct SavedObjective {
  core::Objective objective;
  std::vector<core::Finding> warnings;
};

// Where one objective stands on a day.
struct ObjectiveReport {
  core::Objective objective;
  std::optional<core::ObjectiveMeasurement> latest;
  core::ObjectiveProgress progress;
};

class ObjectiveService {
 public:
  ObjectiveService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // Validates against the scheme's aims (core::validate) and stores.
  // NotFound "scheme_not_found", "account_not_found" (owner).
  // Every write below is recorded in the audit log as done by `actor`.
  core::Result<SavedObjective> create(const core::ObjectiveInput& input, const core::Actor& actor = core::Actor::service());
  // Replaces objective `id`; input.schemeid is ignored (an objective stays in
  // its scheme). NotFound "objective_not_found".
  core::Result<SavedObjective> update(std::int64_t id, core::ObjectiveInput input, const core::Actor& actor = core::Actor::service());
  core::Result<std::vector<core::Objective>> list(std::int64_t schemeid);
  // Records a reading of the objective's metric. Refuses a reading dated in
  // the future (objective_measurement_in_future) or before the baseline
  // (objective_measurement_before_baseline).
  core::Result<core::ObjectiveMeasurement> record(std::int64_t objectiveid, core::Date measured_on, double value,
                                                  const core::Actor& actor = core::Actor::service());
  // Every objective of the scheme with its latest reading and progress on `on`
  // (today when absent).
  core::Result<std::vector<ObjectiveReport>> progress(std::int64_t schemeid, std::optional<core::Date> on);

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

class GovernanceService {
 public:
  GovernanceService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::Result<std::vector<core::GovernanceAssignment>> list(std::int64_t schemeid);
  // Makes `assignments` the scheme's whole register after checking each with
  // core::validate (the first problem is returned, naming the field).
  core::Result<std::vector<core::GovernanceAssignment>> replace(
      std::int64_t schemeid, std::vector<core::GovernanceAssignment> assignments, const core::Actor& actor = core::Actor::service());
  // Unassigned responsibilities and overdue reports on `on` (today when absent).
  core::Result<core::GovernanceGaps> gaps(std::int64_t schemeid, std::optional<core::Date> on);

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
