// 6. Gaussian-process priors: any finite set of function values is jointly
// Gaussian with covariance K_ij = k(x_i, x_j), so a prior sample is L z with
// K = L L^T. Then the posterior given noisy data, with the kernel's
// hyperparameters learned by maximising the marginal likelihood with autograd.
#include <kiln/kiln.h>

#include <cmath>
#include <iostream>
#include <numbers>

#include "sections.h"

namespace {
using kiln::Tensor;

// x: [n] -> [n, n] matrices of pairwise terms.
Tensor sq_dist(const Tensor& x1, const Tensor& x2) {
  Tensor d = x1.unsqueeze(1) - x2.unsqueeze(0);
  return d * d;
}
Tensor rbf(const Tensor& x1, const Tensor& x2, const Tensor& lengthscale, const Tensor& amplitude) {
  return amplitude * amplitude * kiln::exp(-sq_dist(x1, x2) / (2 * lengthscale * lengthscale));
}
Tensor ornstein_uhlenbeck(const Tensor& x1, const Tensor& x2, double lengthscale) {
  return kiln::exp(-(x1.unsqueeze(1) - x2.unsqueeze(0)).abs() / lengthscale);
}
// The neural-network kernel with x~ = (1, x) and Sigma = diag(s0^2, s^2).
Tensor arcsine(const Tensor& x1, const Tensor& x2, double s0, double s) {
  auto inner = [&](const Tensor& a, const Tensor& b) { return s0 * s0 + s * s * a.unsqueeze(1) * b.unsqueeze(0); };
  Tensor n1 = 1 + 2 * (s0 * s0 + s * s * x1 * x1), n2 = 1 + 2 * (s0 * s0 + s * s * x2 * x2);
  return 2 / std::numbers::pi * kiln::asin(2 * inner(x1, x2) / kiln::sqrt(n1.unsqueeze(1) * n2.unsqueeze(0)));
}

// n samples from N(0, K), jittered so that a rank-deficient K factors.
Tensor prior_samples(const Tensor& K, int64_t n) {
  Tensor L = kiln::linalg::cholesky(K + 1e-6 * kiln::eye(K.size(0), kiln::kFloat64));
  return kiln::matmul(L, kiln::randn({K.size(0), n}, kiln::kFloat64));
}

void posterior(Figures& figs) {
  // Noisy observations of sin on [0, 5].
  Tensor x = kiln::linspace(0.3, 4.7, 12, kiln::kFloat64);
  Tensor y = kiln::sin(x) + 0.1 * kiln::randn({12}, kiln::kFloat64);
  Tensor log_l = kiln::zeros({}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  Tensor log_a = kiln::zeros({}, kiln::dtype(kiln::kFloat64).requires_grad(true));
  Tensor log_noise = kiln::full({}, -2.0, kiln::dtype(kiln::kFloat64).requires_grad(true));
  auto factor = [&] {
    Tensor K = rbf(x, x, log_l.exp(), log_a.exp()) + (2 * log_noise).exp() * kiln::eye(12, kiln::kFloat64);
    return kiln::linalg::cholesky(K);
  };
  Tensor lml;
  for (int step = 0; step < 300; ++step) {
    Tensor L = factor();
    Tensor alpha = kiln::cholesky_solve(y.unsqueeze(1), L).squeeze(1);
    lml = -0.5 * kiln::dot(y, alpha) - L.diagonal().log().sum() - 6 * std::log(2 * std::numbers::pi);
    for (Tensor* p : {&log_l, &log_a, &log_noise})
      if (p->grad().defined()) p->mutable_grad().zero_();
    (-lml).backward();
    kiln::NoGradGuard no_grad;
    for (Tensor* p : {&log_l, &log_a, &log_noise}) *p -= 0.02 * p->grad();
  }
  std::cout << "learned by maximising the marginal likelihood: lengthscale = " << log_l.exp().item<double>()
            << ", amplitude = " << log_a.exp().item<double>() << ", noise = " << log_noise.exp().item<double>()
            << ", log marginal likelihood = " << lml.item<double>() << "\n";
  kiln::NoGradGuard no_grad;
  Tensor xs = kiln::linspace(0.0, 5.0, 200, kiln::kFloat64);
  Tensor L = factor();
  Tensor Ks = rbf(xs, x, log_l.exp(), log_a.exp());
  Tensor mean = kiln::matmul(Ks, kiln::cholesky_solve(y.unsqueeze(1), L)).squeeze(1);
  Tensor v = kiln::linalg::solve_triangular(L, Ks.t(), /*upper=*/false);
  Tensor var = (log_a.exp() * log_a.exp() - (v * v).sum({0})).clamp_min(0);
  figs.gp_posterior(x, y, xs, mean, 2 * var.sqrt());
}
}  // namespace

void gaussian_processes(Figures& figs) {
  std::cout << "\n== 6. Gaussian-process priors ==\n";
  kiln::manual_seed(3);
  Tensor x = kiln::linspace(-5, 5, 100, kiln::kFloat64);
  // f(x) = w0 + w1 x with w ~ N(0, I): mean 0, k(x, x') = 1 + x x'.
  Tensor K = 1 + x.unsqueeze(1) * x.unsqueeze(0);
  Tensor band = 2 * kiln::sqrt(1 + x * x);
  std::cout << "linear model: k(x, x') = 1 + x x'; band at x = 5: +-" << band[-1].item<double>() << "\n";
  figs.gp_linear(x, prior_samples(K, 10), band);

  Tensor x5 = kiln::linspace(0, 5, 100, kiln::kFloat64);
  Tensor one = kiln::ones({}, kiln::kFloat64);
  figs.gp_prior("rbf", "RBF kernel prior samples (lengthscale 1)", x5, prior_samples(rbf(x5, x5, one, one), 5));
  figs.gp_prior("arcsine", "Neural-network (arcsine) kernel prior samples", x,
                prior_samples(arcsine(x, x, 1.0, 1.0), 5));
  figs.gp_prior("ou", "Ornstein-Uhlenbeck kernel prior samples (lengthscale 1)", x5,
                prior_samples(ornstein_uhlenbeck(x5, x5, 1.0), 5));
  // Sums of GPs: u = f + 2g has kernel k1 + 4 k2.
  Tensor k1 = rbf(x5, x5, one, one), k2 = ornstein_uhlenbeck(x5, x5, 1.0);
  std::cout << "u = f + 2g: Var u(0) = k1(0,0) + 4 k2(0,0) = " << (k1 + 4 * k2)[0][0].item<double>() << "\n";
  posterior(figs);
}
