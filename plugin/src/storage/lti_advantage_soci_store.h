// SOCI implementation of core::LtiAdvantageStore, bound to one TxContext like
// the stores in soci_stores.h. Internal to storage/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/lti_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociLtiAdvantageStore final : public core::LtiAdvantageStore {
 public:
  explicit SociLtiAdvantageStore(TxContext& tx) : tx_(tx) {}

  core::Result<std::optional<core::LtiContextTarget>> find_context_target(std::int64_t contextid) override;
  core::Status save_context_services(const core::LtiContextServices& services, core::UnixSeconds now) override;
  core::Result<std::optional<core::LtiContextServices>> find_context_services(std::int64_t contextid) override;

  core::Result<core::RosterChange> upsert_roster_member(std::int64_t contextid, std::int64_t accountid,
                                                        const std::vector<std::string>& roles,
                                                        core::RosterStatus status, core::UnixSeconds now) override;
  core::Result<std::vector<core::RosterEntry>> list_roster(std::int64_t contextid) override;

  core::Result<std::optional<std::string>> find_line_item(std::int64_t contextid,
                                                          const std::string& milestone) override;
  core::Status save_line_item(std::int64_t contextid, const std::string& milestone, const std::string& url,
                              core::UnixSeconds now) override;

  core::Result<std::optional<core::LtiDeployment>> find_deployment_by_id(std::int64_t deploymentid) override;
  core::Result<bool> deep_linking_allowed(std::int64_t deploymentid) override;
  core::Status set_deep_linking_allowed(std::int64_t deploymentid, bool allowed, core::UnixSeconds now) override;

  core::Status create_deep_link_request(const core::DeepLinkRequestInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::DeepLinkRequest>> find_deep_link_request(const std::string& token_hash) override;
  core::Result<core::OneTimeOutcome> consume_deep_link_request(const std::string& token_hash,
                                                               core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
