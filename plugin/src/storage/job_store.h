// SOCI implementations of core::JobStore and core::FormSubmissionStore
// (schema step 0005). Internal to storage/.
#pragma once

#include "core/jobs.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociJobStore final : public core::JobStore {
 public:
  explicit SociJobStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::Job> create(const core::Job& job, std::int64_t now_ms) override;
  core::Result<std::optional<core::Job>> find(std::int64_t id) override;
  core::Result<core::Job> update(const core::Job& job, std::int64_t now_ms) override;
  core::Result<std::vector<core::Job>> list_recent(std::int64_t limit) override;

 private:
  TxContext& tx_;
};

class SociFormSubmissionStore final : public core::FormSubmissionStore {
 public:
  explicit SociFormSubmissionStore(TxContext& tx) : tx_(tx) {}
  core::Result<bool> claim(const std::string& token_hash, std::int64_t accountid, core::UnixSeconds now) override;
  core::Result<std::int64_t> purge_before(core::UnixSeconds before) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
