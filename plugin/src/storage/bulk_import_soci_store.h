// The SOCI implementation of core::BulkImportStore. Each statement is
// prepared the first time it is used in a transaction and executed again,
// with new values in its bound variables, for every later row. Internal to
// storage/.
#pragma once

#include <memory>

#include "core/bulk_import_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociBulkImportStore final : public core::BulkImportStore {
 public:
  explicit SociBulkImportStore(TxContext& tx);
  ~SociBulkImportStore() override;

  core::Result<std::optional<core::ImportAccount>> find_account(const std::string& platform,
                                                                const std::string& subject) override;
  core::Result<std::int64_t> insert_account(const core::AccountInput& input, core::UnixSeconds now) override;
  core::Status update_account(std::int64_t id, const std::string& display_name, const std::string& email,
                              core::UnixSeconds now) override;
  core::Result<std::optional<std::int64_t>> account_with_gmc(const std::string& gmc_number) override;
  core::Result<std::optional<std::string>> gmc_of(std::int64_t accountid) override;
  core::Status set_gmc(std::int64_t accountid, const std::string& gmc_number, core::UnixSeconds now) override;
  core::Result<std::optional<std::int64_t>> insert_enrolment(std::int64_t cohortid, std::int64_t accountid,
                                                             core::Role role, core::UnixSeconds now) override;
  core::Result<std::vector<core::ImportAccount>> find_accounts(const std::string& platform,
                                                               const std::vector<std::string>& subjects) override;
  core::Result<std::vector<core::ImportAccount>> insert_accounts(const std::vector<core::AccountInput>& inputs,
                                                                 core::UnixSeconds now) override;
  core::Result<std::vector<std::pair<std::string, std::int64_t>>> gmc_holders(
      const std::vector<std::string>& gmc_numbers) override;
  core::Result<std::vector<std::pair<std::int64_t, std::string>>> gmc_numbers_of(
      const std::vector<std::int64_t>& accountids) override;
  core::Status set_gmc_numbers(const std::vector<std::pair<std::int64_t, std::string>>& numbers,
                               core::UnixSeconds now) override;
  core::Result<std::vector<std::int64_t>> enrolled(std::int64_t cohortid, core::Role role,
                                                   const std::vector<std::int64_t>& accountids) override;
  core::Result<std::vector<std::pair<std::int64_t, std::int64_t>>> insert_enrolments(
      std::int64_t cohortid, core::Role role, const std::vector<std::int64_t>& accountids,
      core::UnixSeconds now) override;
  core::Status append_audits(const std::vector<core::AuditEntry>& entries) override;
  core::Status append_outbox_events(const std::vector<std::pair<std::string, std::string>>& events,
                                    core::UnixSeconds now) override;
  core::Status append_audit(const core::AuditEntry& entry) override;
  core::Status append_outbox(const std::string& event_type, const std::string& payload_json,
                             core::UnixSeconds now) override;

 private:
  struct Statements;
  TxContext& tx_;
  // Created on first use: most transactions never import anything.
  std::unique_ptr<Statements> st_;
  Statements& statements();
};

}  // namespace mentoring::storage
