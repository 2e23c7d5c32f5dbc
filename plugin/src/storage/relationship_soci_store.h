// The SOCI implementation of the relationship store port
// (core/relationship/relationship_stores.h), bound to one TxContext like the
// stores in soci_stores.h. Internal to storage/.
#pragma once

#include "core/relationship/relationship_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociRelationshipStore final : public core::relationship::RelationshipStore {
 public:
  explicit SociRelationshipStore(TxContext& tx) : tx_(tx) {}

  core::Result<std::optional<core::relationship::PairingParties>> parties(std::int64_t pairingid) override;
  core::Result<std::vector<core::relationship::PairingParties>> pairings_of_account(std::int64_t accountid) override;

  core::Result<core::AgreementAcceptance> add_acceptance(const core::AgreementAcceptance& acceptance,
                                                         core::UnixSeconds now) override;
  core::Result<std::vector<core::AgreementAcceptance>> acceptances(std::int64_t pairingid) override;

  core::Status lock_people(std::int64_t first_accountid, std::int64_t second_accountid) override;
  core::Result<core::relationship::Meeting> create_meeting(const core::relationship::Meeting& meeting,
                                                           core::UnixSeconds now) override;
  core::Result<std::optional<core::relationship::Meeting>> find_meeting(std::int64_t id) override;
  core::Result<std::vector<core::relationship::Meeting>> meetings(std::int64_t pairingid) override;
  core::Result<std::vector<core::relationship::Meeting>> meetings_of_account_between(std::int64_t accountid,
                                                                                     core::UnixSeconds from,
                                                                                     core::UnixSeconds to) override;
  core::Result<core::relationship::Meeting> update_meeting(const core::relationship::Meeting& meeting,
                                                           core::relationship::MeetingState expected,
                                                           core::UnixSeconds now) override;
  core::Status save_note(std::int64_t meetingid, std::int64_t accountid, const std::string& note,
                         core::UnixSeconds now) override;
  core::Result<std::map<std::int64_t, std::string>> notes_by(std::int64_t pairingid, std::int64_t accountid) override;

  core::Result<core::relationship::Goal> create_goal(const core::relationship::Goal& goal,
                                                     core::UnixSeconds now) override;
  core::Result<std::optional<core::relationship::Goal>> find_goal(std::int64_t id) override;
  core::Result<std::vector<core::relationship::Goal>> goals(std::int64_t pairingid) override;
  core::Result<core::relationship::Goal> update_goal(const core::relationship::Goal& goal,
                                                     core::UnixSeconds now) override;
  core::Result<core::relationship::GoalNote> add_goal_note(const core::relationship::GoalNote& note,
                                                           core::UnixSeconds now) override;
  core::Result<std::vector<core::relationship::GoalNote>> goal_notes(std::int64_t pairingid) override;

  core::Result<core::relationship::ProtectedTime> add_protected_time(const core::relationship::ProtectedTime& entry,
                                                                     core::UnixSeconds now) override;
  core::Result<std::vector<core::relationship::ProtectedTime>> protected_time(std::int64_t pairingid) override;

  core::Result<std::vector<core::evaluation::PairingActivity>> active_activity(std::int64_t cohortid,
                                                                               core::UnixSeconds now) override;
  core::Result<core::EngagementCounts> engagement_counts(std::int64_t schemeid, std::int64_t cohortid) override;

  core::Result<bool> record_nudge(const core::evaluation::Nudge& nudge, core::UnixSeconds now) override;
  core::Status link_nudge(const std::string& key, std::int64_t outboxid, core::UnixSeconds now) override;
  core::Result<std::int64_t> count_nudges(std::int64_t pairingid) override;

 private:
  core::Result<std::vector<core::relationship::Meeting>> meetings_where(const std::string& where,
                                                                        std::vector<std::int64_t> keys);
  core::Result<std::vector<core::relationship::Goal>> goals_where(const std::string& where, std::int64_t key);
  TxContext& tx_;
};

}  // namespace mentoring::storage
