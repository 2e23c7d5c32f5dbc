// The SOCI implementations of the set-up store ports (core/setup_stores.h),
// bound to one TxContext like the stores in soci_stores.h. Internal to
// storage/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/setup_stores.h"
#include "storage/database.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

// Lists as stored: entries joined by `sep`; an empty column is an empty list.
std::string join_list(const std::vector<std::string>& items, char sep);
std::vector<std::string> split_list(const std::string& text, char sep);

// Whether a row with `id` exists in table `name` (without prefix).
bool row_exists(TxContext& tx, std::string_view name, std::int64_t id);

class SociObjectiveStore final : public core::ObjectiveStore {
 public:
  explicit SociObjectiveStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Objective> create(const core::Objective& objective, core::UnixSeconds now) override;
  core::Result<core::Objective> update(const core::Objective& objective, core::UnixSeconds now) override;
  core::Result<std::optional<core::Objective>> find(std::int64_t id) override;
  core::Result<std::vector<core::Objective>> list_by_scheme(std::int64_t schemeid) override;
  core::Result<core::ObjectiveMeasurement> add_measurement(std::int64_t objectiveid, core::Date measured_on,
                                                           double value, core::UnixSeconds now) override;
  core::Result<std::optional<core::ObjectiveMeasurement>> latest_measurement(std::int64_t objectiveid) override;

 private:
  TxContext& tx_;
};

class SociGovernanceStore final : public core::GovernanceStore {
 public:
  explicit SociGovernanceStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::vector<core::GovernanceAssignment>> list(std::int64_t schemeid) override;
  core::Result<std::vector<core::GovernanceAssignment>> replace(
      std::int64_t schemeid, const std::vector<core::GovernanceAssignment>& assignments,
      core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

class SociEligibilityStore final : public core::EligibilityStore {
 public:
  explicit SociEligibilityStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<core::SchemeEligibility>> find(std::int64_t schemeid) override;
  core::Result<core::SchemeEligibility> save(const core::SchemeEligibility& rules, core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

class SociProfileStore final : public core::ProfileStore {
 public:
  explicit SociProfileStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<core::MenteeProfile>> find_mentee(std::int64_t accountid) override;
  core::Result<core::MenteeProfile> save_mentee(const core::MenteeProfile& profile, core::UnixSeconds now) override;
  core::Result<std::optional<core::MentorProfile>> find_mentor(std::int64_t accountid) override;
  core::Result<core::MentorProfile> save_mentor(const core::MentorProfile& profile, core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

class SociTrainingStore final : public core::TrainingStore {
 public:
  explicit SociTrainingStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::vector<core::TrainingModule>> list_modules(std::int64_t schemeid) override;
  core::Result<std::vector<core::TrainingModule>> replace_modules(std::int64_t schemeid,
                                                                  const std::vector<core::TrainingModule>& modules,
                                                                  core::UnixSeconds now) override;
  core::Result<core::TrainingRecord> add_record(std::int64_t schemeid, const core::TrainingRecord& record,
                                                core::UnixSeconds now) override;
  core::Result<std::vector<core::TrainingRecord>> list_records(std::int64_t accountid, std::int64_t schemeid) override;
  core::Result<core::CpdEntry> add_cpd(const core::CpdEntry& entry, core::UnixSeconds now) override;
  core::Result<std::vector<core::CpdEntry>> list_cpd(std::int64_t accountid) override;

 private:
  TxContext& tx_;
};

class SociAgreementStore final : public core::AgreementStore {
 public:
  explicit SociAgreementStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<core::AgreementTemplate>> find_template(std::int64_t schemeid) override;
  core::Result<core::AgreementTemplate> save_template(const core::AgreementTemplate& agreement,
                                                      core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

// All six set-up stores on one TxContext.
struct SociSetupStores {
  explicit SociSetupStores(TxContext& tx)
      : objectives(tx), governance(tx), eligibility(tx), profiles(tx), training(tx), agreements(tx) {}
  SociObjectiveStore objectives;
  SociGovernanceStore governance;
  SociEligibilityStore eligibility;
  SociProfileStore profiles;
  SociTrainingStore training;
  SociAgreementStore agreements;
};

// The SetupDatabase port on a SociDatabase: one transaction on one leased
// session, with the core stores and the set-up stores on it. Same commit and
// rollback rules as SociDatabase::transact. `db` must outlive this object.
class SociSetupDatabase final : public core::SetupDatabase {
 public:
  explicit SociSetupDatabase(SociDatabase& db) : db_(db) {}
  core::Status transact(const std::function<core::Status(core::Stores&, core::SetupStores&)>& work) override;

 private:
  SociDatabase& db_;
};

}  // namespace mentoring::storage
