#include "core/matching/stable.h"

#include <algorithm>
#include <deque>

namespace mentoring::core::matching {

namespace {

// A mentee as a mentor sees them: higher score first, then lower index (= id).
struct Held {
  int score;
  int mentee;
};
bool mentor_prefers(const Held& a, const Held& b) {
  return a.score != b.score ? a.score > b.score : a.mentee < b.mentee;
}

}  // namespace

Assignment solve_stable(const MatchingProblem& p, const CandidateGraph& g, const Assignment& fixed) {
  Assignment out = fixed;
  const std::vector<int> rem = remaining_places(p, fixed);
  // held[m] is a heap with the mentee the mentor likes least on top.
  std::vector<std::vector<Held>> held(static_cast<std::size_t>(p.mentor_count()));
  std::vector<std::size_t> next(static_cast<std::size_t>(p.mentee_count()), 0);
  std::deque<int> free;
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (fixed.mentor_of[e] < 0) free.push_back(e);
  }
  while (!free.empty()) {
    const int e = free.front();
    free.pop_front();
    const auto list = g.of(e);
    while (next[e] < list.size()) {
      const Candidate c = list[next[e]++];
      if (rem[c.mentor] <= 0) continue;
      auto& h = held[c.mentor];
      const Held offer{c.score, e};
      if (static_cast<int>(h.size()) < rem[c.mentor]) {
        h.push_back(offer);
        std::push_heap(h.begin(), h.end(), mentor_prefers);
        break;
      }
      if (mentor_prefers(offer, h.front())) {
        std::pop_heap(h.begin(), h.end(), mentor_prefers);
        const int rejected = h.back().mentee;
        h.back() = offer;
        std::push_heap(h.begin(), h.end(), mentor_prefers);
        free.push_back(rejected);
        break;
      }
    }
  }
  for (int m = 0; m < p.mentor_count(); ++m) {
    for (const Held& x : held[m]) {
      out.mentor_of[x.mentee] = m;
      out.source[x.mentee] = PairSource::kStable;
    }
  }
  recount(p, out);
  return out;
}

std::int64_t count_blocking_pairs(const MatchingProblem& p, const CandidateGraph& g, const Assignment& a) {
  // Counted on scores alone: a pair blocks only if the mentee would get a
  // strictly better score and the mentor has room or would give up a
  // strictly worse-scoring mentee. (Equal scores are not a reason to swap;
  // the id order that breaks ties inside the solvers is not a preference.)
  const int mentors = p.mentor_count();
  std::vector<int> movable_count(static_cast<std::size_t>(mentors), 0);
  std::vector<int> worst(static_cast<std::size_t>(mentors), kMaxScore + 1);
  std::vector<int> score_of(static_cast<std::size_t>(p.mentee_count()), -1);
  for (int e = 0; e < p.mentee_count(); ++e) {
    const int m = a.mentor_of[e];
    if (m < 0) continue;
    score_of[e] = p.score(e, m).total;
    if (a.source[e] == PairSource::kPinned) continue;
    ++movable_count[m];
    worst[m] = std::min(worst[m], score_of[e]);
  }
  std::int64_t blocking = 0;
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (a.mentor_of[e] >= 0 && a.source[e] == PairSource::kPinned) continue;
    for (const Candidate& c : g.of(e)) {
      if (c.score <= score_of[e]) break;  // the list is best first
      const bool room = movable_count[c.mentor] < p.free_places(c.mentor);
      if (room || (movable_count[c.mentor] > 0 && c.score > worst[c.mentor])) ++blocking;
    }
  }
  return blocking;
}

}  // namespace mentoring::core::matching
