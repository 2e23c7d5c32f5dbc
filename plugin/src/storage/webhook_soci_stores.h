// The SOCI implementations of the webhook store ports
// (core/webhook_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
#pragma once

#include "core/webhook_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociInboxStore final : public core::InboxStore {
 public:
  explicit SociInboxStore(TxContext& tx) : tx_(tx) {}
  core::Result<bool> insert(const std::string& msgid, const std::string& event_type, std::int64_t occurred_at_ms,
                            const std::string& body, core::UnixSeconds now) override;
  core::Result<std::vector<core::InboxEntry>> claim_due(const std::string& token, core::UnixSeconds now,
                                                        std::int64_t lease_seconds, int limit) override;
  core::Status finish(std::int64_t id, const std::string& token, core::InboxState state, const std::string& note,
                      core::UnixSeconds now) override;
  core::Status retry_later(std::int64_t id, const std::string& token, core::UnixSeconds next_attempt_at,
                           const std::string& error, core::UnixSeconds now) override;
  core::Result<std::optional<core::InboxEntry>> find(std::int64_t id) override;
  core::Result<std::optional<core::InboxEntry>> find_by_msgid(const std::string& msgid) override;
  core::Result<std::vector<core::InboxEntry>> list(std::optional<core::InboxState> state, core::Page page) override;
  core::Result<core::InboxEntry> replay(std::int64_t id, core::UnixSeconds now) override;
  core::Result<std::int64_t> purge(core::UnixSeconds before) override;

 private:
  TxContext& tx_;
};

class SociOutboxStore final : public core::OutboxStore {
 public:
  explicit SociOutboxStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::OutboxEntry> append(const std::string& event_type, const std::string& payload_json,
                                         core::UnixSeconds now) override;
  core::Result<std::optional<core::OutboxEntry>> append_once(const std::string& event_type,
                                                             const std::string& payload_json,
                                                             const std::string& idempotency_key,
                                                             core::UnixSeconds now) override;
  core::Result<std::vector<core::OutboxEntry>> claim_due(const std::string& token, core::UnixSeconds now,
                                                         std::int64_t lease_seconds, int limit) override;
  core::Status mark_delivered(std::int64_t id, const std::string& token, int http_status,
                              core::UnixSeconds now) override;
  core::Status mark_failed(std::int64_t id, const std::string& token, int http_status, const std::string& error,
                           core::UnixSeconds next_attempt_at, bool dead, core::UnixSeconds now) override;
  core::Result<std::optional<core::OutboxEntry>> find(std::int64_t id) override;
  core::Result<std::vector<core::OutboxEntry>> list(std::optional<core::OutboxState> state, core::Page page) override;
  core::Result<core::OutboxEntry> retry(std::int64_t id, core::UnixSeconds deadline_at, core::UnixSeconds now) override;
  core::Result<std::int64_t> purge(core::UnixSeconds before) override;

 private:
  TxContext& tx_;
};

class SociHostAccountStore final : public core::HostAccountStore {
 public:
  explicit SociHostAccountStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<core::HostAccountData>> find(std::int64_t accountid) override;
  core::Status save(const core::HostAccountData& data, core::UnixSeconds now) override;
  core::Status set_account_status(std::int64_t accountid, core::AccountStatus status, core::UnixSeconds now) override;
  core::Status erase_person(std::int64_t accountid, core::UnixSeconds now) override;
  core::Result<std::optional<std::int64_t>> erased_at(const std::string& subject_key) override;
  core::Status record_erasure(const std::string& subject_key, std::int64_t event_ms, core::UnixSeconds now) override;
  core::Result<core::StoredTrainingOutcome> add_training_outcome(const core::StoredTrainingOutcome& outcome,
                                                                core::UnixSeconds now) override;
  core::Result<std::vector<core::StoredTrainingOutcome>> list_training_outcomes(std::int64_t accountid) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
