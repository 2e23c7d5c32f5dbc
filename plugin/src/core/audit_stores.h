// Storage ports for the audit log, the encrypted demographic records and
// the privacy operations (subject access export, erasure, and the account
// look-ups bulk imports need). Part of core::Stores, so every call shares the
// transaction of the change it belongs to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/account.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/demographics.h"
#include "core/mentor_training.h"
#include "core/status.h"
#include "core/stores.h"

namespace mentoring::core {

class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends `entry` (its id is ignored); the stored entry comes back.
  virtual Result<AuditEntry> append(const AuditEntry& entry) = 0;
  // Newest first (highest id first).
  virtual Result<std::vector<AuditEntry>> list(const AuditFilter& filter, Page page) = 0;
  virtual Result<std::int64_t> count(const AuditFilter& filter) = 0;
};

// An account's encrypted demographic record as stored.
struct DemographicRecord {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  SealedValue sealed;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

class DemographicsStore {
 public:
  virtual ~DemographicsStore() = default;
  virtual Result<std::optional<DemographicRecord>> find(std::int64_t accountid) = 0;
  // Inserts or replaces the account's record (keeping id and timecreated).
  // NotFound "account_not_found".
  virtual Result<DemographicRecord> save(std::int64_t accountid, const SealedValue& sealed, UnixSeconds now) = 0;
  // True when a record was removed.
  virtual Result<bool> remove(std::int64_t accountid) = 0;
  // Up to `limit` records with id > `after_id`, in id order: for re-keying
  // and aggregate counts in batches.
  virtual Result<std::vector<DemographicRecord>> list_after(std::int64_t after_id, std::int64_t limit) = 0;
  // Records sealed with a key version other than `version`.
  virtual Result<std::int64_t> count_not_at_version(int version) = 0;
};

// One stored value in a subject access export.
using ExportedValue = std::variant<std::monostate, std::int64_t, double, std::string>;
struct ExportedRow {
  std::vector<std::pair<std::string, ExportedValue>> columns;
};
// Rows of one table that concern the person, with the table named without
// its prefix ("cpd_entries").
struct ExportedTable {
  std::string table;
  std::vector<ExportedRow> rows;
};

// What an erasure did, table by table (rows deleted or anonymised).
struct ErasureCounts {
  std::vector<std::pair<std::string, std::int64_t>> tables;
  std::int64_t total() const {
    std::int64_t n = 0;
    for (const auto& t : tables) n += t.second;
    return n;
  }
};

class PrivacyStore {
 public:
  virtual ~PrivacyStore() = default;
  // Accounts whose email matches `email` ignoring ASCII case, oldest first.
  virtual Result<std::vector<Account>> find_accounts_by_email(const std::string& email) = 0;
  // The account holding GMC reference number `gmc_number`, if any.
  virtual Result<std::optional<std::int64_t>> find_account_by_gmc(const std::string& gmc_number) = 0;
  virtual Result<std::optional<std::string>> gmc_number(std::int64_t accountid) = 0;
  // Records the account's GMC number (replacing an earlier one).
  // AlreadyExists "gmc_number_taken" when another account holds it.
  virtual Status set_gmc_number(std::int64_t accountid, const std::string& gmc_number, UnixSeconds now) = 0;
  // Every training record of scheme `schemeid` (records carry accountid), by
  // account then completion date: for bulk export.
  virtual Result<std::vector<TrainingRecord>> training_records_in_scheme(std::int64_t schemeid) = 0;
  // Whether the account holds `responsibility` (core/governance.h name, e.g.
  // "confidential_data") in the governance register of any scheme.
  virtual Result<bool> holds_responsibility(std::int64_t accountid, const std::string& responsibility) = 0;

  // Every row the plugin's tables hold about the account, as stored, minus
  // secrets (session token hashes) and ciphertext; see docs/privacy.md.
  virtual Result<std::vector<ExportedTable>> export_rows(std::int64_t accountid) = 0;
  // Applies the privacy map to the account: deletes what serves only the
  // person (profiles, training records, CPD, demographics, sessions, GMC
  // number, governance assignments), withdraws their enrolments, and
  // anonymises the account row (name and email cleared, subject replaced)
  // so records that count towards evaluation stay countable without
  // pointing at anyone. NotFound "account_not_found".
  virtual Result<ErasureCounts> erase(std::int64_t accountid, UnixSeconds now) = 0;
};

}  // namespace mentoring::core
