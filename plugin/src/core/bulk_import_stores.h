// The writes of a bulk CSV import (app/bulk_import.h), as one store whose
// statements are prepared once per transaction and executed again for every
// row: a 100,000-row file then costs a few executions of a ready statement
// per row instead of parsing the same SQL a million times.
//
// Every method works inside the caller's transaction, like every store. The
// inputs are checked by the caller (core::validate(AccountInput),
// core::validate(AuditEntry), the GMC number format); the store only writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/account.h"
#include "core/audit.h"
#include "core/enrolment.h"
#include "core/status.h"

namespace mentoring::core {

// What an import needs to know of an existing account.
struct ImportAccount {
  std::int64_t id = 0;
  std::string subject;  // set by the batch methods
  std::string display_name;
  std::string email;
  AccountStatus status = AccountStatus::kActive;
};

// The most rows one batch call takes.
inline constexpr std::size_t kBulkBatchRows = 500;

class BulkImportStore {
 public:
  virtual ~BulkImportStore() = default;

  // The account (platform, subject), if it exists.
  virtual Result<std::optional<ImportAccount>> find_account(const std::string& platform,
                                                            const std::string& subject) = 0;
  // Inserts a new active account and returns its id. AlreadyExists
  // "account_exists" when (platform, subject) is taken.
  virtual Result<std::int64_t> insert_account(const AccountInput& input, UnixSeconds now) = 0;
  // Sets the name and email of account `id`.
  virtual Status update_account(std::int64_t id, const std::string& display_name, const std::string& email,
                                UnixSeconds now) = 0;

  // The account holding `gmc_number`, if any.
  virtual Result<std::optional<std::int64_t>> account_with_gmc(const std::string& gmc_number) = 0;
  // The GMC number recorded for `accountid`, if any.
  virtual Result<std::optional<std::string>> gmc_of(std::int64_t accountid) = 0;
  // Records (or replaces) the account's GMC number. The caller has checked
  // that no other account holds it.
  virtual Status set_gmc(std::int64_t accountid, const std::string& gmc_number, UnixSeconds now) = 0;

  // Inserts an active enrolment and returns its id; nothing when the account
  // already has an enrolment in that cohort with that role (nothing written).
  virtual Result<std::optional<std::int64_t>> insert_enrolment(std::int64_t cohortid, std::int64_t accountid,
                                                               Role role, UnixSeconds now) = 0;

  // --- Batches: one statement for many rows (at most kBulkBatchRows). ---

  // The accounts of `platform` among `subjects` (any order; missing ones are
  // left out).
  virtual Result<std::vector<ImportAccount>> find_accounts(const std::string& platform,
                                                           const std::vector<std::string>& subjects) = 0;
  // Inserts new active accounts, all of one platform, and returns them with
  // their ids (any order). AlreadyExists "account_exists" when one was taken.
  virtual Result<std::vector<ImportAccount>> insert_accounts(const std::vector<AccountInput>& inputs,
                                                             UnixSeconds now) = 0;
  // (gmc_number, accountid) of the accounts holding any of `gmc_numbers`.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> gmc_holders(
      const std::vector<std::string>& gmc_numbers) = 0;
  // (accountid, gmc_number) recorded for any of `accountids`.
  virtual Result<std::vector<std::pair<std::int64_t, std::string>>> gmc_numbers_of(
      const std::vector<std::int64_t>& accountids) = 0;
  // Records (or replaces) GMC numbers, at most one per account. The caller
  // has checked that no other account holds them.
  virtual Status set_gmc_numbers(const std::vector<std::pair<std::int64_t, std::string>>& numbers,
                                 UnixSeconds now) = 0;
  // Which of `accountids` already have an enrolment in `cohortid` as `role`.
  virtual Result<std::vector<std::int64_t>> enrolled(std::int64_t cohortid, Role role,
                                                     const std::vector<std::int64_t>& accountids) = 0;
  // Inserts active enrolments of `accountids` (none enrolled yet) and
  // returns (accountid, enrolment id), any order.
  virtual Result<std::vector<std::pair<std::int64_t, std::int64_t>>> insert_enrolments(
      std::int64_t cohortid, Role role, const std::vector<std::int64_t>& accountids, UnixSeconds now) = 0;
  virtual Status append_audits(const std::vector<AuditEntry>& entries) = 0;
  // (event type, payload) pairs, queued as OutboxStore::append does.
  virtual Status append_outbox_events(const std::vector<std::pair<std::string, std::string>>& events,
                                      UnixSeconds now) = 0;

  // Appends to the audit log (the entry's id is ignored).
  virtual Status append_audit(const AuditEntry& entry) = 0;
  // Queues a webhook event, as OutboxStore::append does.
  virtual Status append_outbox(const std::string& event_type, const std::string& payload_json,
                               UnixSeconds now) = 0;
};

}  // namespace mentoring::core
