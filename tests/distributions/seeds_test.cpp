// SEEDS.md section 5: the dice experiment with Multinomial, Bayes' theorem
// and marginalisation on a joint table, expectation and variance.
#include <cmath>

#include "stats.h"

namespace {

using kiln::Tensor;
namespace D = kiln::distributions;

TEST(Seeds, DiceEstimatesConvergeToOneSixth) {
  kiln::manual_seed(0);
  Tensor fair_probs = kiln::ones({6}) / 6;
  Tensor counts = D::Multinomial(10, fair_probs).sample({500});
  ASSERT_EQ(counts.sizes().vec(), (std::vector<int64_t>{500, 6}));
  EXPECT_EQ(counts.dtype(), kiln::kFloat32);
  EXPECT_TRUE(counts.sum({1}).eq(10).all().item<bool>());
  Tensor cum_counts = counts.cumsum(0);
  Tensor estimates = cum_counts / cum_counts.sum({1}, true);
  EXPECT_TRUE((estimates[-1] - 1.0 / 6).abs().lt(0.02).all().item<bool>()) << estimates[-1];
  // The law of large numbers: the last estimates are closer to 1/6 than the first.
  double early = (estimates[9] - 1.0 / 6).abs().max().item<double>();
  double late = (estimates[-1] - 1.0 / 6).abs().max().item<double>();
  EXPECT_LT(late, early);
}

TEST(Seeds, OneHundredThousandRollsPassChiSquare) {
  kiln::manual_seed(1);
  Tensor fair_probs = kiln::ones({6}, kiln::kFloat64) / 6;
  Tensor rolls = D::Multinomial(100000, fair_probs).sample();
  EXPECT_EQ(rolls.sum().item<double>(), 100000);
  double chi2 = ((rolls - 100000.0 / 6).square() / (100000.0 / 6)).sum().item<double>();
  EXPECT_LT(chi2, dist_test::chi2_critical(5)) << rolls;
  // 1000 rolls at once: relative frequencies near 1/6.
  Tensor freq = D::Multinomial(1000, fair_probs).sample() / 1000;
  EXPECT_TRUE((freq - 1.0 / 6).abs().lt(0.05).all().item<bool>()) << freq;
}

TEST(Seeds, BayesTheoremAndMarginalisationOnAJointTable) {
  // P(A, B) for A in {0, 1} (rows), B in {0, 1, 2} (columns).
  Tensor joint = kiln::tensor({{0.10, 0.20, 0.15}, {0.25, 0.05, 0.25}}, kiln::kFloat64);
  Tensor p_a = joint.sum({1}), p_b = joint.sum({0});
  EXPECT_NEAR(p_a.sum().item<double>(), 1.0, 1e-12);
  Tensor p_b_given_a = joint / p_a.unsqueeze(1), p_a_given_b = joint / p_b.unsqueeze(0);
  // Bayes: P(A | B) = P(B | A) P(A) / P(B).
  Tensor bayes = p_b_given_a * p_a.unsqueeze(1) / p_b.unsqueeze(0);
  EXPECT_TRUE(kiln::allclose(bayes, p_a_given_b, 1e-12, 1e-12));
  // The same through the distributions: sample the joint as one Categorical
  // and compare the empirical marginal and conditional with the table.
  D::Categorical cells(joint.reshape({-1}));
  kiln::Generator gen(4);
  Tensor draws = cells.sample({200000}, gen);
  Tensor a = draws.div(3).floor(), b = draws - 3 * a;
  double n = 200000;
  for (int64_t j = 0; j < 3; ++j) {
    double pb = b.eq(j).sum().item<double>() / n;
    EXPECT_NEAR(pb, p_b[j].item<double>(), 4 * std::sqrt(p_b[j].item<double>() / n));
    double pa1_b = (a.eq(1).logical_and(b.eq(j))).sum().item<double>() / b.eq(j).sum().item<double>();
    EXPECT_NEAR(pa1_b, p_a_given_b[1][j].item<double>(), 0.01);
  }
  // Marginalising a Categorical over B with log-probabilities: logsumexp of the row.
  Tensor lp = cells.log_prob(kiln::arange(6)).reshape({2, 3});
  EXPECT_TRUE(kiln::allclose(lp.logsumexp({1}).exp(), p_a, 1e-12, 1e-12));
  // Independence fails here: P(A, B) != P(A) P(B).
  EXPECT_FALSE(kiln::allclose(joint, p_a.unsqueeze(1) * p_b.unsqueeze(0), 1e-3, 1e-3));
}

TEST(Seeds, SampleMeansAndVariancesMatchMeanAndVariance) {
  kiln::Generator gen(8);
  constexpr int64_t n = 200000;
  auto check = [&](const D::Distribution& d, const std::string& what) {
    Tensor x = d.sample({n}, gen).to(kiln::kFloat64);
    double mean = d.mean().item<double>(), var = d.variance().item<double>();
    double m = x.mean().item<double>(), v = x.var().item<double>();
    EXPECT_NEAR(m, mean, 5 * std::sqrt(var / n)) << what << " E[X]";
    EXPECT_NEAR(v, var, 0.03 * var) << what << " Var[X]";
    EXPECT_NEAR(d.stddev().item<double>(), std::sqrt(var), 1e-6 * std::sqrt(var)) << what;
  };
  check(D::Normal(1.0, 2.0), "Normal");
  check(D::Exponential(0.5), "Exponential");
  check(D::Uniform(-2.0, 4.0), "Uniform");
  check(D::Laplace(1.0, 0.5), "Laplace");
  check(D::LogNormal(0.0, 0.5), "LogNormal");
  check(D::Gumbel(1.0, 2.0), "Gumbel");
  check(D::HalfNormal(1.5), "HalfNormal");
  check(D::Bernoulli(0.3), "Bernoulli");
  check(D::Geometric(0.4), "Geometric");
  // A fair die as a Categorical over {0..5}: E = 2.5, Var = 35/12.
  Tensor die = D::Categorical(kiln::ones({6}, kiln::kFloat64)).sample({n}, gen).to(kiln::kFloat64);
  EXPECT_NEAR(die.mean().item<double>(), 2.5, 0.02);
  EXPECT_NEAR(die.var().item<double>(), 35.0 / 12, 0.05);
}

}  // namespace
