// Use cases for mentor training, mentor readiness and CPD
// (core/mentor_training.h), and the scheme's agreement template
// (core/agreement.h). Each call is one transaction.
#pragma once

#include <vector>

#include "core/agreement.h"
#include "core/clock.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"

namespace mentoring::app {

class TrainingService {
 public:
  TrainingService(core::SetupDatabase& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::Result<std::vector<core::TrainingModule>> modules(std::int64_t schemeid);
  // Validates the whole list (core::validate), then makes it the scheme's list.
  core::Result<std::vector<core::TrainingModule>> replace_modules(std::int64_t schemeid,
                                                                  std::vector<core::TrainingModule> modules);
  // Records a completion of one of the scheme's modules, checked against
  // them (core::validate(record, modules, today)).
  core::Result<core::TrainingRecord> add_record(std::int64_t schemeid, const core::TrainingRecord& record);
  core::Result<std::vector<core::TrainingRecord>> records(std::int64_t accountid, std::int64_t schemeid);
  // Whether the account may be matched as a mentor in the scheme today.
  core::Result<core::MentorReadiness> readiness(std::int64_t accountid, std::int64_t schemeid);

  core::Result<core::CpdEntry> add_cpd(const core::CpdEntry& entry);
  core::Result<std::vector<core::CpdEntry>> cpd(std::int64_t accountid);
  core::Result<std::vector<core::CpdTotal>> cpd_totals(std::int64_t accountid, core::CpdPeriod period);

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
  core::Result<core::AgreementTemplate> save(core::AgreementTemplate agreement);

 private:
  core::SetupDatabase& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
