// Moving encrypted fields onto the current key of the privacy keyring
// (privacy.demographics_keys), so that an older key can be retired: every
// row sealed under another version is opened with its own key and sealed
// again under the current one. Used by DemographicsService::rekey and
// ConcernService::rekey.
//
// Each batch of rows is re-sealed in a transaction of its own: a failure (a
// crash, a row that does not open) keeps every batch already committed, and
// running again carries on, because rows already on the current key are
// left alone.
#pragma once

#include <cstdint>
#include <functional>

#include "core/stores.h"

namespace mentoring::app {

struct RekeyReport {
  int key_version = 0;               // the version every record is now sealed with
  std::int64_t reencrypted = 0;      // records changed by this call
  std::int64_t already_current = 0;  // records left alone
};

// What one batch did: rows looked at (`seen`), rows sealed again
// (`changed`), and the id of the last row looked at.
struct RekeyBatch {
  std::int64_t seen = 0;
  std::int64_t changed = 0;
  std::int64_t last_id = 0;
};

// Re-seals the rows with id > `after_id`, at most `batch_size` of them, in
// id order, inside the transaction `stores` belongs to.
using RekeyBatchFn = std::function<core::Result<RekeyBatch>(core::Stores& stores, std::int64_t after_id)>;

// Runs `batch` in one transaction per call, from id 0 and then after the
// last id each batch looked at, until a batch looks at fewer than
// `batch_size` rows. Adds each committed batch's counts to `report`, so on
// a failure `report` still says what was done before it; returns the
// failure.
core::Status rekey_in_batches(core::Database& db, std::int64_t batch_size, const RekeyBatchFn& batch,
                              RekeyReport& report);

}  // namespace mentoring::app
