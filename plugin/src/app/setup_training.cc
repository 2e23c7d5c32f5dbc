#include "app/setup_training.h"

#include "app/audit.h"
#include "app/setup_unit_of_work.h"
#include "core/audit_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Result<std::vector<core::TrainingModule>> TrainingService::modules(std::int64_t schemeid) {
  return in_setup_transaction<std::vector<core::TrainingModule>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::TrainingModule>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return setup.training.list_modules(schemeid);
      });
}

Result<std::vector<core::TrainingModule>> TrainingService::replace_modules(std::int64_t schemeid,
                                                                           std::vector<core::TrainingModule> modules,
                                                                           const core::Actor& actor) {
  for (auto& m : modules) m.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(core::validate(modules));
  return in_setup_transaction<std::vector<core::TrainingModule>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::TrainingModule>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        const core::UnixSeconds now = clock_.now();
        auto stored = setup.training.replace_modules(schemeid, modules, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "training_modules", schemeid,
                                        "training modules replaced", now));
        return stored;
      });
}

Result<core::TrainingRecord> TrainingService::add_record(std::int64_t schemeid, const core::TrainingRecord& record,
                                                         const core::Actor& actor) {
  return in_setup_transaction<core::TrainingRecord>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::TrainingRecord> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        MENTORING_RETURN_IF_ERROR(require_account(s, record.accountid));
        auto modules = setup.training.list_modules(schemeid);
        if (!modules) return modules.status();
        const core::UnixSeconds now = clock_.now();
        MENTORING_RETURN_IF_ERROR(core::validate(record, *modules, core::Date::from_unix(now)));
        auto stored = setup.training.add_record(schemeid, record, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kCreate, "training_record", stored->id, "training record added", now));
        return stored;
      });
}

Result<std::vector<core::TrainingRecord>> TrainingService::records(std::int64_t accountid, std::int64_t schemeid) {
  return in_setup_transaction<std::vector<core::TrainingRecord>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::TrainingRecord>> {
        MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return setup.training.list_records(accountid, schemeid);
      });
}

Result<core::MentorReadiness> TrainingService::readiness(std::int64_t accountid, std::int64_t schemeid) {
  return in_setup_transaction<core::MentorReadiness>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::MentorReadiness> {
        MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        auto modules = setup.training.list_modules(schemeid);
        if (!modules) return modules.status();
        auto records = setup.training.list_records(accountid, schemeid);
        if (!records) return records.status();
        return core::mentor_readiness(*modules, *records, core::Date::from_unix(clock_.now()));
      });
}

Result<core::CpdEntry> TrainingService::add_cpd(const core::CpdEntry& entry, const core::Actor& actor) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(core::validate(entry, core::Date::from_unix(now)));
  return in_setup_transaction<core::CpdEntry>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::CpdEntry> {
        MENTORING_RETURN_IF_ERROR(require_account(s, entry.accountid));
        auto stored = setup.training.add_cpd(entry, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kCreate, "cpd_entry", stored->id, "CPD entry added", now));
        return stored;
      });
}

Result<std::vector<core::CpdEntry>> TrainingService::cpd(std::int64_t accountid) {
  return in_setup_transaction<std::vector<core::CpdEntry>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::CpdEntry>> {
        MENTORING_RETURN_IF_ERROR(require_account(s, accountid));
        return setup.training.list_cpd(accountid);
      });
}

Result<std::vector<core::CpdTotal>> TrainingService::cpd_totals(std::int64_t accountid, core::CpdPeriod period) {
  auto entries = cpd(accountid);
  if (!entries) return entries.status();
  return core::cpd_totals(*entries, period);
}

Result<CpdCertificateFacts> TrainingService::certificate_facts(std::int64_t accountid, std::int64_t schemeid,
                                                               std::optional<core::Date> from,
                                                               std::optional<core::Date> to, const core::Actor& actor) {
  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  if (!to) to = today;
  if (!from) {
    // The UK appraisal year that contains `to` starts on the 1 April before it.
    const int year = to->month() >= 4 ? to->year() : to->year() - 1;
    from = core::Date::from_ymd(year, 4, 1);
  }
  if (*to < *from) return Status::invalid("cpd_period_out_of_order", "The period ends before it starts.", "to");
  return in_setup_transaction<CpdCertificateFacts>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<CpdCertificateFacts> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        auto account = s.accounts.find(accountid);
        if (!account) return account.status();
        if (!account->has_value()) return Status::not_found("account_not_found", "There is no account with that id.");
        auto entries = setup.training.list_cpd(accountid);
        if (!entries) return entries.status();
        CpdCertificateFacts facts;
        facts.accountid = accountid;
        if ((*account)->display_name.empty())
          return Status::failed_precondition("certificate_name_required",
                                             "The account has no name to print on a certificate.");
        facts.mentor_name = (*account)->display_name;
        facts.scheme_name = scheme->name;
        facts.period_start = *from;
        facts.period_end = *to;
        facts.issued_on = today;
        // Quarter hours, summed exactly.
        std::int64_t quarters = 0;
        for (const auto& e : *entries) {
          if (e.date < *from || e.date > *to) continue;
          quarters += static_cast<std::int64_t>(e.hours * 4 + 0.5);
          ++facts.entries;
        }
        facts.hours = static_cast<double>(quarters) / 4;
        if (facts.entries == 0)
          return Status::failed_precondition("cpd_certificate_empty",
                                             "There is no CPD logged in that period to put on a certificate.");
        MENTORING_RETURN_IF_ERROR(
            audit(s, actor, core::AuditAction::kExport, "account", accountid, "CPD certificate issued", now));
        return facts;
      });
}

namespace {

bool same_terms(const core::AgreementTemplate& a, const core::AgreementTemplate& b) {
  return a.frequency == b.frequency && a.meeting_minutes == b.meeting_minutes &&
         a.duration_months == b.duration_months && a.boundaries == b.boundaries && a.ground_rules == b.ground_rules &&
         a.confidentiality == b.confidentiality;
}

}  // namespace

Result<core::AgreementTemplate> AgreementService::get(std::int64_t schemeid) {
  return in_setup_transaction<core::AgreementTemplate>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::AgreementTemplate> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        auto found = setup.agreements.find_template(schemeid);
        if (!found) return found.status();
        if (found->has_value()) return **found;
        core::AgreementTemplate fallback;
        fallback.schemeid = schemeid;
        fallback.version = 0;
        return fallback;
      });
}

Result<core::AgreementTemplate> AgreementService::save(core::AgreementTemplate agreement, const core::Actor& actor) {
  return in_setup_transaction<core::AgreementTemplate>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::AgreementTemplate> {
        auto scheme = require_scheme(s, agreement.schemeid);
        if (!scheme) return scheme.status();
        auto found = setup.agreements.find_template(agreement.schemeid);
        if (!found) return found.status();
        if (found->has_value() && same_terms(**found, agreement)) return **found;
        agreement.version = found->has_value() ? (*found)->version + 1 : 1;
        MENTORING_RETURN_IF_ERROR(core::validate(agreement));
        const core::UnixSeconds now = clock_.now();
        auto stored = setup.agreements.save_template(agreement, now);
        if (!stored) return stored.status();
        MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, "agreement_template", agreement.schemeid,
                                        "agreement template saved as version " + std::to_string(stored->version), now));
        return stored;
      });
}

}  // namespace mentoring::app
