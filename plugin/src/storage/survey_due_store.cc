#include <soci/soci.h>

#include "storage/survey_due_soci_store.h"

namespace mentoring::storage {
using core::Result;

Result<bool> SociSurveyDueStore::record(std::int64_t roundid, std::int64_t accountid, core::UnixSeconds now) {
  return guarded(tx_, "recording a survey announcement", [&]() -> Result<bool> {
    // ON CONFLICT DO NOTHING: a pair already recorded (by this or another
    // instance) neither fails nor aborts the PostgreSQL transaction.
    soci::statement st = (tx_.sql.prepare << "INSERT INTO " + tx_.table("survey_due_notices") +
                                                 " (roundid, accountid, timecreated) VALUES (:r, :a, :t)"
                                                 " ON CONFLICT (roundid, accountid) DO NOTHING",
                          soci::use(roundid), soci::use(accountid), soci::use(now));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<std::vector<std::int64_t>> SociSurveyDueStore::announced_to(std::int64_t roundid) {
  return guarded(tx_, "listing survey announcements", [&]() -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    std::int64_t accountid = 0;
    soci::statement st = (tx_.sql.prepare << "SELECT accountid FROM " + tx_.table("survey_due_notices") +
                                                 " WHERE roundid = :r ORDER BY accountid",
                          soci::use(roundid), soci::into(accountid));
    st.execute();
    while (st.fetch()) out.push_back(accountid);
    return out;
  });
}

}  // namespace mentoring::storage
