// Schemes and cohorts, in the toolkit's words.
//
// A scheme is an organisation's formal mentoring offer ("FY1 mentoring,
// North West"). It has a type (traditional, near-peer, reverse, reciprocal),
// aims, and a phase (pilot or business-as-usual). A cohort is one intake of a
// scheme with its own dates and matching model; by default cohorts follow the
// August and February changeovers of UK postgraduate training.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core {

enum class SchemeType { kTraditional, kNearPeer, kReverse, kReciprocal };
enum class SchemePhase { kPilot, kBusinessAsUsual };
enum class MatchingModel { kAssigned, kMenteeChoice, kHybrid };

const char* to_string(SchemeType v);   // "traditional", "near_peer", "reverse", "reciprocal"
const char* to_string(SchemePhase v);  // "pilot", "business_as_usual"
const char* to_string(MatchingModel v);  // "assigned", "mentee_choice", "hybrid"
std::optional<SchemeType> parse_scheme_type(std::string_view s);
std::optional<SchemePhase> parse_scheme_phase(std::string_view s);
std::optional<MatchingModel> parse_matching_model(std::string_view s);

struct Scheme {
  std::int64_t id = 0;
  std::string name;
  SchemeType type = SchemeType::kTraditional;
  std::string aims;  // free text: what the organisation hopes the scheme addresses
  SchemePhase phase = SchemePhase::kPilot;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct SchemeInput {
  std::string name;
  SchemeType type = SchemeType::kTraditional;
  std::string aims;
  SchemePhase phase = SchemePhase::kPilot;
};

inline constexpr std::size_t kMaxSchemeNameLength = 200;
inline constexpr std::size_t kMaxAimsLength = 10000;

Status validate(const SchemeInput& input);

struct Cohort {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  std::string name;
  Date opens_on;   // enrolment opens
  Date closes_on;  // enrolment closes (inclusive)
  Date starts_on;  // mentoring starts
  Date ends_on;    // mentoring ends (inclusive)
  MatchingModel matching_model = MatchingModel::kAssigned;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct CohortInput {
  std::int64_t schemeid = 0;
  std::string name;
  Date opens_on;
  Date closes_on;
  Date starts_on;
  Date ends_on;
  MatchingModel matching_model = MatchingModel::kAssigned;
};

// Dates must run opens <= closes <= ... and starts <= ends, with enrolment
// closing no later than mentoring ends, and a cohort lasting at most 3 years.
Status validate(const CohortInput& input);

// The default cohort for a changeover on or after `today`: the first
// Wednesday of August or February (UK rotation dates), enrolment opening
// eight weeks before and closing on the start date, mentoring for twelve
// months. Used to prefill forms; staff may change every date.
CohortInput default_cohort_after(std::int64_t schemeid, Date today);

// Whether someone may enrol in `cohort` on `today`.
Status check_enrolment_window(const Cohort& cohort, Date today);

}  // namespace mentoring::core
