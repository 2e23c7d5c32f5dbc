// The SOCI implementation of core::SurveyDueStore (core/survey_due_stores.h),
// bound to one TxContext like the stores in soci_stores.h. Internal to
// storage/.
#pragma once

#include "core/survey_due_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociSurveyDueStore final : public core::SurveyDueStore {
 public:
  explicit SociSurveyDueStore(TxContext& tx) : tx_(tx) {}
  core::Result<bool> record(std::int64_t roundid, std::int64_t accountid, core::UnixSeconds now) override;
  core::Result<std::vector<std::int64_t>> announced_to(std::int64_t roundid) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
