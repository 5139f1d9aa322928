// The pairwise piece of every stationary kernel. cdist's backward is 0 where
// a distance is 0 (the subgradient a kernel like exp(-r) needs there), and
// r^2 = cdist^2 then has the exact gradient 2 (x - x') = 0 at zero distance;
// differences of ||x||^2 + ||x'||^2 - 2 x.x' would cancel catastrophically.
#include "common.h"

namespace kiln::gp::detail {

Tensor scaled_dist(const Tensor& X1, const Tensor& X2, const Tensor& lengthscale, const char* op) {
  KILN_CHECK(X1.size(1) == X2.size(1), op, ": inputs with ", X1.size(1), " and ", X2.size(1), " features");
  check_features(lengthscale, X1, op, "lengthscale");
  Tensor l = like(lengthscale, X1);
  if (&X1 == &X2) {
    Tensor Z = X1 / l;
    return cdist(Z, Z);
  }
  return cdist(X1 / l, X2 / l);
}

Tensor scaled_sq_dist(const Tensor& X1, const Tensor& X2, const Tensor& lengthscale, const char* op) {
  return scaled_dist(X1, X2, lengthscale, op).square();
}

}  // namespace kiln::gp::detail
