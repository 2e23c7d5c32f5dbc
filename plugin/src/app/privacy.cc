#include "app/privacy.h"

#include "app/audit.h"
#include "app/demographics.h"
#include "app/unit_of_work.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Result<PersonalDataExport> PrivacyService::export_account(std::int64_t accountid, const core::Actor& actor) {
  return in_transaction<PersonalDataExport>(db_, [&](core::Stores& s) -> Result<PersonalDataExport> {
    auto account = s.accounts.find(accountid);
    if (!account) return account.status();
    if (!account->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
    PersonalDataExport out;
    out.account = **account;
    auto tables = s.privacy.export_rows(accountid);
    if (!tables) return tables.status();
    out.tables = std::move(tables).value();
    auto record = s.demographics.find(accountid);
    if (!record) return record.status();
    if (record->has_value()) {
      if (cipher_ && cipher_->current_version() > 0) {
        auto answers = open_demographics(*cipher_, accountid, (*record)->sealed);
        if (answers) {
          out.demographics = std::move(answers).value();
        } else if (answers.status().reason() == "demographics_key_unknown") {
          out.demographics_unreadable = true;
        } else {
          return answers.status();
        }
      } else {
        out.demographics_unreadable = true;
      }
    }
    MENTORING_RETURN_IF_ERROR(
        audit(s, actor, core::AuditAction::kExport, "account", accountid, "personal data exported", clock_.now()));
    return out;
  });
}

Result<core::ErasureCounts> PrivacyService::erase(std::int64_t accountid, const core::Actor& actor) {
  return in_transaction<core::ErasureCounts>(
      db_, [&](core::Stores& s) { return erase_account(s, accountid, clock_.now(), actor); });
}

Result<core::ErasureCounts> PrivacyService::erase_account(core::Stores& stores, std::int64_t accountid,
                                                          core::UnixSeconds now, const core::Actor& actor) {
  auto counts = stores.privacy.erase(accountid, now);
  if (!counts) return counts.status();
  MENTORING_RETURN_IF_ERROR(audit(stores, actor, core::AuditAction::kErase, "account", accountid,
                                  "personal data erased (" + std::to_string(counts->total()) + " rows)", now));
  return counts;
}

}  // namespace mentoring::app
