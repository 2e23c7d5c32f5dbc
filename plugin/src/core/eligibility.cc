#include "core/eligibility.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace mentoring::core {
namespace {

// Compares free-text names as people type them: outer spaces and ASCII case ignored.
std::string fold(std::string_view s) {
  std::string out = trim(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool contains_folded(const std::vector<std::string>& list, std::string_view value) {
  const std::string v = fold(value);
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return fold(s) == v; });
}

// "a", "a and b", "a, b and c" (or "or").
std::string join(const std::vector<std::string>& items, const char* last) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? std::string(" ") + last + " " : std::string(", ");
    out += items[i];
  }
  return out;
}

std::vector<std::string> trimmed(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& s : items) out.push_back(trim(s));
  return out;
}

// "a consultant", "an FY1", "an SAS doctor": initialisms take the article of
// how their first letter is said.
std::string with_article(const char* label) {
  const char c = label[0];
  const bool an = std::string_view("aeiou").find(c) != std::string_view::npos ||
                  std::string_view("AEFHILMNORSX").find(c) != std::string_view::npos;
  return std::string(an ? "an " : "a ") + label;
}

Status refuse(const char* reason, std::string message, const char* field) {
  return Status(Code::kFailedPrecondition, reason, std::move(message), field);
}

Status check_names(const std::vector<std::string>& names, const char* reason, const char* what, const char* field) {
  if (names.size() > kMaxAudienceEntries)
    return Status::invalid("audience_too_many_entries", "List at most 100 entries.", field);
  for (const auto& n : names) {
    const std::string t = trim(n);
    if (t.empty() || t.size() > 200 || !is_valid_utf8_text(t))
      return Status::invalid(reason, std::string("Each ") + what + " must be one line of 1 to 200 characters.", field);
  }
  return Status::ok();
}

Status check_region(const std::vector<std::string>& regions, const std::string& region, const char* reason,
                    const char* who) {
  if (regions.empty()) return Status::ok();
  const std::string places = join(trimmed(regions), "or");
  if (trim(region).empty())
    return refuse("region_required_for_eligibility",
                  std::string("This scheme is for ") + who + " in " + places + "; add your region or trust to your profile.",
                  "region");
  if (!contains_folded(regions, region))
    return refuse(reason,
                  std::string("This scheme is for ") + who + " in " + places + "; your region is " + trim(region) + ".",
                  "region");
  return Status::ok();
}

}  // namespace

Status validate(const TargetAudience& a) {
  std::set<CareerStage> seen;
  for (auto s : a.career_stages)
    if (!seen.insert(s).second)
      return Status::invalid("audience_stage_duplicate", std::string("The career stage ") + career_stage_label(s) +
                                                             " is listed twice.",
                             "career_stages");
  MENTORING_RETURN_IF_ERROR(check_names(a.specialties, "audience_specialty_invalid", "specialty", "specialties"));
  MENTORING_RETURN_IF_ERROR(check_names(a.regions, "audience_region_invalid", "region or trust", "regions"));
  return Status::ok();
}

MenteeFacts mentee_facts(const MenteeProfile& p, bool widening_participation) {
  MenteeFacts f;
  f.career_stage = p.career_stage;
  f.specialty = p.specialty;
  f.region = p.region;
  auto has = [&](TransitionPoint t) {
    return std::find(p.transition_points.begin(), p.transition_points.end(), t) != p.transition_points.end();
  };
  f.new_to_uk_practice = has(TransitionPoint::kNewToUkPractice);
  f.returning_from_time_out = has(TransitionPoint::kReturningToTraining);
  f.widening_participation = widening_participation;
  return f;
}

Status check_mentee_eligibility(const TargetAudience& a, const MenteeFacts& m) {
  if (!a.career_stages.empty() &&
      std::find(a.career_stages.begin(), a.career_stages.end(), m.career_stage) == a.career_stages.end()) {
    std::vector<std::string> groups;
    for (auto s : a.career_stages) groups.push_back(career_stage_group(s));
    return refuse("not_eligible_career_stage",
                  "This scheme is for " + join(groups, "and") + "; your career stage is " +
                      career_stage_label(m.career_stage) + ".",
                  "career_stage");
  }
  if (!a.specialties.empty()) {
    const std::string list = join(trimmed(a.specialties), "or");
    if (trim(m.specialty).empty())
      return refuse("specialty_required_for_eligibility",
                    "This scheme is for doctors in " + list + "; add your specialty to your profile.", "specialty");
    if (!contains_folded(a.specialties, m.specialty))
      return refuse("not_eligible_specialty",
                    "This scheme is for doctors in " + list + "; your specialty is " + trim(m.specialty) + ".",
                    "specialty");
  }
  MENTORING_RETURN_IF_ERROR(check_region(a.regions, m.region, "not_eligible_region", "doctors"));
  if (a.img_new_to_uk_only && !m.new_to_uk_practice)
    return refuse("not_eligible_new_to_uk",
                  "This scheme is for international medical graduates who are new to UK practice.",
                  "new_to_uk_practice");
  if (a.returning_from_time_out_only && !m.returning_from_time_out)
    return refuse("not_eligible_returning", "This scheme is for doctors returning to training after time out.",
                  "returning_from_time_out");
  if (a.widening_participation_only && !m.widening_participation)
    return refuse("not_eligible_widening_participation",
                  "This scheme is for people from widening participation groups.", "widening_participation");
  return Status::ok();
}

Status validate(const MentorEligibility& r) {
  if (r.min_stages_above_mentee < 0 || (r.max_stages_above_mentee && *r.max_stages_above_mentee < 0))
    return Status::invalid("mentor_rule_gap_invalid", "The number of stages between mentor and mentee cannot be negative.",
                           "min_stages_above_mentee");
  if (r.max_stages_above_mentee && *r.max_stages_above_mentee < r.min_stages_above_mentee)
    return Status::invalid("mentor_rule_gap_invalid",
                           "The most stages a mentor may be above a mentee must be at least the fewest.",
                           "max_stages_above_mentee");
  if (r.minimum_stage && !career_stage_rank(*r.minimum_stage))
    return Status::invalid("mentor_rule_minimum_is_other", "Choose a training grade as the minimum mentor stage.",
                           "minimum_stage");
  MENTORING_RETURN_IF_ERROR(check_names(r.regions, "audience_region_invalid", "region or trust", "regions"));
  return Status::ok();
}

MentorEligibility default_mentor_eligibility(SchemeType type) {
  MentorEligibility r;
  switch (type) {
    case SchemeType::kTraditional:
      r.min_stages_above_mentee = 2;
      break;
    case SchemeType::kNearPeer:
      r.min_stages_above_mentee = 1;
      r.max_stages_above_mentee = 3;
      break;
    case SchemeType::kReverse:
    case SchemeType::kReciprocal:
      break;
  }
  return r;
}

Status check_mentor_eligibility(const MentorEligibility& r, const MentorFacts& m) {
  const auto rank = career_stage_rank(m.career_stage);
  if (!rank && !r.other_professions_allowed)
    return refuse("mentor_not_eligible_other_profession",
                  "This scheme's mentors must be doctors or medical students with a training grade; your career "
                  "stage is other role.",
                  "career_stage");
  if (r.minimum_stage && rank && *rank < *career_stage_rank(*r.minimum_stage))
    return refuse("mentor_not_eligible_career_stage",
                  std::string("This scheme's mentors must be ") + career_stage_label(*r.minimum_stage) +
                      " or more senior; your career stage is " + career_stage_label(m.career_stage) + ".",
                  "career_stage");
  MENTORING_RETURN_IF_ERROR(check_region(r.regions, m.region, "mentor_not_eligible_region", "mentors"));
  return Status::ok();
}

Status check_mentor_for_mentee(const MentorEligibility& r, CareerStage mentor_stage, CareerStage mentee_stage) {
  if (r.min_stages_above_mentee == 0 && !r.max_stages_above_mentee) return Status::ok();
  const auto mentor_rank = career_stage_rank(mentor_stage);
  const auto mentee_rank = career_stage_rank(mentee_stage);
  if (!mentor_rank || !mentee_rank) {
    // Other professions cannot be placed on the training ladder; staff decide.
    if (!mentor_rank && r.other_professions_allowed) return Status::ok();
    return refuse("mentor_stage_not_comparable",
                  "This scheme pairs mentors by career stage, and an other role cannot be compared with a training "
                  "grade; the scheme's staff can make this match.",
                  "career_stage");
  }
  const int gap = *mentor_rank - *mentee_rank;
  if (gap < r.min_stages_above_mentee) {
    const std::string stages =
        std::to_string(r.min_stages_above_mentee) + (r.min_stages_above_mentee == 1 ? " stage" : " stages");
    return refuse("mentor_not_senior_enough",
                  "Mentors in this scheme must be at least " + stages + " above their mentee; " +
                      with_article(career_stage_label(mentor_stage)) + " cannot mentor " +
                      with_article(career_stage_label(mentee_stage)) + ".",
                  "career_stage");
  }
  if (r.max_stages_above_mentee && gap > *r.max_stages_above_mentee) {
    const std::string stages =
        std::to_string(*r.max_stages_above_mentee) + (*r.max_stages_above_mentee == 1 ? " stage" : " stages");
    return refuse("mentor_too_senior",
                  "Mentors in this scheme are at most " + stages + " above their mentee; " +
                      with_article(career_stage_label(mentor_stage)) + " cannot mentor " +
                      with_article(career_stage_label(mentee_stage)) + ".",
                  "career_stage");
  }
  return Status::ok();
}

}  // namespace mentoring::core
