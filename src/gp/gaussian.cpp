// Gaussian (a stand-in for distributions::MultivariateNormal) and the GP prior.
#include "common.h"
#include "kiln/linalg.h"

namespace kiln::gp {

Tensor Gaussian::variance() const { return covariance.diagonal().clamp_min(0); }
Tensor Gaussian::stddev() const { return variance().sqrt(); }

Tensor Gaussian::sample(IntArrayRef sample_shape) const {
  NoGradGuard no_grad;
  std::vector<int64_t> shape(sample_shape.begin(), sample_shape.end());
  shape.push_back(mean.size(0));
  if (!scale_tril.defined()) scale_tril = safe_cholesky(covariance.detach(), &jitter);
  Tensor z = randn(shape, TensorOptions(mean.dtype()));
  return mean + z.matmul(scale_tril.t());
}

GaussianProcess::GaussianProcess(Kernel kernel, Mean mean) : kernel_(std::move(kernel)), mean_(std::move(mean)) {}

Gaussian GaussianProcess::prior(const Tensor& X) const {
  Tensor A = detail::as_matrix(X, "gp::GaussianProcess.prior");
  Gaussian g;
  g.mean = mean_(A);
  g.covariance = kernel_(A);
  g.scale_tril = safe_cholesky(g.covariance.detach(), &g.jitter);
  jitter_ = g.jitter;
  return g;
}

}  // namespace kiln::gp
