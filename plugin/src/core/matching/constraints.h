// Hard constraints: reasons a pair is never proposed, whatever its score.
//
// These are checked before scoring. They are confidential: a pair's
// explanation never says which of them removed another mentor, and the run
// report only counts them.
#pragma once

#include "core/matching/inputs.h"

namespace mentoring::core::matching {

enum class ForbidReason {
  kAllowed = 0,
  kMenteeIneligible,       // the mentee is not eligible for the scheme
  kMentorIneligible,       // the mentor is not eligible for the scheme
  kMentorTrainingExpired,  // the mentor's training is not in date
  kMentorAway,             // the mentor is away at the start of the cohort
  kMentorFull,             // no free places (capacity, current mentees and pins)
  kSupervisor,             // the mentor is the mentee's educational or clinical supervisor
  kSameDepartment,         // the scheme rules out pairs from one department
  kNotAGoodFit,            // an earlier pairing of these two ended as "not a good fit"
  kExcludedByMentee,       // the mentee asked not to be matched with this mentor
  kExcludedByMentor,       // the mentor asked not to be matched with this mentee
  kBanned,                 // an administrator ruled the pair out
  kMustCriterion,          // a criterion weighted "must" is not met
};
inline constexpr int kForbidReasonCount = 13;

// Stable snake_case names: "allowed", "mentee_ineligible", ..., "must_criterion".
const char* to_string(ForbidReason r);

// Why a mentor cannot take anyone in this run (eligibility, training, away,
// no free places), or kAllowed. `free_places` is after pins.
ForbidReason mentor_unavailable_reason(const MentorInput& mentor, int free_places);

// Free places before pins: capacity minus current mentees, never below 0.
int free_places(const MentorInput& mentor);

}  // namespace mentoring::core::matching
