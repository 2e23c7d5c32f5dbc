// Use cases for mentor training, mentor readiness and CPD
// (core/mentor_training.h), and the scheme's agreement template
// (core/agreement.h). Each call is one transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/agreement.h"
#include "core/audit.h"
#include "core/clock.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"

namespace mentoring::app {

// What a CPD certificate states (adapters/export/certificate.h renders it).
struct CpdCertificateFacts {
  std::int64_t accountid = 0;
  std::string mentor_name;
  std::string scheme_name;
  core::Date period_start;
  core::Date period_end;
  double hours = 0;  // CPD hours logged in the period
  int entries = 0;   // CPD entries in the period
  core::Date issued_on;
};

class TrainingService {
 public:
  TrainingService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::Result<std::vector<core::TrainingModule>> modules(std::int64_t schemeid);
  // Validates the whole list (core::validate), then makes it the scheme's list.
  core::Result<std::vector<core::TrainingModule>> replace_modules(std::int64_t schemeid,
                                                                  std::vector<core::TrainingModule> modules,
                                                                  const core::Actor& actor = core::Actor::service());
  // Records a completion of one of the scheme's modules, checked against
  // them (core::validate(record, modules, today)).
  core::Result<core::TrainingRecord> add_record(std::int64_t schemeid, const core::TrainingRecord& record,
                                                const core::Actor& actor = core::Actor::service());
  core::Result<std::vector<core::TrainingRecord>> records(std::int64_t accountid, std::int64_t schemeid);
  // Whether the account may be matched as a mentor in the scheme today.
  core::Result<core::MentorReadiness> readiness(std::int64_t accountid, std::int64_t schemeid);

  // Every write is audited as done by `actor`.
  core::Result<core::CpdEntry> add_cpd(const core::CpdEntry& entry, const core::Actor& actor = core::Actor::service());
  core::Result<std::vector<core::CpdEntry>> cpd(std::int64_t accountid);
  core::Result<std::vector<core::CpdTotal>> cpd_totals(std::int64_t accountid, core::CpdPeriod period);
  // The account's CPD in [from, to] (default: the current appraisal year,
  // 1 April to 31 March, up to today) for a certificate naming scheme
  // `schemeid`. failed_precondition "cpd_certificate_empty" when nothing is
  // logged in the period; invalid "cpd_period_out_of_order" when to < from.
  // Audited as an export of the account.
  core::Result<CpdCertificateFacts> certificate_facts(std::int64_t accountid, std::int64_t schemeid,
                                                      std::optional<core::Date> from, std::optional<core::Date> to,
                                                      const core::Actor& actor = core::Actor::service());

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

class AgreementService {
 public:
  AgreementService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // The stored template, or the default one (id 0, version 0) when the
  // scheme has none yet.
  core::Result<core::AgreementTemplate> get(std::int64_t schemeid);
  // Stores `agreement` as the scheme's template. The version is set here: 1
  // for the first, one more than the stored one when anything changed, and
  // unchanged when nothing did (so pairs need not accept it again).
  core::Result<core::AgreementTemplate> save(core::AgreementTemplate agreement,
                                             const core::Actor& actor = core::Actor::service());

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
