// kiln::gp: Gaussian processes. Kernels and mean functions are value handles
// over hyperparameter tensors (copies share them, as libtorch's module
// holders do); positive hyperparameters are stored unconstrained, as
// GPyTorch's raw parameters, and read through softplus. Inputs are [n, d] or
// [n] (d = 1), float32 or float64.
//
//   gp::ExactGP model(X, y, gp::Scale(gp::RBF()), 0.1);
//   auto report = model.fit();
//   auto post = model.posterior(Xs);
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "kiln/callable.h"
#include "kiln/distributions/multivariate.h"
#include "kiln/tensor.h"

namespace kiln::gp {

using NamedTensors = std::vector<std::pair<std::string, Tensor>>;

namespace detail {
// One hyperparameter: its raw tensor and whether it is read through softplus.
struct Hyper {
  std::string name;
  Tensor raw;
  bool positive = true;
  Tensor value() const;
};

}  // namespace detail

// While alive (on this thread), every hyperparameter whose raw tensor is one
// of `raws` reads the matching tensor of `values` instead: a functional call,
// so that gradcheck, jacobian or hessian can take the parameters as arguments.
class ParameterOverride {
 public:
  ParameterOverride(const std::vector<Tensor>& raws, const std::vector<Tensor>& values);
  ~ParameterOverride();
  ParameterOverride(const ParameterOverride&) = delete;
  ParameterOverride& operator=(const ParameterOverride&) = delete;

 private:
  size_t previous_size_;
};

namespace detail {
// What a kernel computes, on inputs already shaped [n, d].
struct KernelImpl {
  virtual ~KernelImpl() = default;
  // `same`: X2 is X1 (k(X)); White adds its noise only there.
  virtual Tensor matrix(const Tensor& X1, const Tensor& X2, bool same) const = 0;
  // c * matrix(...), which a kernel may fuse (a scaled stationary kernel saves no n x n for backward).
  virtual Tensor scaled_matrix(const Tensor& c, const Tensor& X1, const Tensor& X2, bool same) const {
    return c * matrix(X1, X2, same);
  }
  virtual Tensor diag(const Tensor& X) const = 0;
  // This kernel's hyperparameters, then its parts' (names prefixed).
  virtual void collect(const std::string& prefix, std::vector<Hyper>& out) const = 0;
};
}  // namespace detail

class Kernel {
 public:
  explicit Kernel(std::shared_ptr<const detail::KernelImpl> impl);
  Tensor operator()(const Tensor& X1, const Tensor& X2) const;
  Tensor operator()(const Tensor& X) const;
  Tensor diag(const Tensor& X) const;
  // The raw (unconstrained) parameters, "raw_lengthscale", "kernels.0.raw_lengthscale", ...
  std::vector<Tensor> parameters() const;
  NamedTensors named_parameters() const;
  // The constrained values, "lengthscale", "kernels.0.lengthscale", ... (differentiable).
  NamedTensors named_hyperparameters() const;
  Tensor hyperparameter(const std::string& name) const;
  std::vector<detail::Hyper> hypers() const;
  const std::shared_ptr<const detail::KernelImpl>& impl() const { return impl_; }

 private:
  std::shared_ptr<const detail::KernelImpl> impl_;
};

// Sums and products of kernels share their parts' hyperparameters; c * k
// scales by a fixed number (a learnable scale is Scale(k)).
Kernel operator+(const Kernel& a, const Kernel& b);
Kernel operator*(const Kernel& a, const Kernel& b);
Kernel operator*(double c, const Kernel& k);
Kernel operator*(const Kernel& k, double c);

// Stationary kernels of r = ||(x - x') / lengthscale|| (one lengthscale per
// feature for ARD: a tensor of d values).
// exp(-r^2 / 2)
struct RBF : Kernel {
  explicit RBF(double lengthscale = 1.0);
  explicit RBF(const Tensor& lengthscale);
};
// nu = 0.5: exp(-r) (Ornstein-Uhlenbeck); 1.5: (1 + sqrt3 r) exp(-sqrt3 r); 2.5: (1 + sqrt5 r + 5r^2/3) exp(-sqrt5 r)
struct Matern : Kernel {
  explicit Matern(double nu = 2.5, double lengthscale = 1.0);
  Matern(double nu, const Tensor& lengthscale);
};
// (1 + r^2 / (2 alpha))^-alpha
struct RationalQuadratic : Kernel {
  explicit RationalQuadratic(double lengthscale = 1.0, double alpha = 1.0);
  RationalQuadratic(const Tensor& lengthscale, double alpha);
};
// GPyTorch's: exp(-2 sum_d sin^2(pi (x_d - x'_d) / period_d) / lengthscale_d)
struct Periodic : Kernel {
  explicit Periodic(double lengthscale = 1.0, double period = 1.0);
  Periodic(const Tensor& lengthscale, const Tensor& period);
};
// variance x . x'
struct Linear : Kernel {
  explicit Linear(double variance = 1.0);
};
// (x . x' + offset)^power
struct Polynomial : Kernel {
  explicit Polynomial(int64_t power = 2, double offset = 1.0);
};
// The neural-network kernel: (2/pi) asin(2 x~'S x~' / sqrt((1 + 2 x~'S x~)(1 + 2 x~''S x~'))),
// x~ = (1, x), S = diag(sigma^2); sigma is one value for all d + 1 entries or d + 1 values.
struct ArcSine : Kernel {
  explicit ArcSine(double sigma = 1.0);
  explicit ArcSine(const Tensor& sigma);
};
// value (learnable)
struct Constant : Kernel {
  explicit Constant(double value = 1.0);
};
// noise on k(X)'s diagonal; 0 between different sets of inputs (as scikit-learn's WhiteKernel).
struct White : Kernel {
  explicit White(double noise = 1.0);
};
// outputscale * k
struct Scale : Kernel {
  explicit Scale(const Kernel& base, double outputscale = 1.0);
};

// Mean functions: m(X) -> [n].
namespace detail {
struct MeanImpl {
  virtual ~MeanImpl() = default;
  virtual Tensor forward(const Tensor& X) const = 0;
  virtual void collect(const std::string& prefix, std::vector<Hyper>& out) const = 0;
};
}  // namespace detail

class Mean {
 public:
  explicit Mean(std::shared_ptr<const detail::MeanImpl> impl);
  Tensor operator()(const Tensor& X) const;
  std::vector<Tensor> parameters() const;
  NamedTensors named_parameters() const;
  std::vector<detail::Hyper> hypers() const;

 private:
  std::shared_ptr<const detail::MeanImpl> impl_;
};
struct ZeroMean : Mean {
  ZeroMean();
};
// A learnable constant.
struct ConstantMean : Mean {
  explicit ConstantMean(double constant = 0.0);
};
// w . x + b, learnable (w starts at 0).
struct LinearMean : Mean {
  explicit LinearMean(int64_t features, bool bias = true);
};

// The lower Cholesky factor of K, adding jitter to the diagonal only when K
// does not factor: GPyTorch's escalation, starting at 1e-8 (float64; 1e-6
// for float32) times K's mean diagonal and growing x10 for `max_tries`
// tries, then a kiln::Error naming the jitters tried. `jitter` receives the
// jitter used (0 when none was needed).
Tensor safe_cholesky(const Tensor& K, double* jitter = nullptr, int max_tries = 6);

class GaussianProcess {
 public:
  explicit GaussianProcess(Kernel kernel, Mean mean = ZeroMean());
  // f(X) ~ N(m(X), k(X, X)), from the factor of k(X, X) (+ jitter where needed; differentiable).
  distributions::MultivariateNormal prior(const Tensor& X) const;
  // The jitter the last prior() needed.
  double jitter() const { return jitter_; }
  const Kernel& kernel() const { return kernel_; }
  const Mean& mean() const { return mean_; }

 private:
  Kernel kernel_;
  Mean mean_;
  mutable double jitter_ = 0;
};

// A log prior density of a hyperparameter's (constrained) value, e.g.
// [](const Tensor& v) { return Gamma(2.0, 1.0).log_prob(v).sum(); }.
using LogPrior = Callable<Tensor(const Tensor&)>;

struct FitOptions {
#define KILN_GP_OPTION(type, name, init) \
  type name##_ = init;                   \
  FitOptions& name(type v) {             \
    name##_ = std::move(v);              \
    return *this;                        \
  }
  KILN_GP_OPTION(std::string, optimizer, "lbfgs")  // "lbfgs" or "adam"
  KILN_GP_OPTION(int64_t, max_iter, 200)           // optimiser steps per start
  KILN_GP_OPTION(double, lr, 0.1)                  // Adam's rate (L-BFGS uses 1 with a line search)
  KILN_GP_OPTION(double, tolerance, 1e-9)          // stop when the objective changes by less (absolute)
  KILN_GP_OPTION(int64_t, restarts, 0)             // extra starts from random raw parameters
  KILN_GP_OPTION(uint64_t, seed, 0)                // for the restarts
  KILN_GP_OPTION(bool, verbose, false)             // a progress line on stderr
#undef KILN_GP_OPTION
  // MAP: add log p(value) of the hyperparameter `name` (as in named_hyperparameters(), e.g.
  // "kernel.lengthscale", "noise") to the objective.
  FitOptions& prior(const std::string& name, LogPrior log_prior) {
    priors_.emplace_back(name, std::move(log_prior));
    return *this;
  }
  std::vector<std::pair<std::string, LogPrior>> priors_;
};

struct FitReport {
  int64_t iterations = 0;              // objective evaluations of the kept start (Adam: its steps)
  int64_t evaluations = 0;             // objective evaluations, all starts
  double log_marginal_likelihood = 0;  // at the optimum
  double objective = 0;                // log marginal likelihood + log priors
  double jitter = 0;
  int64_t best_start = 0;              // 0 = from the given hyperparameters
};

// Exact GP regression with Gaussian noise: y = f(X) + e, e ~ N(0, noise).
// Computes in float64.
class ExactGP {
 public:
  ExactGP(const Tensor& X, const Tensor& y, Kernel kernel, double noise = 1e-2, Mean mean = ZeroMean(),
          bool normalize_y = false);

  // log p(y | X) (Rasmussen & Williams Alg. 2.1, one Cholesky), 0-d and
  // differentiable in every hyperparameter and the noise. On normalised y
  // when normalize_y (as scikit-learn).
  Tensor log_marginal_likelihood() const;
  // f(Xs) | y (plus the noise on the diagonal when include_noise), in y's units, from the
  // factor of its covariance (+ jitter where needed, readable in posterior_jitter()).
  distributions::MultivariateNormal posterior(const Tensor& Xs, bool include_noise = false) const;
  FitReport fit(const FitOptions& options = FitOptions());

  // The kernel's, the mean's and the noise's raw parameters.
  std::vector<Tensor> parameters() const;
  NamedTensors named_parameters() const;
  NamedTensors named_hyperparameters() const;
  Tensor noise() const;
  // The jitter the training covariance's factor needed, and the last posterior's.
  double jitter() const { return jitter_; }
  double posterior_jitter() const { return posterior_jitter_; }
  const Kernel& kernel() const { return kernel_; }
  const Mean& mean() const { return mean_; }

  // The raw parameters and the training data, to a safetensors file; load
  // into a model built with the same kernel structure.
  void save(const std::string& path) const;
  void load(const std::string& path);

 private:
  std::vector<detail::Hyper> hypers() const;
  Tensor centred_targets() const;
  // The raw parameters' values, flat (what the cached factor was computed at).
  Tensor snapshot() const;
  // The cached factor and weights for posterior(), refreshed when a parameter changed.
  void refresh() const;

  Tensor X_, y_;  // float64, X [n, d], y [n] (normalised when asked)
  double y_mean_ = 0, y_scale_ = 1;
  Kernel kernel_;
  Mean mean_;
  detail::Hyper noise_;
  mutable double jitter_ = 0, posterior_jitter_ = 0;
  mutable Tensor L_, alpha_, cached_at_;
};

}  // namespace kiln::gp
