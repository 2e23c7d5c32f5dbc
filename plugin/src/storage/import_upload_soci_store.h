// The SOCI implementation of the import upload store port
// (core/import_upload_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
#pragma once

#include "core/import_upload_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociImportUploadStore final : public core::ImportUploadStore {
 public:
  explicit SociImportUploadStore(TxContext& tx) : tx_(tx) {}
  core::Status create(const core::ImportUpload& upload, const std::string& file, core::UnixSeconds now) override;
  core::Result<bool> create_apply(std::int64_t preview_jobid, std::int64_t jobid, core::UnixSeconds now) override;
  core::Result<std::optional<core::ImportUpload>> find(std::int64_t jobid) override;
  core::Result<std::optional<std::string>> file(std::int64_t jobid) override;
  core::Result<std::vector<std::int64_t>> list_queued(std::int64_t limit) override;
  core::Result<bool> claim(std::int64_t jobid, const std::string& worker, core::UnixSeconds now) override;
  core::Result<bool> heartbeat(std::int64_t jobid, const std::string& worker, core::UnixSeconds now) override;
  core::Result<bool> finish(std::int64_t jobid, const std::string& worker, const core::ImportUploadResult& result,
                            core::UnixSeconds now) override;
  core::Result<Abandoned> recover_abandoned(core::UnixSeconds heartbeat_before, int max_attempts,
                                            const core::ImportUploadResult& failure, core::UnixSeconds now) override;
  core::Result<std::int64_t> forget(core::UnixSeconds files_before, core::UnixSeconds rows_before,
                                    core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
