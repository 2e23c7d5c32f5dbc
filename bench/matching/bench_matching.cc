// Matching benchmark: a synthetic deanery, matched end to end (indexing,
// candidate generation with scoring, the optimal assignment, explanations
// and the run report), next to the greedy baseline.
//
//   bench_matching --size small|medium|large [--seed N] [--k K] [--threads T] [--common F] [--stable]
//   bench_matching --mentees N --mentors M ...
//
// Run one size per process: peak memory is the process's maximum RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "core/matching/engine.h"
#include "synthetic_deanery.h"

namespace {

using namespace mentoring::core::matching;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;  // Linux reports KiB
}

void print_quality(const char* name, const RunReport& r) {
  std::printf("%-8s matched %d/%d (%.2f%% of max %d)  score %lld (%.2f%% of optimum)  "
              "first %d  top3 %d  top5 %d  blocking %lld  mentors full %d/%d\n",
              name, r.mentees_matched, r.mentees, r.matched_pct_of_max, r.max_possible_matched,
              static_cast<long long>(r.total_score), r.score_pct_of_optimum, r.first_choice, r.top3, r.top5,
              static_cast<long long>(r.blocking_pairs), r.mentors_full, r.mentors_available);
}

int usage() {
  std::fprintf(stderr,
               "usage: bench_matching --size small|medium|large | --mentees N --mentors M\n"
               "                      [--seed N] [--k K] [--threads T] [--common F] [--stable]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int mentees = 2000, mentors = 600, k = 50, threads = 2;
  unsigned long long seed = 1;
  bool stable = false;
  double common = MatchingConfig{}.common_term_fraction;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--size") {
      const char* v = next();
      if (v == nullptr) return usage();
      if (std::strcmp(v, "small") == 0) { mentees = 2000; mentors = 600; }
      else if (std::strcmp(v, "medium") == 0) { mentees = 10000; mentors = 3000; }
      else if (std::strcmp(v, "large") == 0) { mentees = 60000; mentors = 15000; }
      else return usage();
    } else if (a == "--mentees" || a == "--mentors" || a == "--k" || a == "--threads" || a == "--seed") {
      const char* v = next();
      if (v == nullptr) return usage();
      const long long n = std::atoll(v);
      if (n <= 0) return usage();
      if (a == "--mentees") mentees = static_cast<int>(n);
      else if (a == "--mentors") mentors = static_cast<int>(n);
      else if (a == "--k") k = static_cast<int>(n);
      else if (a == "--threads") threads = static_cast<int>(n);
      else seed = static_cast<unsigned long long>(n);
    } else if (a == "--common") {
      const char* v = next();
      if (v == nullptr) return usage();
      common = std::atof(v);
    } else if (a == "--stable") {
      stable = true;
    } else {
      return usage();
    }
  }

  auto t0 = Clock::now();
  MatchingInput input = mentoring::bench::synthetic_deanery(mentees, mentors, seed);
  const double t_generate = seconds_since(t0);
  const long rss_input = peak_rss_mb();
  MatchingConfig config;
  config.candidates_per_mentee = k;
  config.worker_threads = threads;
  config.common_term_fraction = common;
  config.exclude_same_department = true;
  config.stage_window = {1, 6};

  // End to end, as run_assigned() does it, with each step timed.
  const auto start = Clock::now();
  const double cpu_start = cpu_seconds();
  auto problem = MatchingProblem::prepare(std::move(input), config);
  if (!problem) {
    std::fprintf(stderr, "%s\n", problem.status().to_string().c_str());
    return 1;
  }
  const double t_prepare = seconds_since(start);
  const long rss_prepared = peak_rss_mb();
  auto t = Clock::now();
  const CandidateGraph graph = generate_candidates(*problem);
  const double t_candidates = seconds_since(t);
  const long rss_candidates = peak_rss_mb();
  t = Clock::now();
  const Assignment pins = pinned_only(*problem);
  auto optimum = solve_optimal(*problem, graph, pins);
  if (!optimum) {
    std::fprintf(stderr, "%s\n", optimum.status().to_string().c_str());
    return 1;
  }
  const double t_solve = seconds_since(t);
  t = Clock::now();
  const MatchingRun run = make_run(*problem, graph, *optimum, *optimum);
  const double t_report = seconds_since(t);
  const double t_total = seconds_since(start);
  const double cpu_total = cpu_seconds() - cpu_start;
  const long rss_after_optimal = peak_rss_mb();

  t = Clock::now();
  const Assignment greedy = solve_greedy(*problem, graph, pins);
  const double t_greedy = seconds_since(t);
  const RunReport greedy_report = build_report(*problem, graph, greedy, *optimum);

  std::printf("deanery %d mentees x %d mentors, seed %llu, k %d, threads %d, common-term fraction %g "
              "(generated in %.2f s)\n",
              mentees, mentors, seed, k, threads, common, t_generate);
  std::printf("candidates %zu edges (%.1f per mentee)\n", graph.edge_count(),
              static_cast<double>(graph.edge_count()) / mentees);
  std::printf("time     prepare+index %.3f s  candidates+scoring %.3f s  optimal solve %.3f s  "
              "explain+report %.3f s  END TO END %.3f s (CPU %.3f s)\n",
              t_prepare, t_candidates, t_solve, t_report, t_total, cpu_total);
  std::printf("memory   peak RSS %ld MB (input generated %ld, prepared %ld, candidates %ld, solved %ld)\n",
              rss_after_optimal, rss_input, rss_prepared, rss_candidates, rss_after_optimal);
  print_quality("optimal", run.report);
  std::printf("greedy   solve %.3f s\n", t_greedy);
  print_quality("greedy", greedy_report);
  if (stable) {
    t = Clock::now();
    const Assignment st = solve_stable(*problem, graph, pins);
    const double t_stable = seconds_since(t);
    std::printf("stable   solve %.3f s\n", t_stable);
    print_quality("stable", build_report(*problem, graph, st, *optimum));
  }
  std::printf("load     ");
  for (std::size_t i = 0; i < run.report.load_histogram.size(); ++i) {
    std::printf("%zu:%d ", i, run.report.load_histogram[i]);
  }
  std::printf("\n");
  return 0;
}
