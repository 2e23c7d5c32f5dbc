// The SOCI implementations of the audit, demographics and privacy store
// ports (core/audit_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
#pragma once

#include <string>
#include <string_view>

#include "core/audit_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

// Lower-case hexadecimal of raw bytes, and back (nullopt for anything that is
// not an even number of hex digits).
std::string to_hex(std::string_view bytes);
std::optional<std::string> from_hex(std::string_view hex);

class SociAuditStore final : public core::AuditStore {
 public:
  explicit SociAuditStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::AuditEntry> append(const core::AuditEntry& entry) override;
  core::Result<std::vector<core::AuditEntry>> list(const core::AuditFilter& filter, core::Page page) override;
  core::Result<std::int64_t> count(const core::AuditFilter& filter) override;

 private:
  TxContext& tx_;
};

class SociDemographicsStore final : public core::DemographicsStore {
 public:
  explicit SociDemographicsStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::optional<core::DemographicRecord>> find(std::int64_t accountid) override;
  core::Result<core::DemographicRecord> save(std::int64_t accountid, const core::SealedValue& sealed,
                                             core::UnixSeconds now) override;
  core::Result<bool> remove(std::int64_t accountid) override;
  core::Result<std::vector<core::DemographicRecord>> list_after(std::int64_t after_id, std::int64_t limit) override;
  core::Result<std::int64_t> count_not_at_version(int version) override;

 private:
  TxContext& tx_;
};

class SociPrivacyStore final : public core::PrivacyStore {
 public:
  explicit SociPrivacyStore(TxContext& tx) : tx_(tx) {}
  core::Result<std::vector<core::Account>> find_accounts_by_email(const std::string& email) override;
  core::Result<std::optional<std::int64_t>> find_account_by_gmc(const std::string& gmc_number) override;
  core::Result<std::optional<std::string>> gmc_number(std::int64_t accountid) override;
  core::Status set_gmc_number(std::int64_t accountid, const std::string& gmc_number, core::UnixSeconds now) override;
  core::Result<std::vector<core::TrainingRecord>> training_records_in_scheme(std::int64_t schemeid) override;
  core::Result<bool> holds_responsibility(std::int64_t accountid, const std::string& responsibility) override;
  core::Result<std::vector<core::ExportedTable>> export_rows(std::int64_t accountid) override;
  core::Result<core::ErasureCounts> erase(std::int64_t accountid, core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
