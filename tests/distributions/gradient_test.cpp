// Derivatives: float64 gradcheck of log_prob in every parameter (and the
// value, for continuous families), KL in the parameters, and pathwise
// rsample gradients against analytic values by Monte Carlo.
#include <cmath>
#include <functional>

#include "common/expect_error.h"
#include "golden.h"

namespace {

using kiln::Tensor;
using kiln::variable_list;
namespace D = kiln::distributions;

Tensor leaf(std::vector<double> v) { return kiln::tensor(v, kiln::dtype(kiln::kFloat64)).requires_grad_(true); }

// gradcheck of f(params...) (a log-density summed to a scalar) in every input.
void check(const std::string& what, const std::function<Tensor(const variable_list&)>& f, const variable_list& inputs) {
  try {
    EXPECT_TRUE(kiln::autograd::gradcheck([&](const variable_list& x) { return f(x).sum(); }, inputs)) << what;
  } catch (const kiln::Error& e) {
    ADD_FAILURE() << what << ": " << e.what();
  }
}

TEST(Gradients, LogProbOfContinuousFamiliesInParametersAndValue) {
  Tensor x = leaf({0.3, 1.2, 2.5});
  Tensor u = leaf({0.2, 0.5, 0.7});
  Tensor a = leaf({0.5, 1.0, 2.0}), b = leaf({1.5, 0.7, 2.2});
  check("Normal", [](auto& p) { return D::Normal(p[0], p[1]).log_prob(p[2]); }, {leaf({0.1, -1, 2}), a, x});
  check("LogNormal", [](auto& p) { return D::LogNormal(p[0], p[1]).log_prob(p[2]); }, {leaf({0.1, -1, 2}), a, x});
  check("Laplace", [](auto& p) { return D::Laplace(p[0], p[1]).log_prob(p[2]); }, {leaf({0.1, -1, 2}), a, x});
  check("Cauchy", [](auto& p) { return D::Cauchy(p[0], p[1]).log_prob(p[2]); }, {leaf({0.1, -1, 2}), a, x});
  check("Gumbel", [](auto& p) { return D::Gumbel(p[0], p[1]).log_prob(p[2]); }, {leaf({0.1, -1, 2}), a, x});
  check("Exponential", [](auto& p) { return D::Exponential(p[0]).log_prob(p[1]); }, {a, x});
  check("HalfNormal", [](auto& p) { return D::HalfNormal(p[0]).log_prob(p[1]); }, {a, x});
  check("Uniform", [](auto& p) { return D::Uniform(p[0], p[1]).log_prob(kiln::full({3}, 0.25, kiln::kFloat64)); },
        {leaf({-1, 0, 0.1}), leaf({1, 2, 0.5})});
  check("StudentT", [](auto& p) { return D::StudentT(p[0], p[1], p[2]).log_prob(p[3]); },
        {b, leaf({0.1, -1, 2}), a, x});
  check("Gamma", [](auto& p) { return D::Gamma(p[0], p[1]).log_prob(p[2]); }, {b, a, x});
  check("Chi2", [](auto& p) { return D::Chi2(p[0]).log_prob(p[1]); }, {b, x});
  check("Beta", [](auto& p) { return D::Beta(p[0], p[1]).log_prob(p[2]); }, {a, b, u});
  check("Dirichlet", [](auto& p) { return D::Dirichlet(p[0]).log_prob(p[1] / p[1].sum()); }, {b, u});
  check("Transformed", [](auto& p) {
    return D::TransformedDistribution(D::Normal(p[0], p[1]), {D::TanhTransform(), D::AffineTransform(0.5, 2.0)})
        .log_prob(p[2]);
  }, {leaf({0.1, -1, 0.2}), a, leaf({0.3, 1.2, -0.5})});
  check("Mixture", [](auto& p) {
    return D::MixtureSameFamily(D::Categorical(p[0]), D::Normal(p[1], p[2])).log_prob(p[3]);
  }, {leaf({0.2, 0.3, 0.5}), leaf({-1, 0, 2}), a, leaf({0.3, -1.2})});
}

TEST(Gradients, LogProbOfDiscreteFamiliesInTheirParameters) {
  Tensor p = leaf({0.2, 0.5, 0.9});
  Tensor k = kiln::tensor({1.0, 0.0, 3.0}, kiln::dtype(kiln::kFloat64));
  check("Bernoulli", [](auto& q) { return D::Bernoulli(q[0]).log_prob(kiln::tensor({1.0, 0.0, 1.0}, kiln::kFloat64)); }, {p});
  check("Bernoulli logits", [](auto& q) {
    return D::Bernoulli::from_logits(q[0]).log_prob(kiln::tensor({1.0, 0.0, 1.0}, kiln::kFloat64));
  }, {leaf({-1, 0.5, 2})});
  check("Geometric", [&](auto& q) { return D::Geometric(q[0]).log_prob(k); }, {p});
  check("Binomial", [&](auto& q) { return D::Binomial(5.0, q[0]).log_prob(k); }, {p});
  check("Poisson", [&](auto& q) { return D::Poisson(q[0]).log_prob(k); }, {leaf({0.5, 2, 4})});
  check("Categorical", [](auto& q) { return D::Categorical(q[0]).log_prob(kiln::tensor(std::vector<int64_t>{0, 2, 1})); },
        {leaf({0.2, 0.3, 0.5})});
  check("Multinomial", [](auto& q) {
    return D::Multinomial(6, q[0]).log_prob(kiln::tensor({1.0, 2.0, 3.0}, kiln::kFloat64));
  }, {leaf({0.2, 0.3, 0.5})});
}

TEST(Gradients, MultivariateNormalLogProbInLocFactorAndValue) {
  check("MVN scale_tril", [](auto& p) {
    return D::MultivariateNormal::from_scale_tril(p[0], p[1].tril() + kiln::eye(3, kiln::kFloat64) * 2.0).log_prob(p[2]);
  }, {leaf({0.1, -1, 2}), leaf({0.3, 0, 0, 0.2, 0.1, 0, -0.4, 0.5, 0.2}).reshape({3, 3}).detach().requires_grad_(),
      leaf({0.5, 0.2, -0.3, 1, 1, 1}).reshape({2, 3}).detach().requires_grad_()});
  check("MVN covariance", [](auto& p) {
    Tensor A = p[0].matmul(p[0].mT()) + kiln::eye(3, kiln::kFloat64);
    return D::MultivariateNormal(kiln::zeros({3}, kiln::kFloat64), A).log_prob(kiln::ones({3}, kiln::kFloat64));
  }, {leaf({0.3, 0.1, 0, 0.2, 0.1, 0.5, -0.4, 0.5, 0.2}).reshape({3, 3}).detach().requires_grad_()});
  check("LowRankMVN", [](auto& p) {
    return D::LowRankMultivariateNormal(p[0], p[1], p[2]).log_prob(kiln::ones({3}, kiln::kFloat64));
  }, {leaf({0.1, -1, 2}), leaf({1, 0.5, -0.3, 0.2, 0.7, 1}).reshape({3, 2}).detach().requires_grad_(), leaf({0.5, 1, 2})});
}

TEST(Gradients, KLDivergenceInTheParameters) {
  check("KL Normal", [](auto& p) { return D::kl_divergence(D::Normal(p[0], p[1]), D::Normal(p[2], p[3])); },
        {leaf({0.1, -1}), leaf({0.5, 2}), leaf({1, 0}), leaf({1.5, 0.7})});
  check("KL Laplace-Normal", [](auto& p) { return D::kl_divergence(D::Laplace(p[0], p[1]), D::Normal(p[2], p[3])); },
        {leaf({0.1, -1}), leaf({0.5, 2}), leaf({1, 0}), leaf({1.5, 0.7})});
  check("KL MVN", [](auto& p) {
    Tensor I = kiln::eye(2, kiln::kFloat64);
    return D::kl_divergence(D::MultivariateNormal::from_scale_tril(p[0], p[1].tril() + I),
                            D::MultivariateNormal(p[2], p[3].matmul(p[3].mT()) + I));
  }, {leaf({0.1, -1}), leaf({0.5, 0, 0.2, 0.3}).reshape({2, 2}).detach().requires_grad_(), leaf({1, 0}),
      leaf({0.5, 0.1, 0.2, 0.3}).reshape({2, 2}).detach().requires_grad_()});
}

struct Estimate {
  double mean, se;
};

// d/dθ E[f(X_θ)] with per-draw gradients: θ is a [n] leaf so each draw has its own.
Estimate per_draw(const std::function<Tensor(const Tensor& theta)>& f_of, double theta0, int64_t n) {
  Tensor theta = kiln::full({n}, theta0, kiln::kFloat64).requires_grad_(true);
  Tensor g = kiln::autograd::grad({f_of(theta).sum()}, {theta})[0];
  double mean = g.mean().item<double>();
  double se = g.std().item<double>() / std::sqrt(static_cast<double>(n));
  return {mean, se};
}

void expect_within(const Estimate& e, double truth, const std::string& what) {
  EXPECT_NEAR(e.mean, truth, 4 * e.se + 1e-12) << what << " (se " << e.se << ")";
  EXPECT_GT(e.se, 0) << what;
}

TEST(Gradients, RsampleGivesPathwiseGradients) {
  constexpr int64_t n = 20000;
  kiln::Generator gen(17);
  // d/dμ E[X²] = 2μ for X ~ N(μ, σ).
  expect_within(per_draw([&](const Tensor& mu) { return D::Normal(mu, 1.5).rsample({}, gen).square(); }, 0.7, n), 1.4,
                "Normal d/dmu E[X^2]");
  // d/dσ E[X²] = 2σ.
  expect_within(per_draw([&](const Tensor& s) { return D::Normal(0.3, s).rsample({}, gen).square(); }, 1.2, n), 2.4,
                "Normal d/dsigma E[X^2]");
  // LogNormal: d/dμ E[X] = exp(μ + σ²/2).
  expect_within(per_draw([&](const Tensor& mu) { return D::LogNormal(mu, 0.5).rsample({}, gen); }, 0.2, n),
                std::exp(0.2 + 0.125), "LogNormal d/dmu E[X]");
  // Uniform(0, b): d/db E[X²] = 2b/3.
  expect_within(per_draw([&](const Tensor& hi) { return D::Uniform(0.0, hi).rsample({}, gen).square(); }, 2.0, n),
                4.0 / 3.0, "Uniform d/dhigh E[X^2]");
  // Exponential(λ): d/dλ E[X] = -1/λ².
  expect_within(per_draw([&](const Tensor& r) { return D::Exponential(r).rsample({}, gen); }, 2.0, n), -0.25,
                "Exponential d/drate E[X]");
  // Laplace: d/db E[|X - μ|] = 1.
  expect_within(per_draw([&](const Tensor& s) { return (D::Laplace(0.5, s).rsample({}, gen) - 0.5).abs(); }, 1.3, n),
                1.0, "Laplace d/dscale E|X-mu|");
  // Gumbel: d/dβ E[X] = γ.
  expect_within(per_draw([&](const Tensor& s) { return D::Gumbel(0.0, s).rsample({}, gen); }, 2.0, n),
                0.57721566490153286, "Gumbel d/dscale E[X]");
  // HalfNormal: d/dσ E[X] = sqrt(2/π).
  expect_within(per_draw([&](const Tensor& s) { return D::HalfNormal(s).rsample({}, gen); }, 1.0, n),
                std::sqrt(2 / M_PI), "HalfNormal d/dscale E[X]");
  // Cauchy: a location shift, d/dμ E[g(X)] = 1 for g(x) = x - μ... pathwise, d(x)/dμ = 1 exactly.
  Estimate c = per_draw([&](const Tensor& mu) { return D::Cauchy(mu, 1.0).rsample({}, gen); }, 0.0, n);
  EXPECT_NEAR(c.mean, 1.0, 1e-12);
  // MVN: d/dμ_i E[sum X] = 1, through a [n, 2] loc.
  Tensor mu = kiln::zeros({n, 2}, kiln::kFloat64).requires_grad_(true);
  Tensor L = kiln::tensor({{1.0, 0.0}, {0.5, 2.0}}, kiln::kFloat64);
  Tensor g = kiln::autograd::grad({D::MultivariateNormal::from_scale_tril(mu, L).rsample({}, gen).sum()}, {mu})[0];
  EXPECT_TRUE(g.eq(1).all().item<bool>());
  // MVN: d/dL E[|X|²] = 2L (E|X|² = tr(L Lᵀ) for zero mean).
  Tensor Lp = L.clone().requires_grad_(true);
  D::MultivariateNormal m = D::MultivariateNormal::from_scale_tril(kiln::zeros({2}, kiln::kFloat64), Lp);
  Tensor gl = kiln::autograd::grad({m.rsample({n}, gen).square().sum() / double(n)}, {Lp})[0];
  EXPECT_TRUE(((gl - 2 * L).abs() < 0.15).all().item<bool>()) << gl;
  // LowRank: d/dD E[|X|²] = 1 per coordinate.
  Tensor d = kiln::ones({2}, kiln::kFloat64).requires_grad_(true);
  D::LowRankMultivariateNormal lr(kiln::zeros({2}, kiln::kFloat64), kiln::ones({2, 1}, kiln::kFloat64), d);
  Tensor gd = kiln::autograd::grad({lr.rsample({n}, gen).square().sum() / double(n)}, {d})[0];
  EXPECT_TRUE(((gd - 1).abs() < 0.1).all().item<bool>()) << gd;
}

}  // namespace
