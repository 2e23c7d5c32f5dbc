// Statistics for evaluating a scheme (toolkit, "How can you evaluate your
// scheme?"): comparative data from participants before and after the scheme,
// a comparison with a previous cohort (the toolkit's preferred comparator,
// because of selection bias among non-participants), and proportions such as
// uptake from the target audience, match rate and retention.
//
// Everything here is pure arithmetic on values the caller supplies. There is
// no C++ statistics library in Debian worth depending on for this handful of
// formulas, so the Student t distribution is implemented here (regularised
// incomplete beta by continued fraction, quantile by bracketed bisection) and
// tested against closed forms and an independent implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/status.h"

namespace mentoring::core::evaluation {

// The confidence level used unless a caller asks for another one.
inline constexpr double kDefaultConfidence = 0.95;

// ---------------------------------------------------------------------------
// Distributions. Accurate to about 1e-12 in the ranges reports use
// (df >= 1, probabilities in [1e-10, 1 - 1e-10]).

// I_x(a, b) for a, b > 0 and 0 <= x <= 1. Returns NaN outside that domain.
double regularized_incomplete_beta(double a, double b, double x);

// P(T <= t) for Student's t with `df` > 0 degrees of freedom (df may be
// fractional, as Welch's df is). NaN when df <= 0 or t is NaN.
double t_cdf(double t, double df);

// The t with P(T <= t) = p, for 0 < p < 1 and df > 0; NaN otherwise.
double t_quantile(double p, double df);

// Standard normal CDF and quantile (quantile: 0 < p < 1, else NaN).
double normal_cdf(double z);
double normal_quantile(double p);

// ---------------------------------------------------------------------------
// Descriptive statistics of one sample.

struct Descriptive {
  std::size_t n = 0;
  double mean = 0;
  double sd = 0;  // sample standard deviation (n - 1 denominator); 0 when n == 1
  double min = 0;
  double max = 0;
};

// Reasons: evaluation_no_scores (empty), evaluation_score_not_finite.
Result<Descriptive> describe(std::span<const double> scores);

// ---------------------------------------------------------------------------
// Paired before/after analysis: the same participants answered the same
// survey item before and after the scheme. Differences are after - before.

struct PairedAnalysis {
  std::size_t n = 0;               // number of pairs
  double mean_before = 0;
  double mean_after = 0;
  double mean_difference = 0;      // mean of (after - before)
  double sd_difference = 0;        // sample SD of the differences
  double standard_error = 0;       // sd_difference / sqrt(n)
  double degrees_of_freedom = 0;   // n - 1
  double t_statistic = 0;          // mean_difference / standard_error
  double p_value = 0;              // two-sided
  double confidence = kDefaultConfidence;
  double ci_low = 0;               // confidence interval of mean_difference
  double ci_high = 0;
  double cohens_dz = 0;            // mean_difference / sd_difference
  // mean_difference / mean of the before and after SDs; absent when both SDs
  // are zero.
  std::optional<double> cohens_dav;
};

// Reasons: evaluation_paired_sizes_differ, evaluation_score_not_finite,
// evaluation_confidence_out_of_range (invalid argument);
// evaluation_too_few_pairs (fewer than 2 pairs: no spread can be estimated),
// evaluation_no_variation (every difference is identical, so no test or
// interval exists) (failed precondition). In both refusals `describe` still
// gives the means for a report.
Result<PairedAnalysis> analyse_paired(std::span<const double> before,
                                      std::span<const double> after,
                                      double confidence = kDefaultConfidence);

// ---------------------------------------------------------------------------
// Unpaired comparison of this cohort with a comparator (normally the previous
// cohort), by Welch's t, which does not assume equal variances.

struct CohortComparison {
  Descriptive current;
  Descriptive comparator;
  double mean_difference = 0;      // current.mean - comparator.mean
  double standard_error = 0;       // sqrt(s1^2/n1 + s2^2/n2)
  double degrees_of_freedom = 0;   // Welch-Satterthwaite
  double t_statistic = 0;
  double p_value = 0;              // two-sided
  double confidence = kDefaultConfidence;
  double ci_low = 0;
  double ci_high = 0;
  // Hedges' g: mean_difference over the pooled SD, times the small-sample
  // correction J = 1 - 3 / (4 (n1 + n2) - 9). Absent when the pooled SD is 0.
  std::optional<double> hedges_g;
};

// Reasons: evaluation_score_not_finite, evaluation_confidence_out_of_range
// (invalid argument); evaluation_too_few_scores (either group has fewer than
// 2), evaluation_no_variation (both groups have zero spread) (failed
// precondition).
Result<CohortComparison> compare_cohorts(std::span<const double> current,
                                         std::span<const double> comparator,
                                         double confidence = kDefaultConfidence);

// ---------------------------------------------------------------------------
// Proportions with Wilson score intervals: uptake (enrolled / target
// audience), match rate (matched / enrolled), retention (completed / matched).
// Wilson rather than the textbook Wald interval because it stays inside
// [0, 1] and behaves for the small groups and extreme rates schemes see.

struct Proportion {
  std::int64_t successes = 0;
  std::int64_t trials = 0;
  double estimate = 0;  // successes / trials
  double confidence = kDefaultConfidence;
  double ci_low = 0;
  double ci_high = 0;
};

// Reasons: evaluation_negative_count, evaluation_successes_exceed_trials,
// evaluation_confidence_out_of_range (invalid argument); evaluation_no_trials
// (trials == 0: the rate is undefined) (failed precondition).
Result<Proportion> wilson_interval(std::int64_t successes, std::int64_t trials,
                                   double confidence = kDefaultConfidence);

}  // namespace mentoring::core::evaluation
