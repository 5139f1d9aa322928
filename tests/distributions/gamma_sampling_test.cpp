// The gamma family and the counts: samples against their densities, and the
// implicit-reparameterisation gradients against analytic values.
#include <cmath>
#include <functional>

#include "stats.h"

namespace {

using namespace dist_test;
using kiln::Tensor;
namespace D = kiln::distributions;
constexpr int64_t kDraws = 20000;

Tensor f64(double v) { return kiln::scalar_tensor(v, kiln::dtype(kiln::kFloat64)); }

// The cdf by the trapezoid rule over exp(log_prob) on a fine grid of [lo, hi]
// (torch has no cdf for these families; log_prob is checked against torch).
void expect_ks_by_density(const D::Distribution& d, double lo, double hi, const std::string& what) {
  kiln::Generator gen(13);
  Tensor x = d.sample({kDraws}, gen).to(kiln::kFloat64);
  const int64_t n = 200001;
  Tensor grid = kiln::linspace(lo, hi, n, kiln::kFloat64);
  Tensor pdf = d.log_prob(grid).exp();
  pdf = kiln::where(pdf.isfinite(), pdf, 0.0);
  Tensor cdf = kiln::cat({kiln::zeros({1}, kiln::kFloat64),
                          ((pdf.narrow(0, 1, n - 1) + pdf.narrow(0, 0, n - 1)) * 0.5 * ((hi - lo) / (n - 1))).cumsum(0)});
  expect_ks(x, [&](const Tensor& v) {
    Tensor idx = ((v - lo) / (hi - lo) * double(n - 1)).round().clamp(0, double(n - 1)).to(kiln::kInt64);
    return cdf.index_select(0, idx);
  }, what);
}

TEST(GammaSampling, FamiliesPassKS) {
  expect_ks_by_density(D::Gamma(f64(2.5), f64(1.5)), 0, 40, "Gamma");
  expect_ks_by_density(D::Gamma(f64(0.7), f64(1.0)), 0, 60, "Gamma(0.7)");
  expect_ks_by_density(D::Chi2(f64(3.0)), 0, 80, "Chi2");
  expect_ks_by_density(D::Beta(f64(2.0), f64(5.0)), 0, 1, "Beta");
  expect_ks_by_density(D::StudentT(f64(4.0), f64(1.0), f64(2.0)), -200, 200, "StudentT");
}

TEST(GammaSampling, DirichletMarginalsAreBeta) {
  kiln::Generator gen(5);
  D::Dirichlet d(kiln::tensor({2.0, 3.0, 5.0}, kiln::kFloat64));
  Tensor x = d.sample({kDraws}, gen);
  EXPECT_TRUE((x.sum({-1}) - 1).abs().lt(1e-12).all().item<bool>());
  D::Beta marginal(2.0, 8.0);
  Tensor sorted = x.select(1, 0);
  expect_ks_by_density(marginal, 0, 1, "Beta marginal");  // the marginal's own draws
  EXPECT_NEAR(sorted.mean().item<double>(), 0.2, 4 * std::sqrt(0.2 * 0.8 / 11 / kDraws));
}

std::vector<double> pmf_of(const D::Distribution& d, int64_t max_k) {
  std::vector<double> p;
  for (int64_t k = 0; k <= max_k; ++k) p.push_back(d.log_prob(f64(double(k))).exp().item<double>());
  return p;
}

TEST(GammaSampling, CountsPassChiSquare) {
  kiln::Generator gen(6);
  D::Poisson p(f64(3.5));
  expect_chi2(p.sample({kDraws}, gen), pmf_of(p, 25), "Poisson");
  D::Poisson big(f64(40.0));
  expect_chi2(big.sample({kDraws}, gen), pmf_of(big, 100), "Poisson(40)");
  D::Binomial b(f64(12.0), f64(0.3));
  expect_chi2(b.sample({kDraws}, gen), pmf_of(b, 12), "Binomial");
}

double per_draw_mean(const std::function<Tensor(const Tensor&)>& f_of, double theta0, int64_t n, double* se) {
  Tensor theta = kiln::full({n}, theta0, kiln::kFloat64).requires_grad_(true);
  Tensor g = kiln::autograd::grad({f_of(theta).sum()}, {theta})[0];
  *se = g.std().item<double>() / std::sqrt(double(n));
  return g.mean().item<double>();
}

TEST(GammaSampling, ImplicitReparameterisationGradients) {
  kiln::Generator gen(23);
  double se;
  // Gamma(α, β): d/dα E[X] = 1/β, d/dβ E[X] = -α/β².
  double g = per_draw_mean([&](const Tensor& a) { return D::Gamma(a, 2.0).rsample({}, gen); }, 1.5, kDraws, &se);
  EXPECT_NEAR(g, 0.5, 4 * se);
  g = per_draw_mean([&](const Tensor& b) { return D::Gamma(1.5, b).rsample({}, gen); }, 2.0, kDraws, &se);
  EXPECT_NEAR(g, -1.5 / 4, 4 * se);
  // Chi2(k): d/dk E[X] = 1.
  g = per_draw_mean([&](const Tensor& k) { return D::Chi2(k).rsample({}, gen); }, 3.0, kDraws, &se);
  EXPECT_NEAR(g, 1.0, 4 * se);
  // Beta(a, b): d/da E[X] = b / (a + b)².
  g = per_draw_mean([&](const Tensor& a) { return D::Beta(a, 3.0).rsample({}, gen); }, 2.0, kDraws, &se);
  EXPECT_NEAR(g, 3.0 / 25, 4 * se);
  // StudentT: d/dloc E[X] = 1 (df > 1), d/dscale E[|X - loc|] = E|T|.
  g = per_draw_mean([&](const Tensor& l) { return D::StudentT(5.0, l, 2.0).rsample({}, gen); }, 0.5, kDraws, &se);
  EXPECT_NEAR(g, 1.0, 1e-9);
  // Dirichlet(α): d/dα_0 E[X_0] = (A - α_0) / A² for A = Σα (through a [n, 3] concentration).
  Tensor alpha = kiln::tensor({2.0, 3.0, 5.0}, kiln::kFloat64).expand({kDraws, 3}).clone().requires_grad_(true);
  Tensor x0 = D::Dirichlet(alpha).rsample({}, gen).select(1, 0);
  Tensor ga = kiln::autograd::grad({x0.sum()}, {alpha})[0].select(1, 0);
  EXPECT_NEAR(ga.mean().item<double>(), 8.0 / 100, 4 * ga.std().item<double>() / std::sqrt(double(kDraws)));
}

}  // namespace
