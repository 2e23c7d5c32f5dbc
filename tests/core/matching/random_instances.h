// Seeded random matching instances and an exhaustive reference solver for
// the matching tests.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/matching/engine.h"

namespace mentoring::core::matching::testing {

inline const std::vector<std::string>& topic_words() {
  static const std::vector<std::string> words = {
      "teaching", "leadership", "research", "wellbeing", "exams", "portfolio", "surgery", "quality improvement",
      "career planning", "less than full time", "simulation", "management", "global health", "academia"};
  return words;
}

struct InstanceShape {
  int max_mentees = 6;
  int max_mentors = 4;
  int max_capacity = 2;
  bool constraints = true;  // supervisors, exclusions, away, training, bans
  bool musts = true;        // sometimes weight a criterion "must"
  bool pins = true;
};

inline MatchingInput random_input(std::mt19937_64& rng, const InstanceShape& shape) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto chance = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  const auto& words = topic_words();
  const std::vector<std::string> specialties = {"paediatrics", "surgery", "general practice"};
  const std::vector<std::string> regions = {"north", "south"};
  const std::vector<std::string> sites = {"a", "b", "c"};
  const std::vector<std::string> prefs = {"less than full time", "returning to training", "parent"};
  MatchingInput in;
  const int mentees = pick(1, shape.max_mentees);
  const int mentors = pick(1, shape.max_mentors);
  for (int i = 0; i < mentors; ++i) {
    MentorInput m;
    m.id = 100 + i * 7;  // not contiguous, not starting at 0
    for (int t = pick(0, 3); t > 0; --t) m.topics.push_back(words[pick(0, static_cast<int>(words.size()) - 1)]);
    m.offer = "I can help with " + words[pick(0, static_cast<int>(words.size()) - 1)];
    m.specialty = specialties[pick(0, 2)];
    m.career_stage = pick(2, 9);
    m.region = regions[pick(0, 1)];
    m.site = sites[pick(0, 2)];
    m.meeting_modes = static_cast<unsigned>(pick(1, 3));
    if (chance(0.5)) m.languages.push_back(chance(0.5) ? "welsh" : "urdu");
    if (chance(0.5)) m.attributes.push_back(prefs[pick(0, 2)]);
    m.capacity = pick(shape.constraints ? 0 : 1, shape.max_capacity);
    m.current_mentees = shape.constraints && chance(0.2) ? 1 : 0;
    m.training_in_date = !shape.constraints || chance(0.9);
    m.away = shape.constraints && chance(0.1);
    m.department = "dept" + std::to_string(pick(0, 2));
    in.mentors.push_back(m);
  }
  for (int i = 0; i < mentees; ++i) {
    MenteeInput e;
    e.id = 5000 - i * 13;  // descending input order: the engine must sort
    for (int t = pick(0, 3); t > 0; --t) e.topics.push_back(words[pick(0, static_cast<int>(words.size()) - 1)]);
    e.goals = "I want to get better at " + words[pick(0, static_cast<int>(words.size()) - 1)];
    e.specialty = chance(0.8) ? specialties[pick(0, 2)] : "";
    e.career_stage = pick(1, 6);
    e.region = regions[pick(0, 1)];
    e.site = sites[pick(0, 2)];
    e.location_preference = static_cast<LocationPreference>(pick(0, 2));
    e.meeting_modes = static_cast<unsigned>(pick(1, 3));
    if (chance(0.3)) e.languages.push_back(chance(0.5) ? "welsh" : "urdu");
    if (chance(0.4)) e.stated_preferences.push_back(prefs[pick(0, 2)]);
    e.eligible = !shape.constraints || chance(0.95);
    e.department = "dept" + std::to_string(pick(0, 2));
    if (shape.constraints) {
      if (chance(0.3)) e.supervisor_ids.push_back(in.mentors[pick(0, mentors - 1)].id);
      if (chance(0.15)) e.excluded_mentor_ids.push_back(in.mentors[pick(0, mentors - 1)].id);
      if (chance(0.15)) e.not_a_good_fit_mentor_ids.push_back(in.mentors[pick(0, mentors - 1)].id);
    }
    in.mentees.push_back(e);
  }
  if (shape.constraints) {
    for (auto& m : in.mentors) {
      if (chance(0.15)) m.excluded_mentee_ids.push_back(in.mentees[pick(0, mentees - 1)].id);
    }
    if (chance(0.3)) in.bans.push_back({in.mentees[pick(0, mentees - 1)].id, in.mentors[pick(0, mentors - 1)].id});
  }
  return in;
}

inline MatchingConfig random_config(std::mt19937_64& rng, const InstanceShape& shape) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  MatchingConfig c;
  for (auto& w : c.weights) w = Weight{false, static_cast<double>(pick(0, 5))};
  c.weights[0].value = std::max(1.0, c.weights[0].value);
  if (shape.musts && pick(0, 3) == 0) c.weights[pick(0, kCriterionCount - 1)] = Weight{true, kHighWeight};
  c.stage_window = {pick(0, 2), pick(2, 5)};
  c.exclude_same_department = shape.constraints && pick(0, 1) == 1;
  return c;
}

// Adds a random valid pin when one exists (a pair that prepare() accepts).
inline void maybe_pin(std::mt19937_64& rng, MatchingInput& in, const MatchingConfig& config) {
  if (std::uniform_int_distribution<int>(0, 2)(rng) != 0) return;
  for (int tries = 0; tries < 5; ++tries) {
    PairRef pin{in.mentees[std::uniform_int_distribution<std::size_t>(0, in.mentees.size() - 1)(rng)].id,
                in.mentors[std::uniform_int_distribution<std::size_t>(0, in.mentors.size() - 1)(rng)].id};
    MatchingInput trial = in;
    trial.pins.push_back(pin);
    if (MatchingProblem::prepare(trial, config).is_ok()) {
      in = trial;
      return;
    }
  }
}

struct Exhaustive {
  int matched = -1;
  std::int64_t score = -1;
};

// Tries every way of giving each unpinned mentee one allowed mentor or none,
// within free places, and keeps the best (matched, total score). Written
// without the engine's candidate lists or solver: it asks the problem only
// whether a pair is allowed and what it scores.
inline Exhaustive exhaustive_optimum(const MatchingProblem& p) {
  const int n = p.mentee_count();
  std::vector<int> places(static_cast<std::size_t>(p.mentor_count()));
  for (int m = 0; m < p.mentor_count(); ++m) places[m] = p.free_places(m);
  Exhaustive best;
  int base_matched = 0;
  std::int64_t base_score = 0;
  for (int e = 0; e < n; ++e) {
    if (p.pinned_mentor(e) >= 0) {
      ++base_matched;
      base_score += p.score(e, p.pinned_mentor(e)).total;
    }
  }
  std::function<void(int, int, std::int64_t)> go = [&](int e, int matched, std::int64_t score) {
    if (e == n) {
      if (matched > best.matched || (matched == best.matched && score > best.score)) best = {matched, score};
      return;
    }
    go(e + 1, matched, score);
    if (p.pinned_mentor(e) >= 0) return;
    for (int m = 0; m < p.mentor_count(); ++m) {
      if (places[m] <= 0 || p.forbid_reason(e, m) != ForbidReason::kAllowed) continue;
      --places[m];
      go(e + 1, matched + 1, score + p.score(e, m).total);
      ++places[m];
    }
  };
  go(0, base_matched, base_score);
  return best;
}

}  // namespace mentoring::core::matching::testing
