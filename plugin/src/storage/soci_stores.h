// The SOCI implementations of the core's store ports, bound to one session
// that is inside one transaction (see SociDatabase::transact). Internal to
// storage/.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "core/stores.h"
#include "storage/dialect.h"
#include "storage/errors.h"

#include <soci/soci.h>

namespace mentoring::storage {

// What the stores of one transaction share. The first driver error is kept so
// that transact() rolls back even when the work ignores it and returns OK:
// after an error PostgreSQL has already aborted the transaction, and the two
// backends should behave alike.
struct TxContext {
  soci::session& sql;
  Dialect dialect;
  const std::string& prefix;
  core::Status first_error;

  std::string table(std::string_view name) const { return prefix + std::string(name); }
};

// Runs `fn` (which returns a Result<T> or Status), turning a driver exception
// into the Status the function returns.
template <typename Fn>
auto guarded(TxContext& tx, std::string_view doing, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    core::Status st = translate_current_exception(doing);
    if (tx.first_error.is_ok()) tx.first_error = st;
    return st;
  }
}

// Prepares, executes and fetches at most one row into the statement's
// outputs; true when a row came back.
bool fetch_one(const soci::details::prepare_temp_type& prepared);

// Checks a page and caps its limit at core::kMaxPageSize.
core::Result<core::Page> checked_page(core::Page page);

// A stored enum value this build does not know: the database was written by
// something else, or the CHECK constraints were changed by hand.
core::Status stored_value_invalid(std::string_view table, std::string_view column, std::string_view value);

class SociAccountStore final : public core::AccountStore {
 public:
  explicit SociAccountStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Account> upsert(const core::AccountInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::Account>> find(std::int64_t id) override;
  core::Result<std::optional<core::Account>> find_by_subject(const std::string& platform,
                                                             const std::string& subject) override;
  core::Result<std::int64_t> count() override;

 private:
  TxContext& tx_;
};

class SociSchemeStore final : public core::SchemeStore {
 public:
  explicit SociSchemeStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Scheme> create(const core::SchemeInput& input, core::UnixSeconds now) override;
  core::Result<core::Scheme> update(std::int64_t id, const core::SchemeInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::Scheme>> find(std::int64_t id) override;
  core::Result<std::vector<core::Scheme>> list(core::Page page) override;
  core::Result<core::Cohort> create_cohort(const core::CohortInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::Cohort>> find_cohort(std::int64_t id) override;
  core::Result<std::vector<core::Cohort>> list_cohorts(std::int64_t schemeid) override;

 private:
  TxContext& tx_;
};

class SociEnrolmentStore final : public core::EnrolmentStore {
 public:
  explicit SociEnrolmentStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Enrolment> create(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                       core::UnixSeconds now) override;
  core::Result<std::optional<core::Enrolment>> find(std::int64_t id) override;
  core::Result<std::vector<core::Enrolment>> list_by_cohort(std::int64_t cohortid, std::optional<core::Role> role,
                                                            core::Page page) override;
  core::Result<std::int64_t> count_by_cohort(std::int64_t cohortid, std::optional<core::Role> role) override;
  core::Result<core::Enrolment> set_status(std::int64_t id, core::EnrolmentStatus status,
                                           core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

class SociLtiStore final : public core::LtiStore {
 public:
  explicit SociLtiStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::LtiPlatform> upsert_platform(const core::LtiPlatformInput& input,
                                                  const std::vector<std::string>& deployment_ids,
                                                  core::UnixSeconds now) override;
  core::Result<std::vector<core::LtiPlatform>> find_platforms(const std::string& issuer) override;
  core::Result<std::optional<core::LtiPlatform>> find_platform(std::int64_t id) override;
  core::Result<std::vector<core::LtiPlatform>> list_platforms() override;
  core::Result<std::optional<core::LtiDeployment>> find_deployment(std::int64_t platformid,
                                                                   const std::string& deployment_id) override;
  core::Result<std::vector<core::RoleMapping>> role_mappings(std::int64_t deploymentid) override;
  core::Result<core::RoleMapping> add_role_mapping(std::int64_t deploymentid, const std::string& lti_role,
                                                   const std::string& capability, core::UnixSeconds now) override;
  core::Result<core::LtiContextLink> upsert_context(std::int64_t deploymentid, const std::string& context_id,
                                                    const std::string& label, const std::string& title,
                                                    core::UnixSeconds now) override;
  core::Result<std::vector<core::LtiContextLink>> list_contexts() override;
  core::Result<core::LtiContextLink> link_context(std::int64_t id, std::optional<std::int64_t> schemeid,
                                                  core::UnixSeconds now) override;
  core::Result<std::optional<core::LtiContextLink>> link_context_if_unlinked(std::int64_t id, std::int64_t schemeid,
                                                                             core::UnixSeconds now) override;
  core::Result<std::vector<core::ToolKey>> tool_keys(bool include_retired) override;
  core::Result<core::ToolKey> add_tool_key(const std::string& kid, const std::string& private_key_pem,
                                           core::ToolKeyStatus status, core::UnixSeconds now) override;
  core::Result<std::int64_t> demote_active_key(core::UnixSeconds now) override;
  core::Result<std::int64_t> retire_previous_keys(core::UnixSeconds now) override;

 private:
  core::Result<std::vector<core::LtiPlatform>> platforms_where(const std::string& where, const std::string* text,
                                                               const std::int64_t* id);
  TxContext& tx_;
};

class SociLtiLaunchStore final : public core::LtiLaunchStore {
 public:
  explicit SociLtiLaunchStore(TxContext& tx) : tx_(tx) {}
  core::Status create_login_state(const core::LoginStateInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::LoginState>> find_login_state(const std::string& state) override;
  core::Result<core::ConsumedLoginState> consume_login_state(const std::string& state, core::UnixSeconds now) override;
  core::Status record_nonce(std::int64_t platformid, const std::string& nonce, core::UnixSeconds expires_at,
                            core::UnixSeconds now) override;
  core::Status create_handoff(const std::string& token_hash, std::int64_t sessionid, core::UnixSeconds expires_at,
                              core::UnixSeconds now) override;
  core::Result<core::ConsumedHandoff> consume_handoff(const std::string& token_hash, core::UnixSeconds now) override;
  core::Result<std::int64_t> purge_expired(core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

class SociSessionStore final : public core::SessionStore {
 public:
  explicit SociSessionStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Session> create(const core::SessionInput& input, core::UnixSeconds now) override;
  core::Result<std::optional<core::Session>> touch(const std::string& token_hash, core::UnixSeconds now,
                                                   std::int64_t idle_timeout) override;
  core::Result<std::optional<core::Session>> find(std::int64_t id) override;
  core::Result<std::optional<core::Session>> find_by_token(const std::string& token_hash) override;
  core::Status remove(const std::string& token_hash) override;
  core::Result<std::int64_t> count() override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
