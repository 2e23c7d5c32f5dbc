// The SOCI implementation of the business-as-usual store port
// (core/business_as_usual_stores.h), bound to one TxContext like the stores
// in soci_stores.h. Internal to storage/.
#pragma once

#include "core/business_as_usual_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociBusinessAsUsualStore final : public core::BusinessAsUsualStore {
 public:
  explicit SociBusinessAsUsualStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::BusinessAsUsualPlan> plan(std::int64_t schemeid) override;
  core::Result<core::BusinessAsUsualPlan> save_plan(const core::BusinessAsUsualPlan& plan,
                                                    core::UnixSeconds now) override;
  core::Result<core::PhaseChange> record_phase_change(const core::PhaseChange& change, core::UnixSeconds now) override;
  core::Result<std::vector<core::PhaseChange>> phase_changes(std::int64_t schemeid) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
