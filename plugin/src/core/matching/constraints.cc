#include "core/matching/constraints.h"

#include <algorithm>

namespace mentoring::core::matching {

const char* to_string(ForbidReason r) {
  switch (r) {
    case ForbidReason::kAllowed: return "allowed";
    case ForbidReason::kMenteeIneligible: return "mentee_ineligible";
    case ForbidReason::kMentorIneligible: return "mentor_ineligible";
    case ForbidReason::kMentorTrainingExpired: return "mentor_training_expired";
    case ForbidReason::kMentorAway: return "mentor_away";
    case ForbidReason::kMentorFull: return "mentor_full";
    case ForbidReason::kSupervisor: return "supervisor";
    case ForbidReason::kSameDepartment: return "same_department";
    case ForbidReason::kNotAGoodFit: return "not_a_good_fit";
    case ForbidReason::kExcludedByMentee: return "excluded_by_mentee";
    case ForbidReason::kExcludedByMentor: return "excluded_by_mentor";
    case ForbidReason::kBanned: return "banned";
    case ForbidReason::kMustCriterion: return "must_criterion";
  }
  return "unknown";
}

int free_places(const MentorInput& mentor) {
  return std::max(0, mentor.capacity - mentor.current_mentees);
}

ForbidReason mentor_unavailable_reason(const MentorInput& mentor, int free) {
  if (!mentor.eligible) return ForbidReason::kMentorIneligible;
  if (!mentor.training_in_date) return ForbidReason::kMentorTrainingExpired;
  if (mentor.away) return ForbidReason::kMentorAway;
  if (free <= 0) return ForbidReason::kMentorFull;
  return ForbidReason::kAllowed;
}

}  // namespace mentoring::core::matching
