// The SOCI implementations of the concern and check-in store ports
// (core/concern_stores.h, core/checkin_stores.h), bound to one TxContext
// like the stores in soci_stores.h. Internal to storage/.
#pragma once

#include "core/checkin_stores.h"
#include "core/concern_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociConcernStore final : public core::ConcernStore {
 public:
  explicit SociConcernStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Concern> create(const core::Concern& concern, core::UnixSeconds now) override;
  core::Result<std::optional<core::Concern>> find(std::int64_t id) override;
  core::Result<core::Concern> update_state(const core::Concern& concern, core::ConcernState expected,
                                           core::UnixSeconds now) override;
  core::Result<core::ConcernAction> add_action(const core::ConcernAction& action, core::UnixSeconds now) override;
  core::Result<std::vector<core::ConcernAction>> actions(std::int64_t concernid) override;
  core::Status seal_text(std::int64_t concernid, const core::SealedValue& sealed) override;
  core::Status seal_action_text(std::int64_t actionid, const core::SealedValue& sealed) override;
  core::Result<std::vector<core::Concern>> list_unsealed(std::int64_t after_id, std::int64_t limit) override;
  core::Result<std::vector<core::ConcernAction>> list_unsealed_actions(std::int64_t after_id,
                                                                       std::int64_t limit) override;
  core::Result<std::vector<core::Concern>> list_after(std::int64_t after_id, std::int64_t limit) override;
  core::Result<std::vector<core::ConcernAction>> list_actions_after(std::int64_t after_id,
                                                                    std::int64_t limit) override;
  core::Result<std::vector<core::Concern>> list_raised_by(std::int64_t accountid) override;
  core::Result<std::vector<core::Concern>> list_by_scheme(std::int64_t schemeid, bool open_only,
                                                          core::Page page) override;
  core::Result<std::int64_t> count_by_scheme(std::int64_t schemeid, bool open_only) override;

 private:
  core::Result<std::vector<core::Concern>> select(const std::string& where_and_order, std::int64_t key,
                                                  std::int64_t limit, std::int64_t offset);
  core::Result<std::vector<core::ConcernAction>> select_actions(const std::string& where_and_order, std::int64_t key,
                                                                std::int64_t limit);
  TxContext& tx_;
};

class SociCheckinStore final : public core::CheckinStore {
 public:
  explicit SociCheckinStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<core::CheckinResponse>> find(std::int64_t pairingid, std::int64_t accountid,
                                                          core::CheckinPhase phase) override;
  core::Result<core::CheckinResponse> create(const core::CheckinResponse& response, core::UnixSeconds now) override;
  core::Result<core::CheckinResponse> update(const core::CheckinResponse& response, core::UnixSeconds now) override;
  core::Result<std::vector<core::CheckinResponse>> list_by_cohort(std::int64_t cohortid) override;
  core::Result<std::vector<core::CheckinResponse>> list_by_account(std::int64_t accountid) override;
  core::Result<std::vector<core::PartyPairing>> pairings_of_account(std::int64_t accountid) override;

 private:
  core::Result<std::vector<core::CheckinResponse>> select(const std::string& where, std::int64_t a,
                                                          std::int64_t b, const std::string& phase);
  TxContext& tx_;
};

}  // namespace mentoring::storage
