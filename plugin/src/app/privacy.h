// Use cases for a person's rights over their data (UK GDPR articles 15 and
// 17): a subject access export of everything the plugin holds about an
// account, and erasure by the privacy map (docs/privacy.md). Both are one
// transaction and leave an audit entry without personal data.
#pragma once

#include <optional>
#include <vector>

#include "core/audit.h"
#include "core/audit_stores.h"
#include "core/clock.h"
#include "core/demographics.h"
#include "core/stores.h"

namespace mentoring::app {

struct PersonalDataExport {
  core::Account account;
  std::vector<core::ExportedTable> tables;  // raw rows by table (secrets left out)
  // The person's monitoring answers, decrypted; absent when they gave none.
  std::optional<core::DemographicAnswers> demographics;
  // True when a record exists but cannot be read here (no key configured, or
  // its key version is no longer in the keyring).
  bool demographics_unreadable = false;
};

class PrivacyService {
 public:
  // `cipher` may be null (no demographics); it must outlive the service.
  PrivacyService(core::Database& db, const core::Clock& clock, const core::FieldCipher* cipher)
      : db_(db), clock_(clock), cipher_(cipher) {}

  // Everything about account `accountid`. Audited as an export of the
  // account. NotFound "account_not_found".
  core::Result<PersonalDataExport> export_account(std::int64_t accountid, const core::Actor& actor);

  // Erases the account by the privacy map in one transaction. Audited as
  // "erase" of the account (the summary gives row counts only).
  core::Result<core::ErasureCounts> erase(std::int64_t accountid, const core::Actor& actor);

  // The erasure itself on stores already inside a transaction, so another
  // command (the host's account.deleted webhook) can erase as part of its
  // own unit of work: deletes or anonymises per the privacy map, then writes
  // the audit entry. NotFound "account_not_found". Erasing an account twice
  // is harmless (the second finds nothing left to delete).
  static core::Result<core::ErasureCounts> erase_account(core::Stores& stores, std::int64_t accountid,
                                                         core::UnixSeconds now,
                                                         const core::Actor& actor = core::Actor::service());

 private:
  core::Database& db_;
  const core::Clock& clock_;
  const core::FieldCipher* cipher_;
};

}  // namespace mentoring::app
