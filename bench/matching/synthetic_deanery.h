// A seeded synthetic deanery for the matching benchmark: mentees and
// mentors with topics, goals, specialties, regions and sites, career stages,
// meeting modes, languages, stated preferences, capacities 1 to 4 and the
// usual conflicts (supervisors, exclusions, "not a good fit" history).
// The same seed always gives the same deanery.
#pragma once

#include <cstdint>

#include "core/matching/inputs.h"

namespace mentoring::bench {

core::matching::MatchingInput synthetic_deanery(int mentees, int mentors, std::uint64_t seed);

}  // namespace mentoring::bench
