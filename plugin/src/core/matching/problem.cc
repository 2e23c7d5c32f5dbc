#include "core/matching/problem.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "core/text.h"

namespace mentoring::core::matching {

namespace {

const std::vector<int> kNoMentors;

std::string normalise(std::string_view s) {
  std::string out = trim(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Interns case-insensitive labels (specialties, regions, languages...) as ints.
class Interner {
 public:
  int id(std::string_view s) {
    std::string key = normalise(s);
    if (key.empty()) return -1;
    auto [it, inserted] = ids_.emplace(std::move(key), static_cast<int>(ids_.size()));
    return it->second;
  }
  std::vector<int> ids(const std::vector<std::string>& list) {
    std::vector<int> out;
    for (const auto& s : list) {
      int i = id(s);
      if (i >= 0) out.push_back(i);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  std::unordered_map<std::string, int> ids_;
};

bool intersects(const std::vector<int>& a, const std::vector<int>& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) ++i; else ++j;
  }
  return false;
}

int count_common(const std::vector<int>& a, const std::vector<int>& b) {
  int n = 0;
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) { ++n; ++i; ++j; }
    else if (*i < *j) ++i;
    else ++j;
  }
  return n;
}

Status check_text(const std::string& s, const char* field) {
  if (s.size() > kMaxTextLength) {
    return Status::invalid("text_too_long", std::string("The ") + field + " text is longer than 20000 characters.",
                           field);
  }
  return Status::ok();
}

template <typename T>
Status check_list(const std::vector<T>& v, const char* field) {
  if (v.size() > kMaxListLength) {
    return Status::invalid("list_too_long", std::string("The ") + field + " list has more than 200 entries.", field);
  }
  if constexpr (std::is_same_v<T, std::string>) {
    for (const auto& s : v) {
      if (s.size() > 200) {
        return Status::invalid("text_too_long", std::string("An entry in ") + field + " is longer than 200 characters.",
                               field);
      }
    }
  }
  return Status::ok();
}

Status check_common(PersonId id, const std::vector<std::string>& topics, int stage, unsigned modes,
                    const std::vector<std::string>& languages) {
  MENTORING_RETURN_IF_ERROR(check_list(topics, "topics"));
  MENTORING_RETURN_IF_ERROR(check_list(languages, "languages"));
  if (stage < -1000 || stage > 1000) {
    return Status::invalid("career_stage_invalid",
                           "Person " + std::to_string(id) + " has a career stage outside -1000..1000.", "career_stage");
  }
  if (modes == 0 || (modes & ~kAnyMode) != 0) {
    return Status::invalid("meeting_modes_invalid",
                           "Person " + std::to_string(id) + " must be able to meet in person, virtually or both.",
                           "meeting_modes");
  }
  return Status::ok();
}

std::string pair_text(const PairRef& p) {
  return "mentee " + std::to_string(p.mentee_id) + " and mentor " + std::to_string(p.mentor_id);
}

}  // namespace

Result<MatchingProblem> MatchingProblem::prepare(MatchingInput input, const MatchingConfig& config) {
  MENTORING_RETURN_IF_ERROR(validate(config));
  MatchingProblem p;
  p.config_ = config;
  p.mentees_ = std::move(input.mentees);
  p.mentors_ = std::move(input.mentors);
  std::sort(p.mentees_.begin(), p.mentees_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::sort(p.mentors_.begin(), p.mentors_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });

  for (std::size_t i = 0; i < p.mentees_.size(); ++i) {
    const MenteeInput& e = p.mentees_[i];
    if (i > 0 && p.mentees_[i - 1].id == e.id) {
      return Status::invalid("duplicate_mentee_id", "Mentee " + std::to_string(e.id) + " is listed twice.",
                             "mentees");
    }
    p.mentee_by_id_.emplace(e.id, static_cast<int>(i));
    MENTORING_RETURN_IF_ERROR(check_common(e.id, e.topics, e.career_stage, e.meeting_modes, e.languages));
    MENTORING_RETURN_IF_ERROR(check_text(e.goals, "goals"));
    MENTORING_RETURN_IF_ERROR(check_list(e.stated_preferences, "stated_preferences"));
    MENTORING_RETURN_IF_ERROR(check_list(e.supervisor_ids, "supervisor_ids"));
    MENTORING_RETURN_IF_ERROR(check_list(e.excluded_mentor_ids, "excluded_mentor_ids"));
    MENTORING_RETURN_IF_ERROR(check_list(e.not_a_good_fit_mentor_ids, "not_a_good_fit_mentor_ids"));
  }
  for (std::size_t i = 0; i < p.mentors_.size(); ++i) {
    const MentorInput& m = p.mentors_[i];
    if (i > 0 && p.mentors_[i - 1].id == m.id) {
      return Status::invalid("duplicate_mentor_id", "Mentor " + std::to_string(m.id) + " is listed twice.",
                             "mentors");
    }
    p.mentor_by_id_.emplace(m.id, static_cast<int>(i));
    MENTORING_RETURN_IF_ERROR(check_common(m.id, m.topics, m.career_stage, m.meeting_modes, m.languages));
    MENTORING_RETURN_IF_ERROR(check_text(m.offer, "offer"));
    MENTORING_RETURN_IF_ERROR(check_list(m.attributes, "attributes"));
    MENTORING_RETURN_IF_ERROR(check_list(m.excluded_mentee_ids, "excluded_mentee_ids"));
    if (m.capacity < 0 || m.capacity > kMaxCapacity) {
      return Status::invalid("capacity_invalid",
                             "Mentor " + std::to_string(m.id) + " has a capacity outside 0..50.", "capacity");
    }
    if (m.current_mentees < 0) {
      return Status::invalid("current_mentees_invalid",
                             "Mentor " + std::to_string(m.id) + " has a negative number of current mentees.",
                             "current_mentees");
    }
  }

  // Text: mentor profiles are the BM25 documents. Topic keywords count twice
  // because the person chose them as what matters most.
  auto analyzer = TextAnalyzer::english();
  if (!analyzer) return analyzer.status();
  {
    std::vector<std::vector<std::string>> docs(p.mentors_.size());
    for (std::size_t i = 0; i < p.mentors_.size(); ++i) {
      auto& d = docs[i];
      for (const auto& t : p.mentors_[i].topics) {
        for (auto& s : analyzer->stems(t)) {
          d.push_back(s);
          d.push_back(std::move(s));
        }
      }
      for (auto& s : analyzer->stems(p.mentors_[i].offer)) d.push_back(std::move(s));
    }
    p.index_ = Bm25Index::build(docs);
  }

  Interner specialties, regions, sites, departments, languages, preferences;
  p.mentor_data_.resize(p.mentors_.size());
  for (std::size_t i = 0; i < p.mentors_.size(); ++i) {
    const MentorInput& m = p.mentors_[i];
    MentorData& d = p.mentor_data_[i];
    d.specialty = specialties.id(m.specialty);
    d.region = regions.id(m.region);
    d.site = sites.id(m.site);
    d.department = departments.id(m.department);
    d.languages = languages.ids(m.languages);
    d.attributes = preferences.ids(m.attributes);
    d.free = matching::free_places(m);
  }
  p.mentee_data_.resize(p.mentees_.size());
  for (std::size_t i = 0; i < p.mentees_.size(); ++i) {
    const MenteeInput& e = p.mentees_[i];
    MenteeData& d = p.mentee_data_[i];
    d.specialty = specialties.id(e.specialty);
    d.region = regions.id(e.region);
    d.site = sites.id(e.site);
    d.department = departments.id(e.department);
    d.languages = languages.ids(e.languages);
    d.preferences = preferences.ids(e.stated_preferences);
    std::map<TermId, std::pair<int, std::string>> terms;  // term -> (first position, word)
    int position = 0;
    auto add = [&](std::string_view text) {
      for (auto& t : analyzer->analyze(text)) {
        TermId id = p.index_.find(t.stem);
        if (id >= 0) terms.emplace(id, std::make_pair(position++, std::move(t.word)));
      }
    };
    for (const auto& t : e.topics) add(t);
    add(e.goals);
    std::vector<std::pair<int, int>> by_position;  // (first position, query slot)
    for (auto& [id, first] : terms) {
      by_position.emplace_back(first.first, static_cast<int>(d.query.size()));
      d.query.push_back(id);
      d.words.push_back(std::move(first.second));
    }
    std::sort(by_position.begin(), by_position.end());
    for (const auto& bp : by_position) d.written_order.push_back(bp.second);
    d.normaliser = p.index_.normaliser(d.query);
  }

  // Conflicts of interest, exclusions and bans, per mentee.
  auto add_conflict = [&](int e, PersonId mentor_id, ForbidReason r) {
    auto it = p.mentor_by_id_.find(mentor_id);
    if (it != p.mentor_by_id_.end()) p.mentee_data_[e].conflicts.emplace_back(it->second, r);
  };
  for (std::size_t i = 0; i < p.mentees_.size(); ++i) {
    const MenteeInput& e = p.mentees_[i];
    const int ei = static_cast<int>(i);
    for (PersonId id : e.supervisor_ids) add_conflict(ei, id, ForbidReason::kSupervisor);
    for (PersonId id : e.not_a_good_fit_mentor_ids) add_conflict(ei, id, ForbidReason::kNotAGoodFit);
    for (PersonId id : e.excluded_mentor_ids) add_conflict(ei, id, ForbidReason::kExcludedByMentee);
  }
  for (std::size_t i = 0; i < p.mentors_.size(); ++i) {
    for (PersonId id : p.mentors_[i].excluded_mentee_ids) {
      auto it = p.mentee_by_id_.find(id);
      if (it != p.mentee_by_id_.end()) {
        p.mentee_data_[it->second].conflicts.emplace_back(static_cast<int>(i), ForbidReason::kExcludedByMentor);
      }
    }
  }
  for (const PairRef& b : input.bans) {
    const int e = p.mentee_index(b.mentee_id);
    const int m = p.mentor_index(b.mentor_id);
    if (e < 0 || m < 0) {
      return Status::invalid("ban_unknown_person", "The ban of " + pair_text(b) + " names someone not in this run.",
                             "bans");
    }
    p.mentee_data_[e].conflicts.emplace_back(m, ForbidReason::kBanned);
  }
  for (auto& d : p.mentee_data_) {
    // Keep one reason per mentor: the first in ForbidReason order.
    std::sort(d.conflicts.begin(), d.conflicts.end());
    d.conflicts.erase(std::unique(d.conflicts.begin(), d.conflicts.end(),
                                  [](const auto& a, const auto& b) { return a.first == b.first; }),
                      d.conflicts.end());
  }

  // Weights as fractions of their sum.
  double total_weight = 0;
  for (const Weight& w : config.weights) total_weight += w.value;
  for (int c = 0; c < kCriterionCount; ++c) p.factor_[c] = config.weights[c].value / total_weight;

  // Pins: each must name known people, be allowed by every hard constraint
  // (an administrator may override a "must" criterion, never a conflict of
  // interest), and fit the mentor's free places.
  for (const PairRef& pin : input.pins) {
    const int e = p.mentee_index(pin.mentee_id);
    const int m = p.mentor_index(pin.mentor_id);
    if (e < 0 || m < 0) {
      return Status::invalid("pin_unknown_person", "The pin of " + pair_text(pin) + " names someone not in this run.",
                             "pins");
    }
    if (p.mentee_data_[e].pinned >= 0) {
      return Status::invalid("pin_duplicate_mentee",
                             "Mentee " + std::to_string(pin.mentee_id) + " is pinned more than once.", "pins");
    }
    ForbidReason r = p.conflict_reason(e, m);
    if (r == ForbidReason::kBanned) {
      return Status::invalid("pin_banned", "The pair " + pair_text(pin) + " is both pinned and banned.", "pins");
    }
    if (r == ForbidReason::kAllowed && !p.mentees_[e].eligible) r = ForbidReason::kMenteeIneligible;
    if (r == ForbidReason::kAllowed) {
      r = mentor_unavailable_reason(p.mentors_[m], 1);  // capacity is checked below
    }
    if (r != ForbidReason::kAllowed) {
      return Status::failed_precondition("pin_conflicts_with_constraint",
                                         "The pin of " + pair_text(pin) + " breaks a hard constraint (" +
                                             to_string(r) + ").");
    }
    if (p.mentor_data_[m].free <= 0) {
      return Status::failed_precondition("pin_exceeds_capacity",
                                         "Mentor " + std::to_string(pin.mentor_id) +
                                             " has more pinned mentees than free places.");
    }
    --p.mentor_data_[m].free;
    p.mentee_data_[e].pinned = m;
    ++p.pin_count_;
  }

  int max_specialty = -1, max_region = -1;
  for (std::size_t i = 0; i < p.mentors_.size(); ++i) {
    MentorData& d = p.mentor_data_[i];
    d.reason = mentor_unavailable_reason(p.mentors_[i], d.free);
    max_specialty = std::max(max_specialty, d.specialty);
    max_region = std::max(max_region, d.region);
  }
  for (const auto& d : p.mentee_data_) {
    max_specialty = std::max(max_specialty, d.specialty);
    max_region = std::max(max_region, d.region);
  }
  p.by_specialty_.resize(static_cast<std::size_t>(max_specialty + 1));
  p.by_region_.resize(static_cast<std::size_t>(max_region + 1));
  for (std::size_t i = 0; i < p.mentors_.size(); ++i) {
    const MentorData& d = p.mentor_data_[i];
    if (d.reason != ForbidReason::kAllowed) continue;
    if (d.specialty >= 0) p.by_specialty_[d.specialty].push_back(static_cast<int>(i));
    if (d.region >= 0) p.by_region_[d.region].push_back(static_cast<int>(i));
  }
  return p;
}

int MatchingProblem::mentee_index(PersonId id) const {
  auto it = mentee_by_id_.find(id);
  return it == mentee_by_id_.end() ? -1 : it->second;
}

int MatchingProblem::mentor_index(PersonId id) const {
  auto it = mentor_by_id_.find(id);
  return it == mentor_by_id_.end() ? -1 : it->second;
}

const std::vector<int>& MatchingProblem::same_specialty_mentors(int e) const {
  const int s = mentee_data_[e].specialty;
  return s >= 0 ? by_specialty_[s] : kNoMentors;
}

const std::vector<int>& MatchingProblem::same_region_mentors(int e) const {
  const int r = mentee_data_[e].region;
  return r >= 0 ? by_region_[r] : kNoMentors;
}

ForbidReason MatchingProblem::conflict_reason(int e, int m) const {
  const MenteeData& d = mentee_data_[e];
  auto it = std::lower_bound(d.conflicts.begin(), d.conflicts.end(), std::make_pair(m, ForbidReason::kAllowed));
  ForbidReason listed = (it != d.conflicts.end() && it->first == m) ? it->second : ForbidReason::kAllowed;
  if (listed == ForbidReason::kSupervisor) return listed;
  if (config_.exclude_same_department && d.department >= 0 && d.department == mentor_data_[m].department) {
    return ForbidReason::kSameDepartment;
  }
  return listed;
}

ForbidReason MatchingProblem::forbid_reason(int e, int m) const {
  if (!mentees_[e].eligible) return ForbidReason::kMenteeIneligible;
  if (mentor_data_[m].reason != ForbidReason::kAllowed) return mentor_data_[m].reason;
  ForbidReason r = conflict_reason(e, m);
  if (r != ForbidReason::kAllowed) return r;
  if (!score(e, m).meets_musts) return ForbidReason::kMustCriterion;
  return ForbidReason::kAllowed;
}

PairScore MatchingProblem::score(int e, int m) const {
  const MenteeData& d = mentee_data_[e];
  return score_with_topic(e, m, d.query.empty() ? 0.0 : index_.score(d.query, m));
}

namespace {

int stage_value(int gap, const CareerStageWindow& w, int falloff) {
  const int distance = gap < w.min_gap ? w.min_gap - gap : (gap > w.max_gap ? gap - w.max_gap : 0);
  return std::max(0, kMaxScore - distance * kMaxScore / falloff);
}

int geography_value(LocationPreference pref, bool same_site, bool same_region) {
  switch (pref) {
    case LocationPreference::kNoPreference: return kMaxScore;
    case LocationPreference::kLocal: return same_site ? kMaxScore : (same_region ? 800 : 0);
    case LocationPreference::kRemote: return same_site ? 0 : (same_region ? 300 : kMaxScore);
  }
  return 0;
}

}  // namespace

int MatchingProblem::score_upper_bound(int e, int m, double bm25_upper) const {
  const MenteeData& ed = mentee_data_[e];
  const MentorData& md = mentor_data_[m];
  auto points = [&](int c, int value) { return static_cast<int>(std::floor(factor_[c] * value)); };
  int ub = points(0, Bm25Index::similarity(bm25_upper, ed.normaliser));
  ub += points(1, (ed.specialty >= 0 && ed.specialty == md.specialty) ? kMaxScore : 0);
  ub += points(2, stage_value(mentors_[m].career_stage - mentees_[e].career_stage, config_.stage_window,
                              config_.stage_falloff));
  ub += points(3, geography_value(mentees_[e].location_preference, ed.site >= 0 && ed.site == md.site,
                                  ed.region >= 0 && ed.region == md.region));
  for (int c = 4; c < kCriterionCount; ++c) ub += points(c, kMaxScore);
  return ub;
}

PairScore MatchingProblem::score_with_topic(int e, int m, double bm25) const {
  const MenteeInput& mentee = mentees_[e];
  const MentorInput& mentor = mentors_[m];
  const MenteeData& ed = mentee_data_[e];
  const MentorData& md = mentor_data_[m];
  PairScore s;
  auto& v = s.value;

  v[0] = Bm25Index::similarity(bm25, ed.normaliser);
  v[1] = (ed.specialty >= 0 && ed.specialty == md.specialty) ? kMaxScore : 0;
  v[2] = stage_value(mentor.career_stage - mentee.career_stage, config_.stage_window, config_.stage_falloff);
  v[3] = geography_value(mentee.location_preference, ed.site >= 0 && ed.site == md.site,
                         ed.region >= 0 && ed.region == md.region);
  v[4] = (mentee.meeting_modes & mentor.meeting_modes) != 0 ? kMaxScore : 0;
  v[5] = (ed.languages.empty() || intersects(ed.languages, md.languages)) ? kMaxScore : 0;
  v[6] = ed.preferences.empty()
             ? kMaxScore
             : count_common(ed.preferences, md.attributes) * kMaxScore / static_cast<int>(ed.preferences.size());

  for (int c = 0; c < kCriterionCount; ++c) {
    s.points[c] = static_cast<int>(std::floor(factor_[c] * v[c]));
    s.total += s.points[c];
    if (config_.weights[c].must) {
      // Topics: at least one shared term; location: same region when local,
      // another region when remote; everything else: fully met.
      const int threshold = c == 0 ? 1 : (c == 3 ? 500 : kMaxScore);
      if (v[c] < threshold) s.meets_musts = false;
    }
  }
  if (s.total > kMaxScore) s.total = kMaxScore;  // floating-point safety; sums of floors stay below
  return s;
}

std::vector<std::string> MatchingProblem::shared_words(int e, int m) const {
  const MenteeData& d = mentee_data_[e];
  std::vector<std::string> out;
  for (int i : d.written_order) {
    if (index_.contains(m, d.query[i])) out.push_back(d.words[i]);
  }
  return out;
}

}  // namespace mentoring::core::matching
