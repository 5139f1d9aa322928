// The GP prior: N(m(X), k(X, X)) through the jittered factor.
#include "common.h"

namespace kiln::gp {

GaussianProcess::GaussianProcess(Kernel kernel, Mean mean) : kernel_(std::move(kernel)), mean_(std::move(mean)) {}

distributions::MultivariateNormal GaussianProcess::prior(const Tensor& X) const {
  Tensor A = detail::as_matrix(X, "gp::GaussianProcess.prior");
  Tensor L = safe_cholesky(kernel_(A), &jitter_);
  return distributions::MultivariateNormal::from_scale_tril(mean_(A), L);
}

}  // namespace kiln::gp
