// Equity of access for the evaluation report (core::DemographicAggregates):
// for each monitoring question, the cohort's mentees by answer, with how
// many of each group were matched with a mentor (measure "matched").
// Records are opened with the demographics cipher inside the aggregation
// and only counts leave it; the report suppresses small cells (primary and
// secondary) before anything is shown. Without a configured key there is
// nothing to aggregate and the report says the section is not available.
#pragma once

#include "core/evaluation_stores.h"
#include "core/stores.h"

namespace mentoring::core {
class FieldCipher;
}

namespace mentoring::app {

class DemographicEquityAggregates final : public core::DemographicAggregates {
 public:
  // `cipher` must outlive this object; a cipher without a current key
  // (version 0) makes every breakdown "not available".
  DemographicEquityAggregates(core::Database& db, const core::FieldCipher& cipher) : db_(db), cipher_(cipher) {}

  // One breakdown per monitoring question, in demographic_questions() order,
  // each with a group per answer (in the question's order) and
  // "not_answered": numerator the matched mentees (any pairing that started,
  // active or ended), denominator the enrolled mentees (withdrawn included:
  // they were offered the scheme). Groups with no mentees are left out.
  core::Result<std::optional<std::vector<core::DemographicBreakdown>>> breakdowns(std::int64_t schemeid,
                                                                                  std::int64_t cohortid) override;

 private:
  core::Database& db_;
  const core::FieldCipher& cipher_;
};

}  // namespace mentoring::app
