// linalg::cholesky: A = L L^T (or U^T U) and its derivatives.
//   backward (Murray 2016, no explicit inverse):
//     P = tril(L^T gL);  S = (P + strict_tril(P)^T) / 2  (symmetric, diagonal once)
//     gA = L^-T S L^-1   (two triangular solves)
//   forward:  dL = L Phi(L^-1 dA L^-T),  Phi = strict lower triangle + half diagonal
// The upper variant transposes: U = L^T.
#include "linalg/common.h"
#include "linalg/lapack.h"

namespace kiln::linalg {
namespace {
using namespace detail;

Tensor cholesky_backward(Tensor gL, Tensor L, bool upper) {
  if (upper) {
    L = L.mT();
    gL = gL.mT();
  }
  Tensor P = L.mT().matmul(gL).tril();
  Tensor S = 0.5 * (P + P.tril(-1).mT());
  S = solve_triangular(L.mT(), S, /*upper=*/true, /*left=*/true);
  return solve_triangular(L, S, /*upper=*/false, /*left=*/false);
}

Tensor cholesky_tangent(const Tensor& dA, Tensor L, bool upper) {
  if (upper) L = L.mT();
  Tensor X = solve_triangular(L, dA, /*upper=*/false, /*left=*/true);
  X = solve_triangular(L.mT(), X, /*upper=*/true, /*left=*/false);
  Tensor phi = X.tril(-1) + 0.5 * diag_matrix(X.diagonal(0, -2, -1));
  Tensor dL = L.matmul(phi);
  return upper ? dL.mT() : dL;
}

}  // namespace

Tensor cholesky(const Tensor& A, bool upper) {
  check_square("linalg.cholesky", A);
  return autograd::differentiable(
      lapack::cholesky(A, upper, "linalg.cholesky"), {"LinalgCholeskyExBackward0", {A}, {}, true},
      [upper](const BackwardArgs& a) -> Grads { return {cholesky_backward(a.grad(), a.results[0], upper)}; },
      [upper](const ForwardArgs& f) { return cholesky_tangent(f.tangent(), f.result.detach(), upper); });
}

}  // namespace kiln::linalg
