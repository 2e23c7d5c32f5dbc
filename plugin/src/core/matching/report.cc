#include "core/matching/report.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "core/matching/stable.h"

namespace mentoring::core::matching {

namespace {

double pct(double part, double whole) { return whole > 0 ? 100.0 * part / whole : 100.0; }

}  // namespace

RunReport build_report(const MatchingProblem& p, const CandidateGraph& g, const Assignment& result,
                       const Assignment& optimum, const ReportGroups* groups, int small_number_threshold) {
  RunReport r;
  r.mentees = p.mentee_count();
  r.mentees_matched = result.matched;
  r.max_possible_matched = optimum.matched;
  r.matched_pct_of_max = pct(result.matched, optimum.matched);
  r.total_score = result.total_score;
  r.optimum_score = optimum.total_score;
  r.score_pct_of_optimum = pct(static_cast<double>(result.total_score), static_cast<double>(optimum.total_score));

  std::vector<int> load(static_cast<std::size_t>(p.mentor_count()), 0);
  for (int e = 0; e < p.mentee_count(); ++e) {
    const int m = result.mentor_of[e];
    if (m < 0) {
      if (!p.mentee(e).eligible) ++r.unmatched_ineligible;
      else if (g.of(e).empty()) ++r.unmatched_no_candidate;
      else ++r.unmatched_capacity;
      continue;
    }
    switch (result.source[e]) {
      case PairSource::kPinned: ++r.pinned; break;
      case PairSource::kChosen: ++r.chosen; break;
      case PairSource::kFallback: ++r.fallbacks; break;
      default: break;
    }
    if (result.source[e] == PairSource::kPinned) continue;
    ++load[m];
    const int s = p.score(e, m).total;
    int rank = 1;
    for (const Candidate& c : g.of(e)) {
      if (c.score <= s) break;  // best first
      ++rank;
    }
    if (rank == 1) ++r.first_choice;
    if (rank <= 3) ++r.top3;
    if (rank <= 5) ++r.top5;
  }
  r.blocking_pairs = count_blocking_pairs(p, g, result);

  r.mentors = p.mentor_count();
  int max_load = 0;
  for (int m = 0; m < p.mentor_count(); ++m) max_load = std::max(max_load, load[m]);
  r.load_histogram.assign(static_cast<std::size_t>(max_load + 1), 0);
  for (int m = 0; m < p.mentor_count(); ++m) {
    ++r.load_histogram[load[m]];
    if (load[m] > 0) ++r.mentors_used;
    if (p.mentor_reason(m) == ForbidReason::kAllowed) {
      ++r.mentors_available;
      r.places_free += p.free_places(m);
      if (load[m] >= p.free_places(m)) ++r.mentors_full;
    }
    r.places_used += load[m];
  }

  if (groups != nullptr) {
    r.groups_dimension = groups->dimension;
    std::map<std::string, std::pair<int, int>> counts;  // sorted by group name
    for (int e = 0; e < p.mentee_count(); ++e) {
      auto it = groups->group_of.find(p.mentee(e).id);
      auto& c = counts[it == groups->group_of.end() ? std::string("not stated") : it->second];
      ++c.first;
      if (result.mentor_of[e] >= 0) ++c.second;
    }
    for (const auto& [name, c] : counts) {
      GroupRate gr;
      gr.group = name;
      if (c.first < small_number_threshold) {
        gr.suppressed = true;
      } else {
        gr.mentees = c.first;
        gr.matched = c.second;
        gr.match_rate = pct(c.second, c.first);
      }
      r.groups.push_back(gr);
    }
  }
  return r;
}

std::string to_text(const RunReport& r) {
  std::string out;
  char buf[256];
  std::snprintf(buf, sizeof buf, "matched %d of %d mentees (%.2f%% of the %d possible)\n", r.mentees_matched,
                r.mentees, r.matched_pct_of_max, r.max_possible_matched);
  out += buf;
  std::snprintf(buf, sizeof buf, "total score %lld (%.2f%% of the optimum %lld)\n",
                static_cast<long long>(r.total_score), r.score_pct_of_optimum, static_cast<long long>(r.optimum_score));
  out += buf;
  std::snprintf(buf, sizeof buf, "rank: first %d, top 3 %d, top 5 %d; blocking pairs %lld\n", r.first_choice, r.top3,
                r.top5, static_cast<long long>(r.blocking_pairs));
  out += buf;
  std::snprintf(buf, sizeof buf, "mentors %d (available %d, used %d, full %d); places used %lld of %lld\n", r.mentors,
                r.mentors_available, r.mentors_used, r.mentors_full, static_cast<long long>(r.places_used),
                static_cast<long long>(r.places_free));
  out += buf;
  out += "mentor load:";
  for (std::size_t k = 0; k < r.load_histogram.size(); ++k) {
    std::snprintf(buf, sizeof buf, " %zu:%d", k, r.load_histogram[k]);
    out += buf;
  }
  out += "\n";
  std::snprintf(buf, sizeof buf,
                "pinned %d, chosen %d, fallbacks %d; unmatched: ineligible %d, no candidate %d, no place %d\n",
                r.pinned, r.chosen, r.fallbacks, r.unmatched_ineligible, r.unmatched_no_candidate,
                r.unmatched_capacity);
  out += buf;
  for (const GroupRate& g : r.groups) {
    if (g.suppressed) {
      std::snprintf(buf, sizeof buf, "  %s=%s: suppressed (small number)\n", r.groups_dimension.c_str(),
                    g.group.c_str());
    } else {
      std::snprintf(buf, sizeof buf, "  %s=%s: %d of %d matched (%.1f%%)\n", r.groups_dimension.c_str(),
                    g.group.c_str(), g.matched, g.mentees, g.match_rate);
    }
    out += buf;
  }
  return out;
}

}  // namespace mentoring::core::matching
