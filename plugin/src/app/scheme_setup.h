// Use cases for setting up a scheme and its cohorts (the toolkit's
// "Organisation aims and objectives"). Each call is one transaction.
#pragma once

#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::app {

class SchemeSetup {
 public:
  SchemeSetup(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  core::Result<core::Scheme> create(const core::SchemeInput& input);
  // A change of phase goes through the business-as-usual checks and is
  // recorded in the scheme's phase history as `actor`
  // (app::record_phase_change_in).
  core::Result<core::Scheme> update(std::int64_t id, const core::SchemeInput& input,
                                    const core::Actor& actor = core::Actor::service());
  core::Result<core::Scheme> get(std::int64_t id);
  core::Result<std::vector<core::Scheme>> list(core::Page page);

  core::Result<core::Cohort> add_cohort(const core::CohortInput& input);
  core::Result<core::Cohort> get_cohort(std::int64_t id);
  core::Result<std::vector<core::Cohort>> list_cohorts(std::int64_t schemeid);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
