// Cholesky with jitter only when needed (GPyTorch's psd_safe_cholesky: the
// jitter starts small relative to the diagonal and grows tenfold).
#include <cmath>
#include <string>

#include "common.h"
#include "kiln/linalg.h"

namespace kiln::gp {

Tensor safe_cholesky(const Tensor& K, double* jitter, int max_tries) {
  KILN_CHECK(K.dim() == 2 && K.size(0) == K.size(1), "gp::safe_cholesky: expected a square matrix, got shape ",
             K.sizes());
  KILN_CHECK(max_tries >= 0, "gp::safe_cholesky: max_tries must be non-negative, got ", max_tries);
  if (jitter) *jitter = 0;
  auto [L, info] = linalg::cholesky_ex(K);
  if (info.item<int64_t>() == 0) return L;
  double mean_diag = K.detach().diagonal().mean().item<double>();
  KILN_CHECK(std::isfinite(mean_diag), "gp::safe_cholesky: the matrix has non-finite entries (mean diagonal ",
             mean_diag, ")");
  double step = (K.dtype() == kFloat32 ? 1e-6 : 1e-8) * std::abs(mean_diag == 0 ? 1.0 : mean_diag);
  std::string tried;
  Tensor I = eye(K.size(0), TensorOptions(K.dtype()));
  for (int i = 0; i < max_tries; ++i, step *= 10) {
    tried += (tried.empty() ? "" : ", ") + kiln::detail::concat(step);
    std::tie(L, info) = linalg::cholesky_ex(K + step * I);
    if (info.item<int64_t>() == 0) {
      if (jitter) *jitter = step;
      return L;
    }
  }
  KILN_CHECK(false, "gp::safe_cholesky: the ", K.size(0), "x", K.size(0),
             " matrix is not positive-definite, even with jitter ", tried, " added to its diagonal");
  return {};
}

}  // namespace kiln::gp
