// Bad parameters and values outside the support raise kiln::Error naming the
// distribution, the argument and the value; validation can be switched off.
#include <cmath>
#include <limits>

#include "common/expect_error.h"
#include "golden.h"

namespace {

using kiln::Tensor;
using kiln_test::expect_error;
namespace D = kiln::distributions;

Tensor t64(std::vector<double> v) { return kiln::tensor(v, kiln::dtype(kiln::kFloat64)); }

// Restores the default validation flag however a test ends.
struct ValidationFlag {
  bool saved = D::Distribution::default_validate_args();
  ~ValidationFlag() { D::Distribution::set_default_validate_args(saved); }
};

TEST(Validation, ParametersOutsideTheirConstraintsRaise) {
  expect_error([] { D::Normal(0.0, -1.0); }, {"Normal", "scale", "-1", "GreaterThan(lower_bound=0.0)"});
  expect_error([] { D::Normal(t64({0, 1}), t64({1, 0})); }, {"Normal", "scale", "[2]", "0.0"});
  expect_error([] { D::Normal(std::nan(""), 1.0); }, {"Normal", "loc", "nan"});
  expect_error([] { D::LogNormal(0.0, -2.0); }, {"scale", "-2"});
  expect_error([] { D::Exponential(0.0); }, {"Exponential", "rate", "0.0"});
  expect_error([] { D::Laplace(0.0, -1.0); }, {"Laplace", "scale"});
  expect_error([] { D::Cauchy(0.0, 0.0); }, {"Cauchy", "scale"});
  expect_error([] { D::Gumbel(0.0, -3.0); }, {"Gumbel", "scale", "-3"});
  expect_error([] { D::HalfNormal(-1.0); }, {"scale", "-1"});
  expect_error([] { D::Uniform(2.0, 1.0); }, {"Uniform", "low >= high"});
  expect_error([] { D::Bernoulli(1.5); }, {"Bernoulli", "probs", "1.5", "Interval(lower_bound=0.0, upper_bound=1.0)"});
  expect_error([] { D::Bernoulli(t64({0.5, -0.1})); }, {"Bernoulli", "probs", "-0.1"});
  expect_error([] { D::Binomial(10.0, 1.2); }, {"Binomial", "probs", "1.2"});
  expect_error([] { D::Binomial(-1.0, 0.5); }, {"Binomial", "total_count", "-1"});
  expect_error([] { D::Binomial(2.5, 0.5); }, {"Binomial", "total_count", "2.5"});
  expect_error([] { D::Geometric(0.0); }, {"Geometric", "probs", "0.0"});
  expect_error([] { D::Poisson(-0.5); }, {"Poisson", "rate", "-0.5"});
  expect_error([] { D::Categorical(t64({0.5, -0.5, 1.0})); }, {"Categorical", "probs", "Simplex()"});
  expect_error([] { D::Categorical(t64({0.0, 0.0})); }, {"Categorical", "probs"});
  expect_error([] { D::Multinomial(10, t64({1.0, -1.0, 1.0})); }, {"Multinomial", "probs"});
  expect_error([] { D::Multinomial(10, t64({0.0, 0.0, 0.0})); }, {"Multinomial", "probs"});
  expect_error([] { D::Multinomial(-1, t64({1.0, 1.0})); }, {"Multinomial", "total_count", "-1"});
  expect_error([] { D::OneHotCategorical(t64({-1.0, 2.0})); }, {"OneHotCategorical", "probs"});
  expect_error([] { D::Gamma(-1.0, 1.0); }, {"Gamma", "concentration", "-1"});
  expect_error([] { D::Gamma(1.0, 0.0); }, {"Gamma", "rate", "0.0"});
  expect_error([] { D::Chi2(-2.0); }, {"Chi2", "df", "-2"});
  expect_error([] { D::Beta(0.0, 1.0); }, {"Beta", "concentration1", "0.0"});
  expect_error([] { D::Beta(1.0, -1.0); }, {"Beta", "concentration0", "-1"});
  expect_error([] { D::Dirichlet(t64({1.0, -1.0})); }, {"Dirichlet", "concentration"});
  expect_error([] { D::StudentT(-1.0); }, {"StudentT", "df", "-1"});
  expect_error([] { D::StudentT(1.0, 0.0, -1.0); }, {"StudentT", "scale", "-1"});
}

TEST(Validation, CovariancesThatAreNotPositiveDefiniteRaise) {
  Tensor loc = kiln::zeros({2}, kiln::dtype(kiln::kFloat64));
  expect_error([&] { D::MultivariateNormal(loc, t64({1, 2, 2, 1}).reshape({2, 2})); },
               {"MultivariateNormal", "covariance_matrix", "PositiveDefinite()"});
  expect_error([&] { D::MultivariateNormal(loc, t64({1, 0.5, 0, 1}).reshape({2, 2})); },
               {"MultivariateNormal", "covariance_matrix", "PositiveDefinite()"});  // not symmetric
  expect_error([&] { D::MultivariateNormal::from_precision(loc, t64({-1, 0, 0, 1}).reshape({2, 2})); },
               {"MultivariateNormal", "precision_matrix"});
  expect_error([&] { D::MultivariateNormal::from_scale_tril(loc, t64({1, 1, 0, 1}).reshape({2, 2})); },
               {"MultivariateNormal", "scale_tril", "LowerCholesky()"});
  expect_error([&] { D::MultivariateNormal::from_scale_tril(loc, t64({1, 0, 0, -1}).reshape({2, 2})); },
               {"MultivariateNormal", "scale_tril"});
  expect_error([&] { D::MultivariateNormal(kiln::scalar_tensor(0.0), kiln::eye(1)); },
               {"MultivariateNormal", "loc must be at least one-dimensional"});
  expect_error([&] { D::MultivariateNormal(loc, t64({1, 1})); }, {"MultivariateNormal", "two-dimensional"});
  expect_error([&] { D::MultivariateNormal(loc, kiln::eye(3, kiln::dtype(kiln::kFloat64))); },
               {"MultivariateNormal", "[3, 3]", "2 x 2"});
  expect_error([&] { D::LowRankMultivariateNormal(loc, kiln::ones({2, 1}, kiln::dtype(kiln::kFloat64)), t64({1, -1})); },
               {"LowRankMultivariateNormal", "cov_diag"});
  expect_error([&] { D::LowRankMultivariateNormal(loc, kiln::ones({3, 1}, kiln::dtype(kiln::kFloat64)), t64({1, 1})); },
               {"LowRankMultivariateNormal", "cov_factor"});
}

TEST(Validation, ValuesOutsideTheSupportRaiseInLogProb) {
  expect_error([] { D::Exponential(1.0).log_prob(t64({1.0, -1.0})); },
               {"Exponential", "value", "GreaterThanEq(lower_bound=0.0)", "-1"});
  expect_error([] { D::Bernoulli(0.5).log_prob(t64({0.5})); }, {"Bernoulli", "Boolean()", "0.5"});
  expect_error([] { D::Poisson(2.0).log_prob(t64({1.5})); }, {"Poisson", "IntegerGreaterThan", "1.5"});
  expect_error([] { D::Categorical(t64({0.5, 0.5})).log_prob(t64({2})); }, {"Categorical", "IntegerInterval", "2"});
  expect_error([] { D::Beta(1.0, 1.0).log_prob(t64({1.5})); }, {"Beta", "Interval", "1.5"});
  expect_error([] { D::Uniform(0.0, 1.0).log_prob(t64({2.0})); }, {"Uniform", "support", "2"});
  expect_error([] { D::Dirichlet(t64({1, 1})).log_prob(t64({0.5, 0.6})); }, {"Dirichlet", "Simplex()"});
  expect_error([] { D::Multinomial(3, t64({0.5, 0.5})).log_prob(t64({2.0, 2.0})); }, {"Multinomial", "upper_bound=3"});
  expect_error([] { D::Binomial(3.0, 0.5).log_prob(t64({4.0})); }, {"Binomial", "IntegerInterval", "4"});
  expect_error([] { D::HalfNormal(1.0).log_prob(t64({-0.5})); }, {"HalfNormal", "-0.5"});
  expect_error([] { D::LogNormal(0.0, 1.0).log_prob(t64({-0.5})); }, {"LogNormal", "-0.5"});
}

TEST(Validation, ValueShapesMustFitTheEventAndBatch) {
  D::Normal n(t64({0, 0, 0}), 1.0);
  expect_error([&] { n.log_prob(t64({1, 2})); }, {"Normal", "not broadcastable", "[2]", "[3]"});
  D::MultivariateNormal mvn(kiln::zeros({3}, kiln::dtype(kiln::kFloat64)), kiln::eye(3, kiln::dtype(kiln::kFloat64)));
  expect_error([&] { mvn.log_prob(t64({1, 2})); }, {"MultivariateNormal", "right-most size of value must match event_shape"});
}

TEST(Validation, MethodsTorchLacksRaiseAndUndefinedMomentsAreNan) {
  expect_error([] { D::Gamma(1.0, 1.0).cdf(t64({1.0})); }, {"Gamma", "cdf is not implemented"});
  expect_error([] { D::StudentT(3.0).icdf(t64({0.5})); }, {"StudentT", "icdf"});
  expect_error([] { D::Multinomial(3, t64({0.5, 0.5})).mode(); }, {"Multinomial", "mode"});
  expect_error([] { D::Bernoulli(0.5).rsample(); }, {"Bernoulli", "rsample"});
  expect_error([] { D::Independent(D::Normal(t64({0, 0}), 1.0), 1).enumerate_support(); }, {"Independent"});
  expect_error([] { D::Independent(D::Normal(t64({0, 0}), 1.0), 2); }, {"Independent", "reinterpreted_batch_ndims"});
  EXPECT_TRUE(std::isnan(D::Cauchy(0.0, 1.0).mean().item<double>()));
  EXPECT_TRUE(std::isinf(D::Cauchy(0.0, 1.0).variance().item<double>()));
  EXPECT_TRUE(std::isnan(D::StudentT(0.5).mean().item<double>()));
  EXPECT_TRUE(std::isinf(D::StudentT(1.5).variance().item<double>()));
  EXPECT_TRUE(D::Categorical(t64({0.5, 0.5})).mean().isnan().all().item<bool>());
}

TEST(Validation, SwitchingItOffSkipsTheChecks) {
  ValidationFlag restore;
  D::Distribution::set_default_validate_args(false);
  D::Normal n(0.0, -1.0);  // accepted, as torch with validate_args=False
  EXPECT_FALSE(n.validate_args());
  EXPECT_TRUE(std::isnan(n.log_prob(t64({0.0})).item<double>()));
  D::Exponential e(1.0);
  EXPECT_TRUE(std::isinf(e.log_prob(t64({-1.0})).exp().item<double>()) ||
              e.log_prob(t64({-1.0})).item<double>() > 0);  // the formula, unchecked
  D::Distribution::set_default_validate_args(true);
  EXPECT_TRUE(D::Normal(0.0, 1.0).validate_args());
  expect_error([] { D::Normal(0.0, -1.0); }, {"Normal", "scale"});
}

TEST(Validation, KLOfAnUnregisteredPairNamesBothClasses) {
  expect_error([] { D::kl_divergence(D::StudentT(3.0), D::Normal(0.0, 1.0)); },
               {"kl_divergence", "StudentT", "Normal"});
  expect_error([] { D::kl_divergence(D::Bernoulli(0.5), D::Geometric(0.5)); }, {"Bernoulli", "Geometric"});
}

}  // namespace
