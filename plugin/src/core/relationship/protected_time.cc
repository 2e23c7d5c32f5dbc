#include "core/relationship/protected_time.h"

namespace mentoring::core::relationship {

Status validate(const ProtectedTime& e, Date today) {
  if (e.minutes < 1 || e.minutes > kMaxProtectedMinutesPerEntry)
    return Status::invalid("protected_time_minutes_invalid",
                           "Enter the minutes used, from 1 to 480 (one working day).", "minutes");
  if (e.used_on > today)
    return Status::invalid("protected_time_in_future", "Log protected time once it has been used.", "used_on");
  if (e.used_on < today.plus_days(-kMaxProtectedTimeAgeDays))
    return Status::invalid("protected_time_too_old", "Protected time can be logged for the past year only.",
                           "used_on");
  return Status::ok();
}

ProtectedTimeTotals totals(const std::vector<ProtectedTime>& entries) {
  ProtectedTimeTotals t;
  for (const ProtectedTime& e : entries) {
    ++t.entries;
    (e.role == Role::kMentor ? t.mentor_minutes : t.mentee_minutes) += e.minutes;
  }
  return t;
}

}  // namespace mentoring::core::relationship
