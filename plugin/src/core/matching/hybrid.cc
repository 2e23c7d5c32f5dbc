#include "core/matching/hybrid.h"

#include <algorithm>
#include <cmath>

namespace mentoring::core::matching {

Status validate(const HybridOptions& o) {
  if (o.shortlist_size < 1 || o.shortlist_size > 10) {
    return Status::invalid("shortlist_size_invalid", "A shortlist must have from 1 to 10 mentors.", "shortlist_size");
  }
  if (o.strong_score < 0 || o.strong_score > kMaxScore) {
    return Status::invalid("strong_score_invalid", "The strong-option score must be from 0 to 1000.",
                           "strong_score");
  }
  if (!(o.exposure_per_place >= 1 && o.exposure_per_place <= 20)) {
    return Status::invalid("exposure_invalid", "Shortlists per free place must be from 1 to 20.",
                           "exposure_per_place");
  }
  return Status::ok();
}

Result<Shortlists> build_shortlists(const MatchingProblem& p, const CandidateGraph& g, const HybridOptions& o) {
  MENTORING_RETURN_IF_ERROR(validate(o));
  auto optimal = solve_optimal(p, g, pinned_only(p));
  if (!optimal) return optimal.status();

  Shortlists s;
  s.choice_deadline = o.choice_deadline;
  s.of_mentee.resize(static_cast<std::size_t>(p.mentee_count()));
  s.exposure.assign(static_cast<std::size_t>(p.mentor_count()), 0);
  s.exposure_limit.resize(static_cast<std::size_t>(p.mentor_count()));
  for (int m = 0; m < p.mentor_count(); ++m) {
    s.exposure_limit[m] = static_cast<int>(std::ceil(p.free_places(m) * o.exposure_per_place));
  }
  auto on_list = [&](int e, int m) {
    for (const auto& x : s.of_mentee[e]) {
      if (x.mentor == m) return true;
    }
    return false;
  };
  auto add = [&](int e, const Candidate& c) {
    s.of_mentee[e].push_back(ShortlistEntry{c.mentor, c.score, c.score >= o.strong_score});
    ++s.exposure[c.mentor];
  };
  auto has_strong = [&](int e) {
    return std::any_of(s.of_mentee[e].begin(), s.of_mentee[e].end(), [](const auto& x) { return x.strong; });
  };

  // 1. The optimal mentor first. The limit is at least the free places, so
  //    this always fits.
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (optimal->source[e] != PairSource::kOptimal || optimal->mentor_of[e] < 0) continue;
    const int m = optimal->mentor_of[e];
    for (const Candidate& c : g.of(e)) {
      if (c.mentor == m) {
        add(e, c);
        break;
      }
    }
  }
  // 2. A strong option for everyone who lacks one.
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (static_cast<int>(s.of_mentee[e].size()) >= o.shortlist_size || has_strong(e)) continue;
    for (const Candidate& c : g.of(e)) {
      if (c.score < o.strong_score) break;  // best first: nothing strong further on
      if (s.exposure[c.mentor] < s.exposure_limit[c.mentor] && !on_list(e, c.mentor)) {
        add(e, c);
        break;
      }
    }
  }
  // 3. Fill round by round.
  for (int round = 1; round <= o.shortlist_size; ++round) {
    for (int e = 0; e < p.mentee_count(); ++e) {
      if (static_cast<int>(s.of_mentee[e].size()) >= round) continue;
      for (const Candidate& c : g.of(e)) {
        if (s.exposure[c.mentor] < s.exposure_limit[c.mentor] && !on_list(e, c.mentor)) {
          add(e, c);
          break;
        }
      }
    }
  }
  for (int e = 0; e < p.mentee_count(); ++e) {
    auto& list = s.of_mentee[e];
    // Shown best first; the optimal mentor is one of them.
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.score != b.score ? a.score > b.score : a.mentor < b.mentor;
    });
    if (!list.empty() && !has_strong(e)) ++s.mentees_without_strong_option;
  }
  return s;
}

Result<HybridOutcome> resolve_hybrid(const MatchingProblem& p, const CandidateGraph& g, const Shortlists& s,
                                     const std::vector<Choice>& choices, UnixSeconds now) {
  if (now < s.choice_deadline) {
    return Status::failed_precondition("choice_deadline_not_passed",
                                       "Mentees can still choose: the choice deadline has not passed.");
  }
  struct Indexed {
    UnixSeconds at;
    int mentee;
    int mentor;
  };
  std::vector<Indexed> valid;
  std::vector<char> chose(static_cast<std::size_t>(p.mentee_count()), 0);
  HybridOutcome out;
  for (const Choice& c : choices) {
    const int e = p.mentee_index(c.mentee_id);
    const int m = p.mentor_index(c.mentor_id);
    if (e < 0 || m < 0) {
      return Status::invalid("choice_unknown_person",
                             "A choice names mentee " + std::to_string(c.mentee_id) + " or mentor " +
                                 std::to_string(c.mentor_id) + ", who are not in this run.",
                             "choices");
    }
    if (chose[e]) {
      return Status::invalid("choice_duplicate_mentee",
                             "Mentee " + std::to_string(c.mentee_id) + " has more than one choice.", "choices");
    }
    chose[e] = 1;
    const auto& list = s.of_mentee[e];
    if (std::none_of(list.begin(), list.end(), [&](const auto& x) { return x.mentor == m; })) {
      return Status::invalid("choice_not_on_shortlist",
                             "Mentee " + std::to_string(c.mentee_id) + " chose a mentor who is not on their shortlist.",
                             "choices");
    }
    if (c.chosen_at > s.choice_deadline) {
      ++out.late_choices;
      chose[e] = 0;
      continue;
    }
    valid.push_back(Indexed{c.chosen_at, e, m});
  }
  std::sort(valid.begin(), valid.end(),
            [](const auto& a, const auto& b) { return a.at != b.at ? a.at < b.at : a.mentee < b.mentee; });

  Assignment fixed = pinned_only(p);
  std::vector<int> rem = remaining_places(p, fixed);
  for (const Indexed& c : valid) {
    if (rem[c.mentor] > 0) {
      --rem[c.mentor];
      fixed.mentor_of[c.mentee] = c.mentor;
      fixed.source[c.mentee] = PairSource::kChosen;
      ++out.choices_honoured;
    } else {
      ++out.choices_fell_through;
    }
  }
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (!s.of_mentee[e].empty() && !chose[e]) ++out.no_choice;
  }
  auto solved = solve_optimal(p, g, fixed);
  if (!solved) return solved.status();
  out.assignment = std::move(*solved);
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (out.assignment.mentor_of[e] >= 0 && out.assignment.source[e] == PairSource::kOptimal) {
      out.assignment.source[e] = PairSource::kFallback;
    }
  }
  return out;
}

}  // namespace mentoring::core::matching
