#include "core/matching/candidates.h"

#include <algorithm>
#include <exception>
#include <thread>

namespace mentoring::core::matching {

namespace {

bool better(const Candidate& a, const Candidate& b) {
  return a.score != b.score ? a.score > b.score : a.mentor < b.mentor;
}

// Per-thread scratch space, sized to the mentors, reused across mentees.
// Stamps avoid clearing arrays for every mentee.
struct Workspace {
  explicit Workspace(int mentors)
      : acc(mentors, 0.0), acc_stamp(mentors, 0), seen_stamp(mentors, 0), buckets(kBuckets + 1, 0) {}
  static constexpr int kBuckets = kMaxScore + kCriterionCount + 1;  // bounds are 0..1000 plus rounding
  std::vector<double> acc;  // partial BM25 (selective terms), valid where acc_stamp == stamp
  std::vector<std::uint32_t> acc_stamp;
  std::vector<std::uint32_t> seen_stamp;  // mentor already considered for this mentee
  std::uint32_t stamp = 0;
  std::vector<int> to_score;
  std::vector<std::pair<int, int>> bounded;  // (upper bound, mentor)
  std::vector<std::pair<int, int>> ordered;
  std::vector<int> buckets;
  std::vector<Candidate> heap;  // the best so far, worst on top

  void next() {
    if (++stamp == 0) {  // wrapped: clear and start again
      std::fill(acc_stamp.begin(), acc_stamp.end(), 0);
      std::fill(seen_stamp.begin(), seen_stamp.end(), 0);
      stamp = 1;
    }
  }
};

// Scores the pair exactly and keeps it if it is among the best k.
void consider(const MatchingProblem& p, int e, int m, std::size_t k, Workspace& w) {
  if (p.mentor_reason(m) != ForbidReason::kAllowed) return;
  if (p.conflict_reason(e, m) != ForbidReason::kAllowed) return;
  const PairScore s = p.score_with_topic(e, m, w.acc_stamp[m] == w.stamp ? w.acc[m] : 0.0);
  if (!s.meets_musts) return;
  const Candidate c{m, s.total};
  if (w.heap.size() < k) {
    w.heap.push_back(c);
    std::push_heap(w.heap.begin(), w.heap.end(), better);
  } else if (better(c, w.heap.front())) {
    std::pop_heap(w.heap.begin(), w.heap.end(), better);
    w.heap.back() = c;
    std::push_heap(w.heap.begin(), w.heap.end(), better);
  }
}

void mentee_candidates(const MatchingProblem& p, int e, Workspace& w, std::vector<Candidate>& out) {
  out.clear();
  if (!p.mentee(e).eligible || p.pinned_mentor(e) >= 0) return;
  const int n = p.mentor_count();
  const std::size_t k = static_cast<std::size_t>(p.config().candidates_per_mentee);
  const std::size_t common_limit =
      std::max<std::size_t>(1, static_cast<std::size_t>(p.config().common_term_fraction * n));
  w.next();
  w.to_score.clear();
  w.heap.clear();
  // Every query term is accumulated, in query order, so the topic score of
  // any mentor is exact (and bit-identical to Bm25Index::score()); only the
  // selective terms bring a mentor into consideration.
  for (TermId t : p.query(e)) {
    const auto postings = p.index().postings(t);
    const bool selective = postings.size() <= common_limit;
    for (const auto& post : postings) {
      const int m = post.doc;
      if (w.acc_stamp[m] != w.stamp) {
        w.acc_stamp[m] = w.stamp;
        w.acc[m] = 0.0;
      }
      w.acc[m] += post.weight;
      if (selective && w.seen_stamp[m] != w.stamp) {
        w.seen_stamp[m] = w.stamp;
        w.to_score.push_back(m);
      }
    }
  }
  auto add_block = [&](const std::vector<int>& block) {
    for (int m : block) {
      if (w.seen_stamp[m] != w.stamp) {
        w.seen_stamp[m] = w.stamp;
        w.to_score.push_back(m);
      }
    }
  };
  add_block(p.same_specialty_mentors(e));
  if (p.mentee(e).location_preference == LocationPreference::kLocal) add_block(p.same_region_mentors(e));

  // Upper bounds (exact but for meeting mode, languages and preferences),
  // sorted best first with a counting sort (bounds are small integers), then
  // exact scores until no remaining bound can beat the k-th best.
  w.bounded.clear();
  for (int m : w.to_score) {
    if (p.mentor_reason(m) != ForbidReason::kAllowed) continue;
    const double bm25 = w.acc_stamp[m] == w.stamp ? w.acc[m] : 0.0;
    const int ub = std::min(p.score_upper_bound(e, m, bm25), Workspace::kBuckets - 1);
    w.bounded.emplace_back(ub, m);
  }
  std::fill(w.buckets.begin(), w.buckets.end(), 0);
  for (const auto& b : w.bounded) ++w.buckets[Workspace::kBuckets - 1 - b.first];
  int sum = 0;
  for (int& c : w.buckets) {
    const int here = c;
    c = sum;
    sum += here;
  }
  w.ordered.resize(w.bounded.size());
  for (const auto& b : w.bounded) w.ordered[w.buckets[Workspace::kBuckets - 1 - b.first]++] = b;
  for (const auto& [ub, m] : w.ordered) {
    if (w.heap.size() == k && ub < w.heap.front().score) break;
    consider(p, e, m, k, w);
  }
  if (w.heap.size() < k) {
    // Too few through the index: look at everyone else as well.
    for (int m = 0; m < n; ++m) {
      if (w.seen_stamp[m] != w.stamp) consider(p, e, m, k, w);
    }
  }
  std::sort(w.heap.begin(), w.heap.end(), better);
  out.assign(w.heap.begin(), w.heap.end());
}

CandidateGraph flatten(const std::vector<std::vector<Candidate>>& lists) {
  CandidateGraph g;
  g.offsets.resize(lists.size() + 1, 0);
  std::size_t total = 0;
  for (std::size_t e = 0; e < lists.size(); ++e) {
    g.offsets[e] = static_cast<std::int64_t>(total);
    total += lists[e].size();
  }
  g.offsets[lists.size()] = static_cast<std::int64_t>(total);
  g.edges.reserve(total);
  for (const auto& l : lists) g.edges.insert(g.edges.end(), l.begin(), l.end());
  return g;
}

}  // namespace

CandidateGraph generate_candidates(const MatchingProblem& p) {
  const int mentees = p.mentee_count();
  std::vector<std::vector<Candidate>> lists(static_cast<std::size_t>(mentees));
  auto work = [&](int first, int step) {
    Workspace w(p.mentor_count());
    std::vector<Candidate> out;
    for (int e = first; e < mentees; e += step) {
      mentee_candidates(p, e, w, out);
      lists[e] = out;
    }
  };
  const int threads = std::min(p.config().worker_threads, std::max(1, mentees / 64));
  if (threads <= 1) {
    work(0, 1);
  } else {
    // Each thread owns every threads-th mentee; the lists do not depend on
    // which thread made them. If threads cannot be started, the rest is done here.
    std::vector<std::thread> pool;
    int started = 0;
    for (int t = 1; t < threads; ++t) {
      try {
        pool.emplace_back(work, t, threads);
        ++started;
      } catch (const std::exception&) {
        break;
      }
    }
    work(0, threads);
    for (auto& th : pool) th.join();
    for (int t = started + 1; t < threads; ++t) work(t, threads);
  }
  return flatten(lists);
}

CandidateGraph all_pair_candidates(const MatchingProblem& p) {
  std::vector<std::vector<Candidate>> lists(static_cast<std::size_t>(p.mentee_count()));
  for (int e = 0; e < p.mentee_count(); ++e) {
    if (!p.mentee(e).eligible || p.pinned_mentor(e) >= 0) continue;
    for (int m = 0; m < p.mentor_count(); ++m) {
      if (p.forbid_reason(e, m) != ForbidReason::kAllowed) continue;
      lists[e].push_back(Candidate{m, p.score(e, m).total});
    }
    std::sort(lists[e].begin(), lists[e].end(), better);
  }
  return flatten(lists);
}

}  // namespace mentoring::core::matching
