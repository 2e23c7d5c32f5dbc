#include "core/matching/explanation.h"

namespace mentoring::core::matching {

namespace {

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

std::string detail(const MatchingProblem& p, int e, int m, Criterion c, int value) {
  const MenteeInput& mentee = p.mentee(e);
  const MentorInput& mentor = p.mentor(m);
  switch (c) {
    case Criterion::kTopics: {
      auto words = p.shared_words(e, m);
      return words.empty() ? "No shared topics" : "Shares: " + join(words);
    }
    case Criterion::kSpecialty:
      return value > 0 ? "Same specialty" : "Different specialty";
    case Criterion::kCareerStage: {
      const auto& w = p.config().stage_window;
      return "Mentor is " + std::to_string(mentor.career_stage - mentee.career_stage) +
             " stages ahead (the scheme looks for " + std::to_string(w.min_gap) + " to " +
             std::to_string(w.max_gap) + ")";
    }
    case Criterion::kGeography:
      switch (mentee.location_preference) {
        case LocationPreference::kNoPreference: return "No location preference";
        case LocationPreference::kLocal:
          return value == kMaxScore ? "Same site, as preferred"
                                    : (value > 0 ? "Same region, as preferred" : "Not local");
        case LocationPreference::kRemote:
          return value == kMaxScore ? "Another region, as preferred" : "Not as far away as preferred";
      }
      return {};
    case Criterion::kMeetingMode: {
      const unsigned both = mentee.meeting_modes & mentor.meeting_modes;
      if (both == kAnyMode) return "Can meet in person or virtually";
      if (both == kInPerson) return "Can meet in person";
      if (both == kVirtual) return "Can meet virtually";
      return "No meeting mode in common";
    }
    case Criterion::kLanguages:
      if (mentee.languages.empty()) return "No language asked for";
      return value > 0 ? "Speaks a language the mentee asked for" : "Does not speak a language the mentee asked for";
    case Criterion::kPreferences:
      if (mentee.stated_preferences.empty()) return "No preferences stated";
      return "Meets " + std::to_string((value * static_cast<int>(mentee.stated_preferences.size()) + kMaxScore / 2) / kMaxScore) +
             " of the mentee's stated preferences";
  }
  return {};
}

}  // namespace

Explanation explain(const MatchingProblem& p, int e, int m, PairSource source) {
  Explanation x;
  x.mentee_id = p.mentee(e).id;
  x.mentor_id = p.mentor(m).id;
  x.source = source;
  const PairScore s = p.score(e, m);
  x.score = s.total;
  for (int i = 0; i < kCriterionCount; ++i) {
    const Weight& w = p.config().weights[i];
    if (w.value <= 0 && !w.must) continue;
    const Criterion c = kAllCriteria[i];
    x.lines.push_back(CriterionLine{c, label(c), to_string(w), s.value[i], s.points[i], detail(p, e, m, c, s.value[i])});
  }
  return x;
}

}  // namespace mentoring::core::matching
