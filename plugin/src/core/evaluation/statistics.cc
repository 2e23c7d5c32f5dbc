#include "core/evaluation/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace mentoring::core::evaluation {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Continued fraction for the incomplete beta (modified Lentz). Converges
// quickly for x < (a + 1) / (a + b + 2); the caller uses the symmetry
// I_x(a, b) = 1 - I_{1-x}(b, a) otherwise.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  // Large arguments (huge degrees of freedom) need about sqrt(max(a, b))
  // terms; 100000 is far beyond anything a report asks for.
  constexpr int kMaxTerms = 100000;
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= kMaxTerms; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1.0) < kEpsilon) break;
  }
  return h;
}

// I_x(a, b) given both x and y = 1 - x, so callers that know 1 - x exactly
// (the t distribution near t = 0) do not lose digits to cancellation.
double incomplete_beta(double a, double b, double x, double y) {
  if (x <= 0.0) return 0.0;
  if (y <= 0.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log(y);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, y) / b;
}

// P(T > t) for t >= 0, computed directly (not as 1 - cdf) so small tail
// probabilities keep their relative accuracy.
double t_upper_tail(double t, double df) {
  if (std::isinf(t)) return 0.0;
  const double t2 = t * t;
  const double x = df / (df + t2);
  const double y = t2 / (df + t2);
  return 0.5 * incomplete_beta(df / 2.0, 0.5, x, y);
}

double normal_upper_tail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

// Smallest z >= 0 with tail(z) <= q, for a decreasing tail function, by
// doubling to bracket and then bisection. Bisection is slow next to Newton
// steps but cannot diverge, and a report needs a few dozen quantiles at most.
template <typename Tail>
double invert_upper_tail(double q, Tail tail) {
  double lo = 0.0;
  double hi = 1.0;
  while (tail(hi) > q) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e300) return std::numeric_limits<double>::infinity();
  }
  for (int i = 0; i < 2000 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    if (tail(mid) > q) lo = mid; else hi = mid;
  }
  return 0.5 * (lo + hi);
}

bool all_finite(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

bool all_equal(std::span<const double> values) {
  return std::all_of(values.begin(), values.end(), [&](double v) { return v == values.front(); });
}

Status check_confidence(double confidence) {
  if (!std::isfinite(confidence) || confidence <= 0.0 || confidence >= 1.0) {
    return Status::invalid("evaluation_confidence_out_of_range",
                           "The confidence level must be strictly between 0 and 1.", "confidence");
  }
  return Status::ok();
}

Status check_scores(std::span<const double> scores, const char* field) {
  if (!all_finite(scores)) {
    return Status::invalid("evaluation_score_not_finite",
                           "Every score must be a finite number.", field);
  }
  return Status::ok();
}

// Two-pass mean and sample variance: accurate for the small samples here.
Descriptive describe_unchecked(std::span<const double> scores) {
  Descriptive d;
  d.n = scores.size();
  double sum = 0.0;
  for (double v : scores) sum += v;
  d.mean = sum / static_cast<double>(d.n);
  double ss = 0.0;
  for (double v : scores) ss += (v - d.mean) * (v - d.mean);
  d.sd = d.n > 1 ? std::sqrt(ss / static_cast<double>(d.n - 1)) : 0.0;
  const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  d.min = *lo;
  d.max = *hi;
  return d;
}

}  // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (!(a > 0.0) || !(b > 0.0) || !(x >= 0.0) || !(x <= 1.0)) return kNaN;
  return incomplete_beta(a, b, x, 1.0 - x);
}

double t_cdf(double t, double df) {
  if (!(df > 0.0) || std::isnan(t)) return kNaN;
  if (t == 0.0) return 0.5;
  const double tail = t_upper_tail(std::fabs(t), df);
  return t > 0.0 ? 1.0 - tail : tail;
}

double t_quantile(double p, double df) {
  if (!(df > 0.0) || !(p > 0.0) || !(p < 1.0)) return kNaN;
  if (p == 0.5) return 0.0;
  const double q = std::min(p, 1.0 - p);
  const double t = invert_upper_tail(q, [df](double v) { return t_upper_tail(v, df); });
  return p > 0.5 ? t : -t;
}

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double normal_quantile(double p) {
  if (!(p > 0.0) || !(p < 1.0)) return kNaN;
  if (p == 0.5) return 0.0;
  const double q = std::min(p, 1.0 - p);
  const double z = invert_upper_tail(q, normal_upper_tail);
  return p > 0.5 ? z : -z;
}

Result<Descriptive> describe(std::span<const double> scores) {
  if (scores.empty()) {
    return Status::invalid("evaluation_no_scores", "There are no scores to describe.", "scores");
  }
  MENTORING_RETURN_IF_ERROR(check_scores(scores, "scores"));
  return describe_unchecked(scores);
}

Result<PairedAnalysis> analyse_paired(std::span<const double> before,
                                      std::span<const double> after, double confidence) {
  MENTORING_RETURN_IF_ERROR(check_confidence(confidence));
  if (before.size() != after.size()) {
    return Status::invalid("evaluation_paired_sizes_differ",
                           "Paired analysis needs one after score for every before score.",
                           "after");
  }
  MENTORING_RETURN_IF_ERROR(check_scores(before, "before"));
  MENTORING_RETURN_IF_ERROR(check_scores(after, "after"));
  if (before.size() < 2) {
    return Status::failed_precondition(
        "evaluation_too_few_pairs",
        "At least two participants must have answered both before and after the scheme.");
  }
  std::vector<double> differences(before.size());
  for (std::size_t i = 0; i < before.size(); ++i) differences[i] = after[i] - before[i];
  if (all_equal(differences)) {
    return Status::failed_precondition(
        "evaluation_no_variation",
        "Every participant's score changed by the same amount, so no test or interval can be computed.");
  }

  const Descriptive b = describe_unchecked(before);
  const Descriptive a = describe_unchecked(after);
  const Descriptive d = describe_unchecked(differences);
  PairedAnalysis r;
  r.n = d.n;
  r.mean_before = b.mean;
  r.mean_after = a.mean;
  r.mean_difference = d.mean;
  r.sd_difference = d.sd;
  r.standard_error = d.sd / std::sqrt(static_cast<double>(d.n));
  r.degrees_of_freedom = static_cast<double>(d.n - 1);
  r.t_statistic = r.mean_difference / r.standard_error;
  r.p_value = std::min(1.0, 2.0 * t_upper_tail(std::fabs(r.t_statistic), r.degrees_of_freedom));
  r.confidence = confidence;
  const double critical = t_quantile(1.0 - (1.0 - confidence) / 2.0, r.degrees_of_freedom);
  r.ci_low = r.mean_difference - critical * r.standard_error;
  r.ci_high = r.mean_difference + critical * r.standard_error;
  r.cohens_dz = r.mean_difference / r.sd_difference;
  const double average_sd = (b.sd + a.sd) / 2.0;
  if (average_sd > 0.0) r.cohens_dav = r.mean_difference / average_sd;
  return r;
}

Result<CohortComparison> compare_cohorts(std::span<const double> current,
                                         std::span<const double> comparator, double confidence) {
  MENTORING_RETURN_IF_ERROR(check_confidence(confidence));
  MENTORING_RETURN_IF_ERROR(check_scores(current, "current"));
  MENTORING_RETURN_IF_ERROR(check_scores(comparator, "comparator"));
  if (current.size() < 2 || comparator.size() < 2) {
    return Status::failed_precondition(
        "evaluation_too_few_scores",
        "Each cohort needs at least two scores before the cohorts can be compared.");
  }
  if (all_equal(current) && all_equal(comparator)) {
    return Status::failed_precondition(
        "evaluation_no_variation",
        "Every score within each cohort is the same, so no test or interval can be computed.");
  }
  CohortComparison r;
  r.current = describe_unchecked(current);
  r.comparator = describe_unchecked(comparator);
  const double n1 = static_cast<double>(r.current.n);
  const double n2 = static_cast<double>(r.comparator.n);
  const double v1 = r.current.sd * r.current.sd / n1;
  const double v2 = r.comparator.sd * r.comparator.sd / n2;
  r.mean_difference = r.current.mean - r.comparator.mean;
  r.standard_error = std::sqrt(v1 + v2);
  r.degrees_of_freedom = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
  r.t_statistic = r.mean_difference / r.standard_error;
  r.p_value = std::min(1.0, 2.0 * t_upper_tail(std::fabs(r.t_statistic), r.degrees_of_freedom));
  r.confidence = confidence;
  const double critical = t_quantile(1.0 - (1.0 - confidence) / 2.0, r.degrees_of_freedom);
  r.ci_low = r.mean_difference - critical * r.standard_error;
  r.ci_high = r.mean_difference + critical * r.standard_error;
  const double pooled_sd =
      std::sqrt(((n1 - 1.0) * r.current.sd * r.current.sd +
                 (n2 - 1.0) * r.comparator.sd * r.comparator.sd) / (n1 + n2 - 2.0));
  if (pooled_sd > 0.0) {
    const double correction = 1.0 - 3.0 / (4.0 * (n1 + n2) - 9.0);
    r.hedges_g = correction * r.mean_difference / pooled_sd;
  }
  return r;
}

Result<Proportion> wilson_interval(std::int64_t successes, std::int64_t trials, double confidence) {
  MENTORING_RETURN_IF_ERROR(check_confidence(confidence));
  if (successes < 0 || trials < 0) {
    return Status::invalid("evaluation_negative_count", "Counts cannot be negative.",
                           successes < 0 ? "successes" : "trials");
  }
  if (successes > trials) {
    return Status::invalid("evaluation_successes_exceed_trials",
                           "The count of successes cannot exceed the count of trials.", "successes");
  }
  if (trials == 0) {
    return Status::failed_precondition("evaluation_no_trials",
                                       "A rate needs at least one person in its denominator.");
  }
  Proportion r;
  r.successes = successes;
  r.trials = trials;
  r.confidence = confidence;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z = normal_quantile(1.0 - (1.0 - confidence) / 2.0);
  const double z2 = z * z;
  const double denominator = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / denominator;
  const double half = z * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n)) / denominator;
  r.estimate = p;
  // At 0 and n the interval's closed end is exactly 0 or 1; rounding would
  // otherwise leave 1e-17 or 0.9999999999999999 in a report.
  r.ci_low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  r.ci_high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return r;
}

}  // namespace mentoring::core::evaluation
