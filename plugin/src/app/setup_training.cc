#include "app/setup_training.h"

#include "app/setup_unit_of_work.h"

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
                                                                          std::vector<core::TrainingModule> modules) {
  for (auto& m : modules) m.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(core::validate(modules));
  return in_setup_transaction<std::vector<core::TrainingModule>>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<std::vector<core::TrainingModule>> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        return setup.training.replace_modules(schemeid, modules, clock_.now());
      });
}

Result<core::TrainingRecord> TrainingService::add_record(std::int64_t schemeid, const core::TrainingRecord& record) {
  return in_setup_transaction<core::TrainingRecord>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::TrainingRecord> {
        auto scheme = require_scheme(s, schemeid);
        if (!scheme) return scheme.status();
        MENTORING_RETURN_IF_ERROR(require_account(s, record.accountid));
        auto modules = setup.training.list_modules(schemeid);
        if (!modules) return modules.status();
        const core::UnixSeconds now = clock_.now();
        MENTORING_RETURN_IF_ERROR(core::validate(record, *modules, core::Date::from_unix(now)));
        return setup.training.add_record(schemeid, record, now);
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

Result<core::CpdEntry> TrainingService::add_cpd(const core::CpdEntry& entry) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(core::validate(entry, core::Date::from_unix(now)));
  return in_setup_transaction<core::CpdEntry>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::CpdEntry> {
        MENTORING_RETURN_IF_ERROR(require_account(s, entry.accountid));
        return setup.training.add_cpd(entry, now);
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

namespace {

bool same_terms(const core::AgreementTemplate& a, const core::AgreementTemplate& b) {
  return a.frequency == b.frequency && a.meeting_minutes == b.meeting_minutes &&
         a.duration_months == b.duration_months && a.boundaries == b.boundaries &&
         a.ground_rules == b.ground_rules && a.confidentiality == b.confidentiality;
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

Result<core::AgreementTemplate> AgreementService::save(core::AgreementTemplate agreement) {
  return in_setup_transaction<core::AgreementTemplate>(
      db_, [&](core::Stores& s, core::SetupStores& setup) -> Result<core::AgreementTemplate> {
        auto scheme = require_scheme(s, agreement.schemeid);
        if (!scheme) return scheme.status();
        auto found = setup.agreements.find_template(agreement.schemeid);
        if (!found) return found.status();
        if (found->has_value() && same_terms(**found, agreement)) return **found;
        agreement.version = found->has_value() ? (*found)->version + 1 : 1;
        MENTORING_RETURN_IF_ERROR(core::validate(agreement));
        return setup.agreements.save_template(agreement, clock_.now());
      });
}

}  // namespace mentoring::app
