// Storage port for survey round announcements: which people each survey
// round has been announced to (mentoring.survey_due), so each (round,
// person) is announced exactly once however the person came to be in the
// round's audience (docs/webhooks.md, "Events the plugin sends").
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

class SurveyDueStore {
 public:
  virtual ~SurveyDueStore() = default;
  // Records that round `roundid` is announced to `accountid`, in the
  // caller's transaction. True when recorded now; false (and nothing
  // written) when it already was. The pair is the table's primary key, so
  // two transactions (or instances) cannot both record it: on PostgreSQL the
  // second waits for the first and then records nothing.
  virtual Result<bool> record(std::int64_t roundid, std::int64_t accountid, UnixSeconds now) = 0;
  // The accounts round `roundid` has been announced to, by id.
  virtual Result<std::vector<std::int64_t>> announced_to(std::int64_t roundid) = 0;
};

}  // namespace mentoring::core
