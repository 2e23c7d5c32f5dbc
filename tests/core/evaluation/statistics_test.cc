// Reference values come from three independent places:
//  - closed forms of the t quantile for 1, 2 and 4 degrees of freedom;
//  - printed tables (two-sided 95% critical values of t, z = 1.959963984540054);
//  - tests/core/evaluation/reference_statistics.py, run with Debian's
//    /usr/bin/python3, which uses only the standard library and computes the
//    t distribution by integrating its density (no incomplete beta), so it
//    shares no algorithm with plugin/src/core/evaluation/statistics.cc.
#include "core/evaluation/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <numbers>
#include <sstream>
#include <string>
#include <vector>

namespace mentoring::core::evaluation {
namespace {

std::string join(const std::vector<double>& values) {
  std::ostringstream out;
  out.precision(17);
  for (std::size_t i = 0; i < values.size(); ++i) out << (i ? "," : "") << values[i];
  return out.str();
}

// Runs the reference script and returns its key=value lines.
std::map<std::string, double> reference(const std::string& args) {
  const std::string command = std::string("/usr/bin/python3 ") + MENTORING_SOURCE_DIR +
                              "/tests/core/evaluation/reference_statistics.py " + args;
  std::map<std::string, double> values;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return values;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::string s(line);
    const auto eq = s.find('=');
    if (eq != std::string::npos) values[s.substr(0, eq)] = std::stod(s.substr(eq + 1));
  }
  EXPECT_EQ(pclose(pipe), 0) << command;
  return values;
}

double reference_value(const std::string& args) {
  auto values = reference(args);
  EXPECT_EQ(values.count("value"), 1u) << args;
  return values["value"];
}

TEST(StatisticsTest, TQuantileMatchesClosedFormsForOneTwoAndFourDegreesOfFreedom) {
  for (double p : {0.0005, 0.01, 0.025, 0.1, 0.3, 0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9999}) {
    // df = 1 is the Cauchy distribution.
    const double t1 = std::tan(std::numbers::pi * (p - 0.5));
    EXPECT_NEAR(t_quantile(p, 1), t1, 1e-9 * std::max(1.0, std::fabs(t1))) << p;
    // df = 2: t = (2p - 1) / sqrt(2 p (1 - p)).
    const double t2 = (2 * p - 1) / std::sqrt(2 * p * (1 - p));
    EXPECT_NEAR(t_quantile(p, 2), t2, 1e-9 * std::max(1.0, std::fabs(t2))) << p;
    // df = 4: with a = 4p(1-p), q = cos(acos(sqrt a) / 3) / sqrt a,
    // t = sign(p - 1/2) * 2 sqrt(q - 1).
    const double a = 4 * p * (1 - p);
    const double q = std::cos(std::acos(std::sqrt(a)) / 3) / std::sqrt(a);
    const double t4 = (p < 0.5 ? -1 : 1) * 2 * std::sqrt(q - 1);
    EXPECT_NEAR(t_quantile(p, 4), t4, 1e-9 * std::max(1.0, std::fabs(t4))) << p;
  }
}

TEST(StatisticsTest, TQuantileMatchesPrintedTablesOfTwoSidedCriticalValues) {
  const std::map<double, double> table = {
      {1, 12.706204736174703}, {2, 4.302652729749464}, {5, 2.570581835636314},
      {10, 2.228138851986274}, {20, 2.085963447265837}, {30, 2.042272456301238},
      {120, 1.979930405052777}};
  for (const auto& [df, critical] : table) {
    EXPECT_NEAR(t_quantile(0.975, df), critical, 1e-9) << df;
    EXPECT_NEAR(t_quantile(0.025, df), -critical, 1e-9) << df;
  }
  // Very many degrees of freedom approach the normal distribution.
  EXPECT_NEAR(t_quantile(0.975, 1e7), 1.959963984540054, 1e-6);
}

TEST(StatisticsTest, TDistributionAgreesWithIndependentIntegrationForFractionalDegreesOfFreedom) {
  for (const auto& [p, df] : std::vector<std::pair<double, double>>{
           {0.975, 3.7}, {0.995, 11.25}, {0.9, 1.5}, {0.05, 27.9}}) {
    std::ostringstream args;
    args.precision(17);
    args << "tq " << p << " " << df;
    EXPECT_NEAR(t_quantile(p, df), reference_value(args.str()), 1e-8) << args.str();
  }
  for (const auto& [t, df] : std::vector<std::pair<double, double>>{
           {2.1, 3.7}, {-0.4, 8.0}, {5.0, 2.2}, {1.0, 60.5}}) {
    std::ostringstream args;
    args.precision(17);
    args << "tcdf " << t << " " << df;
    EXPECT_NEAR(t_cdf(t, df), reference_value(args.str()), 1e-10) << args.str();
  }
}

TEST(StatisticsTest, TCdfAndQuantileAreInverses) {
  for (double df : {1.0, 2.5, 9.0, 40.0, 1000.0}) {
    for (double p : {1e-8, 0.001, 0.2, 0.5, 0.77, 0.999}) {
      EXPECT_NEAR(t_cdf(t_quantile(p, df), df), p, 1e-12 + 1e-9 * p) << df << " " << p;
    }
  }
}

TEST(StatisticsTest, NormalQuantileMatchesPythonStatisticsModule) {
  EXPECT_NEAR(normal_quantile(0.975), 1.959963984540054, 1e-12);
  for (double p : {0.001, 0.05, 0.31, 0.9, 0.995}) {
    EXPECT_NEAR(normal_quantile(p), reference_value("zq " + std::to_string(p)), 1e-9) << p;
    EXPECT_NEAR(normal_cdf(normal_quantile(p)), p, 1e-13) << p;
  }
}

TEST(StatisticsTest, DistributionsReturnNanOutsideTheirDomain) {
  EXPECT_TRUE(std::isnan(t_quantile(0.0, 5)));
  EXPECT_TRUE(std::isnan(t_quantile(1.0, 5)));
  EXPECT_TRUE(std::isnan(t_quantile(0.5, 0)));
  EXPECT_TRUE(std::isnan(t_cdf(1.0, -1)));
  EXPECT_TRUE(std::isnan(normal_quantile(1.5)));
  EXPECT_TRUE(std::isnan(regularized_incomplete_beta(1, 1, 1.5)));
  // I_x(1, 1) = x and I_x(a, 1) = x^a.
  EXPECT_NEAR(regularized_incomplete_beta(1, 1, 0.3), 0.3, 1e-14);
  EXPECT_NEAR(regularized_incomplete_beta(3, 1, 0.6), 0.216, 1e-14);
}

TEST(StatisticsTest, PairedAnalysisMatchesHandWorkedExample) {
  // Before/after confidence scores (1-5) for four mentees.
  // Differences: 1, 2, 0, 1 -> mean 1, sample variance ((0+1+1+0)/3) = 2/3.
  const std::vector<double> before = {2, 3, 4, 3};
  const std::vector<double> after = {3, 5, 4, 4};
  auto r = analyse_paired(before, after);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->n, 4u);
  EXPECT_DOUBLE_EQ(r->mean_before, 3.0);
  EXPECT_DOUBLE_EQ(r->mean_after, 4.0);
  EXPECT_DOUBLE_EQ(r->mean_difference, 1.0);
  const double sd = std::sqrt(2.0 / 3.0);
  EXPECT_NEAR(r->sd_difference, sd, 1e-15);
  EXPECT_NEAR(r->standard_error, sd / 2.0, 1e-15);
  EXPECT_DOUBLE_EQ(r->degrees_of_freedom, 3.0);
  EXPECT_NEAR(r->t_statistic, 2.0 / sd, 1e-14);  // = sqrt(6)
  // t(0.975, 3) = 3.182446305284263 (printed tables).
  EXPECT_NEAR(r->ci_low, 1.0 - 3.182446305284263 * sd / 2.0, 1e-9);
  EXPECT_NEAR(r->ci_high, 1.0 + 3.182446305284263 * sd / 2.0, 1e-9);
  EXPECT_NEAR(r->cohens_dz, 1.0 / sd, 1e-14);
  // before 2,3,4,3 and after 3,5,4,4 both have variance 2/3, so d_av is
  // 1 / sqrt(2/3) as well.
  ASSERT_TRUE(r->cohens_dav.has_value());
  EXPECT_NEAR(*r->cohens_dav, 1.0 / sd, 1e-14);
  // Two-sided p for t = sqrt(6) with 3 df (p = 0.0917...: not significant at 5%).
  EXPECT_GT(r->p_value, 0.05);
  EXPECT_NEAR(r->p_value, 2 * (1 - t_cdf(std::sqrt(6.0), 3)), 1e-15);
}

TEST(StatisticsTest, PairedLikertChangeOfTenMenteesMatchesHandWorkedValues) {
  // Ten mentees: five move up one point, five stay. Differences d = 1 x5, 0 x5.
  // mean d = 0.5; sum (d - 0.5)^2 = 10 * 0.25 = 2.5; variance = 2.5 / 9;
  // SE = sqrt(2.5 / 9 / 10) = sqrt(1/36) = 1/6 exactly; t = 0.5 / (1/6) = 3;
  // dz = 0.5 / sqrt(2.5/9) = 1.5 / sqrt(2.5). t(0.975, 9) = 2.262157163 (tables).
  const std::vector<double> before = {3, 3, 3, 3, 3, 2, 2, 2, 2, 2};
  const std::vector<double> after = {4, 4, 4, 4, 4, 2, 2, 2, 2, 2};
  auto r = analyse_paired(before, after);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_DOUBLE_EQ(r->mean_before, 2.5);
  EXPECT_DOUBLE_EQ(r->mean_after, 3.0);
  EXPECT_DOUBLE_EQ(r->mean_difference, 0.5);
  EXPECT_NEAR(r->standard_error, 1.0 / 6.0, 1e-15);
  EXPECT_NEAR(r->t_statistic, 3.0, 1e-13);
  EXPECT_NEAR(r->cohens_dz, 1.5 / std::sqrt(2.5), 1e-14);
  EXPECT_NEAR(r->ci_low, 0.5 - 2.262157163 / 6.0, 1e-9);
  EXPECT_NEAR(r->ci_high, 0.5 + 2.262157163 / 6.0, 1e-9);
  // Two-sided p for t = 3 on 9 df is 0.01496 (tables: between 0.01 and 0.02).
  EXPECT_GT(r->p_value, 0.01);
  EXPECT_LT(r->p_value, 0.02);
}

TEST(StatisticsTest, PairedAnalysisMatchesIndependentReference) {
  const std::vector<double> before = {3, 4, 2, 5, 3, 4, 2, 3, 1, 2.5, 3.5, 4};
  const std::vector<double> after = {4, 5, 4, 5, 3, 5, 4, 4, 3, 2, 4.5, 4.5};
  for (double confidence : {0.95, 0.9, 0.99}) {
    auto r = analyse_paired(before, after, confidence);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    auto ref = reference("paired " + join(before) + " " + join(after) + " " +
                         std::to_string(confidence));
    EXPECT_EQ(r->n, static_cast<std::size_t>(ref["n"]));
    EXPECT_NEAR(r->mean_before, ref["mean_before"], 1e-12);
    EXPECT_NEAR(r->mean_after, ref["mean_after"], 1e-12);
    EXPECT_NEAR(r->mean_difference, ref["mean_difference"], 1e-12);
    EXPECT_NEAR(r->sd_difference, ref["sd_difference"], 1e-12);
    EXPECT_NEAR(r->standard_error, ref["standard_error"], 1e-12);
    EXPECT_NEAR(r->t_statistic, ref["t"], 1e-10);
    EXPECT_NEAR(r->p_value, ref["p"], 1e-9);
    EXPECT_NEAR(r->ci_low, ref["ci_low"], 1e-8);
    EXPECT_NEAR(r->ci_high, ref["ci_high"], 1e-8);
    EXPECT_NEAR(r->cohens_dz, ref["dz"], 1e-12);
    ASSERT_TRUE(r->cohens_dav.has_value());
    EXPECT_NEAR(*r->cohens_dav, ref["dav"], 1e-12);
    EXPECT_DOUBLE_EQ(r->confidence, confidence);
  }
}

TEST(StatisticsTest, PairedAnalysisRefusesTooFewPairsMismatchedAndConstantData) {
  const std::vector<double> one = {3};
  auto r = analyse_paired(one, one);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().reason(), "evaluation_too_few_pairs");

  const std::vector<double> empty;
  EXPECT_EQ(analyse_paired(empty, empty).status().reason(), "evaluation_too_few_pairs");

  const std::vector<double> three = {1, 2, 3};
  const std::vector<double> two = {1, 2};
  EXPECT_EQ(analyse_paired(three, two).status().reason(), "evaluation_paired_sizes_differ");

  const std::vector<double> shifted = {2, 3, 4};  // every difference is exactly 1
  auto constant = analyse_paired(three, shifted);
  EXPECT_EQ(constant.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(constant.status().reason(), "evaluation_no_variation");

  const std::vector<double> bad = {1, NAN, 3};
  auto nan = analyse_paired(three, bad);
  EXPECT_EQ(nan.status().reason(), "evaluation_score_not_finite");
  EXPECT_EQ(nan.status().field(), "after");

  EXPECT_EQ(analyse_paired(three, three, 1.0).status().reason(),
            "evaluation_confidence_out_of_range");
}

TEST(StatisticsTest, CohortComparisonMatchesIndependentReference) {
  // ARCP-style outcome scores: this cohort against the previous one, with
  // different sizes and spreads so Welch's df is fractional.
  const std::vector<double> current = {72, 75, 68, 80, 77, 74, 79, 71, 83, 76, 70};
  const std::vector<double> previous = {65, 70, 74, 60, 72, 68, 66, 75, 61, 69, 73, 58, 67, 71};
  auto r = compare_cohorts(current, previous);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  auto ref = reference("welch " + join(current) + " " + join(previous) + " 0.95");
  EXPECT_EQ(r->current.n, current.size());
  EXPECT_EQ(r->comparator.n, previous.size());
  EXPECT_NEAR(r->mean_difference, ref["mean_difference"], 1e-12);
  EXPECT_NEAR(r->standard_error, ref["standard_error"], 1e-12);
  EXPECT_NEAR(r->degrees_of_freedom, ref["df"], 1e-10);
  EXPECT_NE(r->degrees_of_freedom, std::floor(r->degrees_of_freedom));
  EXPECT_NEAR(r->t_statistic, ref["t"], 1e-10);
  EXPECT_NEAR(r->p_value, ref["p"], 1e-9);
  EXPECT_NEAR(r->ci_low, ref["ci_low"], 1e-8);
  EXPECT_NEAR(r->ci_high, ref["ci_high"], 1e-8);
  ASSERT_TRUE(r->hedges_g.has_value());
  EXPECT_NEAR(*r->hedges_g, ref["g"], 1e-12);
}

TEST(StatisticsTest, CohortComparisonHandWorkedWithEqualSizes) {
  // x = {1,2,3}: mean 2, var 1. y = {2,4,6}: mean 4, var 4. n = 3 each.
  // SE = sqrt(1/3 + 4/3) = sqrt(5/3); df = (5/3)^2 / ((1/9 + 16/9) / 2) = 50/17.
  // Pooled SD = sqrt((2*1 + 2*4) / 4) = sqrt(2.5); J = 1 - 3/15 = 0.8.
  const std::vector<double> x = {1, 2, 3};
  const std::vector<double> y = {2, 4, 6};
  auto r = compare_cohorts(x, y);
  ASSERT_TRUE(r.is_ok());
  EXPECT_DOUBLE_EQ(r->mean_difference, -2.0);
  EXPECT_NEAR(r->standard_error, std::sqrt(5.0 / 3.0), 1e-15);
  EXPECT_NEAR(r->degrees_of_freedom, 50.0 / 17.0, 1e-13);
  EXPECT_NEAR(*r->hedges_g, 0.8 * -2.0 / std::sqrt(2.5), 1e-14);
  EXPECT_NEAR(r->ci_high - r->ci_low, 2 * t_quantile(0.975, 50.0 / 17.0) * std::sqrt(5.0 / 3.0),
              1e-12);
}

TEST(StatisticsTest, CohortComparisonRefusesSmallOrConstantCohorts) {
  const std::vector<double> one = {4};
  const std::vector<double> three = {3, 4, 5};
  auto small = compare_cohorts(one, three);
  EXPECT_EQ(small.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(small.status().reason(), "evaluation_too_few_scores");
  const std::vector<double> a = {4, 4, 4};
  const std::vector<double> b = {5, 5};
  EXPECT_EQ(compare_cohorts(a, b).status().reason(), "evaluation_no_variation");
  // One constant cohort is fine: Welch's SE comes from the other.
  EXPECT_TRUE(compare_cohorts(a, three).is_ok());
  const std::vector<double> inf = {1, INFINITY};
  EXPECT_EQ(compare_cohorts(three, inf).status().field(), "comparator");
}

TEST(StatisticsTest, WilsonIntervalHasHandDerivedEndsAtZeroAndAll) {
  // At 0 successes the upper end is z^2 / (n + z^2); at n it is n / (n + z^2).
  const double z2 = 1.959963984540054 * 1.959963984540054;
  auto none = wilson_interval(0, 10);
  ASSERT_TRUE(none.is_ok());
  EXPECT_EQ(none->ci_low, 0.0);
  EXPECT_NEAR(none->ci_high, z2 / (10 + z2), 1e-12);
  auto all = wilson_interval(10, 10);
  ASSERT_TRUE(all.is_ok());
  EXPECT_NEAR(all->ci_low, 10 / (10 + z2), 1e-12);
  EXPECT_EQ(all->ci_high, 1.0);
  EXPECT_DOUBLE_EQ(all->estimate, 1.0);
}

TEST(StatisticsTest, WilsonIntervalMatchesIndependentQuadraticRoots) {
  for (auto [s, n] : std::vector<std::pair<int, int>>{{3, 40}, {57, 80}, {1, 2}, {412, 530}}) {
    for (double confidence : {0.95, 0.9}) {
      auto r = wilson_interval(s, n, confidence);
      ASSERT_TRUE(r.is_ok());
      auto ref = reference("wilson " + std::to_string(s) + " " + std::to_string(n) + " " +
                           std::to_string(confidence));
      EXPECT_NEAR(r->estimate, ref["estimate"], 1e-15);
      EXPECT_NEAR(r->ci_low, ref["ci_low"], 1e-10) << s << "/" << n;
      EXPECT_NEAR(r->ci_high, ref["ci_high"], 1e-10) << s << "/" << n;
      EXPECT_LT(r->ci_low, r->estimate);
      EXPECT_GT(r->ci_high, r->estimate);
    }
  }
}

TEST(StatisticsTest, WilsonIntervalRejectsImpossibleCounts) {
  EXPECT_EQ(wilson_interval(0, 0).status().reason(), "evaluation_no_trials");
  EXPECT_EQ(wilson_interval(0, 0).status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(wilson_interval(5, 4).status().reason(), "evaluation_successes_exceed_trials");
  EXPECT_EQ(wilson_interval(-1, 4).status().reason(), "evaluation_negative_count");
  EXPECT_EQ(wilson_interval(1, 4, 0.0).status().reason(), "evaluation_confidence_out_of_range");
}

TEST(StatisticsTest, DescribeGivesMeansEvenWhenTestsAreRefused) {
  const std::vector<double> one = {4.5};
  auto d = describe(one);
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->n, 1u);
  EXPECT_DOUBLE_EQ(d->mean, 4.5);
  EXPECT_DOUBLE_EQ(d->sd, 0.0);
  const std::vector<double> v = {2, 4, 4, 4, 5, 5, 7, 9};  // mean 5, sum of squares 32
  auto e = describe(v);
  ASSERT_TRUE(e.is_ok());
  EXPECT_DOUBLE_EQ(e->mean, 5.0);
  EXPECT_NEAR(e->sd, std::sqrt(32.0 / 7.0), 1e-15);
  EXPECT_EQ(e->min, 2);
  EXPECT_EQ(e->max, 9);
  EXPECT_EQ(describe(std::vector<double>{}).status().reason(), "evaluation_no_scores");
}

}  // namespace
}  // namespace mentoring::core::evaluation
