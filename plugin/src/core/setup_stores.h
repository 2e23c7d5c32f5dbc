// Storage ports for setting up a scheme: SMART objectives and their
// measurements, the governance register, who may join (target audience and
// mentor rules), mentee and mentor profiles, mentor training and CPD, and the
// agreement template.
//
// Stores store: they check that referenced rows exist and keep the database's
// constraints, but the toolkit's rules (core/objective.h, governance.h, ...)
// are applied by the use cases in app/setup_*.h before anything is written.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "core/agreement.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/eligibility.h"
#include "core/governance.h"
#include "core/mentor_training.h"
#include "core/objective.h"
#include "core/profile.h"
#include "core/status.h"
#include "core/stores.h"

namespace mentoring::core {

// One reading of an objective's metric.
struct ObjectiveMeasurement {
  std::int64_t id = 0;
  std::int64_t objectiveid = 0;
  Date measured_on;
  double value = 0;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

class ObjectiveStore {
 public:
  virtual ~ObjectiveStore() = default;
  // Stores `objective` (its id and times are ignored). NotFound
  // "scheme_not_found" / "account_not_found" when the scheme or owner is missing.
  virtual Result<Objective> create(const Objective& objective, UnixSeconds now) = 0;
  // Replaces every field but id, schemeid and timecreated. NotFound
  // "objective_not_found" when there is no objective `objective.id`.
  virtual Result<Objective> update(const Objective& objective, UnixSeconds now) = 0;
  virtual Result<std::optional<Objective>> find(std::int64_t id) = 0;
  // Oldest first.
  virtual Result<std::vector<Objective>> list_by_scheme(std::int64_t schemeid) = 0;
  // NotFound "objective_not_found" when the objective is missing.
  virtual Result<ObjectiveMeasurement> add_measurement(std::int64_t objectiveid, Date measured_on, double value,
                                                       UnixSeconds now) = 0;
  // The reading with the latest measured_on (the latest stored on a tie).
  virtual Result<std::optional<ObjectiveMeasurement>> latest_measurement(std::int64_t objectiveid) = 0;
};

class GovernanceStore {
 public:
  virtual ~GovernanceStore() = default;
  // In kAllResponsibilities order.
  virtual Result<std::vector<GovernanceAssignment>> list(std::int64_t schemeid) = 0;
  // Makes `assignments` (at most one per responsibility) the scheme's whole
  // register: responsibilities not listed become unassigned. Rows for a
  // responsibility that stays keep their id and timecreated.
  virtual Result<std::vector<GovernanceAssignment>> replace(std::int64_t schemeid,
                                                            const std::vector<GovernanceAssignment>& assignments,
                                                            UnixSeconds now) = 0;
};

// Who may join a scheme: the mentee audience and the mentor rules, stored
// together. A scheme without a stored row admits everyone.
struct SchemeEligibility {
  std::int64_t schemeid = 0;
  TargetAudience audience;
  MentorEligibility mentors;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

class EligibilityStore {
 public:
  virtual ~EligibilityStore() = default;
  virtual Result<std::optional<SchemeEligibility>> find(std::int64_t schemeid) = 0;
  // Inserts or replaces the scheme's rules. NotFound "scheme_not_found".
  virtual Result<SchemeEligibility> save(const SchemeEligibility& rules, UnixSeconds now) = 0;
};

class ProfileStore {
 public:
  virtual ~ProfileStore() = default;
  virtual Result<std::optional<MenteeProfile>> find_mentee(std::int64_t accountid) = 0;
  // Inserts or replaces the account's profile (keeping id and timecreated).
  // NotFound "account_not_found" when the account is missing.
  virtual Result<MenteeProfile> save_mentee(const MenteeProfile& profile, UnixSeconds now) = 0;
  virtual Result<std::optional<MentorProfile>> find_mentor(std::int64_t accountid) = 0;
  virtual Result<MentorProfile> save_mentor(const MentorProfile& profile, UnixSeconds now) = 0;
};

class TrainingStore {
 public:
  virtual ~TrainingStore() = default;
  // The scheme's modules in the order they were given.
  virtual Result<std::vector<TrainingModule>> list_modules(std::int64_t schemeid) = 0;
  // Makes `modules` the scheme's whole list. Records name modules by code,
  // so replacing the list keeps every record. NotFound "scheme_not_found".
  virtual Result<std::vector<TrainingModule>> replace_modules(std::int64_t schemeid,
                                                              const std::vector<TrainingModule>& modules,
                                                              UnixSeconds now) = 0;
  // A completion of one of `schemeid`'s modules. NotFound "account_not_found"
  // or "scheme_not_found".
  virtual Result<TrainingRecord> add_record(std::int64_t schemeid, const TrainingRecord& record, UnixSeconds now) = 0;
  // One account's completions under one scheme, oldest completion first.
  virtual Result<std::vector<TrainingRecord>> list_records(std::int64_t accountid, std::int64_t schemeid) = 0;
  // NotFound "account_not_found".
  virtual Result<CpdEntry> add_cpd(const CpdEntry& entry, UnixSeconds now) = 0;
  // Oldest first.
  virtual Result<std::vector<CpdEntry>> list_cpd(std::int64_t accountid) = 0;
};

class AgreementStore {
 public:
  virtual ~AgreementStore() = default;
  virtual Result<std::optional<AgreementTemplate>> find_template(std::int64_t schemeid) = 0;
  // Inserts or replaces the scheme's template with the version given
  // (the use case raises it). NotFound "scheme_not_found".
  virtual Result<AgreementTemplate> save_template(const AgreementTemplate& agreement, UnixSeconds now) = 0;
};

// The set-up stores bound to one open transaction.
struct SetupStores {
  ObjectiveStore& objectives;
  GovernanceStore& governance;
  EligibilityStore& eligibility;
  ProfileStore& profiles;
  TrainingStore& training;
  AgreementStore& agreements;
};

// One transaction over the core stores and the set-up stores together, so a
// command such as "enrol if eligible" reads rules and writes the enrolment
// atomically. Same commit and rollback rules as Database::transact.
class SetupDatabase {
 public:
  virtual ~SetupDatabase() = default;
  virtual Status transact(const std::function<Status(Stores&, SetupStores&)>& work) = 0;
};

}  // namespace mentoring::core
