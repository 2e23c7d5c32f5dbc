// What the matching engine is given: mentees, mentors, a scheme's matching
// settings, and an administrator's pins and bans.
//
// These are plain values so the engine stays independent of storage: the
// storage layer maps its rows into them. Nothing here is demographic
// monitoring data, and there is deliberately no field for it, so it can never
// become an input to a match. Groups for the run report's monitoring table are
// passed to the report separately (see report.h).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace mentoring::core::matching {

using PersonId = std::int64_t;

// Where a mentee would like their mentor to be.
enum class LocationPreference {
  kNoPreference,
  kLocal,   // same site best, same region next
  kRemote,  // outside their own region (some mentees want distance from their trust)
};

// Meeting modes, as a bit set: a person lists every mode they can do.
inline constexpr unsigned kInPerson = 1u;
inline constexpr unsigned kVirtual = 2u;
inline constexpr unsigned kAnyMode = kInPerson | kVirtual;

struct MenteeInput {
  PersonId id = 0;
  std::vector<std::string> topics;  // keywords or short phrases ("teaching", "quality improvement")
  std::string goals;                // free text: what they hope to get from mentoring
  std::string specialty;            // empty when not yet chosen (e.g. foundation doctors)
  int career_stage = 0;             // ordinal: the scheme's stage scale (FY1 = 1, FY2 = 2, ...)
  std::string site;
  std::string region;
  LocationPreference location_preference = LocationPreference::kNoPreference;
  unsigned meeting_modes = kAnyMode;     // modes the mentee can do
  std::vector<std::string> languages;   // languages they would like; empty = no preference
  // Things the mentee chose to state for matching ("less than full time",
  // "returning to training"); matched against the mentor's `attributes`.
  std::vector<std::string> stated_preferences;
  bool eligible = true;  // decided by the scheme's eligibility rules before matching
  std::vector<PersonId> supervisor_ids;  // educational and clinical supervisors (never matched)
  std::string department;
  std::vector<PersonId> excluded_mentor_ids;        // mentors this mentee asked not to have
  std::vector<PersonId> not_a_good_fit_mentor_ids;  // earlier pairings that ended "not a good fit"
};

struct MentorInput {
  PersonId id = 0;
  std::vector<std::string> topics;  // what they can help with, as keywords
  std::string offer;                // free text: what they can offer a mentee
  std::string specialty;
  int career_stage = 0;
  std::string site;
  std::string region;
  unsigned meeting_modes = kAnyMode;
  std::vector<std::string> languages;
  // Things the mentor chose to state so mentees can ask for them
  // ("less than full time", "returned from parental leave").
  std::vector<std::string> attributes;
  int capacity = 1;          // mentees they will take in this cohort, 0..kMaxCapacity
  int current_mentees = 0;   // already mentoring; counts against capacity
  bool training_in_date = false;
  bool away = false;         // away for the start of the cohort
  bool eligible = true;
  std::string department;
  std::vector<PersonId> excluded_mentee_ids;  // mentees this mentor asked not to have
};

// One mentee-mentor pair by id.
struct PairRef {
  PersonId mentee_id = 0;
  PersonId mentor_id = 0;
  bool operator==(const PairRef&) const = default;
};

struct MatchingInput {
  std::vector<MenteeInput> mentees;
  std::vector<MentorInput> mentors;
  std::vector<PairRef> pins;  // pairs an administrator has fixed
  std::vector<PairRef> bans;  // pairs an administrator has ruled out
};

inline constexpr int kMaxCapacity = 50;
inline constexpr std::size_t kMaxTextLength = 20000;
inline constexpr std::size_t kMaxListLength = 200;

}  // namespace mentoring::core::matching
