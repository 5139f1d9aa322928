// 6. Gaussian-process priors: any finite set of function values is jointly
// Gaussian with covariance K_ij = k(x_i, x_j). kiln::gp holds the kernels,
// samples priors (jitter only where a kernel matrix is singular), and fits a
// posterior, learning the kernel's hyperparameters and the noise by
// maximising the marginal likelihood.
#include <kiln/kiln.h>

#include <iostream>

#include "sections.h"

namespace {
using kiln::Tensor;
namespace gp = kiln::gp;

// n prior samples of f ~ GP(0, k) at x, as columns.
Tensor prior_samples(const gp::Kernel& k, const Tensor& x, int64_t n) {
  return gp::GaussianProcess(k).prior(x).sample({n}).t();
}

void posterior(Figures& figs) {
  // Noisy observations of sin on [0, 5].
  Tensor x = kiln::linspace(0.3, 4.7, 12, kiln::kFloat64);
  Tensor y = kiln::sin(x) + 0.1 * kiln::randn({12}, kiln::kFloat64);
  gp::ExactGP model(x, y, gp::Scale(gp::RBF(1.0), 1.0), 0.1);
  gp::FitReport fit = model.fit();
  std::cout << "learned by maximising the marginal likelihood: lengthscale = "
            << model.kernel().hyperparameter("base_kernel.lengthscale").item<double>()
            << ", amplitude^2 = " << model.kernel().hyperparameter("outputscale").item<double>()
            << ", noise = " << model.noise().item<double>() << ", log marginal likelihood = "
            << fit.log_marginal_likelihood << " (" << fit.evaluations << " evaluations)\n";
  kiln::NoGradGuard no_grad;
  Tensor xs = kiln::linspace(0.0, 5.0, 200, kiln::kFloat64);
  gp::Gaussian post = model.posterior(xs);
  figs.gp_posterior(x, y, xs, post.mean, 2 * post.stddev());
}

void priors(Figures& figs) {
  kiln::NoGradGuard no_grad;
  Tensor x = kiln::linspace(-5, 5, 100, kiln::kFloat64);
  // f(x) = w0 + w1 x with w ~ N(0, I): mean 0, k(x, x') = 1 + x x'.
  gp::GaussianProcess linear(gp::Constant(1.0) + gp::Linear(1.0));
  gp::Gaussian prior = linear.prior(x);
  Tensor band = 2 * prior.stddev();
  std::cout << "linear model: k(x, x') = 1 + x x'; band at x = 5: +-" << band[-1].item<double>()
            << " (jitter " << linear.jitter() << " for the rank-2 kernel matrix)\n";
  figs.gp_linear(x, prior.sample({10}).t(), band);

  Tensor x5 = kiln::linspace(0, 5, 100, kiln::kFloat64);
  gp::RBF rbf(1.0);
  gp::Matern ou(0.5, 1.0);
  figs.gp_prior("rbf", "RBF kernel prior samples (lengthscale 1)", x5, prior_samples(rbf, x5, 5));
  figs.gp_prior("arcsine", "Neural-network (arcsine) kernel prior samples", x, prior_samples(gp::ArcSine(1.0), x, 5));
  figs.gp_prior("ou", "Ornstein-Uhlenbeck kernel prior samples (lengthscale 1)", x5, prior_samples(ou, x5, 5));
  // Sums of GPs: u = f + 2g has kernel k1 + 4 k2.
  std::cout << "u = f + 2g: Var u(0) = k1(0,0) + 4 k2(0,0) = " << (rbf + 4.0 * ou)(x5)[0][0].item<double>() << "\n";
}
}  // namespace

void gaussian_processes(Figures& figs) {
  std::cout << "\n== 6. Gaussian-process priors ==\n";
  kiln::manual_seed(3);
  priors(figs);
  posterior(figs);
}
