// Who may join a scheme, as data (toolkit, "Mentees": "Who is the target
// audience for your mentoring scheme?" and "Mentors": "Who in your
// organisation will be acting as a mentor?").
//
// The rules are stored with the scheme and checked when someone enrols. A
// refusal is failed_precondition with a reason naming the rule and a sentence
// the person can act on: "This scheme is for FY1 doctors; your career stage
// is FY2."
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/profile.h"
#include "core/scheme.h"
#include "core/status.h"

namespace mentoring::core {

struct TargetAudience {
  std::vector<CareerStage> career_stages;  // empty = any stage
  std::vector<std::string> specialties;    // empty = any; compared ignoring case and outer spaces
  std::vector<std::string> regions;        // regions or trusts; empty = anywhere
  // Toolkit examples: "new IMG doctors arriving to the trust", trainees
  // "returning from a period out of training", "widening participation groups".
  bool img_new_to_uk_only = false;
  bool returning_from_time_out_only = false;
  bool widening_participation_only = false;
};

inline constexpr std::size_t kMaxAudienceEntries = 100;

// Reasons: audience_stage_duplicate, audience_specialty_invalid,
// audience_region_invalid, audience_too_many_entries.
Status validate(const TargetAudience& audience);

// What eligibility needs to know about a would-be mentee. The flags are
// self-declared on enrolment.
struct MenteeFacts {
  CareerStage career_stage = CareerStage::kFy1;
  std::string specialty;
  std::string region;
  bool new_to_uk_practice = false;
  bool returning_from_time_out = false;
  bool widening_participation = false;
};

// Facts from a profile: new to UK practice and returning to training come
// from the profile's transition points; widening participation is asked
// separately because it is not part of the profile shown to mentors.
MenteeFacts mentee_facts(const MenteeProfile& profile, bool widening_participation);

// OK, or failed_precondition with field and reason: not_eligible_career_stage,
// not_eligible_specialty, specialty_required_for_eligibility,
// not_eligible_region, region_required_for_eligibility,
// not_eligible_new_to_uk, not_eligible_returning,
// not_eligible_widening_participation. Rules are checked in that order.
Status check_mentee_eligibility(const TargetAudience& audience, const MenteeFacts& mentee);

// Who may mentor. Stage rules use career_stage_rank; `other` (including other
// professions, whom the toolkit suggests considering) has no rank, so it
// passes stage rules only when other_professions_allowed.
struct MentorEligibility {
  std::optional<CareerStage> minimum_stage;       // mentors at least this senior
  int min_stages_above_mentee = 0;                // near-peer: 1; 0 = no rule
  std::optional<int> max_stages_above_mentee;     // near-peer: keep mentors close
  std::vector<std::string> regions;               // empty = anywhere (external mentors welcome)
  bool other_professions_allowed = true;
};

// Reasons: mentor_rule_gap_invalid (negative, or max below min),
// mentor_rule_minimum_is_other, audience_region_invalid.
Status validate(const MentorEligibility& rules);

// Sensible starting rules for a scheme type: traditional -> mentors at least
// two stages above their mentee; near-peer -> one to three stages above;
// reverse and reciprocal -> no stage rule (the hierarchy is reversed or level).
MentorEligibility default_mentor_eligibility(SchemeType type);

struct MentorFacts {
  CareerStage career_stage = CareerStage::kConsultant;
  std::string specialty;
  std::string region;
};

// May this person be a mentor in the scheme at all? Reasons:
// mentor_not_eligible_career_stage, mentor_not_eligible_other_profession,
// mentor_not_eligible_region, region_required_for_eligibility.
Status check_mentor_eligibility(const MentorEligibility& rules, const MentorFacts& mentor);

// May this mentor be paired with a mentee at `mentee_stage`? Checks the stage
// gap rules. Reasons: mentor_not_senior_enough, mentor_too_senior,
// mentor_stage_not_comparable (an unranked stage under a gap rule).
Status check_mentor_for_mentee(const MentorEligibility& rules, CareerStage mentor_stage, CareerStage mentee_stage);

}  // namespace mentoring::core
