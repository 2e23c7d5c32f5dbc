// The SOCI implementation of the ranked choice store
// (core/matching_choice_stores.h), bound to one TxContext like the stores in
// soci_stores.h. Internal to storage/.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/matching_choice_stores.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {

class SociChoiceListStore final : public core::ChoiceListStore {
 public:
  explicit SociChoiceListStore(TxContext& tx) : tx_(tx) {}
  core::Result<core::ChoiceList> create(const core::ChoiceList& list, core::UnixSeconds now) override;
  core::Result<std::optional<core::ChoiceList>> find(std::int64_t id) override;
  core::Result<std::optional<core::ChoiceList>> latest_for_mentee(std::int64_t menteeid) override;
  core::Result<std::vector<std::int64_t>> needing_attention(std::int64_t cohortid) override;
  core::Status set_entry(std::int64_t entryid, core::ChoiceState state, std::optional<std::int64_t> requestid,
                         core::UnixSeconds now) override;
  core::Result<core::ChoiceList> finish(std::int64_t listid, core::ChoiceListState to, core::UnixSeconds now) override;

 private:
  TxContext& tx_;
};

}  // namespace mentoring::storage
