#include "app/rekey.h"

#include "app/unit_of_work.h"

namespace mentoring::app {

core::Status rekey_in_batches(core::Database& db, std::int64_t batch_size, const RekeyBatchFn& batch,
                              RekeyReport& report) {
  std::int64_t after = 0;
  for (;;) {
    auto done = in_transaction<RekeyBatch>(db, [&](core::Stores& s) { return batch(s, after); });
    if (!done) return done.status();
    report.reencrypted += done->changed;
    report.already_current += done->seen - done->changed;
    if (done->seen < batch_size) return core::Status::ok();
    after = done->last_id;
  }
}

}  // namespace mentoring::app
