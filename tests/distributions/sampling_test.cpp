// Samples against their distributions: 20,000 draws at a fixed seed pass KS
// (continuous) or chi-square (discrete) at the 0.001 level; shapes; seeds.
#include <cmath>
#include <functional>

#include "stats.h"

namespace {

using namespace dist_test;
using kiln::Tensor;
namespace D = kiln::distributions;
constexpr int64_t kDraws = 20000;

Tensor f64(double v) { return kiln::scalar_tensor(v, kiln::dtype(kiln::kFloat64)); }

void expect_ks_against_own_cdf(const D::Distribution& d, const std::string& what, uint64_t seed = 7) {
  kiln::Generator gen(seed);
  Tensor x = d.sample({kDraws}, gen);
  ASSERT_EQ(x.sizes().vec(), std::vector<int64_t>{kDraws}) << what;
  expect_ks(x, [&](const Tensor& v) { return d.cdf(v); }, what);
}

TEST(Sampling, ContinuousFamiliesPassKS) {
  expect_ks_against_own_cdf(D::Normal(f64(0.5), f64(2.0)), "Normal");
  expect_ks_against_own_cdf(D::LogNormal(f64(0.2), f64(0.7)), "LogNormal");
  expect_ks_against_own_cdf(D::Uniform(f64(-1.0), f64(3.0)), "Uniform");
  expect_ks_against_own_cdf(D::Exponential(f64(1.7)), "Exponential");
  expect_ks_against_own_cdf(D::Laplace(f64(1.0), f64(0.5)), "Laplace");
  expect_ks_against_own_cdf(D::Cauchy(f64(-1.0), f64(2.0)), "Cauchy");
  expect_ks_against_own_cdf(D::HalfNormal(f64(1.5)), "HalfNormal");
  expect_ks_against_own_cdf(D::Gumbel(f64(0.3), f64(1.2)), "Gumbel");
  expect_ks_against_own_cdf(D::TransformedDistribution(D::Normal(f64(0.0), f64(1.0)), {D::SigmoidTransform()}),
                            "Transformed(Sigmoid)");
  expect_ks_against_own_cdf(
      D::TransformedDistribution(D::Normal(f64(0.0), f64(1.0)), {D::AffineTransform(1.0, -2.0)}), "Transformed(-2x+1)");
  expect_ks_against_own_cdf(
      D::MixtureSameFamily(D::Categorical(kiln::tensor({0.3, 0.7}, kiln::dtype(kiln::kFloat64))),
                           D::Normal(kiln::tensor({-2.0, 1.0}, kiln::dtype(kiln::kFloat64)), f64(0.5))),
      "MixtureSameFamily");
}

TEST(Sampling, Float32SamplesPassKS) {
  D::Normal n(kiln::scalar_tensor(1.0), kiln::scalar_tensor(3.0));
  kiln::Generator gen(11);
  Tensor x = n.sample({kDraws}, gen);
  EXPECT_EQ(x.dtype(), kiln::kFloat32);
  expect_ks(x, [&](const Tensor& v) { return n.cdf(v.to(kiln::kFloat32)); }, "Normal float32");
}

std::vector<double> pmf_of(const D::Distribution& d, int64_t max_k) {
  std::vector<double> p;
  for (int64_t k = 0; k <= max_k; ++k) p.push_back(d.log_prob(f64(static_cast<double>(k))).exp().item<double>());
  return p;
}

TEST(Sampling, DiscreteFamiliesPassChiSquare) {
  kiln::Generator gen(3);
  D::Bernoulli b(f64(0.3));
  expect_chi2(b.sample({kDraws}, gen), pmf_of(b, 1), "Bernoulli");
  D::Geometric g(f64(0.25));
  expect_chi2(g.sample({kDraws}, gen), pmf_of(g, 30), "Geometric");
  Tensor w = kiln::tensor({0.1, 0.2, 0.3, 0.4}, kiln::dtype(kiln::kFloat64));
  D::Categorical c(w);
  Tensor draws = c.sample({kDraws}, gen);
  EXPECT_EQ(draws.dtype(), kiln::kInt64);
  expect_chi2(draws, {0.1, 0.2, 0.3, 0.4}, "Categorical");
  // A Multinomial's class counts are Binomial(n, p_k).
  D::Multinomial m(10, w);
  Tensor counts = m.sample({kDraws}, gen);
  ASSERT_EQ(counts.sizes().vec(), (std::vector<int64_t>{kDraws, 4}));
  EXPECT_TRUE(counts.sum({-1}).eq(10).all().item<bool>());
  for (int64_t k = 0; k < 4; ++k) {
    D::Binomial marginal(10.0, w[k]);
    expect_chi2(counts.select(1, k), pmf_of(marginal, 10), "Multinomial class " + std::to_string(k));
  }
  D::OneHotCategorical oh(w);
  Tensor hot = oh.sample({kDraws}, gen);
  EXPECT_TRUE(hot.sum({-1}).eq(1).all().item<bool>());
  expect_chi2(hot.argmax(-1), {0.1, 0.2, 0.3, 0.4}, "OneHotCategorical");
}

TEST(Sampling, ShapesAreSampleBatchEvent) {
  Tensor loc = kiln::zeros({2, 3}, kiln::dtype(kiln::kFloat64));
  D::Normal n(loc, 1.0);
  EXPECT_EQ(n.sample().sizes().vec(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(n.sample({4, 5}).sizes().vec(), (std::vector<int64_t>{4, 5, 2, 3}));
  D::MultivariateNormal mvn(kiln::zeros({2, 3}, kiln::dtype(kiln::kFloat64)), kiln::eye(3, kiln::dtype(kiln::kFloat64)));
  EXPECT_EQ(mvn.batch_shape(), std::vector<int64_t>{2});
  EXPECT_EQ(mvn.event_shape(), std::vector<int64_t>{3});
  EXPECT_EQ(mvn.rsample({7}).sizes().vec(), (std::vector<int64_t>{7, 2, 3}));
  D::Categorical c(kiln::ones({5, 4}));
  EXPECT_EQ(c.sample({3}).sizes().vec(), (std::vector<int64_t>{3, 5}));
  EXPECT_EQ(n.expand({4, 2, 3}).sample().sizes().vec(), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_EQ(c.sample({0}).numel(), 0);
}

TEST(Sampling, AGeneratorMakesDrawsReproducibleAndLeavesTheDefaultAlone) {
  D::Normal n(f64(0.0), f64(1.0));
  kiln::manual_seed(5);
  Tensor from_default = kiln::randn({3}, kiln::dtype(kiln::kFloat64));
  kiln::manual_seed(5);
  kiln::Generator a(42), b(42);
  Tensor x = n.sample({100}, a);
  Tensor y = n.sample({100}, b);
  EXPECT_TRUE(kiln::equal(x, y));
  EXPECT_FALSE(kiln::equal(x, n.sample({100}, a)));  // the generator moved on
  EXPECT_TRUE(kiln::equal(from_default, kiln::randn({3}, kiln::dtype(kiln::kFloat64))));
}

TEST(Sampling, SameSeedSameDrawsOnOneOrTwoThreads) {
  D::MultivariateNormal mvn(kiln::zeros({4}, kiln::dtype(kiln::kFloat64)), kiln::eye(4, kiln::dtype(kiln::kFloat64)) * 2.0);
  int before = kiln::get_num_threads();
  kiln::set_num_threads(1);
  kiln::Generator g1(9);
  Tensor one = mvn.sample({50000}, g1);
  kiln::set_num_threads(2);
  kiln::Generator g2(9);
  Tensor two = mvn.sample({50000}, g2);
  kiln::set_num_threads(before);
  EXPECT_TRUE(kiln::equal(one, two));
}

TEST(Sampling, MultivariateNormalCovarianceWithinItsStandardError) {
  Tensor A = kiln::tensor({{2.0, 0.6, -0.4}, {0.6, 1.0, 0.3}, {-0.4, 0.3, 1.5}}, kiln::dtype(kiln::kFloat64));
  Tensor mu = kiln::tensor({1.0, -2.0, 0.5}, kiln::dtype(kiln::kFloat64));
  D::MultivariateNormal mvn(mu, A);
  kiln::Generator gen(21);
  Tensor x = mvn.sample({kDraws}, gen);
  Tensor centred = x - x.mean({0});
  Tensor cov = centred.t().matmul(centred) / static_cast<double>(kDraws - 1);
  // Var of a sample covariance entry: (S_ij² + S_ii S_jj) / n.
  Tensor se = ((A.square() + A.diagonal().unsqueeze(1) * A.diagonal().unsqueeze(0)) / double(kDraws)).sqrt();
  EXPECT_TRUE((cov - A).abs().le(4 * se).all().item<bool>()) << cov;
  EXPECT_TRUE((x.mean({0}) - mu).abs().le(4 * (A.diagonal() / double(kDraws)).sqrt()).all().item<bool>());
}

}  // namespace
