// The claims of the Gaussian-process notes (../shared/SEEDS.md section 6).
#include <gtest/gtest.h>
#include <kiln/kiln.h>

#include <cmath>
#include <numbers>

namespace {
using kiln::Tensor;
namespace gp = kiln::gp;

// Empirical covariance of samples [N, n] (rows are draws).
Tensor empirical_cov(const Tensor& S) {
  Tensor C = S - S.mean({0}, true);
  return C.t().matmul(C) / (S.size(0) - 1);
}

// |empirical - K| within 5 standard errors: Var(S_ij) = (K_ii K_jj + K_ij^2) / N for Gaussians.
void expect_cov_matches(const Tensor& samples, const Tensor& K) {
  int64_t N = samples.size(0);
  Tensor d = K.diagonal();
  Tensor se = ((d.unsqueeze(1) * d.unsqueeze(0) + K.square()) / N).sqrt();
  Tensor err = (empirical_cov(samples) - K).abs();
  EXPECT_TRUE((err <= 5 * se + 1e-9).all().item<bool>()) << "max error " << err.max().item<double>();
}

TEST(GpSeeds, LinearModelPrior) {
  // f(x) = w0 + w1 x, w ~ N(0, I): mean 0, k(x, x') = 1 + x x'.
  Tensor x = kiln::linspace(-5, 5, 11, kiln::kFloat64);
  gp::GaussianProcess f(gp::Constant(1.0) + gp::Linear(1.0));
  gp::Gaussian prior = f.prior(x);
  EXPECT_TRUE(kiln::equal(prior.mean, kiln::zeros({11}, kiln::kFloat64)));
  EXPECT_TRUE(kiln::allclose(prior.covariance, 1 + x.unsqueeze(1) * x.unsqueeze(0), 1e-12, 1e-12));
  // Rank 2: the factor needed jitter, and says so.
  EXPECT_GT(f.jitter(), 0.0);
  EXPECT_TRUE(kiln::allclose(prior.stddev(), kiln::sqrt(1 + x * x), 1e-12, 1e-12));
  kiln::manual_seed(1);
  expect_cov_matches(prior.sample({20000}), prior.covariance);
}

TEST(GpSeeds, PriorSamplesHaveTheKernelAsCovariance) {
  Tensor x = kiln::linspace(0, 5, 6, kiln::kFloat64);
  for (const gp::Kernel& k : {gp::Kernel(gp::RBF(1.0)), gp::Kernel(gp::Matern(0.5, 1.0)), gp::Kernel(gp::ArcSine(1.0))}) {
    gp::Gaussian prior = gp::GaussianProcess(k).prior(x);
    kiln::manual_seed(2);
    expect_cov_matches(prior.sample({20000}), k(x).detach());
  }
}

TEST(GpSeeds, SumAndProductOfProcesses) {
  Tensor x = kiln::linspace(-1.5, 1.5, 5, kiln::kFloat64);
  gp::Kernel k1 = gp::RBF(1.0), k2 = gp::Matern(0.5, 2.0);
  kiln::manual_seed(3);
  Tensor f = gp::GaussianProcess(k1).prior(x).sample({20000});
  Tensor g = gp::GaussianProcess(k2).prior(x).sample({20000});
  // u = f + 2g has kernel k1 + 4 k2.
  expect_cov_matches(f + 2 * g, (k1 + 4.0 * k2)(x).detach());
  // h(x) = x^2 f(x) has kernel x^2 x'^2 k(x, x') = (x x')^2 k.
  expect_cov_matches(f * x.square(), (gp::Linear(1.0) * gp::Linear(1.0) * k1)(x).detach());
}

TEST(GpSeeds, FiniteRadialBasisSumApproachesRBF) {
  // f(x) = sum_j w_j phi_j(x), phi_j(x) = exp(-(x - c_j)^2 / (2 lambda^2)), w ~ N(0, S):
  // k(x, x') = phi(x)^T S phi(x'). With J centres evenly on [-R, R] and S = I (2R / J) / (sqrt(pi) lambda),
  // the sum tends to exp(-(x - x')^2 / (4 lambda^2)): an RBF with lengthscale sqrt(2) lambda.
  int64_t J = 2000;
  double lambda = 0.5, R = 10;
  Tensor c = kiln::linspace(-R, R, J, kiln::kFloat64), x = kiln::linspace(-2, 2, 9, kiln::kFloat64);
  Tensor phi = kiln::exp(-(x.unsqueeze(1) - c.unsqueeze(0)).square() / (2 * lambda * lambda));
  Tensor K = phi.matmul(phi.t()) * (2 * R / J) / (std::sqrt(std::numbers::pi) * lambda);
  EXPECT_TRUE(kiln::allclose(K, gp::RBF(std::sqrt(2.0) * lambda)(x).detach(), 1e-3, 1e-3));
}

}  // namespace
