// Protected time for mentoring (toolkit: "engage with supervisors or
// training programme leads to give protected time for mentoring"): each
// person logs the time they used, by day, so the scheme can show supervisors
// and funders what mentoring costs in clinical time.
#pragma once

#include <cstdint>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/enrolment.h"
#include "core/status.h"

namespace mentoring::core::relationship {

inline constexpr int kMaxProtectedMinutesPerEntry = 480;  // one working day
// Time is logged for the past year at most, and never for a day to come.
inline constexpr std::int64_t kMaxProtectedTimeAgeDays = 366;

struct ProtectedTime {
  std::int64_t id = 0;
  std::int64_t pairingid = 0;
  std::int64_t accountid = 0;
  Role role = Role::kMentee;
  Date used_on;
  int minutes = 0;
  UnixSeconds timecreated = 0;
};

// Invalid argument. Reasons: protected_time_minutes_invalid (field
// minutes), protected_time_in_future, protected_time_too_old (field used_on).
Status validate(const ProtectedTime& entry, Date today);

struct ProtectedTimeTotals {
  int entries = 0;
  std::int64_t mentee_minutes = 0;
  std::int64_t mentor_minutes = 0;
  std::int64_t total_minutes() const { return mentee_minutes + mentor_minutes; }
};

ProtectedTimeTotals totals(const std::vector<ProtectedTime>& entries);

}  // namespace mentoring::core::relationship
